/*
 * tests/audit/test_merkle.c - the RFC 9162 Merkle tree against the
 * published test vectors (standards.md 7.2; the Certificate Transparency
 * reference tests): roots of sizes 0-8, inclusion and consistency proofs
 * for several sizes, and that every tampered proof or root is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "core/merkle.h"

static const char *const inputs[8] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

static const char *const roots[9] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static struct merkle_hash leaves[8];

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < 8; i++) {
		unsigned char raw[16];
		size_t n = strlen(inputs[i]) / 2;

		for (size_t j = 0; j < n; j++) {
			unsigned v;

			sscanf(inputs[i] + 2 * j, "%2x", &v);
			raw[j] = (unsigned char)v;
		}
		if (merkle_leaf(&leaves[i], raw, n) < 0)
			return -1;
	}
	return 0;
}

static void want_hex(const struct merkle_hash *h, const char *hex)
{
	char got[2 * MERKLE_HASH + 1];

	merkle_hex(got, h);
	assert_string_equal(got, hex);
}

static void root_of(struct merkle_hash *r, size_t n)
{
	assert_int_equal(merkle_unhex(r, roots[n]), 0);
}

static void merkle__roots(void **state)
{
	struct merkle_hash r;

	(void)state;
	for (size_t n = 0; n <= 8; n++) {
		assert_int_equal(merkle_root(&r, leaves, n), 0);
		want_hex(&r, roots[n]);
	}
}

struct proof_vec {
	size_t a, n, len;
	const char *hashes[4];
};

static const struct proof_vec inclusion[] = {
	{ 0, 8, 3, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 5, 8, 3, { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
		     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
		     "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2, 3, 1, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
	{ 1, 5, 3, { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
	{ 0, 1, 0, { NULL } },
};

static const struct proof_vec consistency[] = {
	{ 1, 8, 3, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 6, 8, 3, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
		     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
		     "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2, 5, 2, { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
	{ 3, 7, 4, { "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
		     "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
		     "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		     "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e" } },
	{ 4, 8, 1, { "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 8, 8, 0, { NULL } },
};

/* The streamed head equals the RFC 9162 vector at every size. */
static void merkle__stream_roots(void **state)
{
	struct merkle_stream ms;
	struct merkle_hash r;

	(void)state;
	merkle_stream_init(&ms);
	assert_int_equal(merkle_stream_root(&ms, &r), 0);
	want_hex(&r, roots[0]);
	for (int i = 0; i < 8; i++) {
		unsigned char raw[16];
		size_t n = strlen(inputs[i]) / 2;

		for (size_t j = 0; j < n; j++) {
			unsigned v;

			sscanf(inputs[i] + 2 * j, "%2x", &v);
			raw[j] = (unsigned char)v;
		}
		assert_int_equal(merkle_stream_push(&ms, raw, n), 0);
		assert_int_equal(merkle_stream_root(&ms, &r), 0);
		want_hex(&r, roots[i + 1]);
	}
}

static void merkle__inclusion_vectors(void **state)
{
	struct merkle_hash path[MERKLE_MAX_PATH], root, bad;
	struct custos_err err;
	size_t np;

	(void)state;
	for (size_t v = 0; v < sizeof(inclusion) / sizeof(inclusion[0]); v++) {
		const struct proof_vec *t = &inclusion[v];

		assert_int_equal(merkle_inclusion_proof(path, &np, leaves, t->n, t->a, &err), 0);
		assert_int_equal(np, t->len);
		for (size_t i = 0; i < np; i++)
			want_hex(&path[i], t->hashes[i]);
		root_of(&root, t->n);
		assert_true(merkle_inclusion_verify(&leaves[t->a], t->a, t->n, path, np, &root));
		/* another leaf or root, or a changed path: refused */
		assert_false(merkle_inclusion_verify(&leaves[(t->a + 1) % 8], t->a, t->n,
						     path, np, &root));
		bad = root;
		bad.b[0] ^= 1;
		assert_false(merkle_inclusion_verify(&leaves[t->a], t->a, t->n, path, np, &bad));
		if (np) {
			path[np - 1].b[31] ^= 0x80;
			assert_false(merkle_inclusion_verify(&leaves[t->a], t->a, t->n,
							     path, np, &root));
		}
	}
	assert_int_equal(merkle_inclusion_proof(path, &np, leaves, 3, 3, &err), -1);
}

static void merkle__consistency_vectors(void **state)
{
	struct merkle_hash path[MERKLE_MAX_PATH], rm, rn, bad;
	struct custos_err err;
	size_t np;

	(void)state;
	for (size_t v = 0; v < sizeof(consistency) / sizeof(consistency[0]); v++) {
		const struct proof_vec *t = &consistency[v];

		assert_int_equal(merkle_consistency_proof(path, &np, leaves, t->n, t->a,
							  &err), 0);
		assert_int_equal(np, t->len);
		for (size_t i = 0; i < np; i++)
			want_hex(&path[i], t->hashes[i]);
		root_of(&rm, t->a);
		root_of(&rn, t->n);
		assert_true(merkle_consistency_verify(t->a, t->n, &rm, &rn, path, np));
		bad = rm;
		bad.b[5] ^= 1;
		assert_false(merkle_consistency_verify(t->a, t->n, &bad, &rn, path, np));
		bad = rn;
		bad.b[5] ^= 1;
		assert_false(merkle_consistency_verify(t->a, t->n, &rm, &bad, path, np));
		if (np) {
			path[0].b[0] ^= 1;
			assert_false(merkle_consistency_verify(t->a, t->n, &rm, &rn, path, np));
		}
	}
	assert_int_equal(merkle_consistency_proof(path, &np, leaves, 8, 0, &err), -1);
	assert_int_equal(merkle_consistency_proof(path, &np, leaves, 5, 6, &err), -1);
}

/* Every proof of every pair of sizes up to 8 verifies (not only the
 * published ones), and a rewritten leaf breaks consistency. */
static void merkle__all_sizes(void **state)
{
	struct merkle_hash path[MERKLE_MAX_PATH], rm, rn, edited[8];
	struct custos_err err;
	size_t np;

	(void)state;
	for (size_t n = 1; n <= 8; n++) {
		assert_int_equal(merkle_root(&rn, leaves, n), 0);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(merkle_inclusion_proof(path, &np, leaves, n, i, &err), 0);
			assert_true(merkle_inclusion_verify(&leaves[i], i, n, path, np, &rn));
		}
		for (size_t m = 1; m <= n; m++) {
			assert_int_equal(merkle_root(&rm, leaves, m), 0);
			assert_int_equal(merkle_consistency_proof(path, &np, leaves, n, m, &err), 0);
			assert_true(merkle_consistency_verify(m, n, &rm, &rn, path, np));
			/* the same old head against a log whose leaf 0 was rewritten */
			memcpy(edited, leaves, sizeof(edited));
			assert_int_equal(merkle_leaf(&edited[0], "x", 1), 0);
			struct merkle_hash rn2;
			assert_int_equal(merkle_root(&rn2, edited, n), 0);
			assert_int_equal(merkle_consistency_proof(path, &np, edited, n, m, &err), 0);
			assert_false(merkle_consistency_verify(m, n, &rm, &rn2, path, np));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merkle__roots),
		cmocka_unit_test(merkle__stream_roots),
		cmocka_unit_test(merkle__inclusion_vectors),
		cmocka_unit_test(merkle__consistency_vectors),
		cmocka_unit_test(merkle__all_sizes),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
