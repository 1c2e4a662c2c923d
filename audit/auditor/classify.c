/*
 * audit/auditor/classify.c - naming what is wrong with a copy's file set: which
 * extra files are the bag's own tag files, and which missing files were
 * moved (the same size and digest at another path). Empty files never
 * count as moved; content at several paths, or shared by several missing
 * files, is a move said to be ambiguous.
 */
#include "audit/auditor/audit_int.h"

#include <stdlib.h>
#include <string.h>

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool has_suffix(const char *s, const char *p)
{
	size_t n = strlen(s), k = strlen(p);

	return n >= k && strcmp(s + n - k, p) == 0;
}

bool audit_is_tag_file(const char *relpath)
{
	if (!strcmp(relpath, "bagit.txt") || !strcmp(relpath, "bag-info.txt"))
		return true;
	if (has_prefix(relpath, "metadata/"))
		return true;
	if (strchr(relpath, '/'))
		return false;
	return (has_prefix(relpath, "manifest-") || has_prefix(relpath, "tagmanifest-")) &&
	       has_suffix(relpath, ".txt");
}

static int cmp_content(uint64_t sa, const char *ha, uint64_t sb, const char *hb)
{
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (!ha || !hb)
		return ha ? 1 : hb ? -1 : 0;
	return strcmp(ha, hb);
}

static int cmp_extra(const void *pa, const void *pb)
{
	const struct audit_extra *a = pa, *b = pb;
	int c = cmp_content(a->size, a->hex, b->size, b->hex);

	return c ? c : strcmp(a->path, b->path);
}

/* First extra with M's content, or -1 (X sorted). */
static long find_first(const struct audit_missing *m, const struct audit_extra *x,
		       size_t nx)
{
	size_t lo = 0, hi = nx;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_content(x[mid].size, x[mid].hex, m->size, m->hex) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nx && x[lo].hex && !cmp_content(x[lo].size, x[lo].hex, m->size, m->hex))
		return (long)lo;
	return -1;
}

int audit_classify_moves(struct audit_missing *m, size_t nm,
			 struct audit_extra *x, size_t nx)
{
	if (nx)
		qsort(x, nx, sizeof(*x), cmp_extra);
	for (size_t i = 0; i < nm; i++) {
		m[i].match = -1;
		m[i].ncand = 0;
		m[i].shared = 0;
		if (m[i].size == 0 || !m[i].hex)
			continue;
		m[i].match = find_first(&m[i], x, nx);
		for (long k = m[i].match; k >= 0 && (size_t)k < nx &&
		     !cmp_content(x[k].size, x[k].hex, m[i].size, m[i].hex); k++) {
			m[i].ncand++;
			x[k].claimed = true;
		}
	}
	/* several missing files with one content: each move is ambiguous */
	if (nx) {
		size_t *uses = calloc(nx, sizeof(*uses));

		if (!uses)
			return -1;
		for (size_t i = 0; i < nm; i++)
			if (m[i].match >= 0)
				uses[m[i].match]++;
		for (size_t i = 0; i < nm; i++)
			if (m[i].match >= 0)
				m[i].shared = uses[m[i].match] - 1;
		free(uses);
	}
	return 0;
}

bool audit_move_ambiguous(const struct audit_missing *m)
{
	return m->match >= 0 && (m->ncand > 1 || m->shared > 0);
}
