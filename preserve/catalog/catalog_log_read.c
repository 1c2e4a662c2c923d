/*
 * preserve/catalog/catalog_log_read.c - the event log read as evidence
 * (catalog_log_read.h). Log order is row order.
 */
#include "preserve/catalog/catalog_log_read.h"

#include <stdio.h>
#include <string.h>
#include "preserve/catalog/catalog_read_int.h"

static int head_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct catalog_log_head *h = arg;

	(void)names;
	if (n < 3)
		return 1;
	h->events = catalog_col_int(v[0]);
	snprintf(h->hash, sizeof(h->hash), "%s", v[1] ? v[1] : "");
	snprintf(h->uuid, sizeof(h->uuid), "%s", v[2] ? v[2] : "");
	return 1;
}

int catalog_log_head(struct catalog *c, struct catalog_log_head *out,
		     struct custos_err *err)
{
	memset(out, 0, sizeof(*out));
	return catalog_query(c, "SELECT COUNT(*), (SELECT hash FROM events ORDER BY id DESC"
			     " LIMIT 1), (SELECT uuid FROM events ORDER BY id DESC LIMIT 1)"
			     " FROM events", NULL, 0, head_row, out, err);
}

struct record_walk {
	catalog_record_fn fn;
	void *arg;
	int stop;
	bool no_record;
};

static int record_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct record_walk *w = arg;

	(void)names;
	if (n < 1 || !v[0]) {
		w->no_record = true;
		return 1;
	}
	return w->stop = w->fn(w->arg, v[0], strlen(v[0]));
}

int catalog_log_records(struct catalog *c, catalog_record_fn fn, void *arg,
			struct custos_err *err)
{
	struct record_walk w = { fn, arg, 0, false };

	if (catalog_query(c, "SELECT record FROM events ORDER BY id", NULL, 0,
			  record_row, &w, err) < 0)
		return -1;
	if (w.no_record)
		return err_set(err, CUSTOS_EINTERNAL, NULL, "an event has no stored record");
	return w.stop;
}

struct since_walk {
	catalog_since_fn fn;
	void *arg;
	int stop;
	bool no_record;
};

static int since_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct since_walk *w = arg;

	(void)names;
	if (n < 3 || !v[1] || !v[2]) {
		w->no_record = true;
		return 1;
	}
	return w->stop = w->fn(w->arg, catalog_col_int(v[0]), v[1], v[2]);
}

int catalog_log_since(struct catalog *c, int64_t after, catalog_since_fn fn,
		      void *arg, struct custos_err *err)
{
	struct since_walk w = { fn, arg, 0, false };
	char from[24];
	const char *p[1] = { from };

	snprintf(from, sizeof(from), "%lld", (long long)after);
	if (catalog_query(c, "SELECT id, record, hash FROM events WHERE id > CAST(?1 AS INTEGER)"
			  " ORDER BY id", p, 1, since_row, &w, err) < 0)
		return -1;
	if (w.no_record)
		return err_set(err, CUSTOS_EINTERNAL, NULL, "an event has no stored record");
	return w.stop;
}

int catalog_log_position(struct catalog *c, const char *event, int64_t *matches,
			 int64_t *index, struct custos_err *err)
{
	const char *p[2] = { event, event };

	*index = 0;
	return catalog_count(c, "SELECT COUNT(*) FROM events WHERE uuid = ? OR"
			     " CAST(id AS TEXT) = ?", p, 2, matches, err) < 0 ||
	       catalog_count(c, "SELECT COUNT(*) FROM events WHERE id < (SELECT id FROM events"
			     " WHERE uuid = ? OR CAST(id AS TEXT) = ?)", p, 2, index, err) < 0 ? -1 : 0;
}
