/*
 * tests/preserve/test_profile.c - BagIt profile loading (real profiles of
 * tests/corpora, malformed files) and every profile rule, each with a
 * bag that passes and one that breaks it, built as struct bag_facts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>

#include "preserve/bagit/profile.h"

#define BTR_DIR CUSTOS_CORPORA "/bagit-profiles/btr"
#define SPEC_DIR CUSTOS_CORPORA "/bagit-profiles/spec-examples"
#define RES_DIR CUSTOS_TEST_RESOURCES "/profiles"
#define MAXN 32

/* A bag described by its facts; arrays are filled by the test. */
struct tbag {
	struct bag_tag tags[MAXN];
	size_t ntags;
	const char *tag_files[MAXN];
	size_t ntag_files;
	const char *payload[MAXN];
	size_t npayload;
	const char *dirs[MAXN];
	size_t ndirs;
	struct bag_facts f;
};

static void tb_tag(struct tbag *b, const char *label, const char *value)
{
	assert_true(b->ntags < MAXN);
	b->tags[b->ntags].label = (char *)label;
	b->tags[b->ntags].value = (char *)value;
	b->tags[b->ntags].line = b->ntags + 1;
	b->ntags++;
}

static void tb_file(struct tbag *b, const char *path)
{
	if (strncmp(path, "data/", 5) == 0) {
		assert_true(b->npayload < MAXN);
		b->payload[b->npayload++] = path;
	} else {
		assert_true(b->ntag_files < MAXN);
		b->tag_files[b->ntag_files++] = path;
	}
}

static void tb_dir(struct tbag *b, const char *path)
{
	assert_true(b->ndirs < MAXN);
	b->dirs[b->ndirs++] = path;
}

/* Remove PATH from the bag's tags, tag files, payload files or dirs. */
static void tb_drop(struct tbag *b, const char *what)
{
	for (size_t i = 0; i < b->ntags; i++)
		if (strcmp(b->tags[i].label, what) == 0)
			b->tags[i--] = b->tags[--b->ntags];
	for (size_t i = 0; i < b->ntag_files; i++)
		if (strcmp(b->tag_files[i], what) == 0)
			b->tag_files[i--] = b->tag_files[--b->ntag_files];
	for (size_t i = 0; i < b->npayload; i++)
		if (strcmp(b->payload[i], what) == 0)
			b->payload[i--] = b->payload[--b->npayload];
	for (size_t i = 0; i < b->ndirs; i++)
		if (strcmp(b->dirs[i], what) == 0)
			b->dirs[i--] = b->dirs[--b->ndirs];
}

/* Point the facts at the arrays (call after every change). */
static const struct bag_facts *tb_facts(struct tbag *b)
{
	b->f.info = b->tags;
	b->f.ninfo = b->ntags;
	b->f.tag_files = b->tag_files;
	b->f.ntag_files = b->ntag_files;
	b->f.payload_files = b->payload;
	b->f.npayload_files = b->npayload;
	b->f.payload_dirs = b->dirs;
	b->f.npayload_dirs = b->ndirs;
	return &b->f;
}

/* The item with CODE whose message holds every one of the strings. */
static const struct problem *find(const struct problems *r,
				      const char *code, const char *s1,
				      const char *s2)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct problem *it = &r->items[i];

		if (strcmp(it->code, code) == 0 && strstr(it->message, s1) &&
		    (!s2 || strstr(it->message, s2)))
			return it;
	}
	return NULL;
}

static void dump(const struct problems *r)
{
	for (size_t i = 0; i < r->count; i++)
		print_message("  [%s] %s: %s\n", r->items[i].code,
			      r->items[i].path, r->items[i].message);
}

/* Write JSON to a temporary file and load it; the file is removed. */
static struct bag_profile *load_text(const char *json)
{
	char path[] = "/tmp/custos-profile-XXXXXX";
	struct bag_profile *p = NULL;
	struct custos_err err;
	int fd = mkstemp(path);
	size_t len = strlen(json);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, json, len), (ssize_t)len);
	close(fd);
	if (profile_load(&p, path, &err) < 0)
		fail_msg("load failed: %s", err.msg);
	unlink(path);
	return p;
}

/* A profile exercising most rules; tb_good() conforms to it. */
static const char rules_json[] =
	"{\"BagIt-Profile-Info\": {"
	"  \"BagIt-Profile-Identifier\": \"https://example.org/rules.json\","
	"  \"Source-Organization\": \"custos tests\","
	"  \"External-Description\": \"every rule\","
	"  \"Version\": \"1\", \"BagIt-Profile-Version\": \"1.4.0\"},"
	" \"Bag-Info\": {"
	"  \"Source-Organization\": {\"required\": true,"
	"                           \"values\": [\"Org A\", \"Org B\"]},"
	"  \"Bagging-Date\": {\"required\": true, \"repeatable\": false},"
	"  \"Contact-Name\": {\"description\": \"optional, any value\","
	"                    \"recommended\": true}},"
	" \"Manifests-Required\": [\"sha256\"],"
	" \"Manifests-Allowed\": [\"sha256\", \"SHA-512\"],"
	" \"Tag-Manifests-Required\": [\"sha256\"],"
	" \"Tag-Manifests-Allowed\": [\"sha256\"],"
	" \"Allow-Fetch.txt\": false,"
	" \"Serialization\": \"optional\","
	" \"Accept-Serialization\": [\"application/zip\", \"application/x-tar\"],"
	" \"Accept-BagIt-Version\": [\"1.0\"],"
	" \"Tag-Files-Required\": [\"meta/info.xml\"],"
	" \"Tag-Files-Allowed\": [\"meta/*\"],"
	" \"Payload-Files-Required\": [\"data/LICENSE.txt\", \"data/src/\"],"
	" \"Payload-Files-Allowed\": [\"data/LICENSE.txt\", \"data/src/*\"],"
	" \"an-extension\": {\"ignored\": [1, 2]}}";

