/*
 * preserve/catalog/catalog_rebuild.c - the catalog's side of custos rebuild
 * and custos backup (catalog_rebuild.h): rows written with the values the
 * storage locations kept rather than the time of writing.
 */
#include "preserve/catalog/catalog_rebuild.h"

#include <stdio.h>
#include <string.h>
#include "preserve/catalog/catalog_int.h"

int catalog_policy_import(struct catalog *c, const struct catalog_policy_row *p,
			  struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc;

	if (catalog_prepare(c, "INSERT INTO policies(sha256, name, version, text,"
			    " first_in_force) VALUES(?1, ?2, ?3, ?4, ?5)"
			    " ON CONFLICT DO NOTHING", &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, p->sha256);
	c->ops->bind_text(st, 2, p->name);
	c->ops->bind_text(st, 3, p->version);
	c->ops->bind_text(st, 4, p->text);
	c->ops->bind_text(st, 5, p->first_in_force);
	rc = catalog_step_done(c, st, "recording a policy", err);
	c->ops->finalize(st);
	return rc;
}

int catalog_each_policy(struct catalog *c, catalog_policy_fn fn, void *arg,
			struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc;

	if (catalog_prepare(c, "SELECT sha256, name, version, text, first_in_force"
			    " FROM policies ORDER BY id", &st, err) < 0)
		return -1;
	while ((rc = catalog_step(c, st, "reading the policy history", err)) == 1) {
		struct catalog_policy_row p = {
			c->ops->column_text(st, 0), c->ops->column_text(st, 1),
			c->ops->column_text(st, 2), c->ops->column_text(st, 3),
			c->ops->column_text(st, 4),
		};

		if ((rc = fn(arg, &p)) != 0)
			break;
	}
	c->ops->finalize(st);
	return rc < 0 ? -1 : rc;
}

int catalog_object_import(struct catalog *c, const char *ident,
			  const char *created, int64_t *id, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc;

	if (catalog_prepare(c, "INSERT INTO objects(ident, created) VALUES(?1, ?2)"
			    " RETURNING id", &st, err) < 0)
		return -1;
	c->ops->bind_text(st, 1, ident);
	c->ops->bind_text(st, 2, created);
	rc = catalog_step(c, st, "adding an object", err);
	if (rc == 1)
		*id = c->ops->column_int64(st, 0);
	c->ops->finalize(st);
	return rc == 1 ? 0 : rc < 0 ? -1 :
	       err_set(err, CUSTOS_EINTERNAL, c->path, "no object id returned");
}

/* An UPDATE that must change exactly one file row. */
static int one_file_changed(struct catalog *c, struct catalog_db_stmt *st,
			    const char *path, struct custos_err *err)
{
	if (catalog_step_done(c, st, "updating a file", err) < 0)
		return -1;
	if (c->ops->changes(c->db) != 1)
		return err_set(err, CUSTOS_EFORMAT, path, "'%s' is in a manifest or "
			       "format record but not among the version's files", path);
	return 0;
}

int catalog_file_set_digest(struct catalog *c, int64_t vid, const char *path,
			    enum digest_alg alg, const char *hex,
			    struct custos_err *err)
{
	static const enum catalog_stmt_id ids[DIGEST_COUNT] = {
		STMT_FILE_DIGEST_0, STMT_FILE_DIGEST_1, STMT_FILE_DIGEST_2,
		STMT_FILE_DIGEST_3, STMT_FILE_DIGEST_4, STMT_FILE_DIGEST_5,
		STMT_FILE_DIGEST_6,
	};
	struct catalog_db_stmt *st = NULL;
	char sql[128];

	/* the column is one of the fixed digest names, never user text */
	snprintf(sql, sizeof(sql), "UPDATE files SET %s = ?3 WHERE version_id = ?1"
		 " AND path = ?2", digest_name(alg));
	if (catalog_stmt(c, ids[alg], sql, &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, vid);
	c->ops->bind_text(st, 2, path);
	c->ops->bind_text(st, 3, hex);
	return one_file_changed(c, st, path, err);
}

int catalog_file_set_format(struct catalog *c, int64_t vid, const char *path,
			    const struct catalog_file *f, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;

	if (catalog_stmt(c, STMT_FILE_FORMAT,
			 "UPDATE files SET puid = ?3, format_name = ?4, format_version = ?5,"
			 " mime = ?6, basis = ?7 WHERE version_id = ?1 AND path = ?2",
			 &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, vid);
	c->ops->bind_text(st, 2, path);
	c->ops->bind_text(st, 3, f->puid);
	c->ops->bind_text(st, 4, f->format_name);
	c->ops->bind_text(st, 5, f->format_version);
	c->ops->bind_text(st, 6, f->mime);
	c->ops->bind_text(st, 7, f->basis);
	return one_file_changed(c, st, path, err);
}

int catalog_file_set_size(struct catalog *c, int64_t vid, const char *path,
			  uint64_t size, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;

	if (catalog_stmt(c, STMT_FILE_SIZE, "UPDATE files SET size = ?3 WHERE"
			 " version_id = ?1 AND path = ?2", &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, vid);
	c->ops->bind_text(st, 2, path);
	c->ops->bind_int64(st, 3, (int64_t)size);
	return one_file_changed(c, st, path, err);
}

int catalog_version_set_totals(struct catalog *c, int64_t vid, uint64_t files,
			       uint64_t bytes, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc;

	if (catalog_prepare(c, "UPDATE versions SET files = ?2, bytes = ?3 WHERE id = ?1",
			    &st, err) < 0)
		return -1;
	c->ops->bind_int64(st, 1, vid);
	c->ops->bind_int64(st, 2, (int64_t)files);
	c->ops->bind_int64(st, 3, (int64_t)bytes);
	rc = catalog_step_done(c, st, "updating a version", err);
	c->ops->finalize(st);
	return rc;
}

int catalog_each_ingestion(struct catalog *c, catalog_ingest_fn fn, void *arg,
			   struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc;

	if (catalog_prepare(c, "SELECT object, version, datetime, record FROM events"
			    " WHERE type = 'ing' AND outcome = 'suc' AND object IS NOT NULL"
			    " AND version IS NOT NULL ORDER BY id", &st, err) < 0)
		return -1;
	while ((rc = catalog_step(c, st, "reading the ingestion events", err)) == 1)
		if ((rc = fn(arg, c->ops->column_text(st, 0),
			     (int)c->ops->column_int64(st, 1), c->ops->column_text(st, 2),
			     c->ops->column_text(st, 3))) != 0)
			break;
	c->ops->finalize(st);
	return rc < 0 ? -1 : rc;
}

int catalog_copies_verified_from_events(struct catalog *c, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	int rc;

	if (catalog_prepare(c, "UPDATE copies SET last_verified = (SELECT MAX(e.datetime)"
			    " FROM events e JOIN versions v ON v.id = copies.version_id"
			    " JOIN objects o ON o.id = v.object_id"
			    " JOIN locations l ON l.id = copies.location_id"
			    " WHERE e.type = 'fix' AND e.outcome = 'suc' AND e.object = o.ident"
			    " AND e.version = v.number AND e.location = l.name)", &st, err) < 0)
		return -1;
	rc = catalog_step_done(c, st, "dating the copies' verification", err);
	c->ops->finalize(st);
	return rc;
}

int catalog_backup(struct catalog *c, const char *dest, struct custos_err *err)
{
	if (c->ops->backup(c->db, dest) < 0)
		return err_set(err, CUSTOS_EIO, dest, "cannot back up catalog '%s' to "
			       "'%s': %s", c->path, dest, c->ops->errmsg(c->db));
	return 0;
}

int catalog_bulk(struct catalog *c, bool on, struct custos_err *err)
{
	return c->ops->bulk(c->db, on) < 0 ? catalog_dberr(c, "switching the"
		" catalog's durability settings", err) : 0;
}
