/*
 * preserve/catalog/catalog_audit.c - the auditor's catalog reads and writes: due
 * copies, a copy's files with digests and cycle position, per-file check
 * results (file_checks), copy status and cycle completion, audit runs.
 */
#include "preserve/catalog/catalog_audit.h"
#include "preserve/catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

static int prepare(struct catalog *c, const char *sql,
		   struct catalog_db_stmt **st, struct custos_err *err)
{
	if (c->ops->prepare(c->db, sql, false, st) < 0)
		return catalog_dberr(c, "preparing an audit statement", err);
	return 0;
}

static int copy_row(struct catalog *c, struct catalog_db_stmt *st,
		    struct catalog_audit_copy *cp)
{
	bool oom = false;

	cp->copy_id = c->ops->column_int64(st, 0);
	cp->version_id = c->ops->column_int64(st, 1);
	cp->location_id = c->ops->column_int64(st, 2);
	cp->ident = catalog_column_dup(c, st, 3, &oom);
	cp->version = (int)c->ops->column_int64(st, 4);
	cp->cycle = c->ops->column_int64(st, 5);
	cp->status = catalog_column_dup(c, st, 6, &oom);
	cp->last_verified = catalog_column_dup(c, st, 7, &oom);
	cp->files = (uint64_t)c->ops->column_int64(st, 8);
	return cp->ident && cp->status && !oom ? 0 : -1;
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
	struct catalog_db_stmt *st;
	int rc;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, ident);
	c->ops->bind_text(st, 2, due_before);
	while ((rc = c->ops->step(st)) == 1) {
		if (k == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			struct catalog_audit_copy *g = realloc(v, ncap * sizeof(*g));

			if (!g)
				goto nomem;
			v = g;
			cap = ncap;
		}
		memset(&v[k], 0, sizeof(v[k]));
		if (copy_row(c, st, &v[k++]) < 0)
			goto nomem;
	}
	if (rc < 0) {
		catalog_dberr(c, "selecting copies to audit", err);
		c->ops->finalize(st);
		catalog_audit_copies_free(v, k);
		return -1;
	}
	c->ops->finalize(st);
	*out = v;
	*n = k;
	return 0;
nomem:
	c->ops->finalize(st);
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
static int file_row(struct catalog *c, struct catalog_db_stmt *st,
		    struct catalog_audit_file *f)
{
	bool oom = false;

	f->id = c->ops->column_int64(st, 0);
	f->path = catalog_column_dup(c, st, 1, &oom);
	f->size = (uint64_t)c->ops->column_int64(st, 2);
	f->pending = c->ops->column_int64(st, 3) != 0;
	f->last_verified = catalog_column_dup(c, st, 4, &oom);
	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (c->ops->column_null(st, 5 + a))
			continue;
		if (!(f->hex[a] = catalog_column_dup(c, st, 5 + a, &oom)))
			return -1;
		f->mask |= DIGEST_BIT(a);
	}
	return f->path && !oom ? 0 : -1;
}

int catalog_audit_files(struct catalog *c, int64_t copy_id,
			struct catalog_audit_file **out, size_t *n,
			struct custos_err *err)
{
	static const char sql[] =
		"SELECT f.id, f.path, f.size,"
		" CASE WHEN fc.cycle IS NULL OR fc.cycle < cp.cycle THEN 1 ELSE 0 END"
		" AS pending,"
		" fc.last_verified, f.md5, f.sha1, f.sha224, f.sha256, f.sha384,"
		" f.sha512, f.blake2b512 FROM copies cp"
		" JOIN files f ON f.version_id = cp.version_id"
		" LEFT JOIN file_checks fc ON fc.copy_id = cp.id AND fc.file_id = f.id"
		" WHERE cp.id = ?1"
		" ORDER BY pending DESC, fc.last_verified IS NOT NULL,"
		" fc.last_verified, f.id";
	struct catalog_audit_file *v = NULL;
	size_t cap = 0, k = 0;
	struct catalog_db_stmt *st;
	int rc;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, copy_id);
	while ((rc = c->ops->step(st)) == 1) {
		if (k == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct catalog_audit_file *g = realloc(v, ncap * sizeof(*g));

			if (!g)
				goto nomem;
			v = g;
			cap = ncap;
		}
		memset(&v[k], 0, sizeof(v[k]));
		if (file_row(c, st, &v[k++]) < 0)
			goto nomem;
	}
	if (rc < 0) {
		catalog_dberr(c, "reading the files of a copy", err);
		c->ops->finalize(st);
		catalog_audit_files_free(v, k);
		return -1;
	}
	c->ops->finalize(st);
	*out = v;
	*n = k;
	return 0;