static void tb_good(struct tbag *b)
{
	memset(b, 0, sizeof(*b));
	b->f.version = "1.0";
	b->f.serialization = BAG_SER_NONE;
	b->f.has_bag_info = true;
	b->f.payload_manifests = DIGEST_BIT(DIGEST_SHA256);
	b->f.tag_manifests = DIGEST_BIT(DIGEST_SHA256);
	tb_tag(b, "BagIt-Profile-Identifier", "https://example.org/rules.json");
	tb_tag(b, "Source-Organization", "Org A");
	tb_tag(b, "Bagging-Date", "2026-11-25");
	tb_file(b, "bagit.txt");
	tb_file(b, "bag-info.txt");
	tb_file(b, "manifest-sha256.txt");
	tb_file(b, "tagmanifest-sha256.txt");
	tb_file(b, "meta/info.xml");
	tb_file(b, "data/LICENSE.txt");
	tb_file(b, "data/src/a.c");
	tb_file(b, "data/src/sub/b.c");
	tb_dir(b, "data/src");
	tb_dir(b, "data/src/sub");
}

struct fixture {
	struct bag_profile *p;
	struct tbag bag;
	struct problems r;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->p = load_text(rules_json);
	tb_good(&fx->bag);
	problems_init(&fx->r);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	profile_free(fx->p);
	problems_release(&fx->r);
	free(fx);
	return 0;
}

/* Run the rules profile on the fixture's bag; expect ERRORS errors. */
static const struct problems *run(struct fixture *fx, size_t errors,
				size_t warnings)
{
	problems_release(&fx->r);
	problems_init(&fx->r);
	profile_check(fx->p, tb_facts(&fx->bag), &fx->r);
	if (fx->r.errors != errors || fx->r.warnings != warnings) {
		dump(&fx->r);
		fail_msg("expected %zu errors, %zu warnings; got %zu, %zu",
			 errors, warnings, fx->r.errors, fx->r.warnings);
	}
	return &fx->r;
}

static void expect(const struct problems *r, const char *path, const char *s1,
		   const char *s2)
{
	const struct problem *it = find(r, PROFILE_CODE_VIOLATION, s1, s2);

	if (!it) {
		dump(r);
		fail_msg("no violation naming '%s' and '%s'", s1, s2 ? s2 : "");
	}
	assert_int_equal(it->severity, PROBLEM_ERROR);
	assert_string_equal(it->path, path);
}

/* --- loading ------------------------------------------------------------ */

static void profile__loads_btr(void **state)
{
	struct bag_profile *p = NULL;
	struct custos_err err;

	(void)state;
	assert_int_equal(profile_load(&p, BTR_DIR "/btr-bagit-profile.json",
				      &err), 0);
	assert_string_equal(profile_identifier(p),
			    "https://github.com/dpscollaborative/btr_bagit_profile/releases/download/1.0/btr-bagit-profile.json");
	profile_free(p);
}

static void profile__loads_spec_examples(void **state)
{
	struct bag_profile *p = NULL;
	struct custos_err err;

	(void)state;
	assert_int_equal(profile_load(&p, SPEC_DIR "/bagProfileFoo.json",
				      &err), 0);
	assert_string_equal(profile_identifier(p),
			    "http://www.library.yale.edu/mssa/bagitprofiles/disk_images.json");
	profile_free(p);
	assert_int_equal(profile_load(&p, SPEC_DIR "/bagProfileBar.json",
				      &err), 0);
	assert_string_equal(profile_identifier(p),
			    "http://canadiana.org/standards/bagit/tdr_ingest.json");
	profile_free(p);
	profile_free(NULL);
}

static void expect_load_error(const char *path, const char *s1,
			      const char *s2)
{
	struct bag_profile *p = (struct bag_profile *)&p;
	struct custos_err err;

	assert_int_equal(profile_load(&p, path, &err), -1);
	assert_null(p);
	assert_string_equal(err.path, path);
	assert_non_null(strstr(err.msg, path));
	if (!strstr(err.msg, s1) || (s2 && !strstr(err.msg, s2)))
		fail_msg("message '%s' lacks '%s' / '%s'", err.msg, s1,
			 s2 ? s2 : "");
}

static void profile__malformed_files_name_file_and_key(void **state)
{
	(void)state;
	expect_load_error(RES_DIR "/bad_json.json", "line 4", "column");
	expect_load_error(RES_DIR "/wrong_type.json", "'Manifests-Required'",
			  "list of strings");
	expect_load_error(RES_DIR "/wrong_tag_type.json",
			  "'Bag-Info/Source-Organization/required'",
			  "true or false");
	expect_load_error(RES_DIR "/does-not-exist.json",
			  "cannot open profile", "No such file");
	expect_load_error(RES_DIR, "not a regular file", NULL);
}

/* A profile is the user's configuration: a symlink to it is followed. */
static void profile__follows_symlink(void **state)
{
	char dir[] = "/tmp/custos-profile-dir-XXXXXX";
	char link[64];
	struct bag_profile *p = NULL;
	struct custos_err err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/p.json", dir);
	assert_int_equal(symlink(SPEC_DIR "/bagProfileFoo.json", link), 0);
	assert_int_equal(profile_load(&p, link, &err), 0);
	assert_string_equal(profile_identifier(p),
			    "http://www.library.yale.edu/mssa/bagitprofiles/disk_images.json");
	profile_free(p);
	unlink(link);
	rmdir(dir);
}

