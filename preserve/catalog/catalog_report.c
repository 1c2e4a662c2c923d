/*
 * preserve/catalog/catalog_report.c - the evidence report's figures read
 * from the catalog's tables (catalog_report.h). Read-only: every
 * statement is a SELECT, run inside the caller's snapshot.
 */
#include "preserve/catalog/catalog_read_int.h"

#include <stdio.h>
#include <string.h>

/* file_checks.state of a file found intact */
#define GOOD_STATE "('ok', 'verified')"

/* One row per file copy: a file of a version in a location, with its
 * copy's status, its audit check and its last verification; fresh is
 * 1, 0 or NULL (never verified) against the cutoff, the one parameter. */
#define FILE_COPIES \
	"SELECT o.ident AS object, v.number AS version, l.name AS location," \
	" f.path AS path, f.id AS fid, c.status AS cs, k.state AS st," \
	" k.file_id IS NOT NULL AS by_audit," \
	" COALESCE(k.last_verified, c.last_verified) AS lv," \
	" (c.status = 'ok' AND COALESCE(k.last_verified, c.last_verified) >= ?" \
	"  AND (k.state IS NULL OR k.state IN " GOOD_STATE ")) AS fresh" \
	" FROM files f JOIN versions v ON v.id = f.version_id" \
	" JOIN objects o ON o.id = v.object_id" \
	" JOIN copies c ON c.version_id = f.version_id" \
	" JOIN locations l ON l.id = c.location_id" \
	" LEFT JOIN file_checks k ON k.file_id = f.id AND k.copy_id = c.id"

/* A read transaction: no write happens in it, so COMMIT ends it like a
 * rollback would. */
static void end_read(struct catalog *c)
{
	struct custos_err ignored;

	catalog_query(c, "COMMIT", NULL, 0, NULL, NULL, &ignored);
}

int catalog_snapshot_begin(struct catalog *c, struct custos_err *err)
{
	int64_t n;

	/* the first read after BEGIN fixes the snapshot every later read sees */
	if (catalog_query(c, "BEGIN", NULL, 0, NULL, NULL, err) < 0)
		return -1;
	if (catalog_count(c, "SELECT COUNT(*) FROM events", NULL, 0, &n, err) < 0) {
		end_read(c);
		return -1;
	}
	return 0;
}

void catalog_snapshot_end(struct catalog *c)
{
	end_read(c);
}

static int holdings_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct catalog_holdings *h = arg;

	(void)names;
	if (n < 7)
		return 1;
	h->objects = catalog_col_int(v[0]);
	h->versions = catalog_col_int(v[1]);
	h->files = catalog_col_int(v[2]);
	h->bytes = catalog_col_int(v[3]);
	h->copies = catalog_col_int(v[4]);
	h->copies_ok = catalog_col_int(v[5]);
	h->versions_meeting = catalog_col_int(v[6]);
	return 1;
}

int catalog_report_holdings(struct catalog *c, unsigned copies_required,
			    struct catalog_holdings *out, struct custos_err *err)
{
	char req[24];
	const char *p[1] = { req };

	memset(out, 0, sizeof(*out));
	snprintf(req, sizeof(req), "%u", copies_required);
	return catalog_query(c, "SELECT (SELECT COUNT(*) FROM objects),"
			     " (SELECT COUNT(*) FROM versions), (SELECT COUNT(*) FROM files),"
			     " (SELECT COALESCE(SUM(size), 0) FROM files),"
			     " (SELECT COUNT(*) FROM copies),"
			     " (SELECT COUNT(*) FROM copies WHERE status = 'ok'),"
			     " (SELECT COUNT(*) FROM versions v WHERE (SELECT COUNT(*) FROM copies c"
			     "  WHERE c.version_id = v.id AND c.status = 'ok') >= CAST(? AS INTEGER))",
			     p, 1, holdings_row, out, err);
}

struct location_walk {
	catalog_location_holdings_fn fn;
	void *arg;
	int stop;
};

static int location_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct location_walk *w = arg;
	struct catalog_location_holdings l = {
		.name = v[0], .type = v[1], .location = v[2], .region = v[3],
		.threat = v[4], .media = v[5], .copies = catalog_col_int(v[6]),
		.copies_ok = catalog_col_int(v[7]), .files = catalog_col_int(v[8]),
		.bytes = catalog_col_int(v[9]),
	};

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, &l);
}

