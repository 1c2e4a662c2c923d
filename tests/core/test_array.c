/*
 * tests/core/test_array.c - array_grow: capacity doubling, zero fill,
 * overflow refused with the array left as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/array.h"

static void test_grows_and_keeps(void **state)
{
	int *v = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(ARRAY_GROW(v, n, cap, 4), 0);
		assert_true(cap > n);
		v[n++] = i;
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	/* 4 doubled until it passes 999: 1024 */
	assert_int_equal(cap, 1024);
	free(v);
}

static void test_zero_filled(void **state)
{
	uint64_t *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ARRAY_GROW(v, 0, cap, 8), 0);
	for (size_t i = 0; i < cap; i++)
		assert_int_equal(v[i], 0);
	v[0] = 7;
	assert_int_equal(ARRAY_GROW(v, 8, cap, 8), 0);
	assert_int_equal(v[0], 7);
	for (size_t i = 1; i < cap; i++)
		assert_int_equal(v[i], 0);
	free(v);
}

static void test_overflow_refused(void **state)
{
	char big[1];
	char (*v)[1] = &big;    /* never reallocated: the size overflows */
	size_t cap = SIZE_MAX / 2 + 1;

	(void)state;
	assert_int_equal(array_grow(&v, &cap, cap, 4, 1), -1);
	assert_ptr_equal(v, &big);
	assert_int_equal(cap, SIZE_MAX / 2 + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_and_keeps),
		cmocka_unit_test(test_zero_filled),
		cmocka_unit_test(test_overflow_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
