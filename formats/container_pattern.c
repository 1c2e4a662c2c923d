/*
 * formats/container_pattern.c - the byte patterns of container signature
 * files: parse the PRONOM/byteseek sequence syntax (hex, 'text', [sets],
 * (alternatives), ??, {gaps}, *) into tokens, and match BOF-, EOF- and
 * variable ByteSequences over an entry's head/tail bytes. Matching is a
 * bounded backtracking walk: every step spends from a caller's budget.
 */
#include <stdlib.h>
#include <string.h>
#include "core/ckd.h"
#include "core/text.h"
#include "formats/container_int.h"

struct cpat_parser {
	const char *s;
	size_t i;
	int depth;
	const char *shown;
	long line;
	struct custos_err *err;
};

static int parse_fail(struct cpat_parser *ps, const char *what)
{
	return err_set(ps->err, CUSTOS_EFORMAT, ps->shown,
		       "line %ld: %s at column %zu of sequence '%.60s'",
		       ps->line, what, ps->i + 1, ps->s);
}

static int push_tok(struct cpat *p, const struct cpat_tok *t,
		    struct custos_err *err)
{
	struct cpat_tok *n;

	if (p->ntok >= CPAT_TOKENS_MAX)
		return err_set(err, CUSTOS_ELIMIT, NULL,
			       "pattern over %d tokens", CPAT_TOKENS_MAX);
	n = realloc(p->tok, (p->ntok + 1) * sizeof(*n));
	if (n == NULL)
		return err_nomem(err);
	p->tok = n;
	p->tok[p->ntok++] = *t;
	return 0;
}

static int push_byte(struct cpat *p, uint8_t b, struct custos_err *err)
{
	struct cpat_tok t = { .kind = CPAT_BYTE, .byte = b };

	return push_tok(p, &t, err);
}

int cpat_push_gap(struct cpat *p, uint32_t min, uint32_t max,
		  struct custos_err *err)
{
	struct cpat_tok t = { .kind = CPAT_GAP, .a = min, .b = max };

	if (min == 0 && max == 0)
		return 0;
	return push_tok(p, &t, err);
}

/* Move the N patterns of ALTS into P->alt and add an ALT token. */
int cpat_push_alt(struct cpat *p, struct cpat *alts, size_t n,
		  struct custos_err *err)
{
	struct cpat_tok t = { .kind = CPAT_ALT };
	struct cpat *na;
	size_t i;

	if (n > CPAT_TOKENS_MAX || p->nalt > CPAT_TOKENS_MAX)
		return err_set(err, CUSTOS_ELIMIT, NULL,
			       "pattern over %d alternatives",
			       CPAT_TOKENS_MAX);
	na = realloc(p->alt, (p->nalt + n) * sizeof(*na));
	if (na == NULL)
		return err_nomem(err);
	p->alt = na;
	t.a = (uint32_t)p->nalt;
	t.b = (uint32_t)n;
	for (i = 0; i < n; i++) {
		p->alt[p->nalt++] = alts[i];
		memset(&alts[i], 0, sizeof(alts[i]));
	}
	return push_tok(p, &t, err);
}

int cpat_append(struct cpat *dst, struct cpat *src, struct custos_err *err)
{
	size_t i, base = dst->nalt;
	struct cpat *na;

	if (src->nalt > 0) {
		na = realloc(dst->alt, (dst->nalt + src->nalt) * sizeof(*na));
		if (na == NULL)
			return err_nomem(err);
		dst->alt = na;
		memcpy(dst->alt + dst->nalt, src->alt,
		       src->nalt * sizeof(*na));
		dst->nalt += src->nalt;
		free(src->alt);
		src->alt = NULL;
		src->nalt = 0;
	}
	for (i = 0; i < src->ntok; i++) {
		struct cpat_tok t = src->tok[i];

		if (t.kind == CPAT_ALT)
			t.a += (uint32_t)base;
		if (push_tok(dst, &t, err) < 0)
			return -1;
	}
	free(src->tok);
	src->tok = NULL;
	src->ntok = 0;
	return 0;
}

