/*
 * tests/core/test_policy.c - policy files: the shipped policies load with
 * the values they state, defaults fill what is left out, every error names
 * the file and its line, the digest is the file's sha256, and the NDSA
 * levels follow the declared facts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/duration.h"
#include "preserve/policy/policy.h"
#include "tests/testutil.h"

#define DAY INT64_C(86400)

static struct policy *load_text(const char *text)
{
	struct policy *p = NULL;
	struct custos_err err;

	err_clear(&err);
	if (policy_load_buffer(&p, text, strlen(text), "t.ini", &err) < 0)
		fail_msg("unexpected error: %s", err.msg);
	return p;
}

static struct policy *load_shipped(const char *name)
{
	char path[4096];
	struct policy *p = NULL;
	struct custos_err err;

	snprintf(path, sizeof(path), "%s/%s", CUSTOS_POLICIES_DIR, name);
	err_clear(&err);
	if (policy_load(&p, path, &err) < 0)
		fail_msg("%s: %s", name, err.msg);
	return p;
}

/* TEXT must fail with "policy 't.ini' line LINE: ..." holding WHAT. */
static void expect_error(const char *text, unsigned line, const char *what)
{
	struct policy *p = (struct policy *)1;
	struct custos_err err;
	char where[64];

	err_clear(&err);
	assert_int_equal(policy_load_buffer(&p, text, strlen(text), "t.ini",
					    &err), -1);
	assert_null(p);
	assert_int_equal(err.code, CUSTOS_EUSAGE);
	assert_string_equal(err.path, "t.ini");
	if (line)
		snprintf(where, sizeof(where), "policy 't.ini' line %u: ", line);
	else
		snprintf(where, sizeof(where), "policy 't.ini': ");
	if (strncmp(err.msg, where, strlen(where)) || !strstr(err.msg, what))
		fail_msg("want '%s...%s', got '%s'", where, what, err.msg);
}

#define LOC "[location.a]\npath = a\n"

static void policy__default_ini(void **state)
{
	struct policy *p = load_shipped("default.ini");

	(void)state;
	assert_string_equal(p->name, "custos default policy");
	assert_int_equal(p->copies_required, 2);
	assert_int_equal(p->nlocations, 2);
	assert_string_equal(p->locations[0].name, "primary");
	assert_string_equal(p->locations[0].path, "store/primary");
	assert_string_equal(p->locations[1].name, "secondary");
	assert_string_equal(p->locations[1].path, "store/secondary");
	assert_int_equal(p->locations[1].type, POLICY_LOCATION_FILESYSTEM);
	assert_int_equal(p->algorithms, DIGEST_BIT(DIGEST_SHA256) |
			 DIGEST_BIT(DIGEST_SHA512));
	assert_int_equal(p->audit_alg, DIGEST_SHA256);
	assert_int_equal(p->interval_seconds, 90 * DAY);
	assert_true(p->verify_after_write);
	assert_int_equal(p->repair, POLICY_REPAIR_MANUAL);
	assert_int_equal(p->review_seconds, DURATION_YEAR);
	/* both copies inside the repository: not "separate locations" */
	assert_int_equal(policy_ndsa_storage_max(p), 0);
	assert_int_equal(policy_ndsa_integrity_max(p), 4);
	policy_free(p);
}

static void policy__ndsa_examples_reach_their_level(void **state)
{
	(void)state;
	for (int level = 1; level <= 4; level++) {
		char name[32];
		struct policy *p;

		snprintf(name, sizeof(name), "ndsa-level-%d.ini", level);
		p = load_shipped(name);
		assert_int_equal(policy_ndsa_storage_max(p), level);
		assert_true(p->copies_required >= 2);
		assert_true(p->copies_required <= p->nlocations);
		for (size_t i = 0; i < p->nlocations; i++) {
			assert_non_null(p->locations[i].region);
			assert_non_null(p->locations[i].threat);
			assert_non_null(p->locations[i].media);
		}
		assert_int_equal(policy_ndsa_integrity_max(p),
				 level == 1 ? 1 : 4);
		policy_free(p);
	}
}

