/*
 * tests/preserve/test_parsers.c - tag files, manifests and fetch.txt:
 * good lines parse, every bad line is reported with its number, hostile
 * paths never become entries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "preserve/bagit/fetch.h"
#include "preserve/bagit/manifest.h"
#include "preserve/bagit/tagfile.h"

static const struct problem *find(const struct problems *r, const char *code)
{
	for (size_t i = 0; i < r->count; i++)
		if (!strcmp(r->items[i].code, code))
			return &r->items[i];
	return NULL;
}

static void tagfile__labels_values_continuations(void **state)
{
	const char *text = "Source-Organization: Spengler University\r\n"
			   "External-Description: Uncompressed greyscale TIFF images from the\r\n"
			   "         Yoshimuri papers collection.\r\n"
			   "Contact-Name: A\n"
			   "contact-name: B\r"
			   "Empty:\n";
	struct tagfile t;
	struct problems r;

	(void)state;
	problems_init(&r);
	assert_int_equal(tagfile_parse(&t, text, strlen(text), "bag-info.txt",
				       TAGFILE_BAG_INFO, &r), 0);
	assert_int_equal(r.count, 0);
	assert_int_equal(t.count, 5);
	assert_string_equal(t.tags[1].value,
			    "Uncompressed greyscale TIFF images from the Yoshimuri papers collection.");
	assert_int_equal(t.tags[3].line, 5);
	assert_int_equal(tagfile_count_label(&t, "CONTACT-NAME"), 2);
	assert_string_equal(tagfile_get(&t, "contact-name"), "A");
	assert_string_equal(tagfile_get(&t, "Empty"), "");
	tagfile_release(&t);
	problems_release(&r);
}

static void tagfile__reports_bad_lines(void **state)
{
	const char text[] = "Good: yes\nno colon here\n  \nLabel : spaced\nBin: a\0b\n";
	struct tagfile t;
	struct problems r;

	(void)state;
	problems_init(&r);
	assert_int_equal(tagfile_parse(&t, text, sizeof(text) - 1, "bag-info.txt",
				       TAGFILE_BAG_INFO, &r), 0);
	assert_int_equal(r.errors, 2);          /* no colon, NUL byte */
	assert_int_equal(r.warnings, 1);        /* space before colon */
	assert_non_null(strstr(r.items[0].message, "line 2"));
	assert_non_null(strstr(find(&r, "tag-whitespace")->message, "line 4"));
	tagfile_release(&t);
	problems_release(&r);
}

static void tagfile__declaration_is_strict(void **state)
{
	const char *text = "BagIt-Version : 1.0\nTag-File-Character-Encoding:  UTF-8\n";
	struct tagfile t;
	struct problems r;

	(void)state;
	problems_init(&r);
	assert_int_equal(tagfile_parse(&t, text, strlen(text), "bagit.txt",
				       TAGFILE_DECLARATION, &r), 0);
	assert_int_equal(r.errors, 2);
	assert_string_equal(r.items[0].code, "bad-tag-line");
	tagfile_release(&t);
	problems_release(&r);
}

static void manifest__parses_and_decodes(void **state)
{
	const char *text =
		"900150983cd24fb0d6963f7d28e17f72  data/a b.txt\n"
		"900150983CD24FB0D6963F7D28E17F72\tdata/100%25\r\n"
		"900150983cd24fb0d6963f7d28e17f72 *data/star\n"
		"\n";
	struct manifest m;
	struct problems r;

	(void)state;
	problems_init(&r);
	assert_int_equal(manifest_parse(&m, "manifest-md5.txt", DIGEST_MD5, text,
					strlen(text), &r), 0);
	assert_int_equal(m.count, 3);
	assert_string_equal(m.entries[0].path, "data/a b.txt");
	assert_string_equal(m.entries[1].path, "data/100%");
	{
		char hex[DIGEST_HEX_MAX];

		assert_string_equal(manifest_hex(&m, &m.entries[1], hex),
				    "900150983cd24fb0d6963f7d28e17f72");
		assert_true(manifest_digest_is(&m, &m.entries[1],
					       "900150983CD24FB0D6963F7D28E17F72"));
		assert_true(sizeof(m.entries[0]) <= 100);  /* compact entries */
	}
	assert_string_equal(m.entries[2].path, "data/star");
	assert_int_equal(r.errors, 0);
	assert_non_null(find(&r, "md5sum-marker"));
	manifest_release(&m);
	problems_release(&r);
}

/* Fed one byte at a time (a CR and its LF in different chunks), the
 * stream gives the entries the whole text gives, line numbers included. */
