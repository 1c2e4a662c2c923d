/*
 * formats/exprcompile.c - compile a PRONOM / byteseek byte-sequence
 * expression into the signature model, as PRONOM's own compiler does:
 * unbounded gaps (*, {n-*}) split it into SubSequences, the longest
 * literal run of each becomes the anchor, everything else becomes left and
 * right fragment groups with their gaps. Used by the built-in set.
 * Syntax: hex pairs, 'quoted text', [sets] (atoms.c), ??, (a|b|c) of
 * fixed-length alternatives, {n}, {n-m}, {n-*}, *. Spaces are ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "formats/atoms.h"
#include "formats/sigmodel.h"

#define EXPR_MAX_ITEMS 256
#define EXPR_MAX_ALTS 32

enum item_kind { IT_ATOM, IT_ALT, IT_GAP };

struct item {
	enum item_kind kind;
	struct sig_atom atom;       /* IT_ATOM */
	struct sig_frag *alts;      /* IT_ALT */
	uint32_t nalts;
	uint64_t gmin, gmax;        /* IT_GAP; gmax SIG_NO_MAX = unbounded */
};

struct cx {
	struct arena *a;
	char *why;
	size_t whylen;
	struct item items[EXPR_MAX_ITEMS];
	size_t n;
};

#define WHY(...) (snprintf(cx->why, cx->whylen, __VA_ARGS__), -1)

static void skip_ws(const char **pp)
{
	while (**pp == ' ' || **pp == '\t' || **pp == '\n' || **pp == '\r')
		(*pp)++;
}

/* One fixed-length atom at *pp: hex pair, 'text', [set], ??. 1 if none. */
static int parse_atom(struct cx *cx, const char **pp, struct sig_atom *out)
{
	const char *p = *pp;

	if (p[0] == '?' && p[1] == '?') {
		*pp = p + 2;
		return sig_atom_anyset(cx->a, out) ? WHY("out of memory") : 0;
	}
	if (p[0] == '[')
		return sig_parse_bracket(cx->a, pp, out, cx->why, cx->whylen);
	if (p[0] == '\'') {
		const char *end = strchr(p + 1, '\'');

		if (!end || end == p + 1)
			return WHY("bad quoted text");
		*pp = end + 1;
		return sig_atom_literal(cx->a, (const unsigned char *)p + 1,
					(size_t)(end - p - 1), out) ?
			       WHY("out of memory") : 0;
	}
	if (text_hexval(p[0]) >= 0) {
		unsigned char b;

		if (text_hexval(p[1]) < 0)
			return WHY("odd hex digit near '%.8s'", p);
		b = (unsigned char)(text_hexval(p[0]) << 4 | text_hexval(p[1]));
		*pp = p + 2;
		return sig_atom_literal(cx->a, &b, 1, out) ? WHY("out of memory") : 0;
	}
	return 1;
}

/* A run of atoms up to '|' or ')' as one fragment. */
static int parse_alt(struct cx *cx, const char **pp, struct sig_frag *f)
{
	struct sig_atom at[64];
	uint32_t n = 0, len = 0;
	int rc;

	for (;;) {
		skip_ws(pp);
		if (**pp == '|' || **pp == ')')
			break;
		if (n == 64)
			return WHY("alternative too long");
		rc = parse_atom(cx, pp, &at[n]);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return WHY("unexpected '%c' in alternative", **pp);
		len += at[n++].len;
	}
	if (!n)
		return WHY("empty alternative");
	f->atoms = arena_calloc(cx->a, n, sizeof(*at));
	if (!f->atoms)
		return WHY("out of memory");
	memcpy(f->atoms, at, n * sizeof(*at));
	f->natoms = n;
	f->len = len;
	return 0;
}

static int parse_group(struct cx *cx, const char **pp, struct item *it)
{
	struct sig_frag alts[EXPR_MAX_ALTS];
	uint32_t n = 0;

	(*pp)++;
	for (;;) {
		if (n == EXPR_MAX_ALTS)
			return WHY("too many alternatives");
		memset(&alts[n], 0, sizeof(alts[n]));
		if (parse_alt(cx, pp, &alts[n++]))
			return -1;
		if (**pp == ')')
			break;
		(*pp)++;                /* '|' */
	}
	(*pp)++;
	it->kind = IT_ALT;
	it->alts = arena_calloc(cx->a, n, sizeof(*alts));
	if (!it->alts)
		return WHY("out of memory");
	memcpy(it->alts, alts, n * sizeof(*alts));
	it->nalts = n;
	return 0;
}