static void expect_text_error(const char *json, const char *s1)
{
	char path[] = "/tmp/custos-profile-XXXXXX";
	struct bag_profile *p = NULL;
	struct custos_err err;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	assert_int_equal(profile_load(&p, path, &err), -1);
	unlink(path);
	assert_null(p);
	assert_non_null(strstr(err.msg, path));
	if (!strstr(err.msg, s1))
		fail_msg("message '%s' lacks '%s'", err.msg, s1);
}

static void profile__rejects_unusable_profiles(void **state)
{
	(void)state;
	expect_text_error("[1, 2]", "must be a JSON object");
	expect_text_error("{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": "
			  "\"x\"}, \"Data-Empty\": true, \"Data-Empty\": false}",
			  "duplicate object key");
	expect_text_error("{\"Bag-Info\": {}}", "no 'BagIt-Profile-Info'");
	expect_text_error("{\"BagIt-Profile-Info\": {\"Version\": \"1\"}}",
			  "no 'BagIt-Profile-Identifier'");
	expect_text_error("{\"BagIt-Profile-Info\": "
			  "{\"BagIt-Profile-Identifier\": 7}}",
			  "'BagIt-Profile-Info/BagIt-Profile-Identifier' must be a string");
	expect_text_error("{\"BagIt-Profile-Info\": "
			  "{\"BagIt-Profile-Identifier\": \"x\"},"
			  " \"Serialization\": \"sometimes\"}",
			  "'Serialization' is 'sometimes'");
	expect_text_error("{\"BagIt-Profile-Info\": "
			  "{\"BagIt-Profile-Identifier\": \"x\"},"
			  " \"Serialization\": \"required\"}",
			  "lists no type");
	expect_text_error("{\"BagIt-Profile-Info\": "
			  "{\"BagIt-Profile-Identifier\": \"x\"},"
			  " \"Accept-BagIt-Version\": [\"1.0\", 1]}",
			  "'Accept-BagIt-Version' item 2 must be a string");
	expect_text_error("{\"BagIt-Profile-Info\": "
			  "{\"BagIt-Profile-Identifier\": \"x\"},"
			  " \"Allow-Fetch.txt\": \"no\"}",
			  "'Allow-Fetch.txt' must be true or false");
	expect_text_error("{\"BagIt-Profile-Info\": "
			  "{\"BagIt-Profile-Identifier\": \"x\"},"
			  " \"Bag-Info\": {\"A\": {\"values\": \"v\"}}}",
			  "'Bag-Info/A/values' must be a list");
}

/* A profile lacking SHOULD-level fields loads, and says so in reports. */
static void profile__incomplete_info_warns(void **state)
{
	struct bag_profile *p = load_text(
		"{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": \"x\"},"
		" \"Bagit-Info\": {\"Source-Organization\": {\"required\": true}}}");
	struct tbag b;
	struct problems r;

	(void)state;
	tb_good(&b);
	tb_drop(&b, "BagIt-Profile-Identifier");
	tb_tag(&b, "BagIt-Profile-Identifier", "x");
	problems_init(&r);
	profile_check(p, tb_facts(&b), &r);
	assert_int_equal(r.errors, 0);
	assert_non_null(find(&r, PROFILE_CODE_WARNING, "'BagIt-Profile-Info/Source-Organization'", NULL));
	assert_non_null(find(&r, PROFILE_CODE_WARNING, "'BagIt-Profile-Info/External-Description'", NULL));
	assert_non_null(find(&r, PROFILE_CODE_WARNING, "'BagIt-Profile-Info/Version'", NULL));
	assert_non_null(find(&r, PROFILE_CODE_WARNING, "no Accept-BagIt-Version", NULL));
	assert_non_null(find(&r, PROFILE_CODE_WARNING, "no Accept-Serialization", NULL));
	assert_non_null(find(&r, PROFILE_CODE_WARNING, "'Bagit-Info'", NULL));
	assert_int_equal(r.warnings, 6);
	/* the Bagit-Info spelling is applied */
	tb_drop(&b, "Source-Organization");
	problems_release(&r);
	problems_init(&r);
	profile_check(p, tb_facts(&b), &r);
	assert_int_equal(r.errors, 1);
	assert_non_null(find(&r, PROFILE_CODE_VIOLATION, "'Source-Organization'", "required"));
	problems_release(&r);
	profile_free(p);
}

/* --- the rules, on the rules profile ------------------------------------ */

static void rules__good_bag_passes(void **state)
{
	struct fixture *fx = *state;

	run(fx, 0, 0);
	/* optional serializations the profile accepts */
	fx->bag.f.serialization = BAG_SER_ZIP;
	run(fx, 0, 0);
	fx->bag.f.serialization = BAG_SER_TAR;    /* application/x-tar */
	run(fx, 0, 0);
}

static void rules__accept_bagit_version(void **state)
{
	struct fixture *fx = *state;

	fx->bag.f.version = "0.97";
	expect(run(fx, 1, 0), "bagit.txt", "BagIt-Version '0.97'",
	       "Accept-BagIt-Version: 1.0");
	fx->bag.f.version = NULL;
	expect(run(fx, 1, 0), "bagit.txt", "unknown", "Accept-BagIt-Version");
	/* still a full report: the other rules ran too */
	tb_drop(&fx->bag, "Bagging-Date");
	expect(run(fx, 2, 0), "bag-info.txt", "'Bagging-Date'", "required");
}

