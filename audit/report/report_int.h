/*
 * audit/report/report_int.h - what the report's files share: catalog queries
 * turned into JSON, and the sections each writer renders. Not public.
 */
#ifndef CUSTOS_AUDIT_REPORT_REPORT_INT_H
#define CUSTOS_AUDIT_REPORT_REPORT_INT_H

#include <stdint.h>
#include <jansson.h>
#include "audit/report/report.h"
#include "preserve/catalog/catalog.h"

struct repo;

/* Rows of SQL as a JSON array of objects keyed by column name; a column
 * named "i:NAME" becomes NAME with an integer value. */
int rsql_rows(struct catalog *c, const char *sql, const char *const *p, int np,
	      json_t **out, struct custos_err *err);
/* A read transaction: every query until rsql_snapshot_end sees the
 * catalog as it was at the start (writers go on meanwhile). */
int rsql_snapshot_begin(struct catalog *c, struct custos_err *err);
void rsql_snapshot_end(struct catalog *c);

/* The first column of the first row as an integer (0 when NULL/none). */
int rsql_int(struct catalog *c, const char *sql, const char *const *p, int np,
	     int64_t *out, struct custos_err *err);

/* Section builders (report_collect.c, compliance_*.c). REP is the
 * report built so far; each adds its key. */
int compliance_ndsa(struct repo *r, json_t *rep, struct custos_err *err);
int compliance_iso16363(struct repo *r, json_t *rep, struct custos_err *err);
int compliance_coretrustseal(struct repo *r, json_t *rep, struct custos_err *err);

/* The "log" section: event count, head hash, hash chain check, Merkle
 * tree size and root (report_log.c). */
int report_log_section(struct repo *r, json_t *rep, struct custos_err *err);

/* Integer at a "/"-separated PATH in J (0 when absent). */
int64_t rjson_int(json_t *j, const char *path);
json_t *rjson_get(json_t *j, const char *path);

/* Write LEN bytes as DIR/NAME (atomically). */
int report_put(const char *dir, const char *name, const void *data, size_t len,
	       struct custos_err *err);

/* The files of the folder (report_files.c): each writes DIR/NAME. */
int report_write_html(const char *dir, json_t *rep, struct custos_err *err);
int report_write_csv(const char *dir, json_t *rep, struct custos_err *err);
int report_write_premis(const char *dir, struct repo *r, json_t *rep,
			struct custos_err *err);
int report_write_manifest(const char *dir, struct custos_err *err);
int report_write_tsq(const char *dir, json_t *rep, struct custos_err *err);

#endif
