/*
 * formats/atoms.c - byte-pattern atoms: parse the fragment syntax of DROID
 * signature files and the bracket forms of PRONOM/byteseek expressions
 * ([30:39], [30-39], ['0'-'9'], [!00], [!4001C8..], [&01], [!&01], [~01],
 * [00 C2 'A'-'Z' &01], [0000:1000]) and match atoms against bytes.
 */
#include "core/text.h"
#include "formats/atoms.h"

#include <stdio.h>
#include <string.h>

static void skip_space(const char **pp)
{
	while (**pp == ' ' || **pp == '\t' || **pp == '\n' || **pp == '\r')
		(*pp)++;
}

/* Read a run of hex pairs into BUF (max CAP); returns count, -1 on odd. */
static int read_hex(const char **pp, unsigned char *buf, size_t cap)
{
	const char *p = *pp;
	size_t n = 0;

	while (text_hexval(p[0]) >= 0) {
		if (text_hexval(p[1]) < 0 || n == cap)
			return -1;
		buf[n++] = (unsigned char)(text_hexval(p[0]) << 4 | text_hexval(p[1]));
		p += 2;
	}
	*pp = p;
	return (int)n;
}

/* One quoted character 'c' (byteseek allows only single chars in sets). */
static int read_char(const char **pp)
{
	const char *p = *pp;

	if (p[0] != '\'' || p[1] == '\0' || p[2] != '\'')
		return -1;
	*pp = p + 3;
	return (unsigned char)p[1];
}

static void set_range(unsigned char *set, unsigned lo, unsigned hi)
{
	for (unsigned b = lo; b <= hi && b < 256; b++)
		set[b >> 3] |= (unsigned char)(1u << (b & 7));
}

static void set_mask(unsigned char *set, unsigned mask, bool any)
{
	for (unsigned b = 0; b < 256; b++)
		if (any ? (b & mask) != 0 : (b & mask) == mask)
			set[b >> 3] |= (unsigned char)(1u << (b & 7));
}

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

/* A multi-byte item alone in a bracket: range, string or negated string. */
static int bracket_multi(struct arena *a, const unsigned char *lo, int nlo,
			 const unsigned char *hi, int nhi, bool neg,
			 struct sig_atom *out, char *why, size_t whylen)
{
	unsigned char *d;

	if (hi && nhi != nlo)
		return WHY("range ends of different lengths");
	if (hi && neg)
		return WHY("negated multi-byte range is not supported");
	d = arena_alloc(a, hi ? 2 * (size_t)nlo : (size_t)nlo);
	if (!d)
		return WHY("out of memory");
	memcpy(d, lo, (size_t)nlo);
	if (hi)
		memcpy(d + nlo, hi, (size_t)nlo);
	out->kind = hi ? SIG_ATOM_RANGE : neg ? SIG_ATOM_NOTSTR : SIG_ATOM_BYTES;
	out->len = (uint16_t)nlo;
	out->data = d;
	return 0;
}

/* One set item (byte, range, char, char range, mask) into SET. Returns 1 if
 * it was a multi-byte hex run (left in LO/NLO, HI/NHI for the caller). */
static int bracket_item(const char **pp, unsigned char *set,
			unsigned char *lo, int *nlo, unsigned char *hi,
			int *nhi, char *why, size_t whylen)
{
	const char *p = *pp;
	int c, d;

	if (*p == '&' || *p == '~') {
		bool any = *p == '~';

		p++;
		if (read_hex(&p, lo, 1) != 1)
			return WHY("bad bitmask");
		set_mask(set, lo[0], any);
	} else if (*p == '\'') {
		if ((c = read_char(&p)) < 0)
			return WHY("bad quoted character in set");
		d = c;
		if (*p == '-' || *p == ':') {
			p++;
			if ((d = read_char(&p)) < 0)
				return WHY("bad character range");
		}
		if (d < c)
			return WHY("inverted range");
		set_range(set, (unsigned)c, (unsigned)d);
	} else {
		*nlo = read_hex(&p, lo, SIG_ATOM_MAXLEN);
		if (*nlo <= 0)
			return WHY("bad byte in set near '%.8s'", p);
		*nhi = 0;
		if (*p == ':' || *p == '-') {
			p++;
			*nhi = read_hex(&p, hi, SIG_ATOM_MAXLEN);
			if (*nhi <= 0)
				return WHY("bad range end near '%.8s'", p);
		}
		if (*nlo > 1 || *nhi > 1) {
			*pp = p;
			return 1;
		}
		if (*nhi && hi[0] < lo[0])
			return WHY("inverted range");
		set_range(set, lo[0], *nhi ? hi[0] : lo[0]);
	}
	*pp = p;
	return 0;
}