static void rules__accept_serialization(void **state)
{
	struct fixture *fx = *state;

	fx->bag.f.serialization = BAG_SER_TAR_GZIP;
	expect(run(fx, 1, 0), "", "tar.gz (application/gzip)",
	       "Accept-Serialization: application/zip, application/x-tar");
	fx->bag.f.serialization = BAG_SER_OTHER;
	expect(run(fx, 1, 0), "", "no known MIME type",
	       "Accept-Serialization");
}

static void rules__serialization_required_forbidden(void **state)
{
	struct fixture *fx = *state;
	struct bag_profile *req = load_text(
		"{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": "
		"\"https://example.org/rules.json\", \"Source-Organization\": \"o\","
		" \"External-Description\": \"d\", \"Version\": \"1\"},"
		" \"Serialization\": \"required\","
		" \"Accept-Serialization\": [\"application/tar+gzip\"],"
		" \"Accept-BagIt-Version\": [\"1.0\"]}");
	struct bag_profile *forb = load_text(
		"{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": "
		"\"https://example.org/rules.json\", \"Source-Organization\": \"o\","
		" \"External-Description\": \"d\", \"Version\": \"1\"},"
		" \"Serialization\": \"forbidden\","
		" \"Accept-BagIt-Version\": [\"1.0\"]}");

	profile_free(fx->p);
	fx->p = req;
	expect(run(fx, 1, 0), "", "bag is a directory", "Serialization: required");
	fx->bag.f.serialization = BAG_SER_TAR_GZIP;
	run(fx, 0, 0);
	fx->p = forb;
	expect(run(fx, 1, 0), "", "tar.gz", "Serialization: forbidden");
	fx->bag.f.serialization = BAG_SER_NONE;
	run(fx, 0, 0);
	profile_free(req);
}

static void rules__profile_identifier(void **state)
{
	struct fixture *fx = *state;
	const struct problems *r;

	tb_drop(&fx->bag, "BagIt-Profile-Identifier");
	expect(run(fx, 1, 0), "bag-info.txt", "no 'BagIt-Profile-Identifier'",
	       NULL);
	/* another URI: a warning only (what the BtR sample bags do) */
	tb_tag(&fx->bag, "BagIt-Profile-Identifier", "https://example.org/other.json");
	r = run(fx, 0, 1);
	assert_non_null(find(r, PROFILE_CODE_WARNING, "'https://example.org/other.json'",
			     "'https://example.org/rules.json'"));
	/* repeated for several profiles: one of them is ours */
	tb_tag(&fx->bag, "BagIt-Profile-Identifier", "https://example.org/rules.json");
	run(fx, 0, 0);
	fx->bag.f.has_bag_info = false;
	fx->bag.ntags = 0;
	r = run(fx, 3, 0);
	expect(r, "bag-info.txt", "bag-info.txt is missing", NULL);
	expect(r, "bag-info.txt", "'Source-Organization'", "required");
	expect(r, "bag-info.txt", "'Bagging-Date'", "required");
}

static void rules__bag_info_required_values_repeatable(void **state)
{
	struct fixture *fx = *state;
	const struct problems *r;

	/* labels match case-insensitively; values exactly */
	tb_drop(&fx->bag, "Bagging-Date");
	tb_tag(&fx->bag, "BAGGING-date", "2026-11-25");
	run(fx, 0, 0);
	tb_drop(&fx->bag, "Source-Organization");
	tb_tag(&fx->bag, "Source-Organization", "org a");
	expect(run(fx, 1, 0), "bag-info.txt", "'Source-Organization' has value 'org a'",
	       "Org A, Org B");
	tb_drop(&fx->bag, "Source-Organization");
	expect(run(fx, 1, 0), "bag-info.txt", "lacks the tag 'Source-Organization'",
	       "required");
	tb_tag(&fx->bag, "Source-Organization", "Org B");
	tb_tag(&fx->bag, "Bagging-Date", "2026-11-26");
	r = run(fx, 1, 0);
	expect(r, "bag-info.txt", "'Bagging-Date' appears 2 times", "non-repeatable");
	/* repeatable by default, values checked on every occurrence */
	tb_drop(&fx->bag, "Bagging-Date");
	tb_drop(&fx->bag, "BAGGING-date");
	tb_tag(&fx->bag, "Bagging-Date", "2026-11-25");
	tb_tag(&fx->bag, "Source-Organization", "Org C");
	tb_tag(&fx->bag, "Contact-Name", "Anyone");
	tb_tag(&fx->bag, "Contact-Name", "Someone");
	expect(run(fx, 1, 0), "bag-info.txt", "value 'Org C'", "bag-info.txt line ");
	/* a required tag present but empty: a warning */
	tb_drop(&fx->bag, "Bagging-Date");
	tb_tag(&fx->bag, "Bagging-Date", "");
	tb_drop(&fx->bag, "Source-Organization");
	tb_tag(&fx->bag, "Source-Organization", "Org A");
	r = run(fx, 0, 1);
	assert_non_null(find(r, PROFILE_CODE_WARNING, "'Bagging-Date'", "empty"));
}

