/*
 * audit/report/report_sql.c - catalog queries as JSON for the report, and
 * small lookups into the built report.
 */
#include "audit/report/report_int.h"

#include <stdlib.h>
#include <string.h>

static int add_row(void *arg, int n, const char *const *v, const char *const *names)
{
	json_t *row = json_object();

	if (!row)
		return 1;
	for (int i = 0; i < n; i++) {
		const char *k = names[i];
		json_t *val;

		if (!strncmp(k, "i:", 2)) {
			k += 2;
			val = v[i] ? json_integer(strtoll(v[i], NULL, 10)) : json_null();
		} else {
			val = v[i] ? json_string(v[i]) : json_null();
		}
		json_object_set_new(row, k, val);
	}
	return json_array_append_new(arg, row) != 0;
}

int rsql_rows(struct catalog *c, const char *sql, const char *const *p, int np,
	      json_t **out, struct custos_err *err)
{
	json_t *a = json_array();

	if (!a)
		return err_nomem(err);
	if (catalog_query(c, sql, p, np, add_row, a, err) < 0) {
		json_decref(a);
		return -1;
	}
	*out = a;
	return 0;
}

static int first_int(void *arg, int n, const char *const *v, const char *const *names)
{
	(void)names;
	if (n > 0 && v[0])
		*(int64_t *)arg = strtoll(v[0], NULL, 10);
	return 1;
}

int rsql_int(struct catalog *c, const char *sql, const char *const *p, int np,
	     int64_t *out, struct custos_err *err)
{
	*out = 0;
	return catalog_query(c, sql, p, np, first_int, out, err);
}

json_t *rjson_get(json_t *j, const char *path)
{
	char key[128];

	while (j && *path) {
		size_t n = strcspn(path, "/");

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		j = json_object_get(j, key);
		path += n + (path[n] == '/');
	}
	return j;
}

int64_t rjson_int(json_t *j, const char *path)
{
	return json_integer_value(rjson_get(j, path));
}

int rsql_snapshot_begin(struct catalog *c, struct custos_err *err)
{
	int64_t n;

	/* BEGIN counts as read-only for catalog_query; the first read then
	 * fixes the WAL snapshot every later query of the report sees */
	if (catalog_query(c, "BEGIN", NULL, 0, NULL, NULL, err) < 0)
		return -1;
	if (rsql_int(c, "SELECT COUNT(*) FROM events", NULL, 0, &n, err) < 0) {
		catalog_rollback(c);
		return -1;
	}
	return 0;
}

void rsql_snapshot_end(struct catalog *c)
{
	catalog_rollback(c);
}
