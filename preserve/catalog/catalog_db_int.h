/*
 * preserve/catalog/catalog_db_int.h - the catalog's driver layer: what a
 * database backend gives the named operations, so that they hold SQL but
 * no database library. One backend per file (catalog_sqlite.c); a second
 * one (PostgreSQL) is one more struct catalog_db_ops that catalog_open
 * picks from where the catalog is. Not a public header.
 *
 * SQL reaches prepare() with numbered placeholders ?1, ?2, ... (a number
 * may repeat); a database that spells them otherwise ($1) rewrites them
 * when it prepares. Parameters count from 1, result columns from 0.
 * Functions returning int give 0 on success and -1 on failure; the
 * failure is then described by failure() and errmsg() on the connection.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_DB_INT_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_DB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

struct catalog_db;          /* a connection, the backend's own type */
struct catalog_db_stmt;     /* a prepared statement, the backend's own type */

/* What the last failure on a connection was. */
enum catalog_db_fail {
	CATALOG_DB_ERROR,   /* anything else: errmsg() says what */
	CATALOG_DB_BUSY,    /* another process holds the database (after waiting) */
	CATALOG_DB_FULL,    /* the disk is full */
};

struct catalog_db_ops {
	const char *name;                          /* "sqlite" */

	/* Connect to the database at WHERE (CREATE: make it). A writer that
	 * finds another writer waits up to BUSY_MS before failing busy. Sets
	 * ERR itself (there is no connection to ask). */
	int (*open)(struct catalog_db **out, const char *where, bool create,
		    int busy_ms, struct custos_err *err);
	void (*close)(struct catalog_db *db);                  /* NULL ok */
	enum catalog_db_fail (*failure)(struct catalog_db *db);
	const char *(*errmsg)(struct catalog_db *db);

	/* Run SQL without parameters or rows; may hold several statements. */
	int (*exec)(struct catalog_db *db, const char *sql);
	/* A write transaction: other writers wait until commit or rollback. */
	int (*begin)(struct catalog_db *db);
	int (*commit)(struct catalog_db *db);
	void (*rollback)(struct catalog_db *db);   /* no-op outside one */
	/* Rows changed by the last INSERT, UPDATE or DELETE. */
	int64_t (*changes)(struct catalog_db *db);

	/* The schema: the backend's own DDL (types, triggers and generated
	 * ids differ between databases), NSTEPS steps applied in order. */
	int nsteps;
	int (*schema_version)(struct catalog_db *db, int *out);  /* 0: none */
	/* Apply step N (1..nsteps) and record version N; inside begin(). */
	int (*schema_step)(struct catalog_db *db, int n);

	/* Prepare SQL; KEEP: it will be reused for the connection's life. */
	int (*prepare)(struct catalog_db *db, const char *sql, bool keep,
		       struct catalog_db_stmt **out);
	void (*finalize)(struct catalog_db_stmt *st);          /* NULL ok */
	/* Back to before the first step, every parameter unbound (NULL). */
	void (*reset)(struct catalog_db_stmt *st);
	/* True when the statement cannot write (SELECT, BEGIN, COMMIT). */
	bool (*readonly)(struct catalog_db_stmt *st);

	/* Bind parameter I; values are copied; text NULL binds SQL NULL. */
	int (*bind_text)(struct catalog_db_stmt *st, int i, const char *s);
	int (*bind_int64)(struct catalog_db_stmt *st, int i, int64_t v);
	int (*bind_blob)(struct catalog_db_stmt *st, int i, const void *p,
			 size_t n);
	int (*bind_null)(struct catalog_db_stmt *st, int i);

	/* 1: a row is ready, 0: done, -1: failed. */
	int (*step)(struct catalog_db_stmt *st);

	/* Columns of the current row; pointers live until the next step or
	 * reset. Text of a NULL is NULL; numbers read as text give digits. */
	int (*column_count)(struct catalog_db_stmt *st);
	const char *(*column_name)(struct catalog_db_stmt *st, int i);
	bool (*column_null)(struct catalog_db_stmt *st, int i);
	int64_t (*column_int64)(struct catalog_db_stmt *st, int i);
	const char *(*column_text)(struct catalog_db_stmt *st, int i);
	const void *(*column_blob)(struct catalog_db_stmt *st, int i, size_t *n);

	/* A consistent copy of the whole database into the new file DEST,
	 * while others may go on writing (errmsg() says why it failed). */
	int (*backup)(struct catalog_db *db, const char *dest);
	/* ON: a new database being filled by one writer that nobody reads
	 * yet (rebuild): no per-commit sync, a larger page cache; OFF: back
	 * to the normal, durable settings (the caller syncs the file). */
	int (*bulk)(struct catalog_db *db, bool on);
};

/* The backends. */
extern const struct catalog_db_ops catalog_sqlite;

#endif
