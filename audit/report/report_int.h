/*
 * audit/report/report_int.h - what the report's files share: JSON helpers,
 * and the sections each writer renders. Not public.
 */
#ifndef CUSTOS_AUDIT_REPORT_REPORT_INT_H
#define CUSTOS_AUDIT_REPORT_REPORT_INT_H

#include <stdint.h>
#include <jansson.h>
#include "audit/report/report.h"
#include "preserve/catalog/catalog_report.h"

struct repo;

/* S as a JSON string, null for NULL; M as an integer, null if unknown. */
json_t *rjson_str(const char *s);
json_t *rjson_maybe(struct catalog_maybe_int m);

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
/* events.jsonl: every event's stored record, one a line (report_proof.c). */
int report_write_events(const char *dir, struct repo *r, struct custos_err *err);
int report_write_tsq(const char *dir, json_t *rep, struct custos_err *err);

#endif