void cpat_release(struct cpat *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nalt; i++)
		cpat_release(&p->alt[i]);
	free(p->alt);
	free(p->tok);
	memset(p, 0, sizeof(*p));
}

static void skip_ws(struct cpat_parser *ps)
{
	while (ps->s[ps->i] == ' ' || ps->s[ps->i] == '\t' ||
	       ps->s[ps->i] == '\n' || ps->s[ps->i] == '\r')
		ps->i++;
}

/* Two hex digits at the cursor into *out. */
static int parse_hex(struct cpat_parser *ps, uint8_t *out)
{
	int hi = text_hexval(ps->s[ps->i]), lo;

	if (hi < 0)
		return parse_fail(ps, "expected a hex byte");
	lo = text_hexval(ps->s[ps->i + 1]);
	if (lo < 0)
		return parse_fail(ps, "odd number of hex digits");
	*out = (uint8_t)(hi << 4 | lo);
	ps->i += 2;
	return 0;
}

/* One character of a quoted string (UTF-8 from the XML) as a Latin-1
 * byte. */
static int parse_qchar(struct cpat_parser *ps, uint8_t *out)
{
	unsigned char c = (unsigned char)ps->s[ps->i];
	unsigned char d = (unsigned char)ps->s[ps->i + 1];

	if (c < 0x80) {
		*out = c;
		ps->i++;
		return 0;
	}
	if ((c == 0xC2 || c == 0xC3) && (d & 0xC0) == 0x80) {
		*out = (uint8_t)((c & 0x1F) << 6 | (d & 0x3F));
		ps->i += 2;
		return 0;
	}
	return parse_fail(ps, "quoted character beyond Latin-1");
}

static int parse_string(struct cpat_parser *ps, struct cpat *p)
{
	uint8_t b = 0;

	ps->i++;                                /* opening quote */
	while (ps->s[ps->i] != '\'') {
		if (ps->s[ps->i] == '\0')
			return parse_fail(ps, "unterminated quoted string");
		if (parse_qchar(ps, &b) < 0 || push_byte(p, b, ps->err) < 0)
			return -1;
	}
	ps->i++;
	return 0;
}

static void set_bit(uint8_t *set, unsigned b)
{
	set[b >> 3] |= (uint8_t)(1u << (b & 7));
}

/* A set member value: a hex byte or one quoted character. */
static int parse_set_value(struct cpat_parser *ps, uint8_t *out)
{
	if (ps->s[ps->i] == '\'') {
		ps->i++;
		if (ps->s[ps->i] == '\'' || ps->s[ps->i] == '\0')
			return parse_fail(ps, "empty quoted set member");
		if (parse_qchar(ps, out) < 0)
			return -1;
		if (ps->s[ps->i] != '\'')
			return parse_fail(ps, "set member over one character");
		ps->i++;
		return 0;
	}
	if (parse_hex(ps, out) < 0)
		return -1;
	if (text_hexval(ps->s[ps->i]) >= 0)
		return parse_fail(ps, "multi-byte set members unsupported");
	return 0;
}

static int parse_set_mask(struct cpat_parser *ps, uint8_t *set)
{
	char op = ps->s[ps->i++];
	uint8_t m = 0;
	unsigned b;

	if (parse_hex(ps, &m) < 0)
		return -1;
	for (b = 0; b < 256; b++)
		if (op == '&' ? (b & m) == m : (b & m) != 0)
			set_bit(set, b);
	return 0;
}

