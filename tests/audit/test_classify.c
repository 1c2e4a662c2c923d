/*
 * tests/audit/test_classify.c - the auditor's naming of damage: which
 * extra files are the bag's own tag files, and when a missing file counts
 * as moved (same size and digest elsewhere; never for empty files;
 * ambiguous when the content is at several paths or was several files').
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "audit/auditor/audit_int.h"

static void classify__tag_files(void **state)
{
	(void)state;
	assert_true(audit_is_tag_file("bagit.txt"));
	assert_true(audit_is_tag_file("bag-info.txt"));
	assert_true(audit_is_tag_file("manifest-sha256.txt"));
	assert_true(audit_is_tag_file("tagmanifest-md5.txt"));
	assert_true(audit_is_tag_file("metadata/formats.tsv"));
	assert_false(audit_is_tag_file("data/manifest-sha256.txt"));
	assert_false(audit_is_tag_file("data/bagit.txt"));
	assert_false(audit_is_tag_file("fetch.txt"));
	assert_false(audit_is_tag_file("manifest-sha256.txt.bak"));
	assert_false(audit_is_tag_file("notes.txt"));
}

static const char *const H1 = "1111", *const H2 = "2222", *const HE = "e3b0";

static void classify__plain_move(void **state)
{
	struct audit_missing m[] = { { .path = "data/a", .size = 5, .hex = H1 } };
	struct audit_extra x[] = {
		{ .path = "data/z", .size = 5, .hex = H2 },
		{ .path = "data/b", .size = 5, .hex = H1 },
		{ .path = "data/c", .size = 6, .hex = NULL },
	};

	(void)state;
	assert_int_equal(audit_classify_moves(m, 1, x, 3), 0);
	assert_true(m[0].match >= 0);
	assert_string_equal(x[m[0].match].path, "data/b");
	assert_false(audit_move_ambiguous(&m[0]));
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(x[i].claimed, !strcmp(x[i].path, "data/b"));
}

static void classify__empty_never_moves(void **state)
{
	struct audit_missing m[] = { { .path = "data/e", .size = 0, .hex = HE } };
	struct audit_extra x[] = { { .path = "data/f", .size = 0, .hex = HE } };

	(void)state;
	assert_int_equal(audit_classify_moves(m, 1, x, 1), 0);
	assert_int_equal(m[0].match, -1);
	assert_false(x[0].claimed);
}

static void classify__ambiguous_duplicates(void **state)
{
	struct audit_missing m[] = { { .path = "data/d", .size = 5, .hex = H2 } };
	struct audit_extra x[] = {
		{ .path = "data/x2", .size = 5, .hex = H2 },
		{ .path = "data/x1", .size = 5, .hex = H2 },
	};

	(void)state;
	assert_int_equal(audit_classify_moves(m, 1, x, 2), 0);
	assert_int_equal(m[0].ncand, 2);
	assert_true(audit_move_ambiguous(&m[0]));
	assert_string_equal(x[m[0].match].path, "data/x1");   /* sorted */
	assert_true(x[0].claimed && x[1].claimed);
}

static void classify__shared_content(void **state)
{
	struct audit_missing m[] = {
		{ .path = "data/m1", .size = 5, .hex = H1 },
		{ .path = "data/m2", .size = 5, .hex = H1 },
		{ .path = "data/m3", .size = 5, .hex = H2 },
	};
	struct audit_extra x[] = { { .path = "data/y", .size = 5, .hex = H1 } };

	(void)state;
	assert_int_equal(audit_classify_moves(m, 3, x, 1), 0);
	assert_true(audit_move_ambiguous(&m[0]));
	assert_true(audit_move_ambiguous(&m[1]));
	assert_int_equal(m[2].match, -1);          /* nothing holds H2 */
	assert_false(audit_move_ambiguous(&m[2]));
}

static void classify__size_must_match(void **state)
{
	struct audit_missing m[] = { { .path = "data/a", .size = 5, .hex = H1 } };
	struct audit_extra x[] = { { .path = "data/b", .size = 7, .hex = H1 } };

	(void)state;
	assert_int_equal(audit_classify_moves(m, 1, x, 1), 0);
	assert_int_equal(m[0].match, -1);
	assert_false(x[0].claimed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classify__tag_files),
		cmocka_unit_test(classify__plain_move),
		cmocka_unit_test(classify__empty_never_moves),
		cmocka_unit_test(classify__ambiguous_duplicates),
		cmocka_unit_test(classify__shared_content),
		cmocka_unit_test(classify__size_must_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
