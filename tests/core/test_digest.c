/*
 * tests/core/test_digest.c - digest engine against published test vectors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/digest.h"

static void check_vector(enum digest_alg alg, const char *msg,
			 const char *want)
{
	char hex[DIGEST_HEX_MAX];
	struct custos_err err;

	assert_int_equal(digest_buffer(alg, msg, strlen(msg), hex, &err), 0);
	assert_string_equal(hex, want);
}

static void digest__abc_vectors(void **state)
{
	(void)state;
	check_vector(DIGEST_MD5, "abc", "900150983cd24fb0d6963f7d28e17f72");
	check_vector(DIGEST_SHA1, "abc",
		     "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_vector(DIGEST_SHA224, "abc",
		     "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
	check_vector(DIGEST_SHA256, "abc",
		     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_vector(DIGEST_SHA384, "abc",
		     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
		     "8086072ba1e7cc2358baeca134c825a7");
	check_vector(DIGEST_SHA512, "abc",
		     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	check_vector(DIGEST_BLAKE2B512, "abc",
		     "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
		     "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

static void digest__one_pass_matches_separate(void **state)
{
	struct digest_set *ds = NULL;
	struct digest_result res;
	struct custos_err err;
	char one[DIGEST_HEX_MAX];
	const char *msg = "The quick brown fox jumps over the lazy dog";

	(void)state;
	assert_int_equal(digest_set_new(&ds, DIGEST_BIT(DIGEST_SHA256) |
					DIGEST_BIT(DIGEST_SHA512) |
					DIGEST_BIT(DIGEST_MD5), &err), 0);
	/* fed in two pieces, finished, then reused after a reset */
	for (int round = 0; round < 2; round++) {
		assert_int_equal(digest_set_update(ds, msg, 10, &err), 0);
		assert_int_equal(digest_set_update(ds, msg + 10, strlen(msg) - 10,
						   &err), 0);
		assert_int_equal(digest_set_final(ds, &res, &err), 0);
		digest_buffer(DIGEST_SHA512, msg, strlen(msg), one, &err);
		assert_string_equal(res.hex[DIGEST_SHA512], one);
		assert_string_equal(res.hex[DIGEST_MD5],
				    "9e107d9d372bb6826bd81d3542a419d6");
		assert_string_equal(res.hex[DIGEST_SHA1], "");
		assert_int_equal(digest_set_reset(ds, &err), 0);
	}
	digest_set_free(ds);
}

static void digest__names_and_aliases(void **state)
{
	enum digest_alg alg;
	digest_mask mask;
	struct custos_err err;

	(void)state;
	assert_int_equal(digest_from_name(&alg, "SHA256"), 0);
	assert_int_equal(alg, DIGEST_SHA256);
	assert_int_equal(digest_from_name(&alg, "sha-1"), 0);
	assert_int_equal(alg, DIGEST_SHA1);
	assert_int_equal(digest_from_name(&alg, "blake2b"), 0);
	assert_int_equal(alg, DIGEST_BLAKE2B512);
	assert_int_equal(digest_from_name(&alg, "crc32"), -1);
	assert_int_equal(digest_mask_parse(&mask, "sha256, sha512", &err), 0);
	assert_int_equal(mask, DIGEST_BIT(DIGEST_SHA256) | DIGEST_BIT(DIGEST_SHA512));
	assert_int_equal(digest_mask_parse(&mask, "sha256,,", &err), -1);
	assert_int_equal(digest_mask_parse(&mask, "whirlpool", &err), -1);
	assert_non_null(strstr(err.msg, "whirlpool"));
	assert_true(digest_hex_valid(DIGEST_MD5, "900150983CD24FB0D6963F7D28E17F72"));
	assert_false(digest_hex_valid(DIGEST_MD5, "900150983cd24fb0d6963f7d28e17f7"));
	assert_false(digest_hex_valid(DIGEST_MD5, "900150983cd24fb0d6963f7d28e17f7g"));
	assert_true(digest_hex_equal("ABCdef", "abcDEF"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(digest__abc_vectors),
		cmocka_unit_test(digest__one_pass_matches_separate),
		cmocka_unit_test(digest__names_and_aliases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