static int parse_set(struct cpat_parser *ps, struct cpat *p)
{
	struct cpat_tok t = { .kind = CPAT_SET };
	bool invert = false;
	uint8_t lo = 0, hi = 0;
	unsigned b;

	ps->i++;
	if (ps->s[ps->i] == '!') {
		invert = true;
		ps->i++;
	}
	for (;;) {
		skip_ws(ps);
		if (ps->s[ps->i] == ']')
			break;
		if (ps->s[ps->i] == '&' || ps->s[ps->i] == '~') {
			if (parse_set_mask(ps, t.set) < 0)
				return -1;
			continue;
		}
		if (parse_set_value(ps, &lo) < 0)
			return -1;
		hi = lo;
		if (ps->s[ps->i] == ':' || ps->s[ps->i] == '-') {
			ps->i++;
			if (parse_set_value(ps, &hi) < 0)
				return -1;
		}
		if (hi < lo)
			return parse_fail(ps, "descending byte range");
		for (b = lo; b <= hi; b++)
			set_bit(t.set, b);
	}
	ps->i++;
	if (invert)
		for (b = 0; b < 32; b++)
			t.set[b] = (uint8_t)~t.set[b];
	return push_tok(p, &t, ps->err);
}

static int parse_number(struct cpat_parser *ps, uint32_t *out)
{
	uint64_t v = 0;

	if (ps->s[ps->i] < '0' || ps->s[ps->i] > '9')
		return parse_fail(ps, "expected a number");
	while (ps->s[ps->i] >= '0' && ps->s[ps->i] <= '9') {
		v = v * 10 + (uint64_t)(ps->s[ps->i++] - '0');
		if (v >= CPAT_INF)
			return parse_fail(ps, "number too large");
	}
	*out = (uint32_t)v;
	return 0;
}

/* {n}, {n-m}, {n-*} */
static int parse_gap(struct cpat_parser *ps, struct cpat *p)
{
	uint32_t min = 0, max = 0;

	ps->i++;
	if (parse_number(ps, &min) < 0)
		return -1;
	max = min;
	if (ps->s[ps->i] == '-') {
		ps->i++;
		if (ps->s[ps->i] == '*') {
			max = CPAT_INF;
			ps->i++;
		} else if (parse_number(ps, &max) < 0) {
			return -1;
		}
	}
	if (ps->s[ps->i] != '}')
		return parse_fail(ps, "expected '}'");
	ps->i++;
	if (max < min)
		return parse_fail(ps, "gap maximum below its minimum");
	return cpat_push_gap(p, min, max, ps->err);
}

static int parse_seq(struct cpat_parser *ps, struct cpat *p, bool in_group);

static int parse_group(struct cpat_parser *ps, struct cpat *p)
{
	struct cpat alts[64];
	size_t n = 0, i;
	int rc = -1;

	if (++ps->depth > CPAT_NEST_MAX)
		return parse_fail(ps, "alternatives nested too deeply");
	ps->i++;
	for (;;) {
		if (n == sizeof(alts) / sizeof(alts[0])) {
			parse_fail(ps, "over 64 alternatives");
			goto out;
		}
		memset(&alts[n], 0, sizeof(alts[n]));
		if (parse_seq(ps, &alts[n++], true) < 0)
			goto out;
		if (ps->s[ps->i++] == ')')
			break;                  /* else it was '|' */
	}
	rc = cpat_push_alt(p, alts, n, ps->err);
out:
	for (i = 0; i < n; i++)
		cpat_release(&alts[i]);
	ps->depth--;
	return rc;
}

static int parse_one(struct cpat_parser *ps, struct cpat *p)
{
	struct cpat_tok any = { .kind = CPAT_SET };
	char c = ps->s[ps->i];
	uint8_t b = 0;

	if (text_hexval(c) >= 0)
		return parse_hex(ps, &b) < 0 ? -1 : push_byte(p, b, ps->err);
	switch (c) {
	case '\'':
		return parse_string(ps, p);
	case '[':
		return parse_set(ps, p);
	case '(':
		return parse_group(ps, p);
	case '{':
		return parse_gap(ps, p);
	case '*':
		ps->i++;
		return cpat_push_gap(p, 0, CPAT_INF, ps->err);
	case '?':
		if (ps->s[ps->i + 1] != '?')
			return parse_fail(ps, "lone '?'");
		ps->i += 2;
		memset(any.set, 0xFF, sizeof(any.set));
		return push_tok(p, &any, ps->err);
	default:
		return parse_fail(ps, "unexpected character");
	}
}

