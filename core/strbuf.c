/*
 * core/strbuf.c - growable buffer with a ceiling and sticky failure, so a
 * long sequence of appends needs one check at the end.
 */
#include "core/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(struct strbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void strbuf_release(struct strbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static int reserve(struct strbuf *b, size_t more)
{
	size_t need, ncap;
	char *g;

	if (more > b->max || b->len + 1 > b->max - more) {
		err_set(&b->err, CUSTOS_ELIMIT, NULL,
			"text larger than %zu bytes", b->max);
		return -1;
	}
	need = b->len + more + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > b->max / 2 ? b->max + 1 : ncap * 2;
	g = realloc(b->data, ncap);
	if (!g) {
		err_nomem(&b->err);
		return -1;
	}
	b->data = g;
	b->cap = ncap;
	return 0;
}

void strbuf_add(struct strbuf *b, const void *data, size_t len)
{
	if (b->failed)
		return;
	if (reserve(b, len) < 0) {
		b->failed = 1;
		return;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void strbuf_addf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	char small[512];
	int n;

	if (b->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		err_set(&b->err, CUSTOS_EINTERNAL, NULL, "format error");
		return;
	}
	if ((size_t)n < sizeof(small)) {
		strbuf_add(b, small, (size_t)n);
		return;
	}
	if (reserve(b, (size_t)n) < 0) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int strbuf_check(const struct strbuf *b, struct custos_err *err)
{
	if (!b->failed)
		return 0;
	if (err)
		*err = b->err;
	return -1;
}
