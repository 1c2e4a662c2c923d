/*
 * formats/sigset.c - finish a loaded signature set: resolve signature and
 * priority references from ids to indexes (dangling ones are errors), the
 * reverse signature -> formats links, the PUID index; and free it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "formats/sigmodel.h"

struct idx_pair {
	uint32_t id, idx;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct idx_pair *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static const struct idx_pair *pair_find(const struct idx_pair *v, size_t n,
					uint32_t id)
{
	struct idx_pair key = { id, 0 };

	return bsearch(&key, v, n, sizeof(*v), cmp_pair);
}

static void group_span(const struct sig_fgroup *g, uint32_t n, uint64_t *lo,
		       uint64_t *hi)
{
	*lo = *hi = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t mn = UINT64_MAX, mx = 0;

		for (uint32_t k = 0; k < g[i].nalts; k++) {
			const struct sig_frag *f = &g[i].alts[k];
			uint64_t a = (uint64_t)f->min + f->len;
			uint64_t b = (uint64_t)f->max + f->len;

			mn = a < mn ? a : mn;
			mx = b > mx ? b : mx;
		}
		*lo += g[i].nalts ? mn : 0;
		*hi += mx;
	}
}

void sig_subseq_spans(struct sig_subseq *ss)
{
	group_span(ss->left, ss->nleft, &ss->leftmin, &ss->leftmax);
	group_span(ss->right, ss->nright, &ss->rightmin, &ss->rightmax);
}

static struct idx_pair *index_ids(size_t n, uint32_t (*get)(const void *, size_t),
				  const void *arr)
{
	struct idx_pair *v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		v[i].id = get(arr, i);
		v[i].idx = (uint32_t)i;
	}
	qsort(v, n, sizeof(*v), cmp_pair);
	return v;
}

static uint32_t internal_id(const void *arr, size_t i)
{
	return ((const struct sig_internal *)arr)[i].id;
}

static uint32_t format_id(const void *arr, size_t i)
{
	return ((const struct sig_format *)arr)[i].id;
}

static int dup_check(const struct idx_pair *v, size_t n, const char *what,
		     const char *shown, struct custos_err *err)
{
	for (size_t i = 1; i < n; i++)
		if (v[i].id == v[i - 1].id)
			return err_set(err, CUSTOS_EFORMAT, shown,
				       "malformed signature file '%s': %s ID "
				       "%u defined twice", shown, what, v[i].id);
	return 0;
}

/* Map formats' ids to indexes; count the reverse links. */
static int link_formats(struct sigset *s, const struct idx_pair *sigs,
			const struct idx_pair *fmts, const char *shown,
			struct custos_err *err)
{
	for (uint32_t i = 0; i < s->nformats; i++) {
		struct sig_format *f = &s->formats[i];
		const struct idx_pair *p;

		for (uint32_t k = 0; k < f->nsigs; k++) {
			p = pair_find(sigs, s->ninternals, f->sigs[k]);
			if (!p)
				return err_set(err, CUSTOS_EFORMAT, shown,
					       "malformed signature file '%s' line "
					       "%u: unknown InternalSignatureID %u",
					       shown, f->line, f->sigs[k]);
			f->sigs[k] = p->idx;
			s->internals[p->idx].nformats++;
		}
		for (uint32_t k = 0; k < f->nprio; k++) {
			p = pair_find(fmts, s->nformats, f->prio[k]);
			if (!p)
				return err_set(err, CUSTOS_EFORMAT, shown,
					       "malformed signature file '%s' line "
					       "%u: unknown HasPriorityOverFileFormatID "
					       "%u", shown, f->line, f->prio[k]);
			f->prio[k] = p->idx;
		}
	}
	return 0;
}

static int link_reverse(struct sigset *s, struct custos_err *err)
{
	for (uint32_t i = 0; i < s->ninternals; i++) {
		struct sig_internal *is = &s->internals[i];

		is->formats = arena_calloc(&s->arena, is->nformats,
					   sizeof(*is->formats));
		if (!is->formats)
			return err_nomem(err);
		is->nformats = 0;
	}
	for (uint32_t i = 0; i < s->nformats; i++)
		for (uint32_t k = 0; k < s->formats[i].nsigs; k++) {
			struct sig_internal *is =
				&s->internals[s->formats[i].sigs[k]];

			is->formats[is->nformats++] = i;
		}
	s->bypuid = strmap_new();
	if (!s->bypuid)
		return err_nomem(err);
	for (uint32_t i = 0; i < s->nformats; i++)
		if (!strmap_get(s->bypuid, s->formats[i].puid) &&
		    strmap_put(s->bypuid, s->formats[i].puid, &s->formats[i]))
			return err_nomem(err);
	return 0;
}

int sigset_link(struct sigset *s, const char *shown, struct custos_err *err)
{
	struct idx_pair *sigs, *fmts;
	int rc = -1;

	sigs = index_ids(s->ninternals, internal_id, s->internals);
	fmts = index_ids(s->nformats, format_id, s->formats);
	if (!sigs || !fmts) {
		err_nomem(err);
		goto out;
	}
	if (dup_check(sigs, s->ninternals, "InternalSignature", shown, err) ||
	    dup_check(fmts, s->nformats, "FileFormat", shown, err) ||
	    link_formats(s, sigs, fmts, shown, err) || link_reverse(s, err))
		goto out;
	rc = 0;
out:
	free(sigs);
	free(fmts);
	return rc;
}

const struct sig_format *sigset_find_puid(const struct sigset *s,
					  const char *puid)
{
	return s->bypuid ? strmap_get(s->bypuid, puid) : NULL;
}

void sigset_free(struct sigset *s)
{
	if (!s)
		return;
	strmap_free(s->bypuid);
	arena_release(&s->arena);
	free(s);
}