static int parse_gap(struct cx *cx, const char **pp, struct item *it)
{
	const char *p = *pp + 1;
	unsigned long long lo = 0, hi;
	char *end;

	it->kind = IT_GAP;
	lo = strtoull(p, &end, 10);
	if (end == p)
		return WHY("bad gap near '%.8s'", *pp);
	hi = lo;
	if (*end == '-') {
		p = end + 1;
		if (*p == '*') {
			hi = SIG_NO_MAX;
			end = (char *)p + 1;
		} else {
			hi = strtoull(p, &end, 10);
			if (end == p || hi < lo)
				return WHY("bad gap near '%.8s'", *pp);
		}
	}
	if (*end != '}')
		return WHY("unterminated gap near '%.8s'", *pp);
	if (hi != SIG_NO_MAX && hi > UINT32_MAX)
		return WHY("gap too large");
	it->gmin = lo;
	it->gmax = hi;
	*pp = end + 1;
	return 0;
}

static int tokenize(struct cx *cx, const char *p)
{
	for (;;) {
		struct item *it;
		int rc;

		skip_ws(&p);
		if (!*p)
			return 0;
		if (cx->n == EXPR_MAX_ITEMS)
			return WHY("expression too long");
		it = &cx->items[cx->n];
		memset(it, 0, sizeof(*it));
		if (*p == '(')
			rc = parse_group(cx, &p, it);
		else if (*p == '{')
			rc = parse_gap(cx, &p, it);
		else if (*p == '*') {
			it->kind = IT_GAP;
			it->gmax = SIG_NO_MAX;
			p++;
			rc = 0;
		} else {
			it->kind = IT_ATOM;
			rc = parse_atom(cx, &p, &it->atom);
			if (rc > 0)
				return WHY("unexpected '%c'", *p);
		}
		if (rc)
			return -1;
		cx->n++;
	}
}

static bool is_lit(const struct item *it)
{
	return it->kind == IT_ATOM && it->atom.kind == SIG_ATOM_BYTES;
}

/* Groups for items FROM..TO walked outward with step DIR (+1 right,
 * -1 left). Fragment atoms are stored in file order. */
static int build_side(struct cx *cx, long from, long to, int dir,
		      struct sig_fgroup **out, uint32_t *nout)
{
	struct sig_fgroup g[EXPR_MAX_ITEMS];
	struct sig_atom at[EXPR_MAX_ITEMS];
	uint32_t ng = 0, na = 0, len = 0;
	uint64_t gmin = 0, gmax = 0, fmin = 0, fmax = 0;

	for (long i = from;; i += dir) {
		bool end = dir > 0 ? i > to : i < to;
		struct item *it = end ? NULL : &cx->items[i];

		if ((end || it->kind != IT_ATOM) && na) {
			struct sig_frag *f = arena_calloc(cx->a, 1, sizeof(*f));

			if (!f || !(f->atoms = arena_calloc(cx->a, na, sizeof(*at))))
				return WHY("out of memory");
			for (uint32_t k = 0; k < na; k++)
				f->atoms[k] = at[dir > 0 ? k : na - 1 - k];
			f->natoms = na;
			f->len = len;
			f->min = (uint32_t)fmin;
			f->max = (uint32_t)fmax;
			g[ng].alts = f;
			g[ng++].nalts = 1;
			na = len = 0;
		}
		if (end)
			break;
		if (it->kind == IT_GAP) {
			gmin += it->gmin;
			gmax += it->gmax;
			if (gmax > UINT32_MAX)
				return WHY("gap too large");
		} else if (it->kind == IT_ALT) {
			for (uint32_t k = 0; k < it->nalts; k++) {
				it->alts[k].min = (uint32_t)gmin;
				it->alts[k].max = (uint32_t)gmax;
			}
			g[ng].alts = it->alts;
			g[ng++].nalts = it->nalts;
			gmin = gmax = 0;
		} else {
			if (!na) {
				fmin = gmin;
				fmax = gmax;
				gmin = gmax = 0;
			}
			at[na++] = it->atom;
			len += it->atom.len;
		}
	}
	*nout = ng;
	*out = ng ? arena_calloc(cx->a, ng, sizeof(*g)) : NULL;
	if (ng && !*out)
		return WHY("out of memory");
	if (ng)
		memcpy(*out, g, ng * sizeof(*g));
	return 0;
}

