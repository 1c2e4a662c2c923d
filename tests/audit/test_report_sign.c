/*
 * tests/audit/test_report_sign.c - Ed25519 keys and signatures and the
 * report manifest check, without a repository: a key pair signs and
 * verifies; a changed byte, another key or a non-Ed25519 key is refused;
 * the manifest check names changed, missing and unlisted files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "audit/report/report_int.h"
#include "audit/report/sign.h"
#include "core/fileio.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *path(const char *name)
{
	static char p[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/custos-sign-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fio_remove_tree(dir, NULL);
}

static void sign__roundtrip_and_refusals(void **state)
{
	struct custos_err err;
	struct stat st;
	bool ok;

	(void)state;
	assert_int_equal(sign_keygen(path("k"), &err), 0);
	assert_int_equal(stat(path("k.pem"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(sign_keygen(path("k"), &err), -1);    /* never overwrites */
	assert_int_equal(sign_keygen(path("other"), &err), 0);
	put("doc.txt", "the manifest\n");
	assert_int_equal(sign_file(path("k.pem"), path("doc.txt"), path("doc.sig"), &err), 0);
	assert_int_equal(stat(path("doc.sig"), &st), 0);
	assert_int_equal(st.st_size, 64);
	assert_int_equal(sign_verify_file(path("k.pub"), path("doc.txt"), path("doc.sig"),
					  &ok, &err), 0);
	assert_true(ok);
	assert_int_equal(sign_verify_file(path("other.pub"), path("doc.txt"), path("doc.sig"),
					  &ok, &err), 0);
	assert_false(ok);
	put("doc.txt", "the manifesT\n");
	assert_int_equal(sign_verify_file(path("k.pub"), path("doc.txt"), path("doc.sig"),
					  &ok, &err), 0);
	assert_false(ok);
	/* a public key where a private one is needed, and an RSA key */
	assert_int_equal(sign_file(path("k.pub"), path("doc.txt"), path("x.sig"), &err), -1);
	EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	FILE *f = fopen(path("rsa.pem"), "w");
	assert_non_null(rsa);
	assert_non_null(f);
	PEM_write_PrivateKey(f, rsa, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	EVP_PKEY_free(rsa);
	assert_int_equal(sign_file(path("rsa.pem"), path("doc.txt"), path("x.sig"), &err), -1);
	assert_non_null(strstr(err.msg, "not an Ed25519 key"));
}

static void manifest__names_every_problem(void **state)
{
	struct custos_err err;
	char *out = NULL;
	size_t len = 0, problems;
	FILE *to;

	(void)state;
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/rep", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(report_put(sub, "a.txt", "alpha\n", 6, &err), 0);
	assert_int_equal(report_put(sub, "b.txt", "beta\n", 5, &err), 0);
	assert_int_equal(report_write_manifest(sub, &err), 0);
	to = open_memstream(&out, &len);
	assert_int_equal(report_verify(sub, NULL, to, &problems, &err), 0);
	fclose(to);
	assert_int_equal(problems, 0);
	assert_non_null(strstr(out, "ok a.txt"));
	free(out);
	assert_int_equal(report_put(sub, "a.txt", "alphA\n", 6, &err), 0);
	assert_int_equal(report_put(sub, "c.txt", "extra\n", 6, &err), 0);
	assert_int_equal(unlink(path("rep/b.txt")), 0);
	to = open_memstream(&out, &len);
	assert_int_equal(report_verify(sub, NULL, to, &problems, &err), 0);
	fclose(to);
	assert_int_equal(problems, 3);
	assert_non_null(strstr(out, "CHANGED a.txt"));
	assert_non_null(strstr(out, "MISSING b.txt"));
	assert_non_null(strstr(out, "UNLISTED c.txt"));
	free(out);
	/* with a key: an unsigned folder is a problem too */
	assert_int_equal(sign_keygen(path("v"), &err), 0);
	to = open_memstream(&out, &len);
	assert_int_equal(report_verify(sub, path("v.pub"), to, &problems, &err), 0);
	fclose(to);
	assert_int_equal(problems, 4);
	assert_non_null(strstr(out, "UNSIGNED"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sign__roundtrip_and_refusals),
		cmocka_unit_test(manifest__names_every_problem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
