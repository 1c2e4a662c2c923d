/*
 * core/strmap.h - a string-keyed hash map (open addressing).
 * Keys are copied; values are borrowed pointers the caller owns.
 */
#ifndef CUSTOS_CORE_STRMAP_H
#define CUSTOS_CORE_STRMAP_H

#include <stddef.h>

struct strmap;

struct strmap *strmap_new(void);                 /* NULL on OOM */
/* Set KEY to VALUE (replacing). 0, or -1 on OOM. */
int strmap_put(struct strmap *m, const char *key, void *value);
void *strmap_get(const struct strmap *m, const char *key); /* NULL if absent */
size_t strmap_count(const struct strmap *m);
/* Iterate: *pos starts at 0; returns 0 at the end, else 1 with key/value. */
int strmap_next(const struct strmap *m, size_t *pos, const char **key,
		void **value);
void strmap_free(struct strmap *m);              /* NULL ok; values untouched */

#endif
