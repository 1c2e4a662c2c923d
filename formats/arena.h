/*
 * formats/arena.h - bump allocator for a loaded signature set (internal).
 * Everything a signature set owns lives in one arena and is freed at once,
 * which keeps loading fast and the many small structures leak-free.
 */
#ifndef CUSTOS_FORMATS_ARENA_H
#define CUSTOS_FORMATS_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;   /* newest chunk first */
	size_t used;                /* bytes used in head */
	size_t cap;                 /* capacity of head */
	size_t total;               /* all bytes handed out, for limits */
};

/* Zeroed memory of N bytes, 16-aligned; NULL on OOM. */
void *arena_alloc(struct arena *a, size_t n);
/* Zeroed array of N items of SIZE bytes (checked multiply); NULL on OOM. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/* Copy of LEN bytes of S plus a NUL; NULL on OOM. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
void arena_release(struct arena *a);      /* frees every chunk */

#endif