int catalog_report_locations(struct catalog *c, catalog_location_holdings_fn fn,
			     void *arg, struct custos_err *err)
{
	struct location_walk w = { fn, arg, 0 };

	if (catalog_query(c, "SELECT l.name, l.type, l.location, l.region, l.threat, l.media,"
			  " COUNT(c.id), COALESCE(SUM(c.status = 'ok'), 0),"
			  " COALESCE(SUM(v.files), 0), COALESCE(SUM(v.bytes), 0)"
			  " FROM locations l LEFT JOIN copies c ON c.location_id = l.id"
			  " LEFT JOIN versions v ON v.id = c.version_id GROUP BY l.id ORDER BY l.id",
			  NULL, 0, location_row, &w, err) < 0)
		return -1;
	return w.stop;
}

struct below_walk {
	catalog_version_copies_fn fn;
	void *arg;
	int stop;
};

static int below_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct below_walk *w = arg;
	struct catalog_version_copies vc = {
		.object = v[0], .version = catalog_col_int(v[1]),
		.copies_ok = catalog_col_int(v[2]),
	};

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, &vc);
}

int catalog_report_versions_below(struct catalog *c, unsigned copies_required,
				  size_t limit, catalog_version_copies_fn fn, void *arg,
				  struct custos_err *err)
{
	char req[24], lim[24];
	const char *p[2] = { req, lim };
	struct below_walk w = { fn, arg, 0 };

	snprintf(req, sizeof(req), "%u", copies_required);
	snprintf(lim, sizeof(lim), "%zu", limit);
	if (catalog_query(c, "SELECT o.ident, v.number, COUNT(c.id) FROM versions v"
			  " JOIN objects o ON o.id = v.object_id LEFT JOIN copies c"
			  " ON c.version_id = v.id AND c.status = 'ok' GROUP BY v.id, o.ident, v.number"
			  " HAVING COUNT(c.id) < CAST(? AS INTEGER) ORDER BY o.ident, v.number"
			  " LIMIT CAST(? AS INTEGER)", p, 2, below_row, &w, err) < 0)
		return -1;
	return w.stop;
}

static void copy_time(char out[32], const char *v)
{
	snprintf(out, 32, "%s", v ? v : "");
}

static int coverage_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct catalog_coverage *cov = arg;

	(void)names;
	if (n < 8)
		return 1;
	cov->file_copies = catalog_col_int(v[0]);
	cov->fresh = catalog_col_int(v[1]);
	cov->fresh_by_audit = catalog_col_int(v[2]);
	cov->fresh_at_write = catalog_col_int(v[3]);
	cov->never_verified = catalog_col_int(v[4]);
	cov->with_audit_record = catalog_col_int(v[5]);
	copy_time(cov->oldest, v[6]);
	copy_time(cov->newest, v[7]);
	return 1;
}

static int files_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct catalog_coverage *cov = arg;

	(void)names;
	if (n < 2)
		return 1;
	cov->files = catalog_col_int(v[0]);
	cov->files_all_fresh = catalog_col_int(v[1]);
	return 1;
}

int catalog_report_coverage(struct catalog *c, const char *cutoff,
			    struct catalog_coverage *out, struct custos_err *err)
{
	const char *p[1] = { cutoff };

	memset(out, 0, sizeof(*out));
	if (catalog_query(c, "SELECT COUNT(*), COALESCE(SUM(fresh), 0),"
			  " COALESCE(SUM(fresh AND by_audit), 0),"
			  " COALESCE(SUM(fresh AND NOT by_audit), 0),"
			  " COALESCE(SUM(lv IS NULL), 0), COALESCE(SUM(by_audit), 0),"
			  " MIN(lv), MAX(lv) FROM (" FILE_COPIES ") fc",
			  p, 1, coverage_row, out, err) < 0)
		return -1;
	/* MIN skips NULL: a never-verified copy does not spoil its file */
	return catalog_query(c, "SELECT COUNT(*), COALESCE(SUM(fresh), 0) FROM"
			     " (SELECT fid, MIN(fresh) AS fresh FROM (" FILE_COPIES ") fc"
			     " GROUP BY fid) ff", p, 1, files_row, out, err);
}

struct stale_walk {
	catalog_stale_copy_fn fn;
	void *arg;
	int stop;
};

static int stale_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct stale_walk *w = arg;
	struct catalog_stale_copy s = {
		.object = v[0], .version = catalog_col_int(v[1]), .location = v[2],
		.path = v[3], .last_verified = v[4],
		.reason = (enum catalog_stale_reason)catalog_col_int(v[5]),
		.copy_status = v[6], .check_state = v[7],
	};

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, &s);
}

/* The first reason that applies, as the enum's numbers. */
#define STALE_REASON \
	"CASE WHEN cs <> 'ok' THEN 0" \
	" WHEN st IS NOT NULL AND st NOT IN " GOOD_STATE " THEN 1" \
	" WHEN lv IS NULL THEN 2 ELSE 3 END"
