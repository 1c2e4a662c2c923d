/*
 * preserve/catalog/catalog_audit.c - the auditor's catalog reads and writes: due
 * copies, a copy's files with digests and cycle position, per-file check
 * results (file_checks), copy status and cycle completion, audit runs.
 */
#include "preserve/catalog/catalog_audit.h"
#include "preserve/catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

static int prepare(struct catalog *c, const char *sql, sqlite3_stmt **st,
		   struct custos_err *err)
{
	if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK)
		return catalog_sqlerr(c, "preparing an audit statement", err);
	return 0;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int copy_row(sqlite3_stmt *st, struct catalog_audit_copy *cp)
{
	cp->copy_id = sqlite3_column_int64(st, 0);
	cp->version_id = sqlite3_column_int64(st, 1);
	cp->location_id = sqlite3_column_int64(st, 2);
	cp->ident = dup_col(st, 3);
	cp->version = sqlite3_column_int(st, 4);
	cp->cycle = sqlite3_column_int64(st, 5);
	cp->status = dup_col(st, 6);
	cp->last_verified = dup_col(st, 7);
	cp->files = (uint64_t)sqlite3_column_int64(st, 8);
	return cp->ident && cp->status &&
	       (cp->last_verified || sqlite3_column_type(st, 7) == SQLITE_NULL) ? 0 : -1;
}

int catalog_audit_copies(struct catalog *c, const char *ident,
			 const char *due_before, struct catalog_audit_copy **out,
			 size_t *n, struct custos_err *err)
{
	static const char sql[] =
		"SELECT c.id, c.version_id, c.location_id, o.ident, v.number,"
		" c.cycle, c.status, c.last_verified, v.files FROM copies c"
		" JOIN versions v ON v.id = c.version_id"
		" JOIN objects o ON o.id = v.object_id"
		" WHERE (?1 IS NULL OR o.ident = ?1) AND (?2 IS NULL OR"
		" c.last_verified IS NULL OR c.last_verified < ?2 OR c.status <> 'ok')"
		" ORDER BY c.last_verified IS NOT NULL, c.last_verified, c.id";
	struct catalog_audit_copy *v = NULL;
	size_t cap = 0, k = 0;
	sqlite3_stmt *st;
	int rc;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	bind_opt(st, 1, ident);
	bind_opt(st, 2, due_before);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (k == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct catalog_audit_copy *g = realloc(v, ncap * sizeof(*g));

			if (!g)
				goto nomem;
			v = g;
			cap = ncap;
		}
		memset(&v[k], 0, sizeof(v[k]));
		if (copy_row(st, &v[k++]) < 0)
			goto nomem;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		catalog_audit_copies_free(v, k);
		return catalog_sqlerr(c, "selecting copies to audit", err);
	}
	*out = v;
	*n = k;
	return 0;
nomem:
	sqlite3_finalize(st);
	catalog_audit_copies_free(v, k);
	return err_nomem(err);
}

void catalog_audit_copies_free(struct catalog_audit_copy *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].ident);
		free(v[i].status);
		free(v[i].last_verified);
	}
	free(v);
}

/* Columns 4.. of the file query: the digests in enum digest_alg order. */
static int file_row(sqlite3_stmt *st, struct catalog_audit_file *f)
{
	f->id = sqlite3_column_int64(st, 0);
	f->path = dup_col(st, 1);
	f->size = (uint64_t)sqlite3_column_int64(st, 2);
	f->pending = sqlite3_column_int(st, 3) != 0;
	f->last_verified = dup_col(st, 4);
	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (sqlite3_column_type(st, 5 + a) == SQLITE_NULL)
			continue;
		if (!(f->hex[a] = dup_col(st, 5 + a)))
			return -1;
		f->mask |= DIGEST_BIT(a);
	}
	return f->path ? 0 : -1;
}

