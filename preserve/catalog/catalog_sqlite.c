/*
 * preserve/catalog/catalog_sqlite.c - the catalog's SQLite backend: one
 * file in WAL mode with full fsync and foreign keys, writers serialised by
 * BEGIN IMMEDIATE and a busy timeout, the schema version in PRAGMA
 * user_version. The only file of custos that includes <sqlite3.h>.
 * SQLite takes the driver's ?N placeholders as they are.
 */
#include "preserve/catalog/catalog_db_int.h"

#include <sqlite3.h>
#include <stdio.h>

#include "preserve/catalog/catalog_sqlite_schema.h"

/* The driver's opaque types are sqlite3's own, converted at the border. */
static sqlite3 *H(struct catalog_db *db)
{
	return (sqlite3 *)db;
}

static sqlite3_stmt *S(struct catalog_db_stmt *st)
{
	return (sqlite3_stmt *)st;
}

static int ok(int rc)
{
	return rc == SQLITE_OK ? 0 : -1;
}

static void sq_close(struct catalog_db *db)
{
	sqlite3_close(H(db));
}

static enum catalog_db_fail sq_failure(struct catalog_db *db)
{
	int code = sqlite3_errcode(H(db));

	if (code == SQLITE_FULL)
		return CATALOG_DB_FULL;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return CATALOG_DB_BUSY;
	return CATALOG_DB_ERROR;
}

static const char *sq_errmsg(struct catalog_db *db)
{
	return sqlite3_errmsg(H(db));
}

static int sq_exec(struct catalog_db *db, const char *sql)
{
	/* on failure sqlite3_errmsg() holds what sqlite3_exec() would report */
	return ok(sqlite3_exec(H(db), sql, NULL, NULL, NULL));
}

static int sq_open(struct catalog_db **out, const char *where, bool create,
		   int busy_ms, struct custos_err *err)
{
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
		    SQLITE_OPEN_NOFOLLOW;
	sqlite3 *h = NULL;

	if (sqlite3_open_v2(where, &h, flags, NULL) != SQLITE_OK) {
		err_set(err, create ? CUSTOS_EIO : CUSTOS_EUSAGE, where,
			"cannot open catalog '%s': %s", where,
			h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h, busy_ms);
	if (sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;", NULL, NULL, NULL) != SQLITE_OK) {
		err_set(err, CUSTOS_EIO, where, "catalog '%s': %s", where,
			sqlite3_errmsg(h));
		sqlite3_close(h);
		return -1;
	}
	*out = (struct catalog_db *)h;
	return 0;
}

static int sq_begin(struct catalog_db *db)
{
	return sq_exec(db, "BEGIN IMMEDIATE");
}

static int sq_commit(struct catalog_db *db)
{
	return sq_exec(db, "COMMIT");
}

static void sq_rollback(struct catalog_db *db)
{
	sqlite3_exec(H(db), "ROLLBACK", NULL, NULL, NULL);
}

static int64_t sq_changes(struct catalog_db *db)
{
	return sqlite3_changes64(H(db));
}

static int sq_schema_version(struct catalog_db *db, int *out)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(H(db), "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	*out = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

static int sq_schema_step(struct catalog_db *db, int n)
{
	char pragma[64];

	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", n);
	if (sq_exec(db, catalog_migrations[n - 1]) < 0)
		return -1;
	return sq_exec(db, pragma);
}

static int sq_prepare(struct catalog_db *db, const char *sql, bool keep,
		      struct catalog_db_stmt **out)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(H(db), sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0,
			       &st, NULL) != SQLITE_OK)
		return -1;
	*out = (struct catalog_db_stmt *)st;
	return 0;
}

static void sq_finalize(struct catalog_db_stmt *st)
{
	sqlite3_finalize(S(st));
}

static void sq_reset(struct catalog_db_stmt *st)
{
	sqlite3_reset(S(st));
	sqlite3_clear_bindings(S(st));
}

static bool sq_readonly(struct catalog_db_stmt *st)
{
	return sqlite3_stmt_readonly(S(st)) != 0;
}

static int sq_bind_text(struct catalog_db_stmt *st, int i, const char *s)
{
	if (!s)
		return ok(sqlite3_bind_null(S(st), i));
	return ok(sqlite3_bind_text(S(st), i, s, -1, SQLITE_TRANSIENT));
}

static int sq_bind_int64(struct catalog_db_stmt *st, int i, int64_t v)
{
	return ok(sqlite3_bind_int64(S(st), i, v));
}

static int sq_bind_blob(struct catalog_db_stmt *st, int i, const void *p, size_t n)
{
	/* a NULL pointer would bind SQL NULL; an empty blob is a zero blob */
	if (n == 0)
		return ok(sqlite3_bind_zeroblob(S(st), i, 0));
	return ok(sqlite3_bind_blob64(S(st), i, p, n, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct catalog_db_stmt *st, int i)
{
	return ok(sqlite3_bind_null(S(st), i));
}

static int sq_step(struct catalog_db_stmt *st)
{
	int rc = sqlite3_step(S(st));

	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int sq_column_count(struct catalog_db_stmt *st)
{
	return sqlite3_column_count(S(st));
}

static const char *sq_column_name(struct catalog_db_stmt *st, int i)
{
	return sqlite3_column_name(S(st), i);
}

static bool sq_column_null(struct catalog_db_stmt *st, int i)
{
	return sqlite3_column_type(S(st), i) == SQLITE_NULL;
}

static int64_t sq_column_int64(struct catalog_db_stmt *st, int i)
{
	return sqlite3_column_int64(S(st), i);
}

static const char *sq_column_text(struct catalog_db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(S(st), i);
}

static const void *sq_column_blob(struct catalog_db_stmt *st, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(S(st), i);

	*n = (size_t)sqlite3_column_bytes(S(st), i);
	return p;
}

/* The online backup API, a few pages at a time so writers are not held
 * up; the copy is made durable before it counts. */
static int sq_backup(struct catalog_db *db, const char *dest)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int rc;

	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		sqlite3_close(to);
		return -1;
	}
	if (!(b = sqlite3_backup_init(to, "main", H(db), "main"))) {
		sqlite3_close(to);
		return -1;
	}
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(10);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	sqlite3_close(to);
	return rc == SQLITE_OK ? 0 : -1;
}

static int sq_bulk(struct catalog_db *db, bool on)
{
	return sq_exec(db, on ? "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;"
			      " PRAGMA cache_size=-16384;" :
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 " PRAGMA cache_size=-2000;");
}

const struct catalog_db_ops catalog_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.failure = sq_failure,
	.errmsg = sq_errmsg,
	.exec = sq_exec,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.changes = sq_changes,
	.nsteps = (int)(sizeof(catalog_migrations) / sizeof(catalog_migrations[0])),
	.schema_version = sq_schema_version,
	.schema_step = sq_schema_step,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.readonly = sq_readonly,
	.bind_text = sq_bind_text,
	.bind_int64 = sq_bind_int64,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.column_null = sq_column_null,
	.column_int64 = sq_column_int64,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.backup = sq_backup,
	.bulk = sq_bulk,
};