static void rules__manifests(void **state)
{
	struct fixture *fx = *state;
	const struct problems *r;

	/* sha512 is allowed (written "SHA-512" in the profile) */
	fx->bag.f.payload_manifests |= DIGEST_BIT(DIGEST_SHA512);
	tb_file(&fx->bag, "manifest-sha512.txt");
	run(fx, 0, 0);
	fx->bag.f.payload_manifests = DIGEST_BIT(DIGEST_SHA512) |
				      DIGEST_BIT(DIGEST_MD5);
	r = run(fx, 2, 0);
	expect(r, "manifest-sha256.txt", "'manifest-sha256.txt' is missing",
	       "Manifests-Required");
	expect(r, "manifest-md5.txt", "'manifest-md5.txt' is not allowed",
	       "Manifests-Allowed: sha256, SHA-512");
	fx->bag.f.payload_manifests = DIGEST_BIT(DIGEST_SHA256);
	/* an algorithm custos does not know, seen only as a file name */
	tb_file(&fx->bag, "manifest-sha3-256.txt");
	expect(run(fx, 1, 0), "manifest-sha3-256.txt",
	       "'manifest-sha3-256.txt' is not allowed", "Manifests-Allowed");
}

/* A required algorithm custos does not know is looked up by file name. */
static void rules__manifests_unknown_required(void **state)
{
	struct fixture *fx = *state;

	profile_free(fx->p);
	fx->p = load_text(
		"{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": "
		"\"https://example.org/rules.json\", \"Source-Organization\": \"o\","
		" \"External-Description\": \"d\", \"Version\": \"1\"},"
		" \"Manifests-Required\": [\"sha3-256\"],"
		" \"Accept-Serialization\": [\"application/zip\"],"
		" \"Accept-BagIt-Version\": [\"1.0\"]}");
	expect(run(fx, 1, 0), "manifest-sha3-256.txt",
	       "'manifest-sha3-256.txt' is missing", "Manifests-Required");
	tb_file(&fx->bag, "manifest-sha3-256.txt");
	run(fx, 0, 0);
}

static void rules__tag_manifests(void **state)
{
	struct fixture *fx = *state;
	const struct problems *r;

	fx->bag.f.tag_manifests = DIGEST_BIT(DIGEST_SHA512);
	r = run(fx, 2, 0);
	expect(r, "tagmanifest-sha256.txt", "'tagmanifest-sha256.txt' is missing",
	       "Tag-Manifests-Required");
	expect(r, "tagmanifest-sha512.txt", "'tagmanifest-sha512.txt' is not allowed",
	       "Tag-Manifests-Allowed: sha256");
}

static void rules__fetch(void **state)
{
	struct fixture *fx = *state;
	struct bag_profile *need = load_text(
		"{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": "
		"\"https://example.org/rules.json\", \"Source-Organization\": \"o\","
		" \"External-Description\": \"d\", \"Version\": \"1\"},"
		" \"Fetch.txt-Required\": true,"
		" \"Accept-Serialization\": [\"application/zip\"],"
		" \"Accept-BagIt-Version\": [\"1.0\"]}");

	fx->bag.f.has_fetch = true;
	tb_file(&fx->bag, "fetch.txt");
	expect(run(fx, 1, 0), "fetch.txt", "'fetch.txt' is present",
	       "Allow-Fetch.txt: false");
	profile_free(fx->p);
	fx->p = need;                /* Allow-Fetch.txt defaults to true */
	run(fx, 0, 0);
	fx->bag.f.has_fetch = false;
	tb_drop(&fx->bag, "fetch.txt");
	expect(run(fx, 1, 0), "fetch.txt", "'fetch.txt' is missing",
	       "Fetch.txt-Required");
}

static void rules__data_empty(void **state)
{
	struct fixture *fx = *state;
	struct tbag *b = &fx->bag;
	const struct problems *r;

	profile_free(fx->p);
	fx->p = load_text(
		"{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": "
		"\"https://example.org/rules.json\", \"Source-Organization\": \"o\","
		" \"External-Description\": \"d\", \"Version\": \"1\"},"
		" \"Data-Empty\": true,"
		" \"Accept-Serialization\": [\"application/zip\"],"
		" \"Accept-BagIt-Version\": [\"1.0\"]}");
	r = run(fx, 2, 0);
	expect(r, "data/src", "'data/src' exists", "Data-Empty");
	expect(r, "data/", "holds 3 files", "Data-Empty");
	b->npayload = 0;
	b->ndirs = 0;
	run(fx, 0, 0);
	tb_dir(b, "data");               /* the payload dir itself is fine */
	tb_file(b, "data/.keep");
	tb_tag(b, "Payload-Oxum", "0.1");
	run(fx, 0, 0);
	tb_drop(b, "Payload-Oxum");
	tb_tag(b, "Payload-Oxum", "12.1");
	expect(run(fx, 1, 0), "data/.keep", "'data/.keep' is not empty",
	       "Data-Empty");
	tb_drop(b, "Payload-Oxum");
	r = run(fx, 0, 1);
	assert_non_null(find(r, PROFILE_CODE_WARNING, "'data/.keep'", "Payload-Oxum"));
}

static void rules__tag_files(void **state)
{
	struct fixture *fx = *state;
	const struct problems *r;

	/* globs: '*' crosses '/' */
	tb_file(&fx->bag, "meta/deep/more.xml");
	run(fx, 0, 0);
	tb_drop(&fx->bag, "meta/info.xml");
	tb_file(&fx->bag, "other.txt");
	tb_file(&fx->bag, "aux/manifest-sha256.txt");
	r = run(fx, 3, 0);
	expect(r, "meta/info.xml", "tag file 'meta/info.xml' is missing",
	       "Tag-Files-Required");
	expect(r, "other.txt", "tag file 'other.txt' is not allowed",
	       "Tag-Files-Allowed: meta/*");
	/* only root-level BagIt files are exempt */
	expect(r, "aux/manifest-sha256.txt", "'aux/manifest-sha256.txt' is not allowed",
	       "Tag-Files-Allowed");
}

