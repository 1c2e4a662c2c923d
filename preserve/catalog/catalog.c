/*
 * preserve/catalog/catalog.c - opening the catalog, migrations, transactions and
 * the rows of objects, versions, files, copies, policies and intents.
 * Events live in catalog_events.c.
 */
#include "preserve/catalog/catalog_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/strmap.h"
#include "preserve/catalog/catalog_schema.h"

int catalog_sqlerr(struct catalog *c, const char *what, struct custos_err *err)
{
	int code = sqlite3_errcode(c->db);

	if (code == SQLITE_FULL)
		return err_set(err, CUSTOS_EIO, c->path,
			       "catalog '%s': %s: the disk is full", c->path, what);
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return err_set(err, CUSTOS_EIO, c->path,
			       "catalog '%s' is busy: another custos process holds it (%s)",
			       c->path, what);
	return err_set(err, CUSTOS_EIO, c->path, "catalog '%s': %s: %s", c->path,
		       what, sqlite3_errmsg(c->db));
}

void catalog_now(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int exec(struct catalog *c, const char *sql, struct custos_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, CUSTOS_EIO, c->path, "catalog '%s': %s", c->path,
			msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int schema_version(struct catalog *c, int *out, struct custos_err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return catalog_sqlerr(c, "reading the schema version", err);
	*out = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

static int migrate(struct catalog *c, struct custos_err *err)
{
	int have = 0, want = (int)(sizeof(catalog_migrations) / sizeof(catalog_migrations[0]));

	if (catalog_begin(c, err) < 0)
		return -1;
	if (schema_version(c, &have, err) < 0)
		goto fail;
	if (have > want) {
		err_set(err, CUSTOS_EUSAGE, c->path,
			"catalog '%s' has schema %d, newer than this custos (%d)",
			c->path, have, want);
		goto fail;
	}
	for (int v = have; v < want; v++) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (exec(c, catalog_migrations[v], err) < 0 || exec(c, pragma, err) < 0)
			goto fail;
	}
	return catalog_commit(c, err);
fail:
	catalog_rollback(c);
	return -1;
}

int catalog_open(struct catalog **out, const char *path, bool create,
		 struct custos_err *err)
{
	struct catalog *c = calloc(1, sizeof(*c));
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
		    SQLITE_OPEN_NOFOLLOW;

	if (!c || !(c->path = strdup(path))) {
		free(c);
		return err_nomem(err);
	}
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		err_set(err, create ? CUSTOS_EIO : CUSTOS_EUSAGE, path,
			"cannot open catalog '%s': %s", path,
			c->db ? sqlite3_errmsg(c->db) : "out of memory");
		catalog_close(c);
		return -1;
	}
	sqlite3_busy_timeout(c->db, CATALOG_BUSY_MS);
	if (exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		    "PRAGMA foreign_keys=ON;", err) < 0 ||
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
		sqlite3_finalize(c->stmts[i]);
	sqlite3_close(c->db);
	free(c->path);
	free(c);
}

int catalog_begin(struct catalog *c, struct custos_err *err)
{
	return exec(c, "BEGIN IMMEDIATE", err);
}

int catalog_commit(struct catalog *c, struct custos_err *err)
{
	return exec(c, "COMMIT", err);
}

void catalog_rollback(struct catalog *c)
{
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

int catalog_stmt(struct catalog *c, enum catalog_stmt_id id, const char *sql,
		 sqlite3_stmt **out, struct custos_err *err)
{
	if (!c->stmts[id] &&
	    sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &c->stmts[id], NULL) != SQLITE_OK)
		return catalog_sqlerr(c, "preparing a statement", err);
	sqlite3_reset(c->stmts[id]);
	sqlite3_clear_bindings(c->stmts[id]);
	*out = c->stmts[id];
	return 0;
}

int catalog_step_done(struct catalog *c, sqlite3_stmt *st, const char *what,
		      struct custos_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return catalog_sqlerr(c, what, err);
	return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int catalog_meta_set(struct catalog *c, const char *key, const char *value,
		     struct custos_err *err)
{
	sqlite3_stmt *st = NULL;

	if (catalog_stmt(c, STMT_META_SET,
			 "INSERT INTO meta(key, value) VALUES(?1, ?2)"
			 " ON CONFLICT(key) DO UPDATE SET value = ?2", &st, err) < 0)
		return -1;
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return catalog_step_done(c, st, "writing meta", err);
}

int catalog_meta_get(struct catalog *c, const char *key, char **out,
		     struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (catalog_stmt(c, STMT_META_GET, "SELECT value FROM meta WHERE key = ?1",
			 &st, err) < 0)
		return -1;
	bind_text(st, 1, key);
	*out = NULL;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && !(*out = strdup((const char *)sqlite3_column_text(st, 0)))) {
		sqlite3_reset(st);
		return err_nomem(err);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return catalog_sqlerr(c, "reading meta", err);
	return 0;
}

int catalog_policy_record(struct catalog *c, const char *sha256,
			  const char *name, const char *version,
			  const char *text, bool *is_new, struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_POLICY_PUT,
			 "INSERT OR IGNORE INTO policies(sha256, name, version, text,"
			 " first_in_force) VALUES(?1, ?2, ?3, ?4, ?5)", &st, err) < 0)
		return -1;
	catalog_now(now);
	bind_text(st, 1, sha256);
	bind_text(st, 2, name);
	bind_text(st, 3, version);
	bind_text(st, 4, text);
	bind_text(st, 5, now);
	if (catalog_step_done(c, st, "recording the policy", err) < 0)
		return -1;
	*is_new = sqlite3_changes(c->db) > 0;
	return 0;
}

