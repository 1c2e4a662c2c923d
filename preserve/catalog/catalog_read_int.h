/*
 * preserve/catalog/catalog_read_int.h - what the catalog's read operations
 * share: text columns turned into integers, and single-number queries.
 * Not a public header.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_READ_INT_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_READ_INT_H

#include <stdint.h>
#include "core/err.h"
#include "preserve/catalog/catalog_int.h"
#include "preserve/catalog/catalog_report.h"

/* The integer in column text V (0 for NULL). */
int64_t catalog_col_int(const char *v);
/* The integer in column text V, or unknown for NULL. */
struct catalog_maybe_int catalog_col_maybe(const char *v);

/* *OUT = the first column of the first row of SQL as an integer (0 when
 * there is no row or it is NULL). */
int catalog_count(struct catalog *c, const char *sql, const char *const *params,
		  int nparams, int64_t *out, struct custos_err *err);

#endif
