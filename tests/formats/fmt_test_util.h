/*
 * tests/formats/fmt_test_util.h - helpers shared by the formats tests:
 * write a DROID signature file from snippets, identify a buffer through
 * the streaming interface.
 */
#ifndef CUSTOS_TESTS_FMT_TEST_UTIL_H
#define CUSTOS_TESTS_FMT_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/identify.h"

/* Write TEXT to a new temporary file; returns its path (static buffer). */
static inline const char *fmt_test_write(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/custos-fmt-test-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

/* Identify LEN bytes of BUF named NAME, fed in blocks of BLOCK bytes. */
static inline int fmt_test_ident(const struct fmt_identifier *id,
				 const void *buf, size_t len, size_t block,
				 const char *name, struct fmt_result *res)
{
	struct fmt_scan *s = NULL;
	struct custos_err err;
	const unsigned char *p = buf;
	int rc;

	if (fmt_scan_new(&s, id, &err))
		return -1;
	for (size_t off = 0; off < len; off += block)
		fmt_scan_block(s, p + off, len - off < block ? len - off : block);
	rc = fmt_scan_finish(s, name, len, -1, res, &err);
	fmt_scan_free(s);
	return rc;
}

#endif