nomem:
	c->ops->finalize(st);
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
		" SET last_verified = ?3, state = ?4, cycle = CASE WHEN"
		" file_checks.cycle > ?5 THEN file_checks.cycle ELSE ?5 END";
	struct catalog_db_stmt *st;
	int rc = 0;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		c->ops->reset(st);
		c->ops->bind_int64(st, 1, v[i].file_id);
		c->ops->bind_int64(st, 2, copy_id);
		c->ops->bind_text(st, 3, when);
		c->ops->bind_text(st, 4, v[i].state);
		c->ops->bind_int64(st, 5, v[i].counts ? cycle : 0);
		if (c->ops->step(st) < 0)
			rc = catalog_dberr(c, "recording a file check", err);
	}
	c->ops->finalize(st);
	return rc;
}

/* Run SQL once with ?1 = ID and the texts A (?2) and B (?3) when given;
 * *CHANGES the rows it changed (may be NULL). */
static int exec_bound(struct catalog *c, const char *sql, int64_t id,
		      const char *a, const char *b, int64_t *changes,
		      const char *what, struct custos_err *err)
{
	struct catalog_db_stmt *st;
	int rc;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, id);
	if (a)
		c->ops->bind_text(st, 2, a);
	if (b)
		c->ops->bind_text(st, 3, b);
	rc = c->ops->step(st);
	if (rc < 0)
		catalog_dberr(c, what, err);
	else if (changes)
		*changes = c->ops->changes(c->db);
	c->ops->finalize(st);
	return rc < 0 ? -1 : 0;
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

	int64_t changed = 0;

	if (exec_bound(c, close_sql, copy_id, status, when, &changed,
		       "closing an audit cycle", err) < 0)
		return -1;
	*completed = changed > 0;
	if (*completed)
		return 0;
	return exec_bound(c, "UPDATE copies SET status = ?2 WHERE id = ?1", copy_id,
			  status, NULL, NULL, "setting a copy's status", err);
}

int catalog_audit_run_add(struct catalog *c, const char *started, int64_t *id,
			  struct custos_err *err)
{
	struct catalog_db_stmt *st;
	int rc;

	if (prepare(c, "INSERT INTO audit_runs(started) VALUES(?1) RETURNING id",
		    &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, started);
	rc = c->ops->step(st);
	if (rc == 1)
		*id = c->ops->column_int64(st, 0);
	if (rc == 1)
		rc = c->ops->step(st);
	if (rc < 0)
		catalog_dberr(c, "recording an audit run", err);
	c->ops->finalize(st);
	return rc < 0 ? -1 : 0;
}

int catalog_audit_run_end(struct catalog *c, int64_t id,
			  const struct catalog_audit_run *r,
			  struct custos_err *err)
{
	static const char sql[] =
		"UPDATE audit_runs SET ended = ?2, files = ?3, bytes = ?4,"
		" findings = ?5, budget_reached = ?6, summary = ?7 WHERE id = ?1";
	struct catalog_db_stmt *st;
	int rc;

	if (prepare(c, sql, &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, id);
	c->ops->bind_text(st, 2, r->ended);
	c->ops->bind_int64(st, 3, (int64_t)r->files);
	c->ops->bind_int64(st, 4, (int64_t)r->bytes);
	c->ops->bind_int64(st, 5, (int64_t)r->findings);
	c->ops->bind_int64(st, 6, r->budget_reached);
	c->ops->bind_text(st, 7, r->summary);
	rc = c->ops->step(st);
	if (rc < 0)
		catalog_dberr(c, "ending an audit run", err);
	c->ops->finalize(st);
	return rc < 0 ? -1 : 0;
}
