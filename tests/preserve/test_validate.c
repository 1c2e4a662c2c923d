/*
 * tests/preserve/test_validate.c - bags made by bag_make, then damaged in
 * every way a validator must notice; serialized bags built with libarchive
 * (valid ones, and hostile ones whose entries try to leave the bag).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "preserve/bagit/bagmake.h"
#include "preserve/bagit/validate.h"
#include "tests/testutil.h"

struct fixture {
	char *tmp;
	char *bag;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct bag_tag info[] = { { "Source-Organization", "Test Archive", 0 } };
	struct bagmake_opts o = { .info = info, .ninfo = 1, .jobs = 4 };
	struct bagmake_result res;
	struct custos_err err;
	char *src;

	fx->tmp = tu_mkdtemp();
	src = tu_path(fx->tmp, "src");
	tu_write_str(src, "a.txt", "alpha\n");
	tu_write_str(src, "dir/b.txt", "bravo bravo\n");
	tu_write_str(src, "dir/100%.txt", "percent\n");
	tu_write_str(src, "empty", "");
	fx->bag = tu_path(fx->tmp, "bag");
	o.src = src;
	o.dest = fx->bag;
	assert_int_equal(bag_make(&o, &res, &err), 0);
	assert_int_equal(res.files, 4);
	/* the one name that is %-encoded in the manifests is named */
	assert_int_equal(res.warnings.count, 1);
	assert_string_equal(res.warnings.items[0].code, "encoded-name");
	assert_string_equal(res.warnings.items[0].path, "data/dir/100%.txt");
	problems_release(&res.warnings);
	free(src);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	tu_rmrf(fx->tmp);
	free(fx->tmp);
	free(fx->bag);
	free(fx);
	return 0;
}

static void run(const char *path, enum validate_mode mode,
		struct validate_result *res)
{
	struct validate_opts o = { .mode = mode, .jobs = 3 };
	struct custos_err err;

	assert_int_equal(bag_validate(path, &o, res, &err), 0);
}

static const struct problem *item(const struct validate_result *res,
				      const char *code, const char *path)
{
	for (size_t i = 0; i < res->problems.count; i++) {
		const struct problem *it = &res->problems.items[i];

		if (!strcmp(it->code, code) && (!path || !strcmp(it->path, path)))
			return it;
	}
	return NULL;
}

static void validate__made_bag_is_valid(void **state)
{
	struct fixture *fx = *state;
	struct validate_result res;

	run(fx->bag, VALIDATE_FULL, &res);
	assert_true(res.valid);
	assert_int_equal(res.problems.count, 0);
	assert_string_equal(res.version, "1.0");
	assert_int_equal(res.files, 4);
	assert_int_equal(res.bytes, 6 + 12 + 8);
	validate_result_release(&res);
}

static void validate__reports_every_problem(void **state)
{
	struct fixture *fx = *state;
	struct validate_result res;
	char *p;

	tu_write_str(fx->bag, "data/a.txt", "ALPHA\n");          /* changed */
	p = tu_path(fx->bag, "data/dir/b.txt");
	assert_int_equal(unlink(p), 0);                          /* missing */
	free(p);
	tu_write_str(fx->bag, "data/new.txt", "surprise");       /* unexpected */
	run(fx->bag, VALIDATE_FULL, &res);
	assert_false(res.valid);
	const struct problem *d = item(&res, "digest-mismatch", "data/a.txt");
	assert_non_null(d);
	assert_non_null(d->expected);
	assert_non_null(d->actual);
	assert_string_not_equal(d->expected, d->actual);
	assert_non_null(item(&res, "missing-file", "data/dir/b.txt"));
	assert_non_null(item(&res, "unexpected-file", "data/new.txt"));
	assert_non_null(item(&res, "oxum-mismatch", NULL));
	/* two manifests (sha256, sha512): a mismatch in each */
	size_t mismatches = 0;
	for (size_t i = 0; i < res.problems.count; i++)
		mismatches += !strcmp(res.problems.items[i].code, "digest-mismatch");
	assert_int_equal(mismatches, 2);
	validate_result_release(&res);

	run(fx->bag, VALIDATE_COMPLETENESS, &res);    /* no digests read */
	assert_null(item(&res, "digest-mismatch", NULL));
	assert_non_null(item(&res, "missing-file", "data/dir/b.txt"));
	validate_result_release(&res);

	run(fx->bag, VALIDATE_FAST, &res);            /* Oxum only */
	assert_null(item(&res, "missing-file", NULL));
	assert_non_null(item(&res, "oxum-mismatch", NULL));
	validate_result_release(&res);
}

