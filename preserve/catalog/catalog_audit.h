/*
 * preserve/catalog/catalog_audit.h - what the auditor reads from and writes to the
 * catalog: copies due for verification, the files of a copy with their
 * digests and where each stands in the copy's verification cycle, per-file
 * check results, copy status, and audit-run records.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_AUDIT_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/digest.h"
#include "core/err.h"
#include "preserve/catalog/catalog.h"

/* One copy (object version x location) to verify. */
struct catalog_audit_copy {
	int64_t copy_id, version_id, location_id;
	char *ident;              /* object identifier */
	int version;
	int64_t cycle;            /* the copy's current verification cycle */
	char *status;             /* "ok", "damaged", ... */
	char *last_verified;      /* NULL if never */
	uint64_t files;           /* payload files of the version */
};

/* Which copies: every copy (IDENT NULL, DUE_BEFORE NULL), the copies of
 * IDENT, or those due: never verified, verified before DUE_BEFORE (ISO
 * 8601 UTC), or not "ok" when last audited. Oldest verification first. */
int catalog_audit_copies(struct catalog *c, const char *ident,
			 const char *due_before, struct catalog_audit_copy **out,
			 size_t *n, struct custos_err *err);
void catalog_audit_copies_free(struct catalog_audit_copy *v, size_t n);

/* One catalog file of a copy. */
struct catalog_audit_file {
	int64_t id;
	char *path;               /* "data/..." */
	uint64_t size;
	digest_mask mask;         /* which digests the catalog holds */
	char *hex[DIGEST_COUNT];  /* lower-case hex; NULL when absent */
	bool pending;             /* not yet verified in the copy's cycle */
	char *last_verified;      /* NULL if never checked on its own */
};

/* Every file of copy COPY_ID; pending files first, each group oldest
 * verification first (never-checked first), then by id. */
int catalog_audit_files(struct catalog *c, int64_t copy_id,
			struct catalog_audit_file **out, size_t *n,
			struct custos_err *err);
void catalog_audit_files_free(struct catalog_audit_file *v, size_t n);

/* The result of checking one file of a copy. */
struct catalog_file_check {
	int64_t file_id;
	const char *state;        /* "verified", "changed", ... */
	bool counts;              /* counts for the cycle (not a sample) */
};
/* Record N checks of copy COPY_ID made at WHEN; those that count are
 * marked as verified in cycle CYCLE. Call inside a transaction. */
int catalog_file_checks_put(struct catalog *c, int64_t copy_id, int64_t cycle,
			    const char *when, const struct catalog_file_check *v,
			    size_t n, struct custos_err *err);

/* Set the status of copy COPY_ID. When every file of the copy has been
 * verified in its cycle, the cycle is complete: last_verified = WHEN and
 * the next cycle begins (*completed true). */
int catalog_audit_copy_done(struct catalog *c, int64_t copy_id,
			    const char *status, const char *when,
			    bool *completed, struct custos_err *err);

/* An audit run. */
struct catalog_audit_run {
	const char *started, *ended;
	uint64_t files, bytes, findings;
	bool budget_reached;
	const char *summary;      /* the JSON summary */
};
int catalog_audit_run_add(struct catalog *c, const char *started, int64_t *id,
			  struct custos_err *err);
int catalog_audit_run_end(struct catalog *c, int64_t id,
			  const struct catalog_audit_run *r,
			  struct custos_err *err);

#endif
