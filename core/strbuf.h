/*
 * core/strbuf.h - a growable byte buffer with a ceiling, for building
 * manifests and tag files in memory. Hitting the ceiling is CUSTOS_ELIMIT.
 */
#ifndef CUSTOS_CORE_STRBUF_H
#define CUSTOS_CORE_STRBUF_H

#include <stddef.h>
#include "core/err.h"

struct strbuf {
	char *data;       /* NUL-terminated when len > 0 */
	size_t len, cap;
	size_t max;       /* ceiling in bytes */
	int failed;       /* an append failed: later appends are no-ops */
	struct custos_err err;
};

void strbuf_init(struct strbuf *b, size_t max);
void strbuf_release(struct strbuf *b);
/* Append; on failure the buffer remembers it (b->failed, b->err). */
void strbuf_add(struct strbuf *b, const void *data, size_t len);
void strbuf_addf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* 0, or -1 copying the first failure into *err. */
int strbuf_check(const struct strbuf *b, struct custos_err *err);

#endif