static void rules__payload_files_required(void **state)
{
	struct fixture *fx = *state;
	struct tbag *b = &fx->bag;

	tb_drop(b, "data/LICENSE.txt");
	expect(run(fx, 1, 0), "data/LICENSE.txt",
	       "payload file 'data/LICENSE.txt' is missing",
	       "Payload-Files-Required");
	tb_dir(b, "data/LICENSE.txt/");
	expect(run(fx, 1, 0), "data/LICENSE.txt", "is a directory",
	       "'data/LICENSE.txt/'");
	tb_drop(b, "data/LICENSE.txt/");
	tb_file(b, "data/LICENSE.txt");
	/* directory present but empty, then absent */
	tb_drop(b, "data/src/a.c");
	tb_drop(b, "data/src/sub/b.c");
	tb_drop(b, "data/src/sub");
	expect(run(fx, 1, 0), "data/src/", "payload directory 'data/src/' is empty",
	       "Payload-Files-Required");
	tb_drop(b, "data/src");
	expect(run(fx, 1, 0), "data/src/", "payload directory 'data/src/' is missing",
	       "Payload-Files-Required");
	/* an empty subdirectory makes it non-empty */
	tb_dir(b, "data/src/");
	tb_dir(b, "data/src/empty/");
	run(fx, 0, 0);
}

static void rules__payload_files_allowed(void **state)
{
	struct fixture *fx = *state;
	const struct problems *r;

	tb_file(&fx->bag, "data/extra.bin");
	tb_file(&fx->bag, "data/src/deep/er/c.c");
	r = run(fx, 1, 0);
	expect(r, "data/extra.bin", "payload file 'data/extra.bin' is not allowed",
	       "Payload-Files-Allowed: data/LICENSE.txt, data/src/*");
}

static void rules__inconsistent_profile_warns(void **state)
{
	struct fixture *fx = *state;
	const struct problems *r;

	profile_free(fx->p);
	fx->p = load_text(
		"{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": "
		"\"https://example.org/rules.json\", \"Source-Organization\": \"o\","
		" \"External-Description\": \"d\", \"Version\": \"1\"},"
		" \"Manifests-Required\": [\"md5\"], \"Manifests-Allowed\": [\"sha256\"],"
		" \"Tag-Files-Required\": [\"bag-info.txt\", \"x/y.txt\"],"
		" \"Tag-Files-Allowed\": [\"z/*\"],"
		" \"Allow-Fetch.txt\": false, \"Fetch.txt-Required\": true,"
		" \"Accept-Serialization\": [\"application/zip\"],"
		" \"Accept-BagIt-Version\": [\"1.0\"]}");
	r = run(fx, 4, 5);
	assert_non_null(find(r, PROFILE_CODE_WARNING, "'md5' in Manifests-Required", NULL));
	assert_non_null(find(r, PROFILE_CODE_WARNING, "'bag-info.txt' in Tag-Files-Required", "Tag-Files-Allowed"));
	assert_non_null(find(r, PROFILE_CODE_WARNING, "'x/y.txt' in Tag-Files-Required", NULL));
	assert_non_null(find(r, PROFILE_CODE_WARNING, "'bag-info.txt' in Tag-Files-Required", "should not"));
	assert_non_null(find(r, PROFILE_CODE_WARNING, "requires fetch.txt but does not allow it", NULL));
	/* and the bag fails on each */
	expect(r, "manifest-md5.txt", "missing", "Manifests-Required");
	expect(r, "x/y.txt", "missing", "Tag-Files-Required");
	expect(r, "fetch.txt", "missing", "Fetch.txt-Required");
	expect(r, "meta/info.xml", "not allowed", "Tag-Files-Allowed: z/*");
}

/* --- Beyond the Repository and the spec examples ------------------------ */

/* The BtR sample bags' bag-info and files, as the validator sees them. */
static void btr_bag(struct tbag *b, bool with_required)
{
	memset(b, 0, sizeof(*b));
	b->f.version = "0.97";
	b->f.serialization = BAG_SER_TAR;
	b->f.has_bag_info = true;
	b->f.payload_manifests = DIGEST_BIT(DIGEST_SHA512);
	b->f.tag_manifests = DIGEST_BIT(DIGEST_SHA512);
	tb_tag(b, "Tag-File-Character-Encoding", "UTF-8");
	tb_tag(b, "Bag-Count", "1");
	tb_tag(b, "Bag-Size", "");
	tb_tag(b, "BagIt-Profile-Identifier",
	       "https://raw.githubusercontent.com/dpscollaborative/btr_bagit_profile/master/btr-bagit-profile.json");
	if (with_required)
		tb_tag(b, "Bagging-Date", "2019-12-12T19:34:21Z");
	tb_tag(b, "Contact-Email", "bagger@example.com");
	tb_tag(b, "Organization-Address", "1234 Main St., Charlottesville, VA 22902");
	if (with_required) {
		tb_tag(b, "Payload-Oxum", "18242.6");
		tb_tag(b, "Source-Organization", "APTrust");
	}
	tb_file(b, "bagit.txt");
	tb_file(b, "bag-info.txt");
	tb_file(b, "manifest-sha512.txt");
	tb_file(b, "tagmanifest-sha512.txt");
	tb_file(b, "data/nettest/conntest.go");
	tb_file(b, "data/netutil/listen.go");
	tb_dir(b, "data/nettest");
	tb_dir(b, "data/netutil");
}

