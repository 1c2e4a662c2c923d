/*
 * formats/arena.c - bump allocator: 64 KiB chunks, large requests get
 * their own chunk. Used only while building immutable signature sets.
 */
#include "formats/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ckd.h"

#define ARENA_CHUNK (64u * 1024u)

struct arena_chunk {
	struct arena_chunk *next;
	max_align_t pad[];          /* data follows, aligned */
};

void *arena_alloc(struct arena *a, size_t n)
{
	size_t want = (n + 15) & ~(size_t)15;
	struct arena_chunk *c;
	size_t cap, bytes;
	void *p;

	if (want < n)
		return NULL;
	if (!a->head || a->cap - a->used < want) {
		cap = want > ARENA_CHUNK ? want : ARENA_CHUNK;
		if (ckd_add_size(&bytes, cap, sizeof(struct arena_chunk)))
			return NULL;
		c = malloc(bytes);
		if (!c)
			return NULL;
		if (a->head && want > ARENA_CHUNK) {
			/* keep filling the current chunk; put this one behind */
			c->next = a->head->next;
			a->head->next = c;
			memset(c->pad, 0, want);
			a->total += want;
			return c->pad;
		}
		c->next = a->head;
		a->head = c;
		a->cap = cap;
		a->used = 0;
	}
	p = (unsigned char *)a->head->pad + a->used;
	a->used += want;
	a->total += want;
	memset(p, 0, want);
	return p;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
	size_t bytes;

	if (ckd_mul_size(&bytes, n, size))
		return NULL;
	return arena_alloc(a, bytes ? bytes : 1);
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *d;

	if (len == SIZE_MAX)
		return NULL;
	d = arena_alloc(a, len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *n = c->next;

		free(c);
		c = n;
	}
	a->head = NULL;
	a->used = a->cap = a->total = 0;
}