/* Items [lo, hi] (no unbounded gaps) into SS. */
static int build_subseq(struct cx *cx, long lo, long hi, struct sig_subseq *ss)
{
	long best = -1, bestlen = 0, runlen = 0, runstart = lo;
	long alo, ahi;
	unsigned char *anc;
	size_t n = 0;

	for (long i = lo; i <= hi; i++) {
		if (!is_lit(&cx->items[i])) {
			runlen = 0;
			continue;
		}
		if (!runlen)
			runstart = i;
		runlen += cx->items[i].atom.len;
		if (runlen > bestlen) {
			bestlen = runlen;
			best = runstart;
		}
	}
	if (best < 0) {                 /* no literal: everything on the right */
		alo = lo;
		ahi = lo - 1;
	} else {
		alo = best;
		for (ahi = best; ahi + 1 <= hi && is_lit(&cx->items[ahi + 1]); ahi++)
			;
	}
	anc = arena_alloc(cx->a, (size_t)bestlen + 1);
	if (!anc)
		return WHY("out of memory");
	for (long i = alo; i <= ahi; i++) {
		memcpy(anc + n, cx->items[i].atom.data, cx->items[i].atom.len);
		n += cx->items[i].atom.len;
	}
	ss->anchor = anc;
	ss->alen = n;
	if (build_side(cx, alo - 1, lo, -1, &ss->left, &ss->nleft) ||
	    build_side(cx, ahi + 1, hi, +1, &ss->right, &ss->nright))
		return -1;
	sig_subseq_spans(ss);
	return 0;
}

static bool is_unbounded(const struct item *it)
{
	return it->kind == IT_GAP && it->gmax == SIG_NO_MAX;
}

/* A leading (BOF/Variable) or trailing (EOF) bounded gap widens the
 * window of the anchored subsequence; drop it from [*lo, *hi]. */
static void fold_edge_gap(struct cx *cx, enum sig_ref ref, long *lo, long *hi,
			  uint64_t *minoff, uint64_t *maxoff)
{
	long at = ref == SIG_REF_EOF ? *hi : *lo;
	const struct item *it;

	if (*lo > *hi)
		return;
	it = &cx->items[at];
	if (it->kind != IT_GAP || is_unbounded(it))
		return;
	*minoff += it->gmin;
	if (*maxoff != SIG_NO_MAX)
		*maxoff += it->gmax;
	if (ref == SIG_REF_EOF)
		--*hi;
	else
		++*lo;
}

/* Offsets of subsequence K (items START..END-1, END the gap after it). */
static void set_offsets(struct cx *cx, enum sig_ref ref, uint32_t k,
			uint32_t nsubs, long start, long end, uint64_t minoff,
			uint64_t maxoff, struct sig_subseq *ss)
{
	ss->maxoff = SIG_NO_MAX;
	if (ref != SIG_REF_EOF && k == 0) {
		ss->minoff = minoff;
		ss->maxoff = maxoff;
	} else if (ref != SIG_REF_EOF) {
		ss->minoff = cx->items[start - 1].gmin;
	} else if (k + 1 < nsubs) {          /* EOF: the gap after this one */
		ss->minoff = cx->items[end].gmin;
	} else {
		ss->minoff = minoff;
		ss->maxoff = maxoff;
	}
}

int sig_compile_expr(struct arena *a, const char *expr, enum sig_ref ref,
		     uint64_t minoff, uint64_t maxoff, struct sig_byteseq *bs,
		     char *why, size_t whylen)
{
	struct cx *cx = arena_alloc(a, sizeof(*cx));
	long lo, hi, start;
	uint32_t nsubs = 1, k = 0;

	if (!cx)
		return snprintf(why, whylen, "out of memory"), -1;
	cx->a = a;
	cx->why = why;
	cx->whylen = whylen;
	if (tokenize(cx, expr))
		return -1;
	lo = 0;
	hi = (long)cx->n - 1;
	fold_edge_gap(cx, ref, &lo, &hi, &minoff, &maxoff);
	if (lo > hi || is_unbounded(&cx->items[lo]) || is_unbounded(&cx->items[hi]))
		return WHY("expression must start and end with bytes");
	for (long i = lo; i <= hi; i++)
		nsubs += is_unbounded(&cx->items[i]);
	bs->ref = ref;
	bs->key = -1;
	bs->nsubs = nsubs;
	bs->subs = arena_calloc(a, nsubs, sizeof(*bs->subs));
	if (!bs->subs)
		return WHY("out of memory");
	start = lo;
	for (long i = lo; i <= hi + 1; i++) {
		if (i <= hi && !is_unbounded(&cx->items[i]))
			continue;
		if (build_subseq(cx, start, i - 1, &bs->subs[k]))
			return -1;
		set_offsets(cx, ref, k, nsubs, start, i, minoff, maxoff,
			    &bs->subs[k]);
		k++;
		start = i + 1;
	}
	return 0;
}