static void btr__good_and_missing_required_tags(void **state)
{
	struct bag_profile *p = NULL;
	struct custos_err err;
	struct tbag b;
	struct problems r;

	(void)state;
	assert_int_equal(profile_load(&p, BTR_DIR "/btr-bagit-profile.json",
				      &err), 0);
	btr_bag(&b, true);
	problems_init(&r);
	profile_check(p, tb_facts(&b), &r);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 1);   /* the identifier's other URL */
	assert_non_null(find(&r, PROFILE_CODE_WARNING, "BagIt-Profile-Identifier", NULL));
	problems_release(&r);

	btr_bag(&b, false);                /* btr_bad_missing_required_tags */
	problems_init(&r);
	profile_check(p, tb_facts(&b), &r);
	assert_int_equal(r.errors, 3);
	expect(&r, "bag-info.txt", "'Bagging-Date'", "required");
	expect(&r, "bag-info.txt", "'Payload-Oxum'", "required");
	expect(&r, "bag-info.txt", "'Source-Organization'", "required");
	problems_release(&r);

	btr_bag(&b, true);                 /* 1.0 and tar.gz: accepted too */
	b.f.version = "1.0";
	b.f.serialization = BAG_SER_TAR_GZIP;
	problems_init(&r);
	profile_check(p, tb_facts(&b), &r);
	assert_int_equal(r.errors, 0);
	problems_release(&r);
	profile_free(p);
}

/* --- the BtR sample bags themselves, read from their tar files ---------- */

/* Facts of a serialized sample bag, gathered naively for the test. */
struct tarbag {
	char *names[256];          /* owned; tag files, payload, dirs */
	size_t nnames;
	const char *tag_files[64], *payload[128], *dirs[64];
	struct bag_tag tags[64];
	char version[16];
	struct bag_facts f;
};

static char *tar_keep(struct tarbag *t, const char *s, size_t n)
{
	char *c = strndup(s, n);

	assert_non_null(c);
	assert_true(t->nnames < 256);
	t->names[t->nnames++] = c;
	return c;
}

/* Naive bag-info parse: "Label: value" lines (no continuations here). */
static void tar_bag_info(struct tarbag *t, const char *text)
{
	for (const char *line = text; *line; ) {
		size_t n = strcspn(line, "\n");
		const char *colon = memchr(line, ':', n);

		if (colon) {
			struct bag_tag *bt = &t->tags[t->f.ninfo];
			const char *v = colon + 1;

			assert_true(t->f.ninfo < 64);
			while (*v == ' ')
				v++;
			bt->label = tar_keep(t, line, (size_t)(colon - line));
			bt->value = tar_keep(t, v, (size_t)(line + n - v));
			bt->line = ++t->f.ninfo;
		}
		line += n + (line[n] == '\n');
	}
}

static void tar_entry(struct tarbag *t, const char *rel, bool dir,
		      const char *text)
{
	size_t n = strlen(rel);
	enum digest_alg a;
	char alg[16];
	char *name;

	if (dir && n && rel[n - 1] == '/')
		n--;
	if (n == 0 || (n == 4 && strncmp(rel, "data", 4) == 0))
		return;
	name = tar_keep(t, rel, n);
	if (dir)
		t->dirs[t->f.npayload_dirs++] = name;
	else if (strncmp(name, "data/", 5) == 0)
		t->payload[t->f.npayload_files++] = name;
	else
		t->tag_files[t->f.ntag_files++] = name;
	if (strcmp(name, "bag-info.txt") == 0) {
		t->f.has_bag_info = true;
		tar_bag_info(t, text);
	} else if (strcmp(name, "bagit.txt") == 0) {
		assert_int_equal(sscanf(text, "BagIt-Version: %15s", t->version), 1);
		t->f.version = t->version;
	} else if (sscanf(name, "manifest-%15[a-z0-9].txt", alg) == 1 &&
		   digest_from_name(&a, alg) == 0) {
		t->f.payload_manifests |= DIGEST_BIT(a);
	} else if (sscanf(name, "tagmanifest-%15[a-z0-9].txt", alg) == 1 &&
		   digest_from_name(&a, alg) == 0) {
		t->f.tag_manifests |= DIGEST_BIT(a);
	}
}

static void tar_read(struct tarbag *t, const char *path)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	char text[4096];

	memset(t, 0, sizeof(*t));
	t->f.serialization = BAG_SER_TAR;
	t->f.info = t->tags;
	t->f.tag_files = t->tag_files;
	t->f.payload_files = t->payload;
	t->f.payload_dirs = t->dirs;
	archive_read_support_format_tar(ar);
	assert_int_equal(archive_read_open_filename(ar, path, 65536), ARCHIVE_OK);
	while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
		const char *full = archive_entry_pathname(e);
		const char *rel = strchr(full, '/');
		bool dir = archive_entry_filetype(e) == AE_IFDIR;
		la_ssize_t got = 0;

		if (!dir)
			got = archive_read_data(ar, text, sizeof(text) - 1);
		text[got > 0 ? got : 0] = '\0';
		tar_entry(t, rel ? rel + 1 : "", dir, text);
	}
	archive_read_free(ar);
	t->f.version = t->f.version ? t->version : NULL;
}

static void tar_release(struct tarbag *t)
{
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
}

/* Every good BtR sample bag passes; the bad ones pass or fail the
 * profile as their README says (only missing tags is a profile matter). */