static void policy__level4_values(void **state)
{
	struct policy *p = load_shipped("ndsa-level-4.ini");

	(void)state;
	assert_int_equal(p->audit_alg, DIGEST_SHA512);  /* listed first */
	assert_int_equal(p->repair, POLICY_REPAIR_AUTO);
	assert_int_equal(p->interval_seconds, 30 * DAY);
	assert_int_equal(p->review_seconds, 6 * DURATION_MONTH);
	assert_true(p->sample > 0.0499 && p->sample < 0.0501);
	assert_string_equal(p->deposit_profile,
			    "profiles/library-deposit-profile.json");
	assert_int_equal(p->nrequired_info, 3);
	assert_string_equal(p->required_info[2], "External-Identifier");
	assert_int_equal(p->npreferred, 3);
	assert_string_equal(p->preferred_puids[1], "fmt/353");
	assert_int_equal(p->nat_risk, 2);
	assert_string_equal(p->at_risk_puids[0], "x-fmt/111");
	assert_string_equal(policy_location_find(p, "far")->threat,
			    "region-c-seismic-zone");
	assert_null(policy_location_find(p, "cloud"));  /* commented out */
	policy_free(p);
}

static void policy__defaults(void **state)
{
	struct policy *p = load_text(LOC);

	(void)state;
	assert_string_equal(p->name, "t");
	assert_null(p->version);
	assert_null(p->approved);
	assert_int_equal(p->review_seconds, 0);
	assert_int_equal(p->algorithms, DIGEST_BIT(DIGEST_SHA256) |
			 DIGEST_BIT(DIGEST_SHA512));
	assert_int_equal(p->audit_alg, DIGEST_SHA256);
	assert_int_equal(p->interval_seconds, 90 * DAY);
	assert_true(p->verify_after_write);
	assert_true(p->sample == 0.0);
	assert_int_equal(p->copies_required, 1);
	assert_int_equal(p->repair, POLICY_REPAIR_MANUAL);
	assert_null(p->deposit_profile);
	assert_int_equal(p->nrequired_info, 0);
	assert_int_equal(p->npreferred, 0);
	assert_int_equal(p->nat_risk, 0);
	assert_null(p->signatures);
	assert_int_equal(p->locations[0].type, POLICY_LOCATION_FILESYSTEM);
	assert_null(p->locations[0].region);
	assert_int_equal(p->locations[0].line, 1);
	policy_free(p);
	/* copies default to every declared location */
	p = load_text("[location.a]\npath=a\n[location.b]\npath=b\n"
		      "[location.c]\npath=/c\n");
	assert_int_equal(p->copies_required, 3);
	policy_free(p);
}

static void policy__values(void **state)
{
	struct policy *p = load_text(
		"\xEF\xBB\xBF# a BOM, CRLF lines, comments and indentation\r\n"
		"[fixity]\r\n"
		"  algorithms = SHA512 ,md5   ; audits use the first\r\n"
		"\tinterval = 12h  # inline comment\r\n"
		"verify_after_write = Off\r\n"
		"sample = 0.25\r\n"
		"[policy]\r\n"
		"review = 2 years\r\n"
		"approved = 2026-11-01 by the Committee, item#3 # comment\r\n"
		"[location.a]\r\n"
		"  path = a/b/   \r\n");

	(void)state;
	assert_int_equal(p->algorithms, DIGEST_BIT(DIGEST_SHA512) |
			 DIGEST_BIT(DIGEST_MD5));
	assert_int_equal(p->audit_alg, DIGEST_SHA512);
	assert_int_equal(p->interval_seconds, 12 * 3600);
	assert_false(p->verify_after_write);
	assert_true(p->sample == 0.25);
	assert_int_equal(p->review_seconds, 2 * DURATION_YEAR);
	/* '#' right after a word is part of the value, after a blank not */
	assert_string_equal(p->approved, "2026-11-01 by the Committee, item#3");
	assert_string_equal(p->locations[0].path, "a/b/");
	policy_free(p);
}

