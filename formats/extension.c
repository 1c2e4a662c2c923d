/*
 * formats/extension.c - extension fallback index and mismatch rule.
 */
#include "formats/extension.h"

#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"

struct ext_list {
	uint32_t n, cap;
	uint32_t *v;
};

struct ext_index {
	struct strmap *map;         /* ext -> struct ext_list * */
	struct strmap *claimed;     /* ext of a format with signatures -> x */
};

static int list_add(struct ext_list *l, uint32_t idx)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 4;
		uint32_t *g = realloc(l->v, cap * sizeof(*g));

		if (!g)
			return -1;
		l->v = g;
		l->cap = cap;
	}
	l->v[l->n++] = idx;
	return 0;
}

int ext_index_build(struct ext_index **out, const struct sigset *s,
		    struct custos_err *err)
{
	struct ext_index *x = calloc(1, sizeof(*x));

	*out = NULL;
	if (!x || !(x->map = strmap_new()) || !(x->claimed = strmap_new()))
		goto nomem;
	for (uint32_t i = 0; i < s->nformats; i++) {
		const struct sig_format *f = &s->formats[i];

		for (uint32_t k = 0; f->nsigs && k < f->nexts; k++)
			if (strmap_put(x->claimed, f->exts[k], x))
				goto nomem;
		if (f->nsigs)
			continue;
		for (uint32_t k = 0; k < f->nexts; k++) {
			struct ext_list *l = strmap_get(x->map, f->exts[k]);

			if (!l) {
				l = calloc(1, sizeof(*l));
				if (!l || strmap_put(x->map, f->exts[k], l)) {
					free(l);
					goto nomem;
				}
			}
			if ((l->n == 0 || l->v[l->n - 1] != i) && list_add(l, i))
				goto nomem;
		}
	}
	*out = x;
	return 0;
nomem:
	ext_index_free(x);
	return err_nomem(err);
}

const uint32_t *ext_index_lookup(const struct ext_index *x, const char *ext,
				 uint32_t *n)
{
	const struct ext_list *l = *ext ? strmap_get(x->map, ext) : NULL;

	*n = l ? l->n : 0;
	return l ? l->v : NULL;
}

bool ext_index_claimed(const struct ext_index *x, const char *ext)
{
	return *ext && strmap_get(x->claimed, ext) != NULL;
}

void ext_index_free(struct ext_index *x)
{
	size_t pos = 0;
	const char *k;
	void *v;

	if (!x)
		return;
	while (x->map && strmap_next(x->map, &pos, &k, &v)) {
		struct ext_list *l = v;

		free(l->v);
		free(l);
	}
	strmap_free(x->map);
	strmap_free(x->claimed);
	free(x);
}

void ext_of(const char *filename, char out[EXT_MAX + 1])
{
	const char *base, *dot;
	size_t n;

	out[0] = '\0';
	if (!filename)
		return;
	base = strrchr(filename, '/');
	base = base ? base + 1 : filename;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		return;
	n = strlen(dot + 1);
	if (n == 0 || n > EXT_MAX)
		return;
	for (size_t i = 0; i < n; i++) {
		char c = dot[1 + i];

		out[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
}

bool ext_mismatch(const struct sig_format *f, const char *ext)
{
	if (!f || f->nexts == 0)
		return false;
	for (uint32_t i = 0; i < f->nexts; i++)
		if (!strcmp(f->exts[i], ext))
			return false;
	return true;
}