int catalog_location_put(struct catalog *c, const struct catalog_location *l,
			 int64_t *id, struct custos_err *err)
{
	sqlite3_stmt *st = NULL;

	if (catalog_stmt(c, STMT_LOCATION_PUT,
			 "INSERT INTO locations(name, type, location, region, threat, media)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(name) DO UPDATE SET"
			 " type = ?2, location = ?3, region = ?4, threat = ?5, media = ?6"
			 " RETURNING id", &st, err) < 0)
		return -1;
	bind_text(st, 1, l->name);
	bind_text(st, 2, l->type);
	bind_text(st, 3, l->where);
	bind_text(st, 4, l->region);
	bind_text(st, 5, l->threat);
	bind_text(st, 6, l->media);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return catalog_sqlerr(c, "recording a location", err);
	}
	*id = sqlite3_column_int64(st, 0);
	return catalog_step_done(c, st, "recording a location", err);
}

int catalog_location_in_use(struct catalog *c, int64_t id, bool *in_use,
			    struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM copies WHERE location_id = ?1"
			       " LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return catalog_sqlerr(c, "reading copies", err);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return catalog_sqlerr(c, "reading copies", err);
	*in_use = rc == SQLITE_ROW;
	return 0;
}

int catalog_object_find(struct catalog *c, const char *ident, int64_t *id,
			int *latest, struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (catalog_stmt(c, STMT_OBJECT_FIND,
			 "SELECT o.id, COALESCE(MAX(v.number), 0) FROM objects o"
			 " LEFT JOIN versions v ON v.object_id = o.id WHERE o.ident = ?1"
			 " GROUP BY o.id", &st, err) < 0)
		return -1;
	bind_text(st, 1, ident);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*latest = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : catalog_sqlerr(c, "finding an object", err);
}

int catalog_object_add(struct catalog *c, const char *ident, int64_t *id,
		       struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_OBJECT_ADD,
			 "INSERT INTO objects(ident, created) VALUES(?1, ?2)", &st, err) < 0)
		return -1;
	catalog_now(now);
	bind_text(st, 1, ident);
	bind_text(st, 2, now);
	if (catalog_step_done(c, st, "adding an object", err) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

int catalog_version_add(struct catalog *c, const struct catalog_version *v,
			int64_t *id, struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_VERSION_ADD,
			 "INSERT INTO versions(object_id, number, created, source, files,"
			 " bytes, bag_info) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st, err) < 0)
		return -1;
	catalog_now(now);
	sqlite3_bind_int64(st, 1, v->object_id);
	sqlite3_bind_int(st, 2, v->number);
	bind_text(st, 3, now);
	bind_text(st, 4, v->source);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)v->files);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)v->bytes);
	bind_text(st, 7, v->bag_info);
	if (catalog_step_done(c, st, "adding a version", err) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

int catalog_version_id(struct catalog *c, const char *ident, int number,
		       int64_t *id, struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (catalog_stmt(c, STMT_VERSION_ID,
			 "SELECT v.id FROM versions v JOIN objects o ON o.id = v.object_id"
			 " WHERE o.ident = ?1 AND v.number = ?2", &st, err) < 0)
		return -1;
	bind_text(st, 1, ident);
	sqlite3_bind_int(st, 2, number);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : catalog_sqlerr(c, "finding a version", err);
}

int catalog_file_add(struct catalog *c, int64_t version_id,
		     const struct catalog_file *f, struct custos_err *err)
{
	sqlite3_stmt *st = NULL;

	if (catalog_stmt(c, STMT_FILE_ADD,
			 "INSERT INTO files(version_id, path, size, md5, sha1, sha224,"
			 " sha256, sha384, sha512, blake2b512, puid, format_name,"
			 " format_version, mime, basis) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
			 " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, version_id);
	bind_text(st, 2, f->path);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)f->size);
	for (int a = 0; a < DIGEST_COUNT; a++)
		bind_text(st, 4 + a, f->dig && (f->dig->mask & DIGEST_BIT(a)) ?
			  f->dig->hex[a] : NULL);
	bind_text(st, 11, f->puid);
	bind_text(st, 12, f->format_name);
	bind_text(st, 13, f->format_version);
	bind_text(st, 14, f->mime);
	bind_text(st, 15, f->basis);
	return catalog_step_done(c, st, "adding a file", err);
}

int catalog_copy_put(struct catalog *c, int64_t version_id,
		     int64_t location_id, const char *status, bool verified_now,
		     struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_COPY_PUT,
			 "INSERT INTO copies(version_id, location_id, status, created,"
			 " last_verified) VALUES(?1, ?2, ?3, ?4, ?5)"
			 " ON CONFLICT(version_id, location_id) DO UPDATE SET status = ?3,"
			 " last_verified = COALESCE(?5, last_verified)", &st, err) < 0)
		return -1;
	catalog_now(now);
	sqlite3_bind_int64(st, 1, version_id);
	sqlite3_bind_int64(st, 2, location_id);
	bind_text(st, 3, status);
	bind_text(st, 4, now);
	bind_text(st, 5, verified_now ? now : NULL);
	return catalog_step_done(c, st, "recording a copy", err);
}