static void policy__s3_location(void **state)
{
	struct policy *p = load_text(
		LOC
		"[location.cloud]\n"
		"type = s3\n"
		"endpoint = https://s3.example.org:9000\n"
		"bucket = custos-copies\n"
		"prefix = lib/\n"
		"s3_region = eu-west-1\n"
		"credentials = /etc/custos/s3.cred\n"
		"region = Region C\n"
		"threat = zone-c\n"
		"media = object-storage\n");
	const struct policy_location *l = policy_location_find(p, "cloud");

	(void)state;
	assert_non_null(l);
	assert_int_equal(l->type, POLICY_LOCATION_S3);
	assert_string_equal(policy_location_type_name(l->type), "s3");
	assert_null(l->path);
	assert_string_equal(l->endpoint, "https://s3.example.org:9000");
	assert_string_equal(l->bucket, "custos-copies");
	assert_string_equal(l->prefix, "lib/");
	assert_string_equal(l->s3_region, "eu-west-1");
	assert_string_equal(l->credentials, "/etc/custos/s3.cred");
	assert_string_equal(l->region, "Region C");
	assert_string_equal(l->media, "object-storage");
	assert_int_equal(l->line, 3);
	policy_free(p);
}

static void policy__errors_name_the_line(void **state)
{
	(void)state;
	expect_error("[fixity]\nintervall = 90d\n" LOC, 2,
		     "unknown key 'intervall' in [fixity] (known: algorithms,");
	expect_error(LOC "\n[fixty]\nsample = 0\n", 4, "unknown section [fixty]");
	expect_error(LOC "[fixity]\ninterval = 90\n", 4, "interval '90' is not "
		     "a duration");
	expect_error(LOC "[fixity]\ninterval = 90x\n", 4, "interval '90x'");
	expect_error(LOC "[fixity]\ninterval = 0d\n", 4, "interval '0d'");
	expect_error(LOC "[fixity]\nverify_after_write = maybe\n", 4,
		     "'maybe' is not yes or no");
	expect_error(LOC "[fixity]\nsample = 1.5\n", 4,
		     "sample '1.5' is not a number from 0 to 1");
	expect_error(LOC "[fixity]\nsample = -0.1\n", 4, "sample '-0.1'");
	expect_error(LOC "[fixity]\nsample = nan\n", 4, "sample 'nan'");
	expect_error(LOC "[fixity]\nsample = 1e-1\n", 4, "sample '1e-1'");
	expect_error(LOC "[copies]\nrequired = 2\n", 4, "2 copies required but "
		     "only 1 location is declared: the policy can never be met");
	expect_error(LOC "[copies]\nrequired = 0\n", 4, "not a whole number");
	expect_error(LOC "[location.a]\npath = b\n", 3,
		     "location 'a' is declared twice (first on line 1)");
	expect_error(LOC "[formats]\npreferred = fmt/95, fmt95\n", 4,
		     "'fmt95' is not a PRONOM PUID");
	expect_error(LOC "[formats]\nat_risk = x-fmt/\n", 4, "'x-fmt/'");
	expect_error(LOC "[fixity]\nalgorithms = sha256, crc32\n", 4,
		     "unknown digest algorithm 'crc32'");
}

static void policy__more_errors(void **state)
{
	(void)state;
	expect_error(LOC "[fixity]\nsample = 0\nsample = 0.1\n", 5,
		     "'sample' is given twice in [fixity] (first on line 4)");
	expect_error(LOC "[fixity]\ninterval =\n", 4, "'interval' has no value");
	expect_error("interval = 90d\n" LOC, 1, "outside any [section]");
	expect_error(LOC "[fixity]\njust words\n", 4, "neither a [section] "
		     "header nor a 'key = value' line");
	expect_error(LOC "[fixity\n", 3, "has no closing ']'");
	expect_error(LOC "[fixity]\n[fixity]\n", 4, "section [fixity] appears "
		     "twice (first on line 3)");
	expect_error(LOC "[location.b]\npath = ./a/\n", 4,
		     "locations 'a' and 'b' store to the same place");
	expect_error(LOC "[location.b]\npath = a/sub\n", 4,
		     "locations 'a' and 'b' overlap");
	expect_error(LOC "[location.b]\npath = ../x\n", 4, "climbs out");
	expect_error(LOC "[location.b]\npath = .\n", 4, "the repository itself");
	expect_error(LOC "[location.Bad]\npath = b\n", 3,
		     "location name 'Bad' must be");
	expect_error(LOC "[location.b]\nregion = X\n", 3,
		     "location 'b' has no path");
	expect_error(LOC "[location.b]\npath = b\nbucket = abc\n", 5,
		     "'bucket' is for type = s3 locations");
	expect_error(LOC "[location.b]\ntype = s3\nendpoint = https://h\n", 3,
		     "s3 location 'b' needs both endpoint and bucket");
	expect_error(LOC "[location.b]\ntype = s3\nendpoint = https://h\n"
		     "bucket = abc\npath = x\n", 7, "'path' is for filesystem");
	expect_error(LOC "[location.b]\ntype = tape\n", 4, "'tape' is not "
		     "filesystem or s3");
	expect_error(LOC "[location.b]\ntype = s3\nendpoint = ftp://h\n", 5,
		     "endpoint 'ftp://h'");
	expect_error(LOC "[location.b]\ntype = s3\nbucket = A_b\n", 5,
		     "bucket 'A_b'");
	expect_error(LOC "[policy]\nreview = 12m\n", 4, "'m' means minutes");
	expect_error(LOC "[repair]\nmode = sometimes\n", 4, "repair mode");
	expect_error(LOC "[formats]\npreferred = fmt/1\nat_risk = fmt/2, "
		     "fmt/1\n", 5, "'fmt/1' is both preferred and at risk");
	expect_error(LOC "[deposit]\nrequired_info = A, , B\n", 4, "empty item");
	expect_error(LOC "[deposit]\nrequired_info = A, A\n", 4,
		     "'A' is listed twice");
	expect_error("[fixity]\nsample = 0\n", 0, "no storage location");
	expect_error(LOC "[fixity]\nsample = \xff\n", 4, "not UTF-8 text");
	expect_error(LOC "[fixity]\nsample = \x01\n", 4, "control character");
}

