/*
 * formats/matcher.c - DROID-style verification of a signature's
 * ByteSequences: anchors found with memmem/backward scans inside bounded
 * windows, fragments matched outwards with bounded backtracking over the
 * alternatives and gaps. No regexes; every loop is limited by the window
 * and by SIG_MATCH_BUDGET.
 */
#include "formats/matcher.h"

#include <string.h>

#define POS_NONE UINT64_MAX

struct want {                   /* constraints in segment coordinates */
	uint64_t slo, shi;          /* leftmost start in [slo, shi] */
	uint64_t elo, ehi;          /* rightmost end in [elo, ehi] */
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sat_sub(uint64_t a, uint64_t b)
{
	return a < b ? 0 : a - b;
}

/* A probe byte of F for memchr jumps: the first byte of its leading
 * literal that is not 00/FF (at *off); -1 if F starts with no literal. */
static int probe_byte(const struct sig_frag *f, uint64_t *off)
{
	const struct sig_atom *a = &f->atoms[0];

	*off = 0;
	if (a->kind != SIG_ATOM_BYTES)
		return -1;
	for (uint16_t i = 0; i < a->len; i++)
		if (a->data[i] != 0x00 && a->data[i] != 0xff) {
			*off = i;
			return a->data[i];
		}
	return a->data[0];
}

/* Match left groups I.. outward from EDGE; returns the leftmost start.
 * Candidate starts are visited nearest first (gap ascending), jumping
 * with memrchr when the fragment starts with a literal byte. */
static uint64_t left_match(const struct sig_subseq *ss, uint32_t i,
			   const unsigned char *buf, uint64_t edge,
			   const struct want *w, unsigned *budget)
{
	if (i == ss->nleft)
		return edge >= w->slo && edge <= w->shi ? edge : POS_NONE;
	for (uint32_t k = 0; k < ss->left[i].nalts; k++) {
		const struct sig_frag *f = &ss->left[i].alts[k];
		uint64_t shi, slo, s, po;
		int fb = probe_byte(f, &po);

		if (edge < (uint64_t)f->min + f->len)
			continue;
		shi = edge - f->min - f->len;
		slo = sat_sub(edge, (uint64_t)f->max + f->len);
		slo = slo > w->slo ? slo : w->slo;
		for (s = shi; s >= slo && s != POS_NONE && *budget; s--) {
			uint64_t r;

			--*budget;
			if (fb >= 0) {
				const unsigned char *q = memrchr(buf + slo + po, fb,
								 (size_t)(s - slo) + 1);
				if (!q)
					break;
				s = (uint64_t)(q - buf) - po;
			}
			if (!sig_frag_match(f, buf + s))
				goto next;
			r = left_match(ss, i + 1, buf, s, w, budget);
			if (r != POS_NONE)
				return r;
next:
			if (s == 0)
				break;
		}
	}
	return POS_NONE;
}

/* Match right groups I.. outward from EDGE; returns the rightmost end. */
static uint64_t right_match(const struct sig_subseq *ss, uint32_t i,
			    const unsigned char *buf, uint64_t len,
			    uint64_t edge, const struct want *w,
			    unsigned *budget)
{
	if (i == ss->nright)
		return edge >= w->elo && edge <= w->ehi ? edge : POS_NONE;
	for (uint32_t k = 0; k < ss->right[i].nalts; k++) {
		const struct sig_frag *f = &ss->right[i].alts[k];
		uint64_t lim = len < w->ehi ? len : w->ehi, shi, po;
		int fb = probe_byte(f, &po);

		if (lim < f->len)
			continue;
		shi = sat_add(edge, f->max);
		shi = shi < lim - f->len ? shi : lim - f->len;
		for (uint64_t s = edge + f->min; s <= shi && *budget; s++) {
			uint64_t r;

			--*budget;
			if (fb >= 0) {
				const unsigned char *q = memchr(buf + s + po, fb,
								(size_t)(shi - s) + 1);
				if (!q)
					break;
				s = (uint64_t)(q - buf) - po;
			}
			if (!sig_frag_match(f, buf + s))
				continue;
			r = right_match(ss, i + 1, buf, len, s + f->len, w,
					budget);
			if (r != POS_NONE)
				return r;
		}
	}
	return POS_NONE;
}

/* Try the anchor at P; on success START and END get the whole match. */
static bool try_at(const struct sig_subseq *ss, const struct sig_segment *g,
		   uint64_t p, const struct want *w, uint64_t *start,
		   uint64_t *end, unsigned *budget)
{
	uint64_t s, e;

	if (*budget == 0)
		return false;
	--*budget;
	if (ss->alen && memcmp(g->buf + p, ss->anchor, ss->alen))
		return false;
	s = left_match(ss, 0, g->buf, p, w, budget);
	if (s == POS_NONE)
		return false;
	e = right_match(ss, 0, g->buf, g->len, p + ss->alen, w, budget);
	if (e == POS_NONE)
		return false;
	*start = s;
	*end = e;
	return true;
}

/* Anchor positions allowed by W, as [*plo, *phi]; false if none. */
static bool anchor_range(const struct sig_subseq *ss, const struct sig_segment *g,
			 const struct want *w, uint64_t *plo, uint64_t *phi)
{
	uint64_t lo = sat_add(w->slo, ss->leftmin);
	uint64_t hi = sat_add(w->shi, ss->leftmax);
	uint64_t elo = sat_sub(sat_sub(w->elo, ss->alen), ss->rightmax);
	uint64_t ehi;

	if (w->ehi < ss->alen + ss->rightmin || g->len < ss->alen + ss->rightmin)
		return false;
	ehi = w->ehi - ss->alen - ss->rightmin;
	if (ehi > g->len - ss->alen - ss->rightmin)
		ehi = g->len - ss->alen - ss->rightmin;
	lo = lo > elo ? lo : elo;
	hi = hi < ehi ? hi : ehi;
	*plo = lo;
	*phi = hi;
	return lo <= hi;
}

static bool find_fwd(const struct sig_subseq *ss, const struct sig_segment *g,
		     const struct want *w, uint64_t *start, uint64_t *end,
		     unsigned *budget)
{
	uint64_t p, hi;

	if (!anchor_range(ss, g, w, &p, &hi))
		return false;
	while (p <= hi && *budget) {
		if (ss->alen) {
			const unsigned char *q = memmem(g->buf + p,
							(size_t)(hi - p) + ss->alen,
							ss->anchor, ss->alen);
			if (!q)
				return false;
			p = (uint64_t)(q - g->buf);
		}
		if (try_at(ss, g, p, w, start, end, budget))
			return true;
		p++;
	}
	return false;
}

static bool find_back(const struct sig_subseq *ss, const struct sig_segment *g,
		      const struct want *w, uint64_t *start, uint64_t *end,
		      unsigned *budget)
{
	uint64_t lo, p;

	if (!anchor_range(ss, g, w, &lo, &p))
		return false;
	for (;;) {
		if (*budget == 0)
			return false;
		if (ss->alen) {
			const unsigned char *q = memrchr(g->buf + lo, ss->anchor[0],
							 (size_t)(p - lo) + 1);
			if (!q)
				return false;
			p = (uint64_t)(q - g->buf);
		}
		if (try_at(ss, g, p, w, start, end, budget))
			return true;
		if (p == lo)
			return false;
		p--;
	}
}

/* BOF or Variable: subsequences left to right from file offset FROM. A
 * later subsequence with no maximum offset may lie anywhere after the one
 * before it: when it is not in G (the head of a large file) it is looked
 * for in REST (the tail; NULL when G is the whole file or the tail). So
 * RTF 1.8's "\lsdstimax", which Word writes near the end, is found. */
static bool seq_forward(const struct sig_byteseq *bs, const struct sig_segment *g,
			uint64_t from, const struct sig_segment *rest,
			struct sig_span *span, unsigned *budget)
{
	uint64_t marker = sat_sub(from, g->base), first = 0, s, e = 0;
	uint64_t first_base = g->base;