int catalog_intent_add(struct catalog *c, const char *txid, const char *object,
		       int version, const char *state, struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_INTENT_ADD,
			 "INSERT INTO ingests(txid, object, version, state, started)"
			 " VALUES(?1, ?2, ?3, ?4, ?5)", &st, err) < 0)
		return -1;
	catalog_now(now);
	bind_text(st, 1, txid);
	bind_text(st, 2, object);
	sqlite3_bind_int(st, 3, version);
	bind_text(st, 4, state);
	bind_text(st, 5, now);
	return catalog_step_done(c, st, "recording an ingest intent", err);
}

int catalog_intent_set(struct catalog *c, const char *txid, const char *state,
		       struct custos_err *err)
{
	sqlite3_stmt *st = NULL;

	if (catalog_stmt(c, STMT_INTENT_SET,
			 "UPDATE ingests SET state = ?2 WHERE txid = ?1", &st, err) < 0)
		return -1;
	bind_text(st, 1, txid);
	bind_text(st, 2, state);
	return catalog_step_done(c, st, "updating an ingest intent", err);
}

int catalog_intent_remove(struct catalog *c, const char *txid,
			  struct custos_err *err)
{
	sqlite3_stmt *st = NULL;

	if (catalog_stmt(c, STMT_INTENT_DEL, "DELETE FROM ingests WHERE txid = ?1",
			 &st, err) < 0)
		return -1;
	bind_text(st, 1, txid);
	return catalog_step_done(c, st, "removing an ingest intent", err);
}

int catalog_query(struct catalog *c, const char *sql, const char *const *params,
		  int nparams, catalog_row_fn fn, void *arg,
		  struct custos_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, ncols;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return catalog_sqlerr(c, "preparing a query", err);
	if (!sqlite3_stmt_readonly(st)) {
		sqlite3_finalize(st);
		return err_set(err, CUSTOS_EINTERNAL, NULL, "catalog_query is read-only");
	}
	for (int i = 0; i < nparams; i++)
		bind_text(st, i + 1, params[i]);
	ncols = sqlite3_column_count(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *vals[64], *names[64];
		int n = ncols < 64 ? ncols : 64;

		for (int i = 0; i < n; i++) {
			vals[i] = (const char *)sqlite3_column_text(st, i);
			names[i] = sqlite3_column_name(st, i);
		}
		if (fn(arg, n, vals, names)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return catalog_sqlerr(c, "running a query", err);
	return 0;
}

struct digests_arg {
	struct strmap *m;
	int oom;
};

static int digest_row(void *arg, int n, const char *const *vals,
		      const char *const *names)
{
	struct digests_arg *da = arg;
	char *hex;

	(void)names;
	if (n != 2 || !vals[0] || !vals[1])
		return 0;
	if (!(hex = strdup(vals[1])) || strmap_put(da->m, vals[0], hex) < 0) {
		free(hex);
		return da->oom = 1;
	}
	return 0;
}

int catalog_version_digests(struct catalog *c, int64_t vid, enum digest_alg alg,
			    struct strmap **out, struct custos_err *err)
{
	struct digests_arg da = { strmap_new(), 0 };
	char sql[128], id[32];
	const char *params[1] = { id };

	if (!da.m)
		return err_nomem(err);
	snprintf(sql, sizeof(sql), "SELECT path, %s FROM files WHERE version_id = ?1",
		 digest_name(alg));
	snprintf(id, sizeof(id), "%lld", (long long)vid);
	if (catalog_query(c, sql, params, 1, digest_row, &da, err) < 0 || da.oom) {
		catalog_digests_free(da.m);
		return da.oom ? err_nomem(err) : -1;
	}
	*out = da.m;
	return 0;
}

void catalog_digests_free(struct strmap *m)
{
	size_t pos = 0;
	const char *k;
	void *v;

	while (m && strmap_next(m, &pos, &k, &v))
		free(v);
	strmap_free(m);
}
