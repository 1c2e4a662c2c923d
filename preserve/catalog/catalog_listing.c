/*
 * preserve/catalog/catalog_listing.c - the listings of catalog_listing.h:
 * each one statement through catalog_query, its text columns turned into
 * a typed row. Standard SQL with ? placeholders only.
 */
#include "preserve/catalog/catalog_listing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "preserve/catalog/catalog_int.h"

/* What every listing's row adapter holds: the caller's callback (one of
 * the typed ones) and the value it stopped with. */
struct listing {
	void (*fn)(void);            /* cast back to the listing's type */
	void *arg;
	int stopped;
};

static int64_t int_col(const char *v)
{
	return v ? strtoll(v, NULL, 10) : 0;
}

static uint64_t uint_col(const char *v)
{
	return v ? strtoull(v, NULL, 10) : 0;
}

/* Run SQL and give the listing's result: -1, the stop value, or 0. */
static int run(struct catalog *c, const char *sql, const char *const *params,
	       int nparams, catalog_row_fn adapt, struct listing *l,
	       struct custos_err *err)
{
	if (catalog_query(c, sql, params, nparams, adapt, l, err) < 0)
		return -1;
	return l->stopped;
}

/* The first value of bag-info tag LABEL (any case) that is not blank, in
 * BAG_INFO (the stored JSON array of [label, value] pairs); NULL if none. */
static const char *bag_info_tag(json_t *bag_info, const char *label)
{
	size_t i;
	json_t *pair;

	json_array_foreach(bag_info, i, pair) {
		const char *l = json_string_value(json_array_get(pair, 0));
		const char *v = json_string_value(json_array_get(pair, 1));

		if (l && v && !strcasecmp(l, label) && v[strspn(v, " \t")])
			return v;
	}
	return NULL;
}

static const char objects_sql[] =
	"SELECT o.ident, v.number, v.files, v.bytes,"
	" (SELECT MIN(c.last_verified) FROM copies c WHERE c.version_id = v.id),"
	" (SELECT COUNT(*) FROM copies c WHERE c.version_id = v.id AND c.status = 'ok'),"
	" v.bag_info, v.source"
	" FROM objects o JOIN versions v ON v.object_id = o.id"
	" WHERE v.number = (SELECT MAX(number) FROM versions WHERE object_id = o.id)"
	" ORDER BY o.ident";

static int object_adapt(void *arg, int n, const char *const *v, const char *const *names)
{
	struct listing *l = arg;
	catalog_object_row_fn fn = (catalog_object_row_fn)l->fn;
	struct catalog_object_row row;
	json_t *bag_info;

	(void)names;
	if (n != 8 || !v[0])
		return 0;
	bag_info = v[6] ? json_loads(v[6], 0, NULL) : NULL;
	row = (struct catalog_object_row){
		.ident = v[0], .latest = (int)int_col(v[1]), .files = uint_col(v[2]),
		.bytes = uint_col(v[3]), .oldest_verified = v[4], .copies_ok = int_col(v[5]),
		.title = bag_info_tag(bag_info, "Title"),
		.external_id = bag_info_tag(bag_info, "External-Identifier"), .source = v[7],
	};
	l->stopped = fn(l->arg, &row);
	json_decref(bag_info);
	return l->stopped;
}

int catalog_list_objects(struct catalog *c, catalog_object_row_fn fn, void *arg,
			 struct custos_err *err)
{
	struct listing l = { .fn = (void (*)(void))fn, .arg = arg };

	return run(c, objects_sql, NULL, 0, object_adapt, &l, err);
}

static const char versions_sql[] =
	"SELECT v.number, v.created, v.files, v.bytes, v.source"
	" FROM versions v JOIN objects o ON o.id = v.object_id"
	" WHERE o.ident = ? ORDER BY v.number";

static int version_adapt(void *arg, int n, const char *const *v, const char *const *names)
{
	struct listing *l = arg;
	catalog_version_row_fn fn = (catalog_version_row_fn)l->fn;
	struct catalog_version_row row;

	(void)names;
	if (n != 5)
		return 0;
	row = (struct catalog_version_row){
		.number = (int)int_col(v[0]), .created = v[1], .files = uint_col(v[2]),
		.bytes = uint_col(v[3]), .source = v[4],
	};
	return l->stopped = fn(l->arg, &row);
}

int catalog_list_versions(struct catalog *c, const char *ident,
			  catalog_version_row_fn fn, void *arg, struct custos_err *err)
{
	struct listing l = { .fn = (void (*)(void))fn, .arg = arg };
	const char *params[1] = { ident };

	return run(c, versions_sql, params, 1, version_adapt, &l, err);
}

