/*
 * audit/report/report_json.c - small helpers of the report's JSON: values
 * the catalog may not know as null, and lookups into the built report.
 */
#include "audit/report/report_int.h"

#include <string.h>

json_t *rjson_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *rjson_maybe(struct catalog_maybe_int m)
{
	return m.known ? json_integer(m.value) : json_null();
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
