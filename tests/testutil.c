/*
 * tests/testutil.c - scratch files for tests (see testutil.h).
 */
#include "tests/testutil.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/fileio.h"

char *tu_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = NULL;

	assert_true(asprintf(&tmpl, "%s/custos-test-XXXXXX",
			     base && *base ? base : "/tmp") > 0);
	assert_non_null(mkdtemp(tmpl));
	return tmpl;
}

char *tu_path(const char *dir, const char *rel)
{
	char *p = fio_join(dir, rel);

	assert_non_null(p);
	return p;
}

void tu_write(const char *dir, const char *rel, const void *data, size_t len)
{
	char *p = tu_path(dir, rel);
	char *slash = strrchr(p, '/');
	struct custos_err err;
	FILE *f;

	*slash = '\0';
	assert_int_equal(fio_mkdirs(p, 0755, &err), 0);
	*slash = '/';
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(p);
}

void tu_write_str(const char *dir, const char *rel, const char *text)
{
	tu_write(dir, rel, text, strlen(text));
}

char *tu_read(const char *dir, const char *rel, size_t *len)
{
	char *p = tu_path(dir, rel), *buf = NULL;
	struct custos_err err;
	size_t n = 0;

	assert_int_equal(fio_read_file(&buf, &n, AT_FDCWD, p,
				       1 << 30, &err), 0);
	free(p);
	if (len)
		*len = n;
	return buf;
}

void tu_rmrf(const char *dir)
{
	if (dir && (strncmp(dir, "/tmp/", 5) == 0 || getenv("TMPDIR")))
		fio_remove_tree(dir, NULL);
}