int sig_parse_bracket(struct arena *a, const char **pp, struct sig_atom *out,
		      char *why, size_t whylen)
{
	unsigned char set[32] = { 0 }, lo[SIG_ATOM_MAXLEN], hi[SIG_ATOM_MAXLEN];
	const char *p = *pp + 1;
	bool neg = false;
	int items = 0, multi = 0, nlo = 0, nhi = 0;
	unsigned char *d;

	if (*p == '!') {
		neg = true;
		p++;
	}
	for (;;) {
		int rc;

		skip_space(&p);
		if (*p == ']')
			break;
		if (*p == '\0')
			return WHY("unterminated '['");
		rc = bracket_item(&p, set, lo, &nlo, hi, &nhi, why, whylen);
		if (rc < 0)
			return -1;
		multi += rc;
		items++;
	}
	if (items == 0)
		return WHY("empty '[]'");
	*pp = p + 1;
	if (multi) {
		if (items > 1)
			return WHY("multi-byte value inside a set");
		return bracket_multi(a, lo, nlo, nhi ? hi : NULL, nhi, neg, out,
				     why, whylen);
	}
	if (neg)
		for (int i = 0; i < 32; i++)
			set[i] = (unsigned char)~set[i];
	d = arena_alloc(a, 32);
	if (!d)
		return WHY("out of memory");
	memcpy(d, set, 32);
	out->kind = SIG_ATOM_SET;
	out->len = 1;
	out->data = d;
	return 0;
}

int sig_atom_literal(struct arena *a, const unsigned char *bytes, size_t n,
		     struct sig_atom *out)
{
	unsigned char *d;

	if (n == 0 || n > UINT16_MAX)
		return -1;
	d = arena_alloc(a, n);
	if (!d)
		return -1;
	memcpy(d, bytes, n);
	out->kind = SIG_ATOM_BYTES;
	out->len = (uint16_t)n;
	out->data = d;
	return 0;
}

int sig_atom_anyset(struct arena *a, struct sig_atom *out)
{
	unsigned char *d = arena_alloc(a, 32);

	if (!d)
		return -1;
	memset(d, 0xff, 32);
	out->kind = SIG_ATOM_SET;
	out->len = 1;
	out->data = d;
	return 0;
}

#define FRAG_MAX_ATOMS 256
#define FRAG_MAX_BYTES 1024

int sig_parse_fragment(struct arena *a, const char *text, struct sig_frag *out,
		       char *why, size_t whylen)
{
	struct sig_atom atoms[FRAG_MAX_ATOMS];
	unsigned char lit[FRAG_MAX_BYTES];
	const char *p = text;
	size_t natoms = 0, nlit = 0, len = 0;

	for (;;) {
		skip_space(&p);
		if (text_hexval(*p) >= 0) {
			if (text_hexval(p[1]) < 0)
				return WHY("odd hex digit near '%.8s'", p);
			if (nlit == sizeof(lit))
				return WHY("fragment over %d bytes", FRAG_MAX_BYTES);
			lit[nlit++] = (unsigned char)(text_hexval(p[0]) << 4 | text_hexval(p[1]));
			p += 2;
			continue;
		}
		if (nlit) {
			if (natoms == FRAG_MAX_ATOMS)
				return WHY("fragment over %d parts", FRAG_MAX_ATOMS);
			if (sig_atom_literal(a, lit, nlit, &atoms[natoms]))
				return WHY("out of memory");
			len += nlit;
			natoms++;
			nlit = 0;
		}
		if (*p == '\0')
			break;
		if (*p != '[')
			return WHY("unexpected '%c' in fragment", *p);
		if (natoms == FRAG_MAX_ATOMS)
			return WHY("fragment over %d parts", FRAG_MAX_ATOMS);
		if (sig_parse_bracket(a, &p, &atoms[natoms], why, whylen))
			return -1;
		len += atoms[natoms].len;
		natoms++;
	}
	if (natoms == 0)
		return WHY("empty fragment");
	out->atoms = arena_calloc(a, natoms, sizeof(*out->atoms));
	if (!out->atoms)
		return WHY("out of memory");
	memcpy(out->atoms, atoms, natoms * sizeof(*atoms));
	out->natoms = (uint32_t)natoms;
	out->len = (uint32_t)len;
	return 0;
}

static bool atom_match(const struct sig_atom *at, const unsigned char *b)
{
	switch (at->kind) {
	case SIG_ATOM_BYTES:
		return memcmp(at->data, b, at->len) == 0;
	case SIG_ATOM_SET:
		return (at->data[b[0] >> 3] >> (b[0] & 7)) & 1;
	case SIG_ATOM_RANGE:
		return memcmp(b, at->data, at->len) >= 0 &&
		       memcmp(b, at->data + at->len, at->len) <= 0;
	case SIG_ATOM_NOTSTR:
		return memcmp(at->data, b, at->len) != 0;
	}
	return false;
}

bool sig_frag_match(const struct sig_frag *f, const unsigned char *buf)
{
	for (uint32_t i = 0; i < f->natoms; i++) {
		if (!atom_match(&f->atoms[i], buf))
			return false;
		buf += f->atoms[i].len;
	}
	return true;
}
