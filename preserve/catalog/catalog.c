/*
 * preserve/catalog/catalog.c - the catalog handle: choosing the backend from
 * where the catalog is, opening it and bringing its schema up to date,
 * transactions, the cache of prepared statements, error messages, and the
 * generic read (catalog_query). Named operations live in catalog_rows.c,
 * catalog_events.c and catalog_audit.c; SQLite in catalog_sqlite.c.
 */
#include "preserve/catalog/catalog_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Where the catalog is -> its backend. A file path is SQLite. */
static const struct {
	const char *prefix;
	const struct catalog_db_ops *ops;      /* NULL: not built yet */
} backends[] = {
	{ "postgresql://", NULL },
	{ "postgres://", NULL },
};

static int backend_for(const struct catalog_db_ops **out, const char *where,
		       struct custos_err *err)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		if (strncmp(where, backends[i].prefix, strlen(backends[i].prefix)))
			continue;
		/* the address may hold a password: never repeat it */
		if (!backends[i].ops)
			return err_set(err, CUSTOS_EUSAGE, NULL,
				       "cannot open the catalog at a %s address: "
				       "PostgreSQL catalogs are not supported yet",
				       backends[i].prefix);
		*out = backends[i].ops;
		return 0;
	}
	*out = &catalog_sqlite;
	return 0;
}

int catalog_dberr(struct catalog *c, const char *what, struct custos_err *err)
{
	switch (c->ops->failure(c->db)) {
	case CATALOG_DB_FULL:
		return err_set(err, CUSTOS_EIO, c->path,
			       "catalog '%s': %s: the disk is full", c->path, what);
	case CATALOG_DB_BUSY:
		return err_set(err, CUSTOS_EIO, c->path,
			       "catalog '%s' is busy: another custos process holds it (%s)",
			       c->path, what);
	default:
		return err_set(err, CUSTOS_EIO, c->path, "catalog '%s': %s: %s",
			       c->path, what, c->ops->errmsg(c->db));
	}
}

void catalog_now(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A failed transaction or schema statement: the database's own words. */
static int txerr(struct catalog *c, struct custos_err *err)
{
	return err_set(err, CUSTOS_EIO, c->path, "catalog '%s': %s", c->path,
		       c->ops->errmsg(c->db));
}

static int migrate(struct catalog *c, struct custos_err *err)
{
	int have = 0, want = c->ops->nsteps;

	if (catalog_begin(c, err) < 0)
		return -1;
	if (c->ops->schema_version(c->db, &have) < 0) {
		catalog_dberr(c, "reading the schema version", err);
		goto fail;
	}
	if (have > want) {
		err_set(err, CUSTOS_EUSAGE, c->path,
			"catalog '%s' has schema %d, newer than this custos (%d)",
			c->path, have, want);
		goto fail;
	}
	for (int v = have; v < want; v++) {
		if (c->ops->schema_step(c->db, v + 1) < 0) {
			txerr(c, err);
			goto fail;
		}
	}
	return catalog_commit(c, err);
fail:
	catalog_rollback(c);
	return -1;
}

int catalog_open(struct catalog **out, const char *where, bool create,
		 struct custos_err *err)
{
	const struct catalog_db_ops *ops;
	struct catalog *c;

	if (backend_for(&ops, where, err) < 0)
		return -1;
	if (!(c = calloc(1, sizeof(*c))) || !(c->path = strdup(where))) {
		free(c);
		return err_nomem(err);
	}
	c->ops = ops;
	if (ops->open(&c->db, where, create, CATALOG_BUSY_MS, err) < 0 ||
	    migrate(c, err) < 0) {
		catalog_close(c);
		return -1;
	}
	*out = c;
	return 0;
}

void catalog_close(struct catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < sizeof(c->stmts) / sizeof(c->stmts[0]); i++)
		c->ops->finalize(c->stmts[i]);
	if (c->db)
		c->ops->close(c->db);
	free(c->path);
	free(c);
}

int catalog_begin(struct catalog *c, struct custos_err *err)
{
	return c->ops->begin(c->db) < 0 ? txerr(c, err) : 0;
}

int catalog_commit(struct catalog *c, struct custos_err *err)
{
	return c->ops->commit(c->db) < 0 ? txerr(c, err) : 0;
}

void catalog_rollback(struct catalog *c)
{
	c->ops->rollback(c->db);
}

int catalog_stmt(struct catalog *c, enum catalog_stmt_id id, const char *sql,
		 struct catalog_db_stmt **out, struct custos_err *err)
{
	if (!c->stmts[id] && c->ops->prepare(c->db, sql, true, &c->stmts[id]) < 0) {
		c->stmts[id] = NULL;
		return catalog_dberr(c, "preparing a statement", err);
	}
	c->ops->reset(c->stmts[id]);
	*out = c->stmts[id];
	return 0;
}

int catalog_prepare(struct catalog *c, const char *sql,
		    struct catalog_db_stmt **out, struct custos_err *err)
{
	if (c->ops->prepare(c->db, sql, false, out) < 0)
		return catalog_dberr(c, "preparing a statement", err);
	return 0;
}

int catalog_step(struct catalog *c, struct catalog_db_stmt *st,
		 const char *what, struct custos_err *err)
{
	int rc = c->ops->step(st);

	return rc < 0 ? catalog_dberr(c, what, err) : rc;
}

int catalog_step_done(struct catalog *c, struct catalog_db_stmt *st,
		      const char *what, struct custos_err *err)
{
	int rc = c->ops->step(st);

	c->ops->reset(st);
	return rc < 0 ? catalog_dberr(c, what, err) : 0;
}

char *catalog_column_dup(struct catalog *c, struct catalog_db_stmt *st, int i,
			 bool *oom)
{
	const char *t = c->ops->column_text(st, i);
	char *s;

	if (!t)
		return NULL;
	if (!(s = strdup(t)))
		*oom = true;
	return s;
}

int catalog_query(struct catalog *c, const char *sql, const char *const *params,
		  int nparams, catalog_row_fn fn, void *arg,
		  struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc, ncols;

	if (c->ops->prepare(c->db, sql, false, &st) < 0)
		return catalog_dberr(c, "preparing a query", err);
	if (!c->ops->readonly(st)) {
		c->ops->finalize(st);
		return err_set(err, CUSTOS_EINTERNAL, NULL, "catalog_query is read-only");
	}
	for (int i = 0; i < nparams; i++)
		c->ops->bind_text(st, i + 1, params[i]);
	ncols = c->ops->column_count(st);
	while ((rc = c->ops->step(st)) == 1) {
		const char *vals[64], *names[64];
		int n = ncols < 64 ? ncols : 64;

		for (int i = 0; i < n; i++) {
			vals[i] = c->ops->column_text(st, i);
			names[i] = c->ops->column_name(st, i);
		}
		if (fn(arg, n, vals, names)) {
			rc = 0;
			break;
		}
	}
	if (rc < 0)
		catalog_dberr(c, "running a query", err);
	c->ops->finalize(st);
	return rc < 0 ? -1 : 0;
}
