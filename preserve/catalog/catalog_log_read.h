/*
 * preserve/catalog/catalog_log_read.h - the event log read as evidence: its
 * head, every stored record in log order (the Merkle tree's leaves), and
 * where one event stands in that order.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_LOG_READ_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_LOG_READ_H

#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "preserve/catalog/catalog.h"

struct catalog_log_head {
	int64_t events;
	char hash[80];            /* the last event's chain hash; "" if none */
	char uuid[40];            /* the last event's identifier; "" if none */
};
int catalog_log_head(struct catalog *c, struct catalog_log_head *out,
		     struct custos_err *err);

/* FN once per event, in log order, with its stored record (LEN bytes).
 * FN returns 0 to go on; anything else stops and is returned. */
typedef int (*catalog_record_fn)(void *arg, const char *record, size_t len);
int catalog_log_records(struct catalog *c, catalog_record_fn fn, void *arg,
			struct custos_err *err);

/* FN once per event after the first AFTER (log order), with its position
 * (1-based), stored record and chain hash. FN returns 0 to go on;
 * anything else stops and is returned. What the locations' log copies. */
typedef int (*catalog_since_fn)(void *arg, int64_t id, const char *record,
				const char *hash);
int catalog_log_since(struct catalog *c, int64_t after, catalog_since_fn fn,
		      void *arg, struct custos_err *err);

/* The events whose identifier or row id is EVENT (*MATCHES) and, of the
 * first, the number of events before it (*INDEX, 0-based log position). */
int catalog_log_position(struct catalog *c, const char *event, int64_t *matches,
			 int64_t *index, struct custos_err *err);

#endif