static int parse_seq(struct cpat_parser *ps, struct cpat *p, bool in_group)
{
	for (;;) {
		skip_ws(ps);
		switch (ps->s[ps->i]) {
		case '\0':
			if (in_group)
				return parse_fail(ps, "unclosed '('");
			return 0;
		case '|':
		case ')':
			if (!in_group)
				return parse_fail(ps, "unexpected '|' or ')'");
			return 0;
		default:
			if (parse_one(ps, p) < 0)
				return -1;
		}
	}
}

int cpat_parse(struct cpat *p, const char *text, const char *shown,
	       long line, struct custos_err *err)
{
	struct cpat_parser ps = { text, 0, 0, shown, line, err };

	if (parse_seq(&ps, p, false) == 0)
		return 0;
	if (err != NULL && err->code == CUSTOS_ELIMIT)  /* from push_tok */
		return err_set(err, CUSTOS_ELIMIT, shown, "line %ld: pattern "
			       "over %d tokens or alternatives", line,
			       CPAT_TOKENS_MAX);
	return -1;
}

static size_t sat_add(size_t a, size_t b)
{
	size_t r;

	return ckd_add_size(&r, a, b) ? SIZE_MAX : r;
}

void cpat_measure(struct cpat *p)
{
	size_t i, k, mn, mx;

	p->minlen = p->maxlen = 0;
	for (i = 0; i < p->ntok; i++) {
		const struct cpat_tok *t = &p->tok[i];

		if (t->kind == CPAT_GAP) {
			mn = t->a;
			mx = t->b == CPAT_INF ? SIZE_MAX : t->b;
		} else if (t->kind == CPAT_ALT) {
			mn = SIZE_MAX;
			mx = 0;
			for (k = t->a; k < (size_t)t->a + t->b; k++) {
				cpat_measure(&p->alt[k]);
				if (p->alt[k].minlen < mn)
					mn = p->alt[k].minlen;
				if (p->alt[k].maxlen > mx)
					mx = p->alt[k].maxlen;
			}
		} else {
			mn = mx = 1;
		}
		p->minlen = sat_add(p->minlen, mn);
		p->maxlen = sat_add(p->maxlen, mx);
	}
}

/* ---- matching ---- */

struct cmatch {
	const unsigned char *buf;
	size_t len;
	size_t want_end;       /* SIZE_MAX: any end */
	size_t end;            /* out: where the match ended */
	size_t *steps;         /* budget, shared by the whole check */
};

struct cframe {                /* where to continue after an alternative */
	const struct cpat *p;
	size_t ti;
	const struct cframe *up;
};

static bool set_has(const uint8_t *set, uint8_t b)
{
	return (set[b >> 3] >> (b & 7)) & 1;
}

static bool run(struct cmatch *c, const struct cpat *p, size_t ti,
		const struct cframe *up, size_t pos)
{
	for (;;) {
		const struct cpat_tok *t;

		if (*c->steps == 0)
			return false;
		(*c->steps)--;
		if (ti == p->ntok) {
			if (up == NULL) {
				if (c->want_end != SIZE_MAX &&
				    pos != c->want_end)
					return false;
				c->end = pos;
				return true;
			}
			p = up->p;
			ti = up->ti;
			up = up->up;
			continue;
		}
		t = &p->tok[ti];
		if (t->kind == CPAT_GAP) {
			size_t g, gmax = c->len - pos;

			if (t->b != CPAT_INF && t->b < gmax)
				gmax = t->b;
			for (g = t->a; g <= gmax; g++)
				if (run(c, p, ti + 1, up, pos + g))
					return true;
			return false;
		}
		if (t->kind == CPAT_ALT) {
			struct cframe fr = { p, ti + 1, up };
			size_t k;

			for (k = t->a; k < (size_t)t->a + t->b; k++)
				if (run(c, &p->alt[k], 0, &fr, pos))
					return true;
			return false;
		}
		if (pos >= c->len)
			return false;
		if (t->kind == CPAT_BYTE ? c->buf[pos] != t->byte
					 : !set_has(t->set, c->buf[pos]))
			return false;
		pos++;
		ti++;
	}
}