	for (uint32_t k = 0; k < bs->nsubs; k++) {
		const struct sig_subseq *ss = &bs->subs[k];
		struct want w = { .elo = 0, .ehi = g->len };

		if (k == 0 && g->base) {        /* offsets are from BOF */
			w.slo = sat_sub(ss->minoff, g->base);
			w.shi = ss->maxoff == SIG_NO_MAX ? UINT64_MAX :
				sat_sub(ss->maxoff, g->base);
			if (ss->maxoff != SIG_NO_MAX && ss->maxoff < g->base)
				return false;
		} else {
			w.slo = sat_add(marker, ss->minoff);
			w.shi = ss->maxoff == SIG_NO_MAX ? UINT64_MAX :
				sat_add(marker, ss->maxoff);
		}
		if (find_fwd(ss, g, &w, &s, &e, budget)) {
			if (k == 0)
				first = s;
			marker = e;
			continue;
		}
		if (k == 0 || ss->maxoff != SIG_NO_MAX || !rest)
			return false;
		/* unbounded: go on in REST, after where the last one ended */
		marker = sat_sub(sat_add(g->base, marker), rest->base);
		g = rest;
		rest = NULL;
		k--;
	}
	span->off = first_base + first;
	span->len = g->base + e - span->off;
	return true;
}

/* EOF: subsequences right to left, offsets measured back from the end. */
static bool seq_backward(const struct sig_byteseq *bs,
			 const struct sig_segment *g, struct sig_span *span,
			 unsigned *budget)
{
	uint64_t marker = g->len, last = 0, s = 0, e;

	for (uint32_t k = bs->nsubs; k-- > 0;) {
		const struct sig_subseq *ss = &bs->subs[k];
		struct want w = { .slo = 0, .shi = UINT64_MAX };

		w.ehi = sat_sub(marker, ss->minoff);
		w.elo = ss->maxoff == SIG_NO_MAX ? 0 : sat_sub(marker, ss->maxoff);
		if (marker < ss->minoff)
			return false;
		if (!find_back(ss, g, &w, &s, &e, budget))
			return false;
		if (k == bs->nsubs - 1)
			last = e;
		marker = s;
	}
	span->off = g->base + s;
	span->len = last - s;
	return true;
}

static bool seq_match(const struct sig_byteseq *bs, const struct sig_view *v,
		      struct sig_span *span)
{
	unsigned budget = SIG_MATCH_BUDGET;

	switch (bs->ref) {
	case SIG_REF_BOF:
		return seq_forward(bs, &v->head, 0, v->whole ? NULL : &v->tail,
				   span, &budget);
	case SIG_REF_EOF:
		return seq_backward(bs, &v->tail, span, &budget);
	case SIG_REF_VAR:
		if (seq_forward(bs, &v->head, 0, NULL, span, &budget))
			return true;
		budget = SIG_MATCH_BUDGET;
		return !v->whole &&
		       seq_forward(bs, &v->tail, v->tail.base, NULL, span, &budget);
	}
	return false;
}

bool sig_internal_match(const struct sig_internal *is,
			const struct sig_view *v, struct sig_span *spans)
{
	/* cheap anchored sequences first, Variable ones last */
	static const enum sig_ref order[] = { SIG_REF_BOF, SIG_REF_EOF,
					      SIG_REF_VAR };

	for (size_t o = 0; o < 3; o++)
		for (uint32_t i = 0; i < is->nseqs; i++) {
			struct sig_span tmp;

			if (is->seqs[i].ref != order[o])
				continue;
			if (!seq_match(&is->seqs[i], v, spans ? &spans[i] : &tmp))
				return false;
		}
	return true;
}
