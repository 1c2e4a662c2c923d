/*
 * preserve/catalog/catalog_report_events.c - the events the evidence report
 * cites (catalog_report_events.h), read from the event log's table.
 */
#include "preserve/catalog/catalog_report_events.h"

#include <stdio.h>
#include "preserve/catalog/catalog_read_int.h"

/* The columns every event walk reads first, in this order. */
#define EVENT_COLUMNS "uuid, datetime, type, outcome, object, version, location"

enum event_kind { EV_FINDING, EV_REPAIR, EV_RECORD };

struct event_walk {
	enum event_kind kind;
	catalog_event_row_fn fn;
	void *arg;
	int stop;
};

static int event_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct event_walk *w = arg;
	struct catalog_event_row e = {
		.uuid = v[0], .datetime = v[1], .type = v[2], .outcome = v[3],
		.object = v[4], .version = catalog_col_maybe(v[5]), .location = v[6],
	};

	(void)n, (void)names;
	if (w->kind == EV_FINDING) {
		e.detail = v[7];
		e.outcome_note = v[8];
	} else if (w->kind == EV_REPAIR) {
		e.related_event = v[7];
		e.detail = v[8];
	} else {
		e.record = v[7];
	}
	return w->stop = w->fn(w->arg, &e);
}

static int walk_events(struct catalog *c, enum event_kind kind, const char *sql,
		       const char *since, catalog_event_row_fn fn, void *arg,
		       struct custos_err *err)
{
	const char *p[1] = { since };
	struct event_walk w = { kind, fn, arg, 0 };

	if (catalog_query(c, sql, p, 1, event_row, &w, err) < 0)
		return -1;
	return w.stop;
}

int catalog_report_findings(struct catalog *c, const char *since,
			    catalog_event_row_fn fn, void *arg, struct custos_err *err)
{
	return walk_events(c, EV_FINDING, "SELECT " EVENT_COLUMNS ","
			   " json_extract(record, '$.detail'), json_extract(record, '$.outcome_note')"
			   " FROM events WHERE outcome IN ('fai', 'war') AND datetime >= ?"
			   " ORDER BY id", since, fn, arg, err);
}

int catalog_report_repairs(struct catalog *c, const char *since,
			   catalog_event_row_fn fn, void *arg, struct custos_err *err)
{
	return walk_events(c, EV_REPAIR, "SELECT " EVENT_COLUMNS ","
			   " json_extract(record, '$.related_event'), json_extract(record, '$.detail')"
			   " FROM events WHERE type IN ('rep', 'rec') AND datetime >= ? AND"
			   " json_extract(record, '$.related_event') IS NOT NULL ORDER BY id",
			   since, fn, arg, err);
}

int catalog_report_events(struct catalog *c, const char *since,
			  catalog_event_row_fn fn, void *arg, struct custos_err *err)
{
	return walk_events(c, EV_RECORD, "SELECT " EVENT_COLUMNS ", record FROM events"
			   " WHERE datetime >= ? ORDER BY id", since, fn, arg, err);
}

struct day_walk {
	catalog_day_count_fn fn;
	void *arg;
	int stop;
};

static int day_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct day_walk *w = arg;

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, v[0], catalog_col_int(v[1]));
}

int catalog_report_findings_by_day(struct catalog *c, const char *since,
				   catalog_day_count_fn fn, void *arg,
				   struct custos_err *err)
{
	const char *p[1] = { since };
	struct day_walk w = { fn, arg, 0 };

	if (catalog_query(c, "SELECT substr(datetime, 1, 10) AS day, COUNT(*) FROM events"
			  " WHERE outcome IN ('fai', 'war') AND datetime >= ? GROUP BY day"
			  " ORDER BY day", p, 1, day_row, &w, err) < 0)
		return -1;
	return w.stop;
}

struct id_walk {
	catalog_event_id_fn fn;
	void *arg;
	int stop;
};

static int id_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct id_walk *w = arg;

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, v[0]);
}

int catalog_report_event_ids(struct catalog *c, const char *type, const char *outcome,
			     size_t limit, catalog_event_id_fn fn, void *arg,
			     struct custos_err *err)
{
	char lim[24];
	const char *p[3] = { type, outcome ? outcome : lim, lim };
	struct id_walk w = { fn, arg, 0 };
	int rc;

	snprintf(lim, sizeof(lim), "%zu", limit);
	if (outcome)
		rc = catalog_query(c, "SELECT uuid FROM events WHERE type = ? AND outcome = ?"
				   " ORDER BY id LIMIT CAST(? AS INTEGER)", p, 3, id_row, &w, err);
	else
		rc = catalog_query(c, "SELECT uuid FROM events WHERE type = ?"
				   " ORDER BY id LIMIT CAST(? AS INTEGER)", p, 2, id_row, &w, err);
	return rc < 0 ? -1 : w.stop;
}
