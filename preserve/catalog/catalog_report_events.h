/*
 * preserve/catalog/catalog_report_events.h - the events the evidence report
 * cites: findings (failures and warnings) and repairs in a period, the
 * findings per day, the identifiers of events of a type, and a period's
 * events with their stored records for the PREMIS export. Walks work as
 * in catalog_report.h.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_REPORT_EVENTS_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_REPORT_EVENTS_H

#include "preserve/catalog/catalog_report.h"

/* One event; fields a walk does not read are NULL. */
struct catalog_event_row {
	const char *uuid, *datetime, *type, *outcome;
	const char *object;       /* NULL if about no object */
	struct catalog_maybe_int version;
	const char *location;     /* NULL if about no location */
	const char *detail, *outcome_note, *related_event;   /* from the record */
	const char *record;       /* the stored record (catalog_report_events) */
};
typedef int (*catalog_event_row_fn)(void *arg, const struct catalog_event_row *e);

/* Events with outcome "fai" or "war" at or after SINCE, in log order
 * (detail and outcome_note set). */
int catalog_report_findings(struct catalog *c, const char *since,
			    catalog_event_row_fn fn, void *arg, struct custos_err *err);
/* Repair and recovery events at or after SINCE that name the event they
 * answer, in log order (related_event and detail set). */
int catalog_report_repairs(struct catalog *c, const char *since,
			   catalog_event_row_fn fn, void *arg, struct custos_err *err);
/* Every event at or after SINCE in log order, with its record. */
int catalog_report_events(struct catalog *c, const char *since,
			  catalog_event_row_fn fn, void *arg, struct custos_err *err);

/* Findings per day (YYYY-MM-DD) at or after SINCE, by day. */
typedef int (*catalog_day_count_fn)(void *arg, const char *day, int64_t count);
int catalog_report_findings_by_day(struct catalog *c, const char *since,
				   catalog_day_count_fn fn, void *arg,
				   struct custos_err *err);

/* The identifiers of the first LIMIT events of TYPE with OUTCOME (NULL:
 * any outcome), in log order. */
typedef int (*catalog_event_id_fn)(void *arg, const char *uuid);
int catalog_report_event_ids(struct catalog *c, const char *type, const char *outcome,
			     size_t limit, catalog_event_id_fn fn, void *arg,
			     struct custos_err *err);

#endif
