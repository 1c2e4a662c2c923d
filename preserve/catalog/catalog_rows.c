/*
 * preserve/catalog/catalog_rows.c - the rows of meta, policies, locations,
 * objects, versions, files, copies and ingest intents, as named operations
 * over the driver layer. The SQL here is what SQLite and PostgreSQL both
 * accept: ON CONFLICT upserts, RETURNING for generated ids.
 */
#include "preserve/catalog/catalog_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/strmap.h"

int catalog_meta_set(struct catalog *c, const char *key, const char *value,
		     struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;

	if (catalog_stmt(c, STMT_META_SET,
			 "INSERT INTO meta(key, value) VALUES(?1, ?2)"
			 " ON CONFLICT(key) DO UPDATE SET value = ?2", &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, key);
	c->ops->bind_text(st, 2, value);
	return catalog_step_done(c, st, "writing meta", err);
}

int catalog_meta_get(struct catalog *c, const char *key, char **out,
		     struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	bool oom = false;
	int rc;

	if (catalog_stmt(c, STMT_META_GET, "SELECT value FROM meta WHERE key = ?1",
			 &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, key);
	*out = NULL;
	rc = catalog_step(c, st, "reading meta", err);
	if (rc == 1)
		*out = catalog_column_dup(c, st, 0, &oom);
	c->ops->reset(st);
	if (oom)
		return err_nomem(err);
	return rc < 0 ? -1 : 0;
}

/* Step an INSERT ... RETURNING id; *ID the new row's id. */
static int step_returning(struct catalog *c, struct catalog_db_stmt *st,
			  int64_t *id, const char *what, struct custos_err *err)
{
	int rc = catalog_step(c, st, what, err);

	if (rc == 1)
		*id = c->ops->column_int64(st, 0);
	else if (rc == 0)
		rc = err_set(err, CUSTOS_EINTERNAL, c->path,
			     "catalog '%s': %s: no id returned", c->path, what);
	if (rc < 0) {
		c->ops->reset(st);
		return -1;
	}
	return catalog_step_done(c, st, what, err);
}

int catalog_location_put(struct catalog *c, const struct catalog_location *l,
			 int64_t *id, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;

	if (catalog_stmt(c, STMT_LOCATION_PUT,
			 "INSERT INTO locations(name, type, location, region, threat, media)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(name) DO UPDATE SET"
			 " type = ?2, location = ?3, region = ?4, threat = ?5, media = ?6"
			 " RETURNING id", &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, l->name);
	c->ops->bind_text(st, 2, l->type);
	c->ops->bind_text(st, 3, l->where);
	c->ops->bind_text(st, 4, l->region);
	c->ops->bind_text(st, 5, l->threat);
	c->ops->bind_text(st, 6, l->media);
	return step_returning(c, st, id, "recording a location", err);
}

/* Step a lookup of one id: 0 found (*ID), 1 absent, -1 error. */
static int step_id(struct catalog *c, struct catalog_db_stmt *st, int64_t *id,
		   const char *what, struct custos_err *err)
{
	int rc = catalog_step(c, st, what, err);

	if (rc == 1)
		*id = c->ops->column_int64(st, 0);
	c->ops->reset(st);
	return rc < 0 ? -1 : rc == 1 ? 0 : 1;
}

int catalog_location_id(struct catalog *c, const char *name, int64_t *id,
			struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;

	if (catalog_stmt(c, STMT_LOCATION_ID, "SELECT id FROM locations WHERE name = ?1",
			 &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, name);
	return step_id(c, st, id, "finding a location", err);
}

int catalog_object_find(struct catalog *c, const char *ident, int64_t *id,
			int *latest, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc;

	if (catalog_stmt(c, STMT_OBJECT_FIND,
			 "SELECT o.id, COALESCE(MAX(v.number), 0) FROM objects o"
			 " LEFT JOIN versions v ON v.object_id = o.id WHERE o.ident = ?1"
			 " GROUP BY o.id", &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, ident);
	rc = catalog_step(c, st, "finding an object", err);
	if (rc == 1) {
		*id = c->ops->column_int64(st, 0);
		*latest = (int)c->ops->column_int64(st, 1);
	}
	c->ops->reset(st);
	return rc < 0 ? -1 : rc == 1 ? 0 : 1;
}

int catalog_object_add(struct catalog *c, const char *ident, int64_t *id,
		       struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_OBJECT_ADD,
			 "INSERT INTO objects(ident, created) VALUES(?1, ?2) RETURNING id",
			 &st, err) < 0)
		return -1;
	catalog_now(now);
	c->ops->bind_text(st, 1, ident);
	c->ops->bind_text(st, 2, now);
	return step_returning(c, st, id, "adding an object", err);
}

int catalog_version_add(struct catalog *c, const struct catalog_version *v,
			int64_t *id, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_VERSION_ADD,
			 "INSERT INTO versions(object_id, number, created, source, files,"
			 " bytes, bag_info) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
			 &st, err) < 0)
		return -1;
	catalog_now(now);
	c->ops->bind_int64(st, 1, v->object_id);
	c->ops->bind_int64(st, 2, v->number);
	c->ops->bind_text(st, 3, v->created ? v->created : now);
	c->ops->bind_text(st, 4, v->source);
	c->ops->bind_int64(st, 5, (int64_t)v->files);
	c->ops->bind_int64(st, 6, (int64_t)v->bytes);
	c->ops->bind_text(st, 7, v->bag_info);
	return step_returning(c, st, id, "adding a version", err);
}

int catalog_version_id(struct catalog *c, const char *ident, int number,
		       int64_t *id, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;

	if (catalog_stmt(c, STMT_VERSION_ID,
			 "SELECT v.id FROM versions v JOIN objects o ON o.id = v.object_id"
			 " WHERE o.ident = ?1 AND v.number = ?2", &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, ident);
	c->ops->bind_int64(st, 2, number);
	return step_id(c, st, id, "finding a version", err);
}

int catalog_file_add(struct catalog *c, int64_t version_id,
		     const struct catalog_file *f, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;

	if (catalog_stmt(c, STMT_FILE_ADD,
			 "INSERT INTO files(version_id, path, size, md5, sha1, sha224,"
			 " sha256, sha384, sha512, blake2b512, puid, format_name,"
			 " format_version, mime, basis) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
			 " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, version_id);
	c->ops->bind_text(st, 2, f->path);
	c->ops->bind_int64(st, 3, (int64_t)f->size);
	for (int a = 0; a < DIGEST_COUNT; a++)
		c->ops->bind_text(st, 4 + a, f->dig && (f->dig->mask & DIGEST_BIT(a)) ?
				  f->dig->hex[a] : NULL);
	c->ops->bind_text(st, 11, f->puid);
	c->ops->bind_text(st, 12, f->format_name);
	c->ops->bind_text(st, 13, f->format_version);
	c->ops->bind_text(st, 14, f->mime);
	c->ops->bind_text(st, 15, f->basis);
	return catalog_step_done(c, st, "adding a file", err);
}

int catalog_copy_put(struct catalog *c, int64_t version_id,
		     int64_t location_id, const char *status, bool verified_now,
		     struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_COPY_PUT,
			 "INSERT INTO copies(version_id, location_id, status, created,"
			 " last_verified) VALUES(?1, ?2, ?3, ?4, ?5)"
			 " ON CONFLICT(version_id, location_id) DO UPDATE SET status = ?3,"
			 " last_verified = COALESCE(?5, copies.last_verified)", &st, err) < 0)
		return -1;
	catalog_now(now);
	c->ops->bind_int64(st, 1, version_id);
	c->ops->bind_int64(st, 2, location_id);
	c->ops->bind_text(st, 3, status);
	c->ops->bind_text(st, 4, now);
	c->ops->bind_text(st, 5, verified_now ? now : NULL);
	return catalog_step_done(c, st, "recording a copy", err);
}

int catalog_copy_ok(struct catalog *c, int64_t version_id, int64_t location_id,
		    bool *ok, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc;

	if (catalog_stmt(c, STMT_COPY_OK,
			 "SELECT 1 FROM copies WHERE version_id = ?1"
			 " AND location_id = ?2 AND status = 'ok'", &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, version_id);
	c->ops->bind_int64(st, 2, location_id);
	rc = catalog_step(c, st, "finding a copy", err);
	c->ops->reset(st);
	*ok = rc == 1;
	return rc < 0 ? -1 : 0;
}

int catalog_location_in_use(struct catalog *c, int64_t id, bool *in_use,
			    struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc;

	if (catalog_stmt(c, STMT_LOCATION_IN_USE,
			 "SELECT 1 FROM copies WHERE location_id = ?1 LIMIT 1",
			 &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, id);
	rc = catalog_step(c, st, "reading copies", err);
	c->ops->reset(st);
	*in_use = rc == 1;
	return rc < 0 ? -1 : 0;
}

int catalog_intent_add(struct catalog *c, const char *txid, const char *object,
		       int version, const char *state, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_INTENT_ADD,
			 "INSERT INTO ingests(txid, object, version, state, started)"
			 " VALUES(?1, ?2, ?3, ?4, ?5)", &st, err) < 0)
		return -1;
	catalog_now(now);
	c->ops->bind_text(st, 1, txid);
	c->ops->bind_text(st, 2, object);
	c->ops->bind_int64(st, 3, version);
	c->ops->bind_text(st, 4, state);
	c->ops->bind_text(st, 5, now);
	return catalog_step_done(c, st, "recording an ingest intent", err);
}

int catalog_intent_set(struct catalog *c, const char *txid, const char *state,
		       struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;

	if (catalog_stmt(c, STMT_INTENT_SET,
			 "UPDATE ingests SET state = ?2 WHERE txid = ?1", &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, txid);
	c->ops->bind_text(st, 2, state);
	return catalog_step_done(c, st, "updating an ingest intent", err);
}

int catalog_intent_remove(struct catalog *c, const char *txid,
			  struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;

	if (catalog_stmt(c, STMT_INTENT_DEL, "DELETE FROM ingests WHERE txid = ?1",
			 &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, txid);
	return catalog_step_done(c, st, "removing an ingest intent", err);
}

/* The current row of the intents query into *IT; -1 when out of memory. */
static int intent_row(struct catalog *c, struct catalog_db_stmt *st,
		      struct catalog_intent *it)
{
	bool oom = false;

	it->txid = catalog_column_dup(c, st, 0, &oom);
	it->object = catalog_column_dup(c, st, 1, &oom);
	it->version = (int)c->ops->column_int64(st, 2);
	it->state = catalog_column_dup(c, st, 3, &oom);
	return oom ? -1 : 0;
}

int catalog_intents(struct catalog *c, struct catalog_intent **out, size_t *n,
		    struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	struct catalog_intent *v = NULL;
	size_t cap = 0, k = 0;
	int rc;

	if (catalog_prepare(c, "SELECT txid, object, version, state FROM ingests"
			    " ORDER BY started", &st, err) < 0)
		return -1;
	while ((rc = catalog_step(c, st, "reading the ingest intents", err)) == 1) {
		if (ARRAY_GROW(v, k, cap, 8) < 0)
			break;
		memset(&v[k], 0, sizeof(v[k]));
		if (intent_row(c, st, &v[k++]) < 0)
			break;
	}
	c->ops->finalize(st);
	if (rc != 0) {
		catalog_intents_free(v, k);
		return rc < 0 ? -1 : err_nomem(err);
	}
	*out = v;
	*n = k;
	return 0;
}

void catalog_intents_free(struct catalog_intent *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].txid);
		free(v[i].object);
		free(v[i].state);
	}
	free(v);
}

int catalog_version_digests(struct catalog *c, int64_t vid, enum digest_alg alg,
			    struct strmap **out, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	struct strmap *m = strmap_new();
	char sql[128];
	int rc;

	if (!m)
		return err_nomem(err);
	/* the column is one of the fixed digest names, never user text */
	snprintf(sql, sizeof(sql), "SELECT path, %s FROM files WHERE version_id = ?1",
		 digest_name(alg));
	if (catalog_prepare(c, sql, &st, err) < 0) {
		strmap_free(m);
		return -1;
	}
	c->ops->bind_int64(st, 1, vid);
	while ((rc = catalog_step(c, st, "reading a version's digests", err)) == 1) {
		const char *path = c->ops->column_text(st, 0);
		const char *hex = c->ops->column_text(st, 1);
		char *copy;

		if (!path || !hex)
			continue;
		if (!(copy = strdup(hex)) || strmap_put(m, path, copy) < 0) {
			free(copy);
			rc = err_nomem(err);
			break;
		}
	}
	c->ops->finalize(st);
	if (rc < 0) {
		catalog_digests_free(m);
		return -1;
	}
	*out = m;
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
