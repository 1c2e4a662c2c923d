/*
 * tests/preserve/test_catalog_listing.c - the catalog's listings for ls,
 * show and log: each row typed as the catalog holds it, in order, only
 * the rows asked for, and a callback that stops a listing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "preserve/catalog/catalog.h"
#include "preserve/catalog/catalog_listing.h"
#include "tests/testutil.h"

struct fixture {
	char *tmp;
	struct catalog *c;
	int64_t loc_one, loc_two;
};

/* The catalog of every test: objects "b" (versions 1 and 2) and "a"
 * (version 1) in two locations, and four events. */
static const struct catalog_version versions[] = {
	{ .number = 1, .source = "first deposit", .files = 1, .bytes = 3 },
	{ .number = 1, .source = "b one", .files = 5, .bytes = 50 },
	{ .number = 2, .source = NULL, .files = 2, .bytes = 10 },
};
static const struct catalog_event events[] = {
	{ .type = "ing", .outcome = "suc", .object = "a", .version = 1, .location = "one",
	  .detail = "a in", .datetime = "2026-01-01T00:00:00Z" },
	{ .type = "ing", .outcome = "suc", .object = "b", .version = 2, .location = "one",
	  .detail = "b in", .datetime = "2026-02-01T00:00:00Z" },
	{ .type = "fix", .outcome = "fai", .object = "b", .version = 2, .location = "two",
	  .detail = "b missing", .datetime = "2026-03-01T00:00:00Z" },
	{ .type = "pol", .outcome = "suc", .datetime = "2026-03-02T00:00:00Z" },
};
#define NEVENTS (sizeof(events) / sizeof(events[0]))