static void btr__sample_bags(void **state)
{
	static const struct { const char *tar; size_t errors; } bags[] = {
		{ "btr_good_sha256.tar", 0 },
		{ "btr_good_sha512.tar", 0 },
		{ "dspace/SITE@123456789-0.tar", 0 },
		{ "dspace/COMMUNITY@123456789-1.tar", 0 },
		{ "dspace/COLLECTION@123456789-2.tar", 0 },
		{ "dspace/ITEM@123456789-3.tar", 0 },
		{ "fedora/fedora-btr-bag.tar", 0 },
		{ "btr_bad_checksums.tar", 0 },
		{ "btr_bad_extraneous_file.tar", 0 },
		{ "btr_bad_missing_payload_file.tar", 0 },
		{ "btr_bad_missing_required_tags.tar", 3 },
	};
	struct bag_profile *p = NULL;
	struct custos_err err;

	(void)state;
	assert_int_equal(profile_load(&p, BTR_DIR "/btr-bagit-profile.json",
				      &err), 0);
	for (size_t i = 0; i < sizeof(bags) / sizeof(bags[0]); i++) {
		char path[512];
		struct tarbag *t = calloc(1, sizeof(*t));
		struct problems r;

		assert_non_null(t);
		snprintf(path, sizeof(path), "%s/sample_bags/%s", BTR_DIR,
			 bags[i].tar);
		tar_read(t, path);
		assert_true(t->f.npayload_files > 0);
		assert_non_null(t->f.version);
		problems_init(&r);
		profile_check(p, &t->f, &r);
		if (getenv("CUSTOS_TEST_VERBOSE")) {
			print_message("%s:\n", bags[i].tar);
			dump(&r);
		}
		if (r.errors != bags[i].errors) {
			dump(&r);
			fail_msg("%s: %zu errors, expected %zu", bags[i].tar,
				 r.errors, bags[i].errors);
		}
		if (bags[i].errors) {
			expect(&r, "bag-info.txt", "'Bagging-Date'", "required");
			expect(&r, "bag-info.txt", "'Payload-Oxum'", "required");
			expect(&r, "bag-info.txt", "'Source-Organization'", "required");
		}
		problems_release(&r);
		tar_release(t);
		free(t);
	}
	profile_free(p);
}

/* bagProfileBar allows only DPN/ tag files: the BagIt files stay legal. */
static void spec__bar_tag_files(void **state)
{
	struct bag_profile *p = NULL;
	struct custos_err err;
	struct tbag b;
	struct problems r;

	(void)state;
	assert_int_equal(profile_load(&p, SPEC_DIR "/bagProfileBar.json",
				      &err), 0);
	memset(&b, 0, sizeof(b));
	b.f.version = "0.96";
	b.f.serialization = BAG_SER_ZIP;
	b.f.has_bag_info = true;
	b.f.payload_manifests = DIGEST_BIT(DIGEST_MD5);
	b.f.tag_manifests = DIGEST_BIT(DIGEST_MD5);
	tb_tag(&b, "BagIt-Profile-Identifier",
	       "http://canadiana.org/standards/bagit/tdr_ingest.json");
	tb_tag(&b, "Source-Organization", "York University");
	tb_tag(&b, "Organization-Address",
	       "4700 Keele Street Toronto, Ontario M3J 1P3 Canada");
	tb_tag(&b, "Contact-Name", "Nick Ruest");
	tb_tag(&b, "Contact-Email", "x@example.org");
	tb_tag(&b, "External-Description", "d");
	tb_tag(&b, "Bag-Size", "1 KB");
	tb_tag(&b, "Bag-Count", "1 of 1");
	tb_tag(&b, "Bagging-Date", "2026-11-25");
	tb_tag(&b, "Payload-Oxum", "3.1");
	tb_file(&b, "bagit.txt");
	tb_file(&b, "bag-info.txt");
	tb_file(&b, "manifest-md5.txt");
	tb_file(&b, "tagmanifest-md5.txt");
	tb_file(&b, "DPN/dpnFirstNode.txt");
	tb_file(&b, "DPN/dpnRegistry");
	tb_file(&b, "data/a.txt");
	problems_init(&r);
	profile_check(p, tb_facts(&b), &r);
	if (r.errors || r.warnings)
		dump(&r);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 0);
	problems_release(&r);

	tb_drop(&b, "DPN/dpnRegistry");
	tb_file(&b, "notes.txt");
	b.f.serialization = BAG_SER_NONE;  /* optional: fine */
	problems_init(&r);
	profile_check(p, tb_facts(&b), &r);
	assert_int_equal(r.errors, 2);
	expect(&r, "DPN/dpnRegistry", "'DPN/dpnRegistry' is missing", NULL);
	expect(&r, "notes.txt", "'notes.txt' is not allowed", "DPN/*");
	problems_release(&r);
	profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(profile__loads_btr),
		cmocka_unit_test(profile__loads_spec_examples),
		cmocka_unit_test(profile__malformed_files_name_file_and_key),
		cmocka_unit_test(profile__follows_symlink),
		cmocka_unit_test(profile__rejects_unusable_profiles),
		cmocka_unit_test(profile__incomplete_info_warns),
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(rules__good_bag_passes),
		T(rules__accept_bagit_version),
		T(rules__accept_serialization),
		T(rules__serialization_required_forbidden),
		T(rules__profile_identifier),
		T(rules__bag_info_required_values_repeatable),
		T(rules__manifests),
		T(rules__manifests_unknown_required),
		T(rules__tag_manifests),
		T(rules__fetch),
		T(rules__data_empty),
		T(rules__tag_files),
		T(rules__payload_files_required),
		T(rules__payload_files_allowed),
		T(rules__inconsistent_profile_warns),
#undef T
		cmocka_unit_test(btr__good_and_missing_required_tags),
		cmocka_unit_test(btr__sample_bags),
		cmocka_unit_test(spec__bar_tag_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