int catalog_audit_files(struct catalog *c, int64_t copy_id,
			struct catalog_audit_file **out, size_t *n,
			struct custos_err *err)
{
	static const char sql[] =
		"SELECT f.id, f.path, f.size,"
		" (fc.cycle IS NULL OR fc.cycle < cp.cycle) AS pending,"
		" fc.last_verified, f.md5, f.sha1, f.sha224, f.sha256, f.sha384,"
		" f.sha512, f.blake2b512 FROM copies cp"
		" JOIN files f ON f.version_id = cp.version_id"
		" LEFT JOIN file_checks fc ON fc.copy_id = cp.id AND fc.file_id = f.id"
		" WHERE cp.id = ?1"
		" ORDER BY pending DESC, fc.last_verified IS NOT NULL,"
		" fc.last_verified, f.id";
	struct catalog_audit_file *v = NULL;
	size_t cap = 0, k = 0;
	sqlite3_stmt *st;
	int rc;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, copy_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (k == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct catalog_audit_file *g = realloc(v, ncap * sizeof(*g));

			if (!g)
				goto nomem;
			v = g;
			cap = ncap;
		}
		memset(&v[k], 0, sizeof(v[k]));
		if (file_row(st, &v[k++]) < 0)
			goto nomem;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		catalog_audit_files_free(v, k);
		return catalog_sqlerr(c, "reading the files of a copy", err);
	}
	*out = v;
	*n = k;
	return 0;
nomem:
	sqlite3_finalize(st);
	catalog_audit_files_free(v, k);
	return err_nomem(err);
}

void catalog_audit_files_free(struct catalog_audit_file *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].last_verified);
		for (int a = 0; a < DIGEST_COUNT; a++)
			free(v[i].hex[a]);
	}
	free(v);
}

int catalog_file_checks_put(struct catalog *c, int64_t copy_id, int64_t cycle,
			    const char *when, const struct catalog_file_check *v,
			    size_t n, struct custos_err *err)
{
	static const char sql[] =
		"INSERT INTO file_checks(file_id, copy_id, last_verified, state, cycle)"
		" VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(copy_id, file_id) DO UPDATE"
		" SET last_verified = ?3, state = ?4, cycle = MAX(cycle, ?5)";
	sqlite3_stmt *st;
	int rc = 0;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, v[i].file_id);
		sqlite3_bind_int64(st, 2, copy_id);
		sqlite3_bind_text(st, 3, when, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, v[i].state, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, v[i].counts ? cycle : 0);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = catalog_sqlerr(c, "recording a file check", err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int exec_bound(struct catalog *c, const char *sql, int64_t id,
		      const char *a, const char *b, const char *what,
		      struct custos_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_opt(st, 2, a);
	bind_opt(st, 3, b);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : catalog_sqlerr(c, what, err);
}

int catalog_audit_copy_done(struct catalog *c, int64_t copy_id,
			    const char *status, const char *when,
			    bool *completed, struct custos_err *err)
{
	static const char close_sql[] =
		"UPDATE copies SET status = ?2, last_verified = ?3, cycle = cycle + 1"
		" WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM files f"
		" LEFT JOIN file_checks fc ON fc.copy_id = ?1 AND fc.file_id = f.id"
		" WHERE f.version_id = copies.version_id"
		" AND (fc.cycle IS NULL OR fc.cycle < copies.cycle))";

	if (exec_bound(c, close_sql, copy_id, status, when, "closing an audit cycle",
		       err) < 0)
		return -1;
	*completed = sqlite3_changes(c->db) > 0;
	if (*completed)
		return 0;
	return exec_bound(c, "UPDATE copies SET status = ?2 WHERE id = ?1", copy_id,
			  status, NULL, "setting a copy's status", err);
}

int catalog_audit_run_add(struct catalog *c, const char *started, int64_t *id,
			  struct custos_err *err)
{
	if (exec_bound(c, "INSERT INTO audit_runs(started) VALUES(?2)", 0, started,
		       NULL, "recording an audit run", err) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

int catalog_audit_run_end(struct catalog *c, int64_t id,
			  const struct catalog_audit_run *r,
			  struct custos_err *err)
{
	static const char sql[] =
		"UPDATE audit_runs SET ended = ?2, files = ?3, bytes = ?4,"
		" findings = ?5, budget_reached = ?6, summary = ?7 WHERE id = ?1";
	sqlite3_stmt *st;
	int rc;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	bind_opt(st, 2, r->ended);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)r->files);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)r->bytes);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)r->findings);
	sqlite3_bind_int(st, 6, r->budget_reached);
	bind_opt(st, 7, r->summary);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : catalog_sqlerr(c, "ending an audit run", err);
}
