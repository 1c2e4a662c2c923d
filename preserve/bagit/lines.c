/*
 * preserve/bagit/lines.c - a line splitter fed in chunks (see lines.h).
 */
#include "preserve/bagit/lines.h"

#include <stdlib.h>
#include <string.h>

void lines_init(struct lines *ls, size_t max, lines_fn fn, void *arg)
{
	memset(ls, 0, sizeof(*ls));
	ls->fn = fn;
	ls->arg = arg;
	ls->max = max;
}

/* Keep up to max + 1 bytes of the current line. */
static int keep(struct lines *ls, const char *p, size_t n)
{
	size_t room = ls->max + 1 - ls->len;

	if (n > room)
		n = room;
	if (!n)
		return 0;
	if (ls->len + n > ls->cap) {
		size_t ncap = ls->cap ? ls->cap : 256;
		char *g;

		while (ncap < ls->len + n)
			ncap *= 2;
		if (ncap > ls->max + 1)
			ncap = ls->max + 1;
		if (!(g = realloc(ls->buf, ncap)))
			return -1;
		ls->buf = g;
		ls->cap = ncap;
	}
	memcpy(ls->buf + ls->len, p, n);
	ls->len += n;
	return 0;
}

static int emit(struct lines *ls, const char *p, size_t n)
{
	int rc;

	if (ls->len == 0) {            /* the whole line is in this chunk */
		rc = ls->fn(ls->arg, p, n > ls->max ? ls->max + 1 : n, ++ls->lineno);
	} else {
		if (keep(ls, p, n) < 0)
			return ls->stopped = -1;
		rc = ls->fn(ls->arg, ls->buf, ls->len, ++ls->lineno);
		ls->len = 0;
	}
	return ls->stopped = rc;
}

int lines_feed(struct lines *ls, const char *data, size_t len)
{
	size_t start = 0;

	if (ls->stopped || !len)
		return ls->stopped;
	if (ls->after_cr && data[0] == '\n')
		start = 1;                     /* CRLF split across chunks */
	ls->after_cr = false;
	while (start < len) {
		const char *p = data + start;
		size_t n = 0;

		while (start + n < len && p[n] != '\n' && p[n] != '\r')
			n++;
		if (start + n == len) {        /* no ending yet */
			if (keep(ls, p, n) < 0)
				return ls->stopped = -1;
			break;
		}
		if (emit(ls, p, n))
			return ls->stopped;
		start += n + 1;
		if (p[n] == '\r') {
			if (start < len && data[start] == '\n')
				start++;
			else if (start == len)
				ls->after_cr = true;
		}
	}
	return 0;
}

int lines_finish(struct lines *ls)
{
	if (ls->stopped)
		return ls->stopped;
	if (ls->len)
		return emit(ls, "", 0);
	return 0;
}

void lines_release(struct lines *ls)
{
	free(ls->buf);
	ls->buf = NULL;
	ls->len = ls->cap = 0;
}
