/*
 * preserve/catalog/catalog_int.h - what catalog.c and catalog_events.c share:
 * the handle and its cache of prepared statements. Not a public header.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_INT_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_INT_H

#include <sqlite3.h>
#include "preserve/catalog/catalog.h"

enum catalog_stmt_id {
	STMT_META_SET, STMT_META_GET, STMT_POLICY_PUT, STMT_LOCATION_PUT,
	STMT_OBJECT_FIND, STMT_OBJECT_ADD, STMT_VERSION_ADD, STMT_FILE_ADD,
	STMT_COPY_PUT, STMT_INTENT_ADD, STMT_INTENT_SET, STMT_INTENT_DEL,
	STMT_EVENT_LAST, STMT_EVENT_ADD, STMT_VERSION_ID,
	STMT_COUNT
};

struct catalog {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *stmts[STMT_COUNT];
};

int catalog_sqlerr(struct catalog *c, const char *what, struct custos_err *err);
/* The cached statement ID (prepared from SQL on first use), reset. */
int catalog_stmt(struct catalog *c, enum catalog_stmt_id id, const char *sql,
		 sqlite3_stmt **out, struct custos_err *err);
/* Step a statement that returns no rows. */
int catalog_step_done(struct catalog *c, sqlite3_stmt *st, const char *what,
		      struct custos_err *err);

#endif
