/*
 * preserve/catalog/catalog_read.c - helpers of the catalog's read operations:
 * integer columns and single-number queries.
 */
#include "preserve/catalog/catalog_read_int.h"

#include <stdlib.h>

int64_t catalog_col_int(const char *v)
{
	return v ? strtoll(v, NULL, 10) : 0;
}

struct catalog_maybe_int catalog_col_maybe(const char *v)
{
	struct catalog_maybe_int m = { .known = v != NULL, .value = catalog_col_int(v) };

	return m;
}

static int first_int(void *arg, int n, const char *const *v, const char *const *names)
{
	(void)names;
	if (n > 0)
		*(int64_t *)arg = catalog_col_int(v[0]);
	return 1;
}

int catalog_count(struct catalog *c, const char *sql, const char *const *params,
		  int nparams, int64_t *out, struct custos_err *err)
{
	*out = 0;
	return catalog_query(c, sql, params, nparams, first_int, out, err);
}