static void validate__tag_manifest_catches_edited_bag_info(void **state)
{
	struct fixture *fx = *state;
	struct validate_result res;
	size_t len;
	char *info = tu_read(fx->bag, "bag-info.txt", &len);
	char *edited = NULL;

	assert_true(asprintf(&edited, "%sContact-Name: Mallory\n", info) > 0);
	tu_write_str(fx->bag, "bag-info.txt", edited);
	run(fx->bag, VALIDATE_FULL, &res);
	assert_non_null(item(&res, "digest-mismatch", "bag-info.txt"));
	validate_result_release(&res);
	free(info);
	free(edited);
}

static void validate__symlink_out_of_bag_is_never_followed(void **state)
{
	struct fixture *fx = *state;
	struct validate_result res;
	char *outside = tu_path(fx->tmp, "secret.txt");
	char *link = tu_path(fx->bag, "data/a.txt");

	tu_write_str(fx->tmp, "secret.txt", "alpha\n");  /* same bytes as a.txt */
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink(outside, link), 0);
	run(fx->bag, VALIDATE_FULL, &res);
	assert_false(res.valid);
	assert_non_null(item(&res, "path-outside-bag", "data/a.txt"));
	/* the link is not a file of the bag: a.txt counts as missing */
	assert_non_null(item(&res, "missing-file", "data/a.txt"));
	validate_result_release(&res);
	free(outside);
	free(link);
}

static void validate__hostile_manifest_paths(void **state)
{
	struct fixture *fx = *state;
	struct validate_result res;
	size_t len;
	char *m = tu_read(fx->bag, "manifest-sha256.txt", &len), *bad = NULL;

	assert_true(asprintf(&bad, "%s%s  ../outside\n%s  /etc/passwd\n", m,
			     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") > 0);
	tu_write_str(fx->bag, "manifest-sha256.txt", bad);
	run(fx->bag, VALIDATE_FULL, &res);
	assert_non_null(item(&res, "path-outside-bag", "../outside"));
	assert_non_null(item(&res, "path-outside-bag", "/etc/passwd"));
	validate_result_release(&res);
	free(m);
	free(bad);
}

static void validate__bad_encoding_and_binary(void **state)
{
	struct fixture *fx = *state;
	struct validate_result res;

	static const char info[] = "Source-Organization: \xff\xfe bad\n";
	static const char fetch[] = "http://x/ 1 data/a\0b\n";

	tu_write(fx->bag, "bag-info.txt", info, sizeof(info) - 1);
	tu_write(fx->bag, "fetch.txt", fetch, sizeof(fetch) - 1);
	run(fx->bag, VALIDATE_FULL, &res);
	assert_non_null(item(&res, "bad-encoding", "bag-info.txt"));
	assert_non_null(item(&res, "bad-fetch-line", "fetch.txt"));
	validate_result_release(&res);
}

static void validate__missing_path_is_usage_error(void **state)
{
	struct fixture *fx = *state;
	struct validate_result res;
	struct custos_err err;
	char *p = tu_path(fx->tmp, "nope");

	assert_int_equal(bag_validate(p, NULL, &res, &err), -1);
	assert_int_equal(err.code, CUSTOS_EUSAGE);
	assert_non_null(strstr(err.msg, "nope"));
	validate_result_release(&res);
	free(p);
}

/* Write an archive at PATH holding every file of DIR under TOP/. */
struct arc_file {
	const char *name;
	const char *data;
};

static void write_archive(const char *path, int zip, int gz,
			  const struct arc_file *files, size_t n)
{
	struct archive *a = archive_write_new();

	if (zip)
		archive_write_set_format_zip(a);
	else
		archive_write_set_format_pax_restricted(a);
	if (gz)
		archive_write_add_filter_gzip(a);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = strlen(files[i].data);

		archive_entry_set_pathname(e, files[i].name);
		archive_entry_set_size(e, (la_int64_t)len);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, files[i].data, len), (la_ssize_t)len);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
}

/* The made bag's files, read back, as archive entries under "bag/". */
static size_t bag_as_entries(struct fixture *fx, struct arc_file *out,
			     char **bufs)
{
	static const char *names[] = { "bagit.txt", "bag-info.txt",
		"manifest-sha256.txt", "manifest-sha512.txt",
		"tagmanifest-sha256.txt", "tagmanifest-sha512.txt",
		"data/a.txt", "data/dir/b.txt", "data/dir/100%.txt", "data/empty" };
	size_t n = sizeof(names) / sizeof(names[0]);

	for (size_t i = 0; i < n; i++) {
		char *name = NULL;

		bufs[i] = tu_read(fx->bag, names[i], NULL);
		/* payload first: the reader must cope with tag files last */
		assert_true(asprintf(&name, "bag/%s", names[n - 1 - i]) > 0);
		bufs[n + i] = name;
	}
	for (size_t i = 0; i < n; i++) {
		out[i].name = bufs[n + i];
		out[i].data = bufs[n - 1 - i];
	}
	return n;
}

