/*
 * tests/preserve/test_catalog_audit.c - the auditor's catalog: which copies
 * are due, a copy's files in cycle order, file checks that count (or, for a
 * sample, do not) and the closing of a copy's verification cycle.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "preserve/catalog/catalog_int.h"
#include "preserve/catalog/catalog_audit.h"
#include "tests/testutil.h"

struct fx {
	char *dir;
	struct catalog *cat;
};

static void add_file(struct catalog *cat, int64_t vid, const char *path,
		     const char *hex)
{
	struct digest_result d = { .mask = DIGEST_BIT(DIGEST_SHA256) };
	struct catalog_file f = { .path = path, .size = 3, .dig = &d };
	struct custos_err err;

	memcpy(d.hex[DIGEST_SHA256], hex, strlen(hex) + 1);
	assert_int_equal(catalog_file_add(cat, vid, &f, &err), 0);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct catalog_location loc = { .name = "primary", .type = "filesystem",
					.where = "/x" };
	struct catalog_version ver = { .number = 1, .files = 3, .bytes = 9 };
	struct custos_err err;
	int64_t lid, oid, vid;
	char *db;

	fx->dir = tu_mkdtemp();
	db = tu_path(fx->dir, "c.db");
	assert_int_equal(catalog_open(&fx->cat, db, true, &err), 0);
	free(db);
	assert_int_equal(catalog_begin(fx->cat, &err), 0);
	assert_int_equal(catalog_location_put(fx->cat, &loc, &lid, &err), 0);
	assert_int_equal(catalog_object_add(fx->cat, "obj", &oid, &err), 0);
	ver.object_id = oid;
	assert_int_equal(catalog_version_add(fx->cat, &ver, &vid, &err), 0);
	add_file(fx->cat, vid, "data/a", "aa");
	add_file(fx->cat, vid, "data/b", "bb");
	add_file(fx->cat, vid, "data/c", "cc");
	assert_int_equal(catalog_copy_put(fx->cat, vid, lid, "ok", true, &err), 0);
	assert_int_equal(catalog_commit(fx->cat, &err), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	catalog_close(fx->cat);
	tu_rmrf(fx->dir);
	free(fx->dir);
	free(fx);
	return 0;
}

static size_t count_copies(struct catalog *cat, const char *due_before)
{
	struct catalog_audit_copy *v = NULL;
	size_t n = 0;
	struct custos_err err;

	assert_int_equal(catalog_audit_copies(cat, NULL, due_before, &v, &n, &err), 0);
	catalog_audit_copies_free(v, n);
	return n;
}

static void due__selection(void **state)
{
	struct fx *fx = *state;
	struct custos_err err;
	bool done;

	assert_int_equal(count_copies(fx->cat, NULL), 1);               /* --all */
	assert_int_equal(count_copies(fx->cat, "2000-01-01T00:00:00Z"), 0); /* fresh */
	assert_int_equal(count_copies(fx->cat, "2999-01-01T00:00:00Z"), 1); /* old */
	/* a damaged copy is always due */
	assert_int_equal(catalog_audit_copy_done(fx->cat, 1, "damaged", "2026-01-01T00:00:00Z",
						 &done, &err), 0);
	assert_false(done);
	assert_int_equal(count_copies(fx->cat, "2000-01-01T00:00:00Z"), 1);
}

static void files_in_order(struct catalog *cat, const char *want, size_t npending)
{
	struct catalog_audit_file *f = NULL;
	size_t n = 0, pending = 0;
	char got[64] = "";
	struct custos_err err;

	assert_int_equal(catalog_audit_files(cat, 1, &f, &n, &err), 0);
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(got);

		got[k] = f[i].path[5];              /* "data/X" */
		got[k + 1] = '\0';
		pending += f[i].pending;
		assert_non_null(f[i].hex[DIGEST_SHA256]);
		assert_null(f[i].hex[DIGEST_SHA512]);
	}
	assert_string_equal(got, want);
	assert_int_equal(pending, npending);
	catalog_audit_files_free(f, n);
}

