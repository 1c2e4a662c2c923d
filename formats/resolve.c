/*
 * formats/resolve.c - from bytes to a result: prefilter keys, verify the
 * candidate signatures, refine trigger hits with the container step, fall
 * back to the extension (tentative formats) or the text heuristic only
 * when nothing matched, apply priorities after matching (DROID), then
 * write evidence and warnings per match.
 */
#include "formats/identifier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/texttype.h"

#define CONTAINER_MAX_MATCHES 16

struct hits {
	size_t n;
	struct fmt_hit v[FMT_MAX_HITS];
	bool truncated;
	char warning[FMT_WARNING_LEN];  /* applies to every match, or "" */
};

static bool seen_bit(const uint64_t *seen, int32_t key)
{
	return (seen[key >> 6] >> (key & 63)) & 1;
}

static bool keys_present(const struct sig_internal *is, const uint64_t *head,
			 const uint64_t *tail)
{
	for (uint32_t j = 0; j < is->nseqs; j++) {
		const struct sig_byteseq *bs = &is->seqs[j];

		if (bs->key < 0)
			continue;
		if (bs->ref == SIG_REF_BOF && !seen_bit(head, bs->key))
			return false;
		if (bs->ref == SIG_REF_EOF && !seen_bit(tail, bs->key))
			return false;
		if (bs->ref == SIG_REF_VAR && !seen_bit(head, bs->key) &&
		    !seen_bit(tail, bs->key))
			return false;
	}
	return true;
}

static struct fmt_hit *hit_add(struct hits *h, const struct sig_format *f,
			       const char *puid, enum fmt_basis basis)
{
	struct fmt_hit *x;

	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->v[i].puid, puid))
			return NULL;            /* first evidence wins */
	if (h->n == FMT_MAX_HITS) {
		h->truncated = true;
		return NULL;
	}
	x = &h->v[h->n++];
	memset(x, 0, sizeof(*x));
	x->f = f;
	x->basis = basis;
	snprintf(x->puid, sizeof(x->puid), "%.*s", (int)sizeof(x->puid) - 1, puid);
	return x;
}

static void byte_evidence(char *out, size_t cap, const struct sig_internal *is,
			  const struct sig_span *spans)
{
	size_t n = (size_t)snprintf(out, cap, "byte match at ");

	for (uint32_t j = 0; j < is->nseqs && n < cap; j++)
		n += (size_t)snprintf(out + n, cap - n, "%s%llu,%llu",
				      j ? "; " : "",
				      (unsigned long long)spans[j].off,
				      (unsigned long long)spans[j].len);
	if (n < cap)
		snprintf(out + n, cap - n, " (signature %u)", is->id);
}

static void match_signatures(struct fmt_scan *s, const struct sig_view *v,
			     struct hits *h)
{
	const struct fmt_identifier *id = s->id;
	const struct sigset *set = id->sigs;
	uint64_t *head = s->seen, *tail = s->seen + id->seenwords;

	memset(s->seen, 0, 2 * id->seenwords * sizeof(*s->seen));
	ac_scan(id->ac, v->head.buf, v->head.len, head);
	if (v->whole)
		tail = head;
	else
		ac_scan(id->ac, v->tail.buf, v->tail.len, tail);
	for (uint32_t i = 0; i < set->ninternals; i++) {
		const struct sig_internal *is = &set->internals[i];

		if (!is->nformats ||
		    (!id->verify_all && !keys_present(is, head, tail)) ||
		    !sig_internal_match(is, v, s->spans))
			continue;
		for (uint32_t k = 0; k < is->nformats; k++) {
			const struct sig_format *f = &set->formats[is->formats[k]];
			struct fmt_hit *x = hit_add(h, f, f->puid,
						    FMT_BASIS_SIGNATURE);

			if (x)
				byte_evidence(x->evidence, sizeof(x->evidence),
					      is, s->spans);
		}
	}
}

/* Refine the first trigger hit with the container signatures. */
static void match_containers(const struct fmt_identifier *id, int fd,
			     struct hits *h)
{
	struct container_match cm[CONTAINER_MAX_MATCHES];
	struct custos_err cerr;
	const char *trigger = NULL;
	int n;

	if (fd < 0 || !id->cs)
		return;
	for (size_t i = 0; i < h->n && !trigger; i++)
		if (container_is_trigger(id->cs, h->v[i].puid))
			trigger = h->v[i].puid;
	if (!trigger)
		return;
	err_clear(&cerr);
	n = container_identify(id->cs, fd, trigger, cm, CONTAINER_MAX_MATCHES,
			       &cerr);
	if (n < 0) {
		snprintf(h->warning, sizeof(h->warning),
			 "container not readable, binary result kept: %.100s",
			 cerr.msg);
		return;
	}
	if (n == 0)
		return;
	h->n = 0;
	for (int i = 0; i < n; i++) {
		struct fmt_hit *x;

		cm[i].puid[sizeof(cm[i].puid) - 1] = '\0';
		x = hit_add(h, sigset_find_puid(id->sigs, cm[i].puid), cm[i].puid,
			    FMT_BASIS_CONTAINER);
		if (x)
			snprintf(x->evidence, sizeof(x->evidence), "%.*s",
				 (int)sizeof(cm[i].evidence), cm[i].evidence);
	}
}

/* Nothing matched: tentative formats by extension (narrowed to plain
 * text when the content is text and that is a candidate), else the text
 * heuristic unless the extension belongs to a format with signatures. */