static void policy__limits(void **state)
{
	char text[600];
	char pad[300];
	struct policy *p;

	(void)state;
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	snprintf(text, sizeof(text), LOC "[policy]\nname = %s\n", pad);
	expect_error(text, 4, "line longer than 197 characters");
	/* the longest line inih can take: 197 characters */
	snprintf(text, sizeof(text), LOC "[policy]\nname = %.190s\n", pad);
	p = load_text(text);
	assert_int_equal(strlen(p->name), 190);
	policy_free(p);
	/* a location name of POLICY_MAX_NAME bytes works, one more does not */
	snprintf(text, sizeof(text), "[location.%.*s]\npath = a\n",
		 POLICY_MAX_NAME, pad);
	p = load_text(text);
	assert_int_equal(strlen(p->locations[0].name), POLICY_MAX_NAME);
	policy_free(p);
	snprintf(text, sizeof(text), "[location.%.*s]\npath = a\n",
		 POLICY_MAX_NAME + 1, pad);
	expect_error(text, 1, "must be 1-40 of a-z 0-9 _ -");
}

static void policy__digest_is_file_sha256(void **state)
{
	char *dir = tu_mkdtemp(), *path;
	const char *text = LOC;
	struct policy *p = NULL;
	struct custos_err err;

	(void)state;
	tu_write_str(dir, "mine.ini", text);
	path = tu_path(dir, "mine.ini");
	assert_int_equal(policy_load(&p, path, &err), 0);
	/* printf '[location.a]\npath = a\n' | sha256sum */
	assert_string_equal(p->sha256, "d208216f107aad894f899584b2a77b82"
			    "ae2745ac2f33409380c28a23f3999b5d");
	assert_int_equal(p->nbytes, strlen(text));
	assert_memory_equal(p->bytes, text, strlen(text));
	assert_string_equal(p->source_path, path);
	assert_string_equal(p->name, "mine");
	policy_free(p);
	free(path);
	path = tu_path(dir, "missing.ini");
	assert_int_equal(policy_load(&p, path, &err), -1);
	assert_int_equal(err.code, CUSTOS_EUSAGE);
	assert_non_null(strstr(err.msg, "cannot open policy"));
	assert_non_null(strstr(err.msg, "missing.ini"));
	free(path);
	tu_rmrf(dir);
	free(dir);
}