static void cycle__resume_and_close(void **state)
{
	struct fx *fx = *state;
	struct catalog_file_check b = { .file_id = 2, .state = "verified", .counts = true };
	struct catalog_file_check a = { .file_id = 1, .state = "changed", .counts = true };
	struct catalog_file_check c_sample = { .file_id = 3, .state = "verified" };
	struct catalog_file_check c = { .file_id = 3, .state = "verified", .counts = true };
	struct custos_err err;
	bool done;

	files_in_order(fx->cat, "abc", 3);
	/* run 1 checks b: a and c stay pending, never-checked first */
	assert_int_equal(catalog_file_checks_put(fx->cat, 1, 1, "2026-01-01T00:00:00Z",
						 &b, 1, &err), 0);
	assert_int_equal(catalog_audit_copy_done(fx->cat, 1, "ok", "2026-01-01T00:00:00Z",
						 &done, &err), 0);
	assert_false(done);
	files_in_order(fx->cat, "acb", 2);
	/* a sampled file does not count for the cycle */
	assert_int_equal(catalog_file_checks_put(fx->cat, 1, 1, "2026-01-02T00:00:00Z",
						 &c_sample, 1, &err), 0);
	files_in_order(fx->cat, "acb", 2);
	/* run 2 checks a and c: the cycle closes, the next one begins */
	assert_int_equal(catalog_file_checks_put(fx->cat, 1, 1, "2026-01-03T00:00:00Z",
						 &a, 1, &err), 0);
	assert_int_equal(catalog_file_checks_put(fx->cat, 1, 1, "2026-01-03T00:00:00Z",
						 &c, 1, &err), 0);
	assert_int_equal(catalog_audit_copy_done(fx->cat, 1, "damaged",
						 "2026-01-03T00:00:00Z", &done, &err), 0);
	assert_true(done);
	/* cycle 2: all pending again, oldest check first (b, then a and c) */
	files_in_order(fx->cat, "bac", 3);
	{
		struct catalog_audit_copy *v = NULL;
		size_t n = 0;

		assert_int_equal(catalog_audit_copies(fx->cat, "obj", NULL, &v, &n, &err), 0);
		assert_int_equal(n, 1);
		assert_int_equal(v[0].cycle, 2);
		assert_string_equal(v[0].status, "damaged");
		assert_string_equal(v[0].last_verified, "2026-01-03T00:00:00Z");
		assert_int_equal(v[0].files, 3);
		catalog_audit_copies_free(v, n);
	}
}

static char row[256];

static int one_row(void *arg, int ncols, const char *const *vals,
		   const char *const *names)
{
	(void)names;
	assert_int_equal(ncols, 1);
	snprintf(arg, sizeof(row), "%s", vals[0]);
	return 0;
}

static void runs__recorded(void **state)
{
	struct fx *fx = *state;
	struct catalog_audit_run r = { .started = "s", .ended = "e", .files = 4,
				       .bytes = 12, .findings = 1,
				       .budget_reached = true, .summary = "{}" };
	struct custos_err err;
	int64_t id = 0;

	assert_int_equal(catalog_audit_run_add(fx->cat, "2026-01-01T00:00:00Z", &id, &err), 0);
	assert_true(id > 0);
	assert_int_equal(catalog_audit_run_end(fx->cat, id, &r, &err), 0);
	assert_int_equal(catalog_query(fx->cat, "SELECT started || '|' || ended || '|' ||"
				       " files || '|' || bytes || '|' || findings || '|' ||"
				       " budget_reached || '|' || summary FROM audit_runs",
				       NULL, 0, one_row, row, &err), 0);
	assert_string_equal(row, "2026-01-01T00:00:00Z|e|4|12|1|1|{}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(due__selection, setup, teardown),
		cmocka_unit_test_setup_teardown(cycle__resume_and_close, setup, teardown),
		cmocka_unit_test_setup_teardown(runs__recorded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
