/*
 * preserve/catalog/catalog_report.h - the figures of the evidence report, as
 * the catalog holds them: a read snapshot, the policy history, holdings
 * per repository and location, coverage of verification in a period,
 * open per-file findings, formats by PUID and audit runs.
 *
 * Walks call FN once per row with values borrowed for the call; FN
 * returns 0 to go on, anything else stops the walk and is returned.
 * Otherwise the walk returns 0, or -1 with ERR set.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_REPORT_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "preserve/catalog/catalog.h"

/* An integer the catalog may not know (SQL NULL). */
struct catalog_maybe_int {
	int64_t value;            /* 0 when unknown */
	bool known;
};

/* A read snapshot: every read until catalog_snapshot_end sees the
 * catalog as it was at the start (writers go on meanwhile). */
int catalog_snapshot_begin(struct catalog *c, struct custos_err *err);
void catalog_snapshot_end(struct catalog *c);

/* One policy assignment, oldest first: the digest its event names, the
 * name and version its text gives (NULL if none), when and by which
 * event it was assigned. A -> B -> A is three rows. */
struct catalog_policy_record {
	const char *sha256;
	const char *name;
	const char *version;
	const char *assigned;     /* the event's datetime */
	const char *event;        /* the event's identifier */
};
typedef int (*catalog_policy_fn)(void *arg, const struct catalog_policy_record *p);
int catalog_policy_history(struct catalog *c, catalog_policy_fn fn, void *arg,
			   struct custos_err *err);
/* When the policy SHA256 came into force (OUT, 32 bytes): its assignment,
 * if it is the last one assigned; else *FOUND false and OUT empty. */
int catalog_policy_in_force_since(struct catalog *c, const char *sha256, char out[32],
				  bool *found, struct custos_err *err);

/* What the repository holds; versions_meeting = versions with at least
 * the required number of copies in status "ok". */
struct catalog_holdings {
	int64_t objects, versions, files, bytes, copies, copies_ok, versions_meeting;
};
int catalog_report_holdings(struct catalog *c, unsigned copies_required,
			    struct catalog_holdings *out, struct custos_err *err);

/* One location and what it holds, in the order locations were added. */
struct catalog_location_holdings {
	const char *name, *type, *location;
	const char *region, *threat, *media;   /* NULL if not declared */
	int64_t copies, copies_ok;
	int64_t files, bytes;     /* of the versions it holds copies of */
};
typedef int (*catalog_location_holdings_fn)(void *arg,
					    const struct catalog_location_holdings *l);
int catalog_report_locations(struct catalog *c, catalog_location_holdings_fn fn,
			     void *arg, struct custos_err *err);

/* An object version and its copies in status "ok". */
struct catalog_version_copies {
	const char *object;
	int64_t version;
	int64_t copies_ok;
};
typedef int (*catalog_version_copies_fn)(void *arg, const struct catalog_version_copies *v);
/* Versions with fewer than COPIES_REQUIRED "ok" copies, by object and
 * version number, at most LIMIT. */
int catalog_report_versions_below(struct catalog *c, unsigned copies_required,
				  size_t limit, catalog_version_copies_fn fn, void *arg,
				  struct custos_err *err);

/* Coverage of verification since CUTOFF (ISO 8601 UTC). The unit is the
 * file copy: one file of one version in one location. A file copy is
 * fresh when its copy is "ok" and its last verification (the audit's
 * per-file record, else the copy's verification when written) is at or
 * after CUTOFF and found it intact. */
struct catalog_coverage {
	int64_t file_copies;
	int64_t fresh;            /* verified within the interval */
	int64_t fresh_by_audit;   /* ... by an audit's per-file record */
	int64_t fresh_at_write;   /* ... by the verification when written */
	int64_t never_verified;
	int64_t with_audit_record;
	char oldest[32], newest[32];   /* last verifications; "" if none */
	int64_t files;            /* distinct files with a copy */
	int64_t files_all_fresh;  /* files whose verified copies are all fresh */
};
int catalog_report_coverage(struct catalog *c, const char *cutoff,
			    struct catalog_coverage *out, struct custos_err *err);

/* Why a file copy is not fresh. */
enum catalog_stale_reason {
	CATALOG_STALE_COPY_STATUS = 0,    /* its copy is not "ok" (copy_status) */
	CATALOG_STALE_CHECK_FAILED = 1,   /* the last check found damage (check_state) */
	CATALOG_STALE_NEVER = 2,          /* never verified */
	CATALOG_STALE_BEFORE_CUTOFF = 3,  /* last verified before the cutoff */
};
struct catalog_stale_copy {
	const char *object;
	int64_t version;
	const char *location, *path;
	const char *last_verified;    /* NULL if never */
	enum catalog_stale_reason reason;
	const char *copy_status;
	const char *check_state;      /* NULL without an audit record */
};
typedef int (*catalog_stale_copy_fn)(void *arg, const struct catalog_stale_copy *s);
/* File copies not fresh since CUTOFF, never-verified first, then oldest
 * verification, object and path; at most LIMIT. */
int catalog_report_stale_copies(struct catalog *c, const char *cutoff, size_t limit,
				catalog_stale_copy_fn fn, void *arg,
				struct custos_err *err);

/* A file whose last audit check found it damaged, by object and path. */
struct catalog_file_finding {
	const char *object;
	int64_t version;
	const char *location, *path, *state, *last_verified;
};
typedef int (*catalog_file_finding_fn)(void *arg, const struct catalog_file_finding *f);
int catalog_report_open_findings(struct catalog *c, size_t limit,
				 catalog_file_finding_fn fn, void *arg,
				 struct custos_err *err);

/* Files per identified format, most files first, then by PUID. */
struct catalog_format_count {
	const char *puid;         /* NULL: unidentified */
	const char *name;         /* a format name of the group, may be NULL */
	int64_t files, bytes;
};
typedef int (*catalog_format_fn)(void *arg, const struct catalog_format_count *f);
int catalog_report_formats(struct catalog *c, catalog_format_fn fn, void *arg,
			   struct custos_err *err);

/* An audit run started at or after SINCE, in the order they ran. The
 * figures are unknown while a run has not ended. */
struct catalog_audit_run_record {
	int64_t run;
	const char *started;
	const char *ended;        /* NULL while running */
	struct catalog_maybe_int files, bytes, findings, budget_reached;
	const char *summary;
	struct catalog_maybe_int seconds, bytes_per_second;
};
typedef int (*catalog_audit_run_fn)(void *arg, const struct catalog_audit_run_record *r);
int catalog_report_audit_runs(struct catalog *c, const char *since,
			      catalog_audit_run_fn fn, void *arg, struct custos_err *err);

#endif
