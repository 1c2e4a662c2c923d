/*
 * preserve/catalog/catalog_int.h - what the catalog's files share: the
 * handle (a connection through the driver layer, catalog_db_int.h), its
 * cache of prepared statements, error messages, and the generic read.
 * Not a public header; only preserve/catalog/ includes it.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_INT_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_INT_H

#include "preserve/catalog/catalog.h"
#include "preserve/catalog/catalog_db_int.h"

enum catalog_stmt_id {
	STMT_META_SET, STMT_META_GET, STMT_POLICY_PUT, STMT_LOCATION_PUT,
	STMT_OBJECT_FIND, STMT_OBJECT_ADD, STMT_VERSION_ADD, STMT_FILE_ADD,
	STMT_COPY_PUT, STMT_INTENT_ADD, STMT_INTENT_SET, STMT_INTENT_DEL,
	STMT_EVENT_LAST, STMT_EVENT_ADD, STMT_VERSION_ID, STMT_LOCATION_ID,
	STMT_COPY_OK, STMT_LOCATION_IN_USE, STMT_FILE_DIGEST_0, STMT_FILE_DIGEST_1, STMT_FILE_DIGEST_2,
	STMT_FILE_DIGEST_3, STMT_FILE_DIGEST_4, STMT_FILE_DIGEST_5,
	STMT_FILE_DIGEST_6, STMT_FILE_FORMAT, STMT_FILE_SIZE,
	STMT_COUNT
};

struct catalog {
	const struct catalog_db_ops *ops;   /* the backend */
	struct catalog_db *db;              /* its connection */
	char *path;                         /* where the catalog is, for messages */
	struct catalog_db_stmt *stmts[STMT_COUNT];   /* prepared on first use */
};

/* Describe the connection's last failure during WHAT in ERR; -1. */
int catalog_dberr(struct catalog *c, const char *what, struct custos_err *err);
/* The cached statement ID (prepared from SQL on first use), reset. */
int catalog_stmt(struct catalog *c, enum catalog_stmt_id id, const char *sql,
		 struct catalog_db_stmt **out, struct custos_err *err);
/* A statement for one use (finalize it with c->ops->finalize). */
int catalog_prepare(struct catalog *c, const char *sql,
		    struct catalog_db_stmt **out, struct custos_err *err);
/* Step: 1 a row, 0 done, -1 failed during WHAT (ERR set). */
int catalog_step(struct catalog *c, struct catalog_db_stmt *st,
		 const char *what, struct custos_err *err);
/* Step a statement that returns no rows (or whose rows do not matter),
 * then reset it. */
int catalog_step_done(struct catalog *c, struct catalog_db_stmt *st,
		      const char *what, struct custos_err *err);
/* Column I of the current row as a new string; NULL for NULL. *OOM is
 * set when a value could not be copied. */
char *catalog_column_dup(struct catalog *c, struct catalog_db_stmt *st, int i,
			 bool *oom);

/* The generic read: run SQL with text parameters ?1.. (NULL: SQL NULL)
 * and call FN once per row with the column values as text (NULL for
 * NULL); FN returning non-zero stops. Only statements that cannot write
 * are run (SELECT; BEGIN and COMMIT for a read snapshot). */
typedef int (*catalog_row_fn)(void *arg, int ncols, const char *const *vals,
			      const char *const *names);
int catalog_query(struct catalog *c, const char *sql, const char *const *params,
		  int nparams, catalog_row_fn fn, void *arg,
		  struct custos_err *err);

#endif