static void add_file(struct catalog *c, int64_t vid, const char *path, uint64_t size,
		     char digit, const char *puid)
{
	struct digest_result dig = { .mask = DIGEST_BIT(DIGEST_SHA256) | DIGEST_BIT(DIGEST_MD5) };
	struct catalog_file f = { .path = path, .size = size, .dig = &dig, .puid = puid,
				  .format_name = puid ? "Plain Text File" : NULL };
	struct custos_err err;

	memset(dig.hex[DIGEST_SHA256], digit, 64);
	memset(dig.hex[DIGEST_MD5], digit, 32);
	assert_int_equal(catalog_file_add(c, vid, &f, &err), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct catalog_location one = { "one", "fs", "/one", NULL, NULL, NULL };
	struct catalog_location two = { "two", "fs", "/two", NULL, NULL, NULL };
	struct custos_err err;
	int64_t a, b, va, vb1, vb2;
	char *db;

	fx->tmp = tu_mkdtemp();
	db = tu_path(fx->tmp, "custos.db");
	assert_int_equal(catalog_open(&fx->c, db, true, &err), 0);
	free(db);
	assert_int_equal(catalog_begin(fx->c, &err), 0);
	assert_int_equal(catalog_location_put(fx->c, &one, &fx->loc_one, &err), 0);
	assert_int_equal(catalog_location_put(fx->c, &two, &fx->loc_two, &err), 0);
	assert_int_equal(catalog_object_add(fx->c, "b", &b, &err), 0);
	assert_int_equal(catalog_object_add(fx->c, "a", &a, &err), 0);
	struct catalog_version v = versions[0];
	v.object_id = a;
	assert_int_equal(catalog_version_add(fx->c, &v, &va, &err), 0);
	v = versions[1];
	v.object_id = b;
	assert_int_equal(catalog_version_add(fx->c, &v, &vb1, &err), 0);
	v = versions[2];
	v.object_id = b;
	assert_int_equal(catalog_version_add(fx->c, &v, &vb2, &err), 0);
	add_file(fx->c, vb2, "data/z", 4, '1', NULL);
	add_file(fx->c, vb2, "data/m", 6, '2', "x-fmt/111");
	add_file(fx->c, va, "data/only", 3, '3', NULL);
	/* b v2: verified in "one", missing in "two"; a v1: never verified */
	assert_int_equal(catalog_copy_put(fx->c, vb2, fx->loc_one, "ok", true, &err), 0);
	assert_int_equal(catalog_copy_put(fx->c, vb2, fx->loc_two, "missing", false, &err), 0);
	assert_int_equal(catalog_copy_put(fx->c, va, fx->loc_one, "ok", false, &err), 0);
	for (size_t i = 0; i < NEVENTS; i++)
		assert_int_equal(catalog_event_add(fx->c, &events[i], NULL, &err), 0);
	assert_int_equal(catalog_commit(fx->c, &err), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	catalog_close(fx->c);
	tu_rmrf(fx->tmp);
	free(fx->tmp);
	free(fx);
	return 0;
}

/* Rows as copied text, for comparing after the listing. */
struct seen {
	size_t n;
	char text[8][512];
	int stop_at;              /* stop with 7 at this row (from 1); 0: never */
};

__attribute__((format(printf, 2, 3)))
static int keep(struct seen *s, const char *fmt, ...)
{
	va_list ap;

	assert_true(s->n < 8);
	va_start(ap, fmt);
	vsnprintf(s->text[s->n++], sizeof(s->text[0]), fmt, ap);
	va_end(ap);
	return s->stop_at && (int)s->n == s->stop_at ? 7 : 0;
}

static const char *or_null(const char *s)
{
	return s ? s : "NULL";
}

static int object_row(void *arg, const struct catalog_object_row *o)
{
	return keep(arg, "%s v%d %llu files %llu bytes %s %lld ok", o->ident, o->latest,
		    (unsigned long long)o->files, (unsigned long long)o->bytes,
		    o->oldest_verified ? "verified" : "never", (long long)o->copies_ok);
}

static void listing__objects_with_latest_version(void **state)
{
	struct fixture *fx = *state;
	struct seen s = { 0 };
	struct custos_err err;
	char want[128];

	assert_int_equal(catalog_list_objects(fx->c, object_row, &s, &err), 0);
	assert_int_equal(s.n, 2);
	snprintf(want, sizeof(want), "a v%d %llu files %llu bytes never 1 ok", versions[0].number,
		 (unsigned long long)versions[0].files, (unsigned long long)versions[0].bytes);
	assert_string_equal(s.text[0], want);
	/* the missing copy was never verified: the oldest is the ok one's */
	snprintf(want, sizeof(want), "b v%d %llu files %llu bytes verified 1 ok", versions[2].number,
		 (unsigned long long)versions[2].files, (unsigned long long)versions[2].bytes);
	assert_string_equal(s.text[1], want);
}

static int version_row(void *arg, const struct catalog_version_row *v)
{
	return keep(arg, "%d %llu %llu %s %s", v->number, (unsigned long long)v->files,
		    (unsigned long long)v->bytes, or_null(v->source), v->created ? "dated" : "NULL");
}

static void listing__versions_of_one_object(void **state)
{
	struct fixture *fx = *state;
	struct seen s = { 0 };
	struct custos_err err;
	char want[128];

	assert_int_equal(catalog_list_versions(fx->c, "b", version_row, &s, &err), 0);
	assert_int_equal(s.n, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct catalog_version *v = &versions[1 + i];

		snprintf(want, sizeof(want), "%d %llu %llu %s dated", v->number,
			 (unsigned long long)v->files, (unsigned long long)v->bytes,
			 or_null(v->source));
		assert_string_equal(s.text[i], want);
	}
	s.n = 0;
	assert_int_equal(catalog_list_versions(fx->c, "nobody", version_row, &s, &err), 0);
	assert_int_equal(s.n, 0);
}

static int file_row(void *arg, const struct catalog_file_row *f)
{
	return keep(arg, "%s %llu %.4s %.4s %s %s %s", f->path, (unsigned long long)f->size,
		    or_null(f->hex[DIGEST_SHA256]), or_null(f->hex[DIGEST_MD5]),
		    or_null(f->hex[DIGEST_SHA512]), or_null(f->puid), or_null(f->format_name));
}

static void listing__files_of_one_version(void **state)
{
	struct fixture *fx = *state;
	struct seen s = { 0 };
	struct custos_err err;

	assert_int_equal(catalog_list_files(fx->c, "b", 2, file_row, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.text[0], "data/m 6 2222 2222 NULL x-fmt/111 Plain Text File");
	assert_string_equal(s.text[1], "data/z 4 1111 1111 NULL NULL NULL");
	s.n = 0;
	assert_int_equal(catalog_list_files(fx->c, "b", 1, file_row, &s, &err), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(catalog_list_files(fx->c, "a", 1, file_row, &s, &err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.text[0], "data/only 3 3333 3333 NULL NULL NULL");
}

static int copy_row(void *arg, const struct catalog_copy_row *c)
{
	return keep(arg, "%s %s %s", c->location, c->status,
		    c->last_verified ? "verified" : "never");
}

static void listing__copies_in_location_order(void **state)
{
	struct fixture *fx = *state;
	struct seen s = { 0 };
	struct custos_err err;

	assert_int_equal(catalog_list_copies(fx->c, "b", 2, copy_row, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.text[0], "one ok verified");
	assert_string_equal(s.text[1], "two missing never");
	s.n = 0;
	assert_int_equal(catalog_list_copies(fx->c, "b", 1, copy_row, &s, &err), 0);
	assert_int_equal(s.n, 0);
}

static int event_row(void *arg, const struct catalog_event_row *e)
{
	/* the record is the event's JSON, with its detail */
	const char *detail = strstr(e->record, "\"detail\"");

	assert_int_equal(strlen(e->hash), 64);
	return keep(arg, "%lld %s %s %s %s v%d %s %s", (long long)e->id, e->datetime, e->type,
		    e->outcome, or_null(e->object), e->version, or_null(e->location),
		    detail ? "detail" : "-");
}

/* The events of OBJECT since SINCE, as event_row writes them. */
static size_t want_events(const char *object, const char *since, char want[][512])
{
	size_t n = 0;

	for (size_t i = 0; i < NEVENTS; i++) {
		const struct catalog_event *e = &events[i];

		if ((object && (!e->object || strcmp(e->object, object))) ||
		    (since && strcmp(e->datetime, since) < 0))
			continue;
		snprintf(want[n++], 512, "%zu %s %s %s %s v%d %s %s", i + 1, e->datetime, e->type,
			 e->outcome, or_null(e->object), e->version, or_null(e->location),
			 e->detail ? "detail" : "-");
	}
	return n;
}

static void listing__events_by_object_and_date(void **state)
{
	static const char *const objects[] = { NULL, "b", "a", "nobody" };
	static const char *const sinces[] = { NULL, "2026-02-15", "2026-03-01T00:00:00Z",
					      "2027-01-01" };
	struct fixture *fx = *state;
	struct custos_err err;
	char want[NEVENTS][512];

	for (size_t o = 0; o < 4; o++)
		for (size_t d = 0; d < 4; d++) {
			struct seen s = { 0 };
			size_t n = want_events(objects[o], sinces[d], want);

			assert_int_equal(catalog_list_events(fx->c, objects[o], sinces[d],
							     event_row, &s, &err), 0);
			assert_int_equal(s.n, n);
			for (size_t i = 0; i < n; i++)
				assert_string_equal(s.text[i], want[i]);
		}
}

static void listing__callback_stops(void **state)
{
	struct fixture *fx = *state;
	struct seen s = { .stop_at = 2 };
	struct custos_err err;

	assert_int_equal(catalog_list_events(fx->c, NULL, NULL, event_row, &s, &err), 7);
	assert_int_equal(s.n, 2);
	s = (struct seen){ .stop_at = 1 };
	assert_int_equal(catalog_list_objects(fx->c, object_row, &s, &err), 7);
	assert_int_equal(s.n, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(listing__objects_with_latest_version),
		T(listing__versions_of_one_object),
		T(listing__files_of_one_version),
		T(listing__copies_in_location_order),
		T(listing__events_by_object_and_date),
		T(listing__callback_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
