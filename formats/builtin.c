/*
 * formats/builtin.c - build the built-in signature set from the tables in
 * builtin_table.c: formats (PUID, name, version, MIME, extensions, the
 * PUIDs they have priority over) and byte sequences written in PRONOM's
 * expression syntax, compiled by exprcompile.c like any PRONOM signature.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/builtin_table.h"
#include "formats/sigmodel.h"

#define BI_SHOWN "built-in signatures"
#define BI_MAX_LIST 32

/* Split the space-separated LIST into arena strings; count in *n. */
static int split_list(struct arena *a, const char *list, const char ***out,
		      uint32_t *n)
{
	const char *v[BI_MAX_LIST];
	uint32_t k = 0;

	for (const char *p = list ? list : ""; *p;) {
		size_t len = strcspn(p, " ");

		if (len) {
			if (k == BI_MAX_LIST)
				return -1;
			if (!(v[k++] = arena_strndup(a, p, len)))
				return -1;
		}
		p += len;
		p += *p == ' ';
	}
	*out = arena_calloc(a, k, sizeof(*v));
	if (!*out)
		return -1;
	memcpy(*out, v, k * sizeof(*v));
	*n = k;
	return 0;
}

static int fill_formats(struct sigset *s, struct custos_err *err)
{
	struct arena *a = &s->arena;

	s->nformats = (uint32_t)builtin_nformats;
	s->formats = arena_calloc(a, s->nformats, sizeof(*s->formats));
	if (!s->formats)
		return err_nomem(err);
	for (uint32_t i = 0; i < s->nformats; i++) {
		const struct builtin_format *b = &builtin_formats[i];
		struct sig_format *f = &s->formats[i];

		f->id = i + 1;
		f->puid = b->puid;
		f->name = b->name;
		f->version = b->version ? b->version : "";
		f->mime = b->mime ? b->mime : "";
		f->line = i + 1;
		if (split_list(a, b->exts, &f->exts, &f->nexts))
			return err_nomem(err);
	}
	return 0;
}

static const struct sig_format *by_puid(const struct sigset *s, const char *p)
{
	for (uint32_t i = 0; i < s->nformats; i++)
		if (!strcmp(s->formats[i].puid, p))
			return &s->formats[i];
	return NULL;
}

/* Priorities are written as PUIDs; store FileFormat ids. */
static int fill_priorities(struct sigset *s, struct custos_err *err)
{
	for (uint32_t i = 0; i < s->nformats; i++) {
		struct sig_format *f = &s->formats[i];
		const char **names;

		if (split_list(&s->arena, builtin_formats[i].prio, &names, &f->nprio))
			return err_nomem(err);
		f->prio = arena_calloc(&s->arena, f->nprio, sizeof(*f->prio));
		if (!f->prio)
			return err_nomem(err);
		for (uint32_t k = 0; k < f->nprio; k++) {
			const struct sig_format *o = by_puid(s, names[k]);

			if (!o)
				return err_set(err, CUSTOS_EINTERNAL, BI_SHOWN,
					       "built-in format '%s' has priority "
					       "over unknown '%s'", f->puid, names[k]);
			f->prio[k] = o->id;
		}
	}
	return 0;
}

static int compile_seq(struct sigset *s, const struct builtin_seq *b,
		       struct sig_byteseq *bs, struct custos_err *err)
{
	char why[160];
	uint64_t max = b->max < 0 ? SIG_NO_MAX : (uint64_t)b->max;

	if (sig_compile_expr(&s->arena, b->expr, (enum sig_ref)b->ref,
			     (uint64_t)b->min, max, bs, why, sizeof(why)))
		return err_set(err, CUSTOS_EINTERNAL, BI_SHOWN,
			       "built-in signature %u: %s", b->sig, why);
	return 0;
}

/* Rows with the same sig number (consecutive) form one signature. */
static int fill_signatures(struct sigset *s, struct custos_err *err)
{
	size_t n = builtin_nseqs, k = 0;
	uint32_t nsig = 0;

	for (size_t i = 0; i < n; i++)
		nsig += i == 0 || builtin_seqs[i].sig != builtin_seqs[i - 1].sig;
	s->ninternals = nsig;
	s->internals = arena_calloc(&s->arena, nsig, sizeof(*s->internals));
	if (!s->internals)
		return err_nomem(err);
	for (size_t i = 0; i < n; k++) {
		struct sig_internal *is = &s->internals[k];
		struct sig_format *f = (struct sig_format *)
			by_puid(s, builtin_seqs[i].puid);
		size_t j = i;

		while (j < n && builtin_seqs[j].sig == builtin_seqs[i].sig)
			j++;
		if (!f)
			return err_set(err, CUSTOS_EINTERNAL, BI_SHOWN,
				       "built-in signature %u names unknown '%s'",
				       builtin_seqs[i].sig, builtin_seqs[i].puid);
		is->id = builtin_seqs[i].sig;
		is->line = is->id;
		is->nseqs = (uint32_t)(j - i);
		is->seqs = arena_calloc(&s->arena, is->nseqs, sizeof(*is->seqs));
		if (!is->seqs)
			return err_nomem(err);
		for (size_t q = i; q < j; q++)
			if (compile_seq(s, &builtin_seqs[q], &is->seqs[q - i], err))
				return -1;
		f->nsigs++;
		i = j;
	}
	return 0;
}

/* Signature ids per format, in table order. */
static int fill_links(struct sigset *s, struct custos_err *err)
{
	for (uint32_t i = 0; i < s->nformats; i++) {
		struct sig_format *f = &s->formats[i];
		uint32_t k = 0;

		f->sigs = arena_calloc(&s->arena, f->nsigs, sizeof(*f->sigs));
		if (!f->sigs)
			return err_nomem(err);
		for (size_t q = 0; q < builtin_nseqs; q++)
			if (!strcmp(builtin_seqs[q].puid, f->puid) &&
			    (q == 0 || builtin_seqs[q].sig != builtin_seqs[q - 1].sig))
				f->sigs[k++] = builtin_seqs[q].sig;
	}
	return 0;
}

int sigset_builtin(struct sigset **out, struct custos_err *err)
{
	struct sigset *s = calloc(1, sizeof(*s));
	char ver[32];

	*out = NULL;
	if (!s)
		return err_nomem(err);
	snprintf(ver, sizeof(ver), "built-in %d", BUILTIN_VERSION);
	if (!(s->version = arena_strdup(&s->arena, ver)) ||
	    fill_formats(s, err) || fill_priorities(s, err) ||
	    fill_signatures(s, err) || fill_links(s, err) ||
	    sigset_link(s, BI_SHOWN, err)) {
		if (!s->version)
			err_nomem(err);
		sigset_free(s);
		return -1;
	}
	*out = s;
	return 0;
}