/* Match SUB anchored at START; *end receives the end of the match. */
static bool sub_at(const struct csub *sub, const unsigned char *buf,
		   size_t len, size_t start, size_t want_end, size_t *end,
		   size_t *steps)
{
	struct cmatch c = { buf, len, want_end, 0, steps };

	if (!run(&c, &sub->pat, 0, NULL, start))
		return false;
	*end = c.end;
	return true;
}

/* Forward: sub K starts in [from+min, from+max]; later subs follow. */
static bool fwd_from(const struct cbseq *bs, size_t k,
		     const unsigned char *buf, size_t len, size_t from,
		     size_t *steps)
{
	const struct csub *sub = &bs->sub[k];
	const struct cpat_tok *t0 = sub->pat.ntok ? &sub->pat.tok[0] : NULL;
	size_t lo, hi = len, s, end;

	if (ckd_add_size(&lo, from, sub->min) || lo > len)
		return false;
	if (sub->max != CPAT_INF && !(k == 0 && bs->ref == CSEQ_VAR) &&
	    !ckd_add_size(&s, from, sub->max) && s < hi)
		hi = s;
	for (s = lo; s <= hi && *steps > 0; s++) {
		if (t0 != NULL && t0->kind == CPAT_BYTE) {
			const unsigned char *q;

			if (s >= len)
				return false;
			q = memchr(buf + s, t0->byte, hi - s + (hi < len));
			if (q == NULL)
				return false;
			s = (size_t)(q - buf);
		}
		(*steps)--;
		if (!sub_at(sub, buf, len, s, SIZE_MAX, &end, steps))
			continue;
		if (k + 1 == bs->nsub ||
		    fwd_from(bs, k + 1, buf, len, end, steps))
			return true;
	}
	return false;
}

/* Backward: sub K-1 ends in [ref-max, ref-min]; earlier subs precede. */
static bool bwd_from(const struct cbseq *bs, size_t k,
		     const unsigned char *buf, size_t len, size_t ref,
		     size_t *steps)
{
	const struct csub *sub = &bs->sub[k - 1];
	size_t g, gmax = ref, e, s, slo, shi, end;

	if (sub->max != CPAT_INF && sub->max < gmax)
		gmax = sub->max;
	for (g = sub->min; g <= gmax && *steps > 0; g++) {
		e = ref - g;
		if (e < sub->pat.minlen)
			break;
		shi = e - sub->pat.minlen;
		slo = sub->pat.maxlen >= e ? 0 : e - sub->pat.maxlen;
		for (s = shi + 1; s-- > slo && *steps > 0;) {
			(*steps)--;
			if (!sub_at(sub, buf, len, s, e, &end, steps))
				continue;
			if (k == 1 || bwd_from(bs, k - 1, buf, len, s, steps))
				return true;
		}
	}
	return false;
}

static bool cbseq_match(const struct cbseq *bs, const struct centry *e,
			size_t *steps)
{
	if (bs->nsub == 0)
		return true;
	if (bs->ref != CSEQ_EOF)
		return fwd_from(bs, 0, e->head, e->head_len, 0, steps);
	if (e->whole)
		return bwd_from(bs, bs->nsub, e->head, e->head_len,
				e->head_len, steps);
	if (!e->have_tail)
		return false;
	return bwd_from(bs, bs->nsub, e->tail, e->tail_len, e->tail_len,
			steps);
}

bool cisig_match(const struct cisig *s, const struct centry *e,
		 size_t *steps)
{
	size_t i;

	if (!e->have_bytes)
		return false;
	for (i = 0; i < s->nbs; i++)
		if (!cbseq_match(&s->bs[i], e, steps))
			return false;
	return true;
}
