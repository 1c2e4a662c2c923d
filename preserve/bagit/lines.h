/*
 * preserve/bagit/lines.h - splitting tag file text into lines as it streams
 * in, chunk by chunk: a manifest of millions of lines is never held whole.
 * Lines end at LF, CRLF or CR (RFC 8493 sec. 2.1.1), also when the CR and
 * the LF arrive in different chunks.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_LINES_H
#define CUSTOS_PRESERVE_BAGIT_LINES_H

#include <stdbool.h>
#include <stddef.h>

/* Called for each line (not NUL-terminated, without its ending) with its
 * 1-based number; returns 0 to go on. A line longer than the splitter's
 * MAX arrives cut to MAX + 1 bytes, so LEN > MAX tells it was too long. */
typedef int (*lines_fn)(void *arg, const char *line, size_t len,
			size_t lineno);

struct lines {
	lines_fn fn;
	void *arg;
	size_t max;
	char *buf;              /* the line so far (at most max + 1 bytes) */
	size_t len, cap;
	size_t lineno;
	bool after_cr;          /* the last chunk ended in CR */
	int stopped;            /* what fn returned, or -1 on OOM */
};

void lines_init(struct lines *ls, size_t max, lines_fn fn, void *arg);
/* Feed LEN bytes. 0, or the non-zero value that stopped it (-1 on OOM). */
int lines_feed(struct lines *ls, const char *data, size_t len);
/* The last line, if it had no ending. 0, or what stopped it. */
int lines_finish(struct lines *ls);
void lines_release(struct lines *ls);

#endif