static void policy__explain(void **state)
{
	struct policy *p = load_text(
		"[fixity]\ninterval = 30d\nsample = 0.1\n"
		"[location.primary]\npath = store/primary\nregion = Campus A\n"
		"threat = campus-a\nmedia = disk\n"
		"[location.offsite]\npath = /mnt/off\nregion = City B\n"
		"threat = city-b\nmedia = tape\n");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(policy_explain(p, f), 0);
	fclose(f);
	assert_non_null(strstr(text, "Every object must have 2 complete, "
			       "verified copies, in: primary"));
	assert_non_null(strstr(text, "every 30 days using sha256"));
	assert_non_null(strstr(text, "(ingest also records sha512)"));
	assert_non_null(strstr(text, "random 10% of the"));
	assert_non_null(strstr(text, "storage: level 1 at most"));
	assert_non_null(strstr(text, "no  S2a"));
	assert_non_null(strstr(text, "yes S3a"));
	free(text);
	policy_free(p);
}

/* The required copies may land on any of the locations: diversity must
 * hold for the worst choice. */
static void policy__ndsa_worst_case(void **state)
{
	struct policy *p;

	(void)state;
	/* 3 of 4 required; two share zone x: 3 copies may span only 2 zones */
	p = load_text("[copies]\nrequired = 3\n"
		      "[location.a]\npath=/a\nregion=R1\nthreat=x\nmedia=disk\n"
		      "[location.b]\npath=/b\nregion=R2\nthreat=x\nmedia=tape\n"
		      "[location.c]\npath=/c\nregion=R3\nthreat=y\nmedia=disk\n"
		      "[location.d]\npath=/d\nregion=R4\nthreat=z\nmedia=tape\n");
	assert_int_equal(policy_ndsa_storage_max(p), 3);
	policy_free(p);
	/* 2 of 3 required, media disk, disk, tape: two disks may be chosen */
	p = load_text("[copies]\nrequired = 2\n"
		      "[location.a]\npath=/a\nregion=R1\nthreat=x\nmedia=disk\n"
		      "[location.b]\npath=/b\nregion=R2\nthreat=y\nmedia=disk\n"
		      "[location.c]\npath=/c\nregion=R3\nthreat=z\nmedia=tape\n");
	assert_int_equal(policy_ndsa_storage_max(p), 1);
	policy_free(p);
	/* a location without declared facts caps the level at 0 (S1b) */
	p = load_text("[location.a]\npath=/a\nmedia=disk\n[location.b]\n"
		      "path=/b\n");
	assert_int_equal(policy_ndsa_storage_max(p), 0);
	policy_free(p);
}

static void duration__parse_and_format(void **state)
{
	static const struct { const char *s; int64_t want; } ok[] = {
		{ "90d", 90 * DAY }, { "12h", 43200 }, { "30m", 1800 },
		{ "45s", 45 }, { "2w", 14 * DAY }, { "12 months", DURATION_YEAR },
		{ "12mo", DURATION_YEAR }, { "1 year", DURATION_YEAR },
		{ " 3 Days ", 3 * DAY }, { "1 minute", 60 },
	};
	static const char *const bad[] = {
		"", "90", "d", "0d", "-1d", "1.5d", "90 dayz", "9d9",
		"99999999999999999999s", "9999999999999y",
	};
	char buf[64];
	int64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(duration_parse(&v, ok[i].s), 0);
		assert_int_equal(v, ok[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (duration_parse(&v, bad[i]) == 0)
			fail_msg("'%s' accepted", bad[i]);
	duration_format(buf, sizeof(buf), 90 * DAY);
	assert_string_equal(buf, "90 days");
	duration_format(buf, sizeof(buf), DURATION_YEAR);
	assert_string_equal(buf, "1 year");
	duration_format(buf, sizeof(buf), 6 * DURATION_MONTH);
	assert_string_equal(buf, "6 months");
	duration_format(buf, sizeof(buf), 1800);
	assert_string_equal(buf, "30 minutes");
	duration_format(buf, sizeof(buf), 61);
	assert_string_equal(buf, "61 seconds");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(policy__default_ini),
		cmocka_unit_test(policy__ndsa_examples_reach_their_level),
		cmocka_unit_test(policy__level4_values),
		cmocka_unit_test(policy__defaults),
		cmocka_unit_test(policy__values),
		cmocka_unit_test(policy__s3_location),
		cmocka_unit_test(policy__errors_name_the_line),
		cmocka_unit_test(policy__more_errors),
		cmocka_unit_test(policy__limits),
		cmocka_unit_test(policy__digest_is_file_sha256),
		cmocka_unit_test(policy__explain),
		cmocka_unit_test(policy__ndsa_worst_case),
		cmocka_unit_test(duration__parse_and_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