static void match_fallback(const struct fmt_identifier *id,
			   const struct sig_view *v, const char *ext,
			   struct hits *h)
{
	enum text_kind tk = text_classify(v->head.buf, v->head.len, !v->whole);
	const uint32_t *cand;
	uint32_t n;
	struct fmt_hit *x;

	cand = ext_index_lookup(id->ext, ext, &n);
	for (uint32_t i = 0; i < n && tk != TEXT_NONE && id->text; i++)
		if (&id->sigs->formats[cand[i]] == id->text) {
			n = 1;          /* text content settles a .txt ambiguity */
			cand = &cand[i];
		}
	for (uint32_t i = 0; i < n; i++) {
		const struct sig_format *f = &id->sigs->formats[cand[i]];

		x = hit_add(h, f, f->puid, FMT_BASIS_EXTENSION);
		if (x)
			snprintf(x->evidence, sizeof(x->evidence),
				 "extension match %s%s%s", ext,
				 f == id->text ? "; content is " : "",
				 f == id->text ? text_kind_name(tk) : "");
	}
	if (h->n || tk == TEXT_NONE || !id->text ||
	    ext_index_claimed(id->ext, ext))
		return;
	x = hit_add(h, id->text, id->text->puid, FMT_BASIS_SIGNATURE);
	if (x)
		snprintf(x->evidence, sizeof(x->evidence),
			 "text heuristic: %s in the first %zu bytes",
			 text_kind_name(tk), v->head.len);
}

/* DROID removeLowerPriorityHits: one pass over the union of the
 * priorities of all hits (beaten ones included), then remove. */
static void apply_priorities(const struct sigset *set, struct hits *h)
{
	bool beaten[FMT_MAX_HITS] = { false };
	size_t k = 0;

	for (size_t j = 0; j < h->n; j++) {
		const struct sig_format *fj = h->v[j].f;

		for (uint32_t p = 0; fj && p < fj->nprio; p++)
			for (size_t i = 0; i < h->n; i++)
				if (i != j && h->v[i].f == &set->formats[fj->prio[p]])
					beaten[i] = true;
	}
	for (size_t i = 0; i < h->n; i++)
		if (!beaten[i])
			h->v[k++] = h->v[i];
	h->n = k;
}

static int puid_cmp(const void *a, const void *b)
{
	const char *x = ((const struct fmt_hit *)a)->puid;
	const char *y = ((const struct fmt_hit *)b)->puid;
	size_t px = strcspn(x, "/"), py = strcspn(y, "/");
	int c = strncmp(x, y, px < py ? px : py);

	if (c || px != py)
		return c ? c : (px < py ? -1 : 1);
	if (x[px] && y[py]) {
		long nx = strtol(x + px + 1, NULL, 10);
		long ny = strtol(y + py + 1, NULL, 10);

		if (nx != ny)
			return nx < ny ? -1 : 1;
	}
	return strcmp(x, y);
}

static void warn(struct fmt_match *m, const char *text)
{
	if (m->nwarnings < FMT_MAX_WARNINGS && *text)
		snprintf(m->warnings[m->nwarnings++], FMT_WARNING_LEN, "%s", text);
}

static void multiple_text(const struct hits *h, char *out, size_t cap)
{
	size_t n = (size_t)snprintf(out, cap, "multiple matches:");

	for (size_t i = 0; i < h->n && n < cap; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s %s", i ? "," : "",
				      h->v[i].puid);
}

static void write_result(const struct hits *h, const char *ext,
			 struct fmt_result *res)
{
	char multi[FMT_WARNING_LEN];

	multiple_text(h, multi, sizeof(multi));
	res->truncated = h->truncated || h->n > FMT_MAX_MATCHES;
	res->nmatches = h->n < FMT_MAX_MATCHES ? h->n : FMT_MAX_MATCHES;
	for (size_t i = 0; i < res->nmatches; i++) {
		const struct fmt_hit *x = &h->v[i];
		struct fmt_match *m = &res->matches[i];

		memcpy(m->puid, x->puid, sizeof(m->puid));
		m->name = x->f ? x->f->name : "";
		m->version = x->f ? x->f->version : "";
		m->mime = x->f ? x->f->mime : "";
		m->basis = x->basis;
		memcpy(m->evidence, x->evidence, sizeof(m->evidence));
		if (x->basis == FMT_BASIS_EXTENSION)
			warn(m, "match on extension only");
		else if (ext_mismatch(x->f, ext))
			warn(m, "extension mismatch");
		if (h->n > 1)
			warn(m, multi);
		warn(m, h->warning);
	}
}

int fmt_resolve(struct fmt_scan *s, const struct sig_view *v,
		const char *filename, int fd, struct fmt_result *res,
		struct custos_err *err)
{
	struct hits *h = malloc(sizeof(*h));
	char ext[EXT_MAX + 1];

	if (!h)
		return err_nomem(err);
	h->n = 0;
	h->truncated = false;
	h->warning[0] = '\0';
	ext_of(filename, ext);
	match_signatures(s, v, h);
	match_containers(s->id, fd, h);
	if (h->n == 0)
		match_fallback(s->id, v, ext, h);
	apply_priorities(s->id->sigs, h);
	qsort(h->v, h->n, sizeof(h->v[0]), puid_cmp);
	write_result(h, ext, res);
	free(h);
	return 0;
}
