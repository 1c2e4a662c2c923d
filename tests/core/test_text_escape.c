/*
 * tests/core/test_text_escape.c - text_escape, the one way names are
 * printed: valid UTF-8 unchanged, every invalid byte and control
 * character as \xHH, nothing dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/text.h"

static void check(const char *in, const char *want)
{
	char *got = text_escape(in);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_valid_kept(void **state)
{
	(void)state;
	check("", "");
	check("data/letters/1920.txt", "data/letters/1920.txt");
	check("data/caf\xc3\xa9 \xe2\x82\xac.txt", "data/caf\xc3\xa9 \xe2\x82\xac.txt");
	check("a\\b", "a\\b");             /* a backslash stays one */
}

static void test_invalid_escaped(void **state)
{
	(void)state;
	check("bad\xffname", "bad\\xffname");
	check("\xc3", "\\xc3");                       /* truncated sequence */
	check("\xc0\xaf", "\\xc0\\xaf");              /* overlong '/' */
	check("\xed\xa0\x80", "\\xed\\xa0\\x80");     /* a surrogate */
	check("x\xe2\x82", "x\\xe2\\x82");            /* cut at the end */
	check("\xe9t\xe9", "\\xe9t\\xe9");            /* Latin-1 */
}

static void test_controls_escaped(void **state)
{
	(void)state;
	check("line\nbreak\ttab\x7f", "line\\x0abreak\\x09tab\\x7f");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_kept),
		cmocka_unit_test(test_invalid_escaped),
		cmocka_unit_test(test_controls_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
