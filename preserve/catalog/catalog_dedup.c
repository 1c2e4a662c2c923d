/*
 * preserve/catalog/catalog_dedup.c - the versions holding the same payload
 * as a given one (catalog_dedup.h), in one statement: same file count and
 * bytes, and every file matched by path, size and digests.
 */
#include "preserve/catalog/catalog_dedup.h"

#include <stdio.h>
#include <stdlib.h>

#include "preserve/catalog/catalog_int.h"

/* Digest column D of f2 and f: equal where both are held (ALL); held by
 * both and equal (ANY). Plain SQL for every backend. */
#define ALL(d) " AND (f2." d " IS NULL OR f." d " IS NULL OR f2." d " = f." d ")"
#define ANY(d) " OR f2." d " = f." d

static const char same_sql[] =
	"SELECT o2.ident, v2.number FROM versions v"
	" JOIN objects o ON o.id = v.object_id"
	" JOIN versions v2 ON v2.id <> v.id AND v2.files = v.files AND v2.bytes = v.bytes"
	" JOIN objects o2 ON o2.id = v2.object_id"
	" WHERE o.ident = ?1 AND v.number = ?2 AND NOT EXISTS ("
	"  SELECT 1 FROM files f WHERE f.version_id = v.id AND NOT EXISTS ("
	"   SELECT 1 FROM files f2 WHERE f2.version_id = v2.id AND f2.path = f.path"
	"   AND f2.size = f.size"
	ALL("md5") ALL("sha1") ALL("sha224") ALL("sha256") ALL("sha384") ALL("sha512")
	ALL("blake2b512")
	"   AND (1 = 0" ANY("md5") ANY("sha1") ANY("sha224") ANY("sha256") ANY("sha384")
	ANY("sha512") ANY("blake2b512") ")))"
	" ORDER BY o2.ident, v2.number";

struct same {
	catalog_same_fn fn;
	void *arg;
	int stopped;
};

static int same_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct same *s = arg;

	(void)names;
	if (n != 2 || !v[0] || !v[1])
		return 0;
	return s->stopped = s->fn(s->arg, v[0], (int)strtol(v[1], NULL, 10));
}

int catalog_same_payload(struct catalog *c, const char *ident, int number,
			 catalog_same_fn fn, void *arg, struct custos_err *err)
{
	struct same s = { fn, arg, 0 };
	char num[16];
	const char *params[2] = { ident, num };

	snprintf(num, sizeof(num), "%d", number);
	if (catalog_query(c, same_sql, params, 2, same_row, &s, err) < 0)
		return -1;
	return s.stopped;
}