static void validate__serialized_bags(void **state)
{
	struct fixture *fx = *state;
	struct arc_file files[16];
	char *bufs[32];
	size_t n = bag_as_entries(fx, files, bufs);
	const char *kinds[] = { "bag.tar", "bag.tar.gz", "bag.zip" };

	for (size_t k = 0; k < 3; k++) {
		char *p = tu_path(fx->tmp, kinds[k]);
		struct validate_result res;

		write_archive(p, k == 2, k == 1, files, n);
		run(p, VALIDATE_FULL, &res);
		if (!res.valid)
			for (size_t i = 0; i < res.problems.count; i++)
				print_message("%s\n", res.problems.items[i].message);
		assert_true(res.valid);
		assert_int_equal(res.files, 4);
		assert_int_equal(res.serialization, k == 0 ? BAG_SER_TAR :
				 k == 1 ? BAG_SER_TAR_GZIP : BAG_SER_ZIP);
		validate_result_release(&res);
		free(p);
	}
	/* one changed byte inside the archive is found */
	files[0].data = "alphA\n";
	for (size_t i = 0; i < n; i++)
		if (!strcmp(files[i].name, "bag/data/a.txt"))
			files[i].data = "alphA\n";
	char *p = tu_path(fx->tmp, "bad.tar");
	struct validate_result res;
	write_archive(p, 0, 0, files, n);
	run(p, VALIDATE_FULL, &res);
	assert_non_null(item(&res, "digest-mismatch", "data/a.txt"));
	validate_result_release(&res);
	free(p);
	for (size_t i = 0; i < 2 * n; i++)
		free(bufs[i]);
}

static void validate__archive_entries_cannot_escape(void **state)
{
	struct fixture *fx = *state;
	struct arc_file files[] = {
		{ "bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n" },
		{ "bag/manifest-md5.txt", "" },
		{ "bag/data/ok", "" },
		{ "bag/../../escape.txt", "evil" },
		{ "/tmp/custos-absolute-escape", "evil" },
	};
	char *p = tu_path(fx->tmp, "evil.tar");
	struct validate_result res;

	write_archive(p, 0, 0, files, 5);
	run(p, VALIDATE_FULL, &res);
	assert_false(res.valid);
	assert_non_null(item(&res, "path-outside-bag", "bag/../../escape.txt"));
	assert_non_null(item(&res, "path-outside-bag", "/tmp/custos-absolute-escape"));
	assert_int_equal(access("/tmp/custos-absolute-escape", F_OK), -1);
	validate_result_release(&res);
	free(p);
}

/* Give the tar entry NAME a header claiming SIZE bytes (checksum fixed). */
static void lie_about_size(const char *tar, const char *name, unsigned long long size)
{
	size_t len;
	char *dir = strdup(tar), *slash = strrchr(dir, '/');
	unsigned char *data;

	*slash = '\0';
	data = (unsigned char *)tu_read(dir, slash + 1, &len);
	for (size_t off = 0; off + 512 <= len; off += 512) {
		unsigned char *h = data + off;
		unsigned sum = 0;

		if (strcmp((char *)h, name) != 0)
			continue;
		snprintf((char *)h + 124, 12, "%011llo", size);
		memset(h + 148, ' ', 8);
		for (int i = 0; i < 512; i++)
			sum += h[i];
		snprintf((char *)h + 148, 8, "%06o", sum);
		h[155] = ' ';
		tu_write(dir, slash + 1, data, len);
		break;
	}
	free(data);
	free(dir);
}

static void validate__archive_header_lies_about_size(void **state)
{
	struct fixture *fx = *state;
	struct arc_file files[] = {
		{ "bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n" },
		{ "bag/manifest-sha256.txt", "e3b0  data/a\n" },
		{ "bag/data/a", "x" },
	};
	char *p = tu_path(fx->tmp, "lie.tar");
	struct validate_result res;

	write_archive(p, 0, 0, files, 3);
	lie_about_size(p, "bag/manifest-sha256.txt", 1ull << 30);
	run(p, VALIDATE_FULL, &res);      /* a clear error, not 1 GiB of memory */
	assert_false(res.valid);
	assert_non_null(item(&res, "unreadable-bag", NULL));
	validate_result_release(&res);
	free(p);
}

static void validate__not_an_archive(void **state)
{
	struct fixture *fx = *state;
	struct validate_result res;
	char *p = tu_path(fx->tmp, "random.bin");

	tu_write_str(fx->tmp, "random.bin", "this is not an archive at all\n");
	run(p, VALIDATE_FULL, &res);
	assert_false(res.valid);
	assert_non_null(item(&res, "unreadable-bag", NULL));
	validate_result_release(&res);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(validate__made_bag_is_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__reports_every_problem, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__tag_manifest_catches_edited_bag_info, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__symlink_out_of_bag_is_never_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__hostile_manifest_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__bad_encoding_and_binary, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__missing_path_is_usage_error, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__serialized_bags, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__archive_entries_cannot_escape, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__not_an_archive, setup, teardown),
		cmocka_unit_test_setup_teardown(validate__archive_header_lies_about_size, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