_Static_assert(CATALOG_STALE_COPY_STATUS == 0 && CATALOG_STALE_CHECK_FAILED == 1 &&
	       CATALOG_STALE_NEVER == 2 && CATALOG_STALE_BEFORE_CUTOFF == 3,
	       "STALE_REASON yields the enum's numbers");

int catalog_report_stale_copies(struct catalog *c, const char *cutoff, size_t limit,
				catalog_stale_copy_fn fn, void *arg,
				struct custos_err *err)
{
	char lim[24];
	const char *p[2] = { cutoff, lim };
	struct stale_walk w = { fn, arg, 0 };

	snprintf(lim, sizeof(lim), "%zu", limit);
	if (catalog_query(c, "SELECT object, version, location, path, lv, " STALE_REASON
			  ", cs, st FROM (" FILE_COPIES ") fc WHERE NOT fresh"
			  " ORDER BY lv IS NOT NULL, lv, object, path LIMIT CAST(? AS INTEGER)",
			  p, 2, stale_row, &w, err) < 0)
		return -1;
	return w.stop;
}

struct finding_walk {
	catalog_file_finding_fn fn;
	void *arg;
	int stop;
};

static int finding_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct finding_walk *w = arg;
	struct catalog_file_finding f = {
		.object = v[0], .version = catalog_col_int(v[1]), .location = v[2],
		.path = v[3], .state = v[4], .last_verified = v[5],
	};

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, &f);
}

int catalog_report_open_findings(struct catalog *c, size_t limit,
				 catalog_file_finding_fn fn, void *arg,
				 struct custos_err *err)
{
	char lim[24];
	const char *p[1] = { lim };
	struct finding_walk w = { fn, arg, 0 };

	snprintf(lim, sizeof(lim), "%zu", limit);
	if (catalog_query(c, "SELECT o.ident, v.number, l.name, f.path, k.state,"
			  " k.last_verified FROM file_checks k"
			  " JOIN files f ON f.id = k.file_id JOIN copies c ON c.id = k.copy_id"
			  " JOIN versions v ON v.id = f.version_id JOIN objects o ON o.id = v.object_id"
			  " JOIN locations l ON l.id = c.location_id"
			  " WHERE k.state IS NOT NULL AND k.state NOT IN " GOOD_STATE
			  " ORDER BY o.ident, f.path LIMIT CAST(? AS INTEGER)",
			  p, 1, finding_row, &w, err) < 0)
		return -1;
	return w.stop;
}

struct format_walk {
	catalog_format_fn fn;
	void *arg;
	int stop;
};

static int format_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct format_walk *w = arg;
	struct catalog_format_count f = {
		.puid = v[0], .name = v[1], .files = catalog_col_int(v[2]),
		.bytes = catalog_col_int(v[3]),
	};

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, &f);
}

int catalog_report_formats(struct catalog *c, catalog_format_fn fn, void *arg,
			   struct custos_err *err)
{
	struct format_walk w = { fn, arg, 0 };

	if (catalog_query(c, "SELECT puid, format_name, COUNT(*), SUM(size) FROM files"
			  " GROUP BY puid ORDER BY COUNT(*) DESC, puid", NULL, 0,
			  format_row, &w, err) < 0)
		return -1;
	return w.stop;
}

struct run_walk {
	catalog_audit_run_fn fn;
	void *arg;
	int stop;
};

static int run_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct run_walk *w = arg;
	struct catalog_audit_run_record r = {
		.run = catalog_col_int(v[0]), .started = v[1], .ended = v[2],
		.files = catalog_col_maybe(v[3]), .bytes = catalog_col_maybe(v[4]),
		.findings = catalog_col_maybe(v[5]), .budget_reached = catalog_col_maybe(v[6]),
		.summary = v[7], .seconds = catalog_col_maybe(v[8]),
		.bytes_per_second = catalog_col_maybe(v[9]),
	};

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, &r);
}

int catalog_report_audit_runs(struct catalog *c, const char *since,
			      catalog_audit_run_fn fn, void *arg, struct custos_err *err)
{
	const char *p[1] = { since };
	struct run_walk w = { fn, arg, 0 };

	if (catalog_query(c, "SELECT id, started, ended, files, bytes, findings, budget_reached,"
			  " summary, CAST(strftime('%s', ended) - strftime('%s', started) AS INTEGER),"
			  " bytes / MAX(CAST(strftime('%s', ended) - strftime('%s', started)"
			  " AS INTEGER), 1) FROM audit_runs WHERE started >= ? ORDER BY id",
			  p, 1, run_row, &w, err) < 0)
		return -1;
	return w.stop;
}