/* The digest columns, in enum digest_alg order (their names are
 * digest_name's), then the format record. */
_Static_assert(DIGEST_COUNT == 7, "files_sql names one column per digest");
static const char files_sql[] =
	"SELECT f.path, f.size, f.md5, f.sha1, f.sha224, f.sha256, f.sha384, f.sha512,"
	" f.blake2b512, f.puid, f.format_name, f.format_version, f.mime, f.basis"
	" FROM files f JOIN versions v ON v.id = f.version_id"
	" JOIN objects o ON o.id = v.object_id WHERE o.ident = ? AND v.number = ?"
	" ORDER BY f.path";

static int file_adapt(void *arg, int n, const char *const *v, const char *const *names)
{
	struct listing *l = arg;
	catalog_file_row_fn fn = (catalog_file_row_fn)l->fn;
	const char *const *fmt = v + 2 + DIGEST_COUNT;
	struct catalog_file_row row;

	(void)names;
	if (n != 2 + DIGEST_COUNT + 5 || !v[0])
		return 0;
	row = (struct catalog_file_row){
		.path = v[0], .size = uint_col(v[1]), .puid = fmt[0], .format_name = fmt[1],
		.format_version = fmt[2], .mime = fmt[3], .basis = fmt[4],
	};
	for (int a = 0; a < DIGEST_COUNT; a++)
		row.hex[a] = v[2 + a];
	return l->stopped = fn(l->arg, &row);
}

int catalog_list_files(struct catalog *c, const char *ident, int number,
		       catalog_file_row_fn fn, void *arg, struct custos_err *err)
{
	struct listing l = { .fn = (void (*)(void))fn, .arg = arg };
	char num[16];
	const char *params[2] = { ident, num };

	snprintf(num, sizeof(num), "%d", number);
	return run(c, files_sql, params, 2, file_adapt, &l, err);
}

static const char copies_sql[] =
	"SELECT l.name, c.status, c.last_verified FROM copies c"
	" JOIN locations l ON l.id = c.location_id JOIN versions v ON v.id = c.version_id"
	" JOIN objects o ON o.id = v.object_id WHERE o.ident = ? AND v.number = ?"
	" ORDER BY l.id";

static int copy_adapt(void *arg, int n, const char *const *v, const char *const *names)
{
	struct listing *l = arg;
	catalog_copy_row_fn fn = (catalog_copy_row_fn)l->fn;
	struct catalog_copy_row row;

	(void)names;
	if (n != 3)
		return 0;
	row = (struct catalog_copy_row){ .location = v[0], .status = v[1],
					 .last_verified = v[2] };
	return l->stopped = fn(l->arg, &row);
}

int catalog_list_copies(struct catalog *c, const char *ident, int number,
			catalog_copy_row_fn fn, void *arg, struct custos_err *err)
{
	struct listing l = { .fn = (void (*)(void))fn, .arg = arg };
	char num[16];
	const char *params[2] = { ident, num };

	snprintf(num, sizeof(num), "%d", number);
	return run(c, copies_sql, params, 2, copy_adapt, &l, err);
}

static int event_adapt(void *arg, int n, const char *const *v, const char *const *names)
{
	struct listing *l = arg;
	catalog_event_row_fn fn = (catalog_event_row_fn)l->fn;
	struct catalog_event_row row;

	(void)names;
	if (n != 10 || !v[8])
		return 0;
	row = (struct catalog_event_row){
		.id = int_col(v[0]), .uuid = v[1], .datetime = v[2], .type = v[3],
		.outcome = v[4], .object = v[5], .version = (int)int_col(v[6]),
		.location = v[7], .record = v[8], .hash = v[9],
	};
	return l->stopped = fn(l->arg, &row);
}

int catalog_list_events(struct catalog *c, const char *object, const char *since,
			catalog_event_row_fn fn, void *arg, struct custos_err *err)
{
	struct listing l = { .fn = (void (*)(void))fn, .arg = arg };
	const char *params[2];
	int nparams = 0;
	char sql[256];

	/* Only the conditions asked for, so every placeholder has a value
	 * (and a type a server-side database can infer). */
	if (object)
		params[nparams++] = object;
	if (since)
		params[nparams++] = since;
	snprintf(sql, sizeof(sql),
		 "SELECT id, uuid, datetime, type, outcome, object, version, location,"
		 " record, hash FROM events%s%s%s ORDER BY id",
		 nparams ? " WHERE " : "", object ? "object = ?" : "",
		 since ? (object ? " AND datetime >= ?" : "datetime >= ?") : "");
	return run(c, sql, params, nparams, event_adapt, &l, err);
}