static void manifest__stream_in_chunks_equals_whole(void **state)
{
	const char *text =
		"900150983cd24fb0d6963f7d28e17f72  data/a\r\n"
		"\r\n"
		"900150983cd24fb0d6963f7d28e17f73  data/b\r"
		"900150983cd24fb0d6963f7d28e17f74  data/c";
	struct manifest whole, parts;
	struct manifest_stream *ms;
	struct problems r;
	size_t bad = 99;

	(void)state;
	problems_init(&r);
	assert_int_equal(manifest_parse(&whole, "manifest-md5.txt", DIGEST_MD5,
					text, strlen(text), &r), 0);
	assert_int_equal(manifest_stream_begin(&ms, &parts, "manifest-md5.txt",
					       DIGEST_MD5, &r), 0);
	for (size_t i = 0; text[i]; i++)
		assert_int_equal(manifest_stream_feed(ms, text + i, 1), 0);
	assert_int_equal(manifest_stream_end(ms, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(whole.count, 3);
	assert_int_equal(parts.count, whole.count);
	for (size_t i = 0; i < whole.count; i++) {
		assert_string_equal(parts.entries[i].path, whole.entries[i].path);
		assert_int_equal(parts.entries[i].line, whole.entries[i].line);
		assert_memory_equal(parts.entries[i].digest, whole.entries[i].digest,
				    DIGEST_MAX_SIZE);
	}
	assert_int_equal(whole.entries[2].line, 4);
	assert_int_equal(r.count, 0);
	manifest_release(&whole);
	manifest_release(&parts);

	/* a line that is not UTF-8 stops the stream and is named */
	assert_int_equal(manifest_stream_begin(&ms, &parts, "manifest-md5.txt",
					       DIGEST_MD5, &r), 0);
	assert_int_equal(manifest_stream_feed(ms, text, 48), 0);
	assert_int_equal(manifest_stream_feed(ms, "\n9001  data/\xff\n", 15), 1);
	assert_int_equal(manifest_stream_end(ms, &bad), 1);
	assert_int_equal(bad, 4);     /* line 3 is "9001" */
	assert_int_equal(parts.count, 0);     /* released */
	problems_release(&r);
}

static void manifest__hostile_lines_never_become_entries(void **state)
{
	char *huge = malloc(MANIFEST_LINE_MAX + 100);
	struct manifest m;
	struct problems r;
	const char *text =
		"900150983cd24fb0d6963f7d28e17f72  ../../etc/passwd\n"
		"900150983cd24fb0d6963f7d28e17f72  /etc/passwd\n"
		"900150983cd24fb0d6963f7d28e17f72  ~/x\n"
		"nothex  data/x\n"
		"900150983cd24fb0d6963f7d28e17f72\n"
		"abc  data/short\n";

	(void)state;
	problems_init(&r);
	assert_int_equal(manifest_parse(&m, "manifest-md5.txt", DIGEST_MD5, text,
					strlen(text), &r), 0);
	assert_int_equal(m.count, 0);
	assert_int_equal(r.errors, 6);
	assert_string_equal(r.items[0].code, "path-outside-bag");
	assert_string_equal(r.items[0].path, "../../etc/passwd");
	assert_string_equal(r.items[3].code, "bad-manifest-line");
	manifest_release(&m);
	problems_release(&r);

	memset(huge, 'a', MANIFEST_LINE_MAX + 99);
	huge[MANIFEST_LINE_MAX + 99] = '\0';
	problems_init(&r);
	assert_int_equal(manifest_parse(&m, "manifest-md5.txt", DIGEST_MD5, huge,
					strlen(huge), &r), 0);
	assert_int_equal(m.count, 0);
	assert_non_null(strstr(r.items[0].message, "too long"));
	manifest_release(&m);
	problems_release(&r);
	free(huge);
}

static void manifest__name_algorithm(void **state)
{
	char alg[32];

	(void)state;
	assert_int_equal(manifest_name_alg("manifest-sha256.txt", "manifest-", alg,
					   sizeof(alg)), 0);
	assert_string_equal(alg, "sha256");
	assert_int_equal(manifest_name_alg("tagmanifest-md5.txt", "manifest-", alg,
					   sizeof(alg)), -1);
	assert_int_equal(manifest_name_alg("manifest-.txt", "manifest-", alg,
					   sizeof(alg)), -1);
}

static void fetch__entries_and_errors(void **state)
{
	const char *text =
		"http://example.org/a.txt 12 data/a.txt\n"
		"https://example.org/b - data/dir/b c.txt\r\n"
		"https://example.org/c - ../../../README.md\n"
		"notaurl 5 data/x\n"
		"http://example.org/d 12x data/d\n"
		"http://example.org/e 1 tagfile.txt\n"
		"only two\n";
	struct fetch_list f;
	struct problems r;

	(void)state;
	problems_init(&r);
	assert_int_equal(fetch_parse(&f, text, strlen(text), &r), 0);
	assert_int_equal(f.count, 4);
	assert_true(f.entries[0].has_length);
	assert_int_equal(f.entries[0].length, 12);
	assert_false(f.entries[1].has_length);
	assert_string_equal(f.entries[1].path, "data/dir/b c.txt");
	assert_non_null(find(&r, "path-outside-bag"));
	assert_non_null(find(&r, "path-outside-payload"));
	assert_int_equal(r.errors, 5);
	fetch_release(&f);
	problems_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tagfile__labels_values_continuations),
		cmocka_unit_test(tagfile__reports_bad_lines),
		cmocka_unit_test(tagfile__declaration_is_strict),
		cmocka_unit_test(manifest__parses_and_decodes),
		cmocka_unit_test(manifest__hostile_lines_never_become_entries),
		cmocka_unit_test(manifest__stream_in_chunks_equals_whole),
		cmocka_unit_test(manifest__name_algorithm),
		cmocka_unit_test(fetch__entries_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
