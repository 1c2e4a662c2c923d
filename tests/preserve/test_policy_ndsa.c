/*
 * tests/preserve/test_policy_ndsa.c - the NDSA Levels 2.0 cell list: every
 * cell's id names its area and level, ids are unique, each area has cells
 * at levels 1 to 4, and lookups find cells by id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "preserve/policy/policy_ndsa.h"

static const char area_letter[POLICY_NDSA_AREAS] = {
	[POLICY_NDSA_STORAGE] = 'S', [POLICY_NDSA_INTEGRITY] = 'I',
	[POLICY_NDSA_CONTROL] = 'C', [POLICY_NDSA_METADATA] = 'M',
	[POLICY_NDSA_CONTENT] = 'N',
};

static void test_ids_name_area_and_level(void **state)
{
	size_t n;
	const struct policy_ndsa_cell *c = policy_ndsa_cells(&n);
	int levels[POLICY_NDSA_AREAS] = { 0 };   /* bit L set: a cell at level L */

	(void)state;
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(c[i].id), 3);
		assert_int_equal(c[i].id[0], area_letter[c[i].area]);
		assert_int_equal(c[i].id[1] - '0', c[i].level);
		assert_true(!strcmp(c[i].kind, "M") || !strcmp(c[i].kind, "H") ||
			    !strcmp(c[i].kind, "A"));
		assert_true(c[i].requirement[0] != '\0');
		assert_ptr_equal(policy_ndsa_cell(c[i].id), &c[i]);   /* unique */
		levels[c[i].area] |= 1 << c[i].level;
	}
	for (int a = 0; a < POLICY_NDSA_AREAS; a++)
		assert_int_equal(levels[a], 0x1e);                     /* levels 1-4 */
}

static void test_lookup(void **state)
{
	(void)state;
	assert_int_equal(policy_ndsa_cell("S2a")->level, 2);
	assert_int_equal(policy_ndsa_cell("S2a")->area, POLICY_NDSA_STORAGE);
	assert_null(policy_ndsa_cell("S9z"));
	assert_string_equal(policy_ndsa_area_name(POLICY_NDSA_INTEGRITY), "integrity");
	assert_string_equal(policy_ndsa_area_name(POLICY_NDSA_CONTENT), "content");
	assert_null(policy_ndsa_area_name(POLICY_NDSA_AREAS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_name_area_and_level),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
