/*
 * formats/sigmodel.h - the compiled signature model shared inside formats/
 * (internal, not a public header). One model serves DROID binary signature
 * files and the built-in set: ByteSequences of SubSequences, each a literal
 * anchor with left/right fragment groups (formats.md sec. 5.1 semantics).
 */
#ifndef CUSTOS_FORMATS_SIGMODEL_H
#define CUSTOS_FORMATS_SIGMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "formats/arena.h"

#define SIG_NO_MAX UINT64_MAX    /* "no maximum offset" */
#define SIG_ATOM_MAXLEN 64       /* multi-byte range / negated string */

enum sig_atom_kind {
	SIG_ATOM_BYTES,   /* literal bytes */
	SIG_ATOM_SET,     /* one byte in a 256-bit set (ranges, masks, !X, ??) */
	SIG_ATOM_RANGE,   /* LEN bytes, big-endian lo <= x <= hi */
	SIG_ATOM_NOTSTR,  /* LEN bytes that are not this string */
};

struct sig_atom {
	uint8_t kind;               /* enum sig_atom_kind */
	uint16_t len;               /* bytes covered */
	const unsigned char *data;  /* BYTES/NOTSTR: len; SET: 32; RANGE: 2*len */
};

/* A fixed-length run of atoms, at a gap of MIN..MAX bytes from its
 * neighbour on the anchor side. */
struct sig_frag {
	uint32_t min, max;
	uint32_t len;
	uint32_t natoms;
	struct sig_atom *atoms;
};

/* One fragment Position: its alternatives (OR). */
struct sig_fgroup {
	uint32_t nalts;
	struct sig_frag *alts;
};

struct sig_subseq {
	uint64_t minoff;            /* gap from the reference point */
	uint64_t maxoff;            /* SIG_NO_MAX if unbounded */
	size_t alen;                /* anchor length (may be 0) */
	const unsigned char *anchor;
	uint32_t nleft, nright;     /* left[0] is adjacent to the anchor */
	struct sig_fgroup *left, *right;
	uint64_t leftmin, leftmax;  /* span of the left groups incl. gaps */
	uint64_t rightmin, rightmax;
};

enum sig_ref { SIG_REF_BOF, SIG_REF_EOF, SIG_REF_VAR };

struct sig_byteseq {
	enum sig_ref ref;
	uint32_t nsubs;
	struct sig_subseq *subs;    /* in file order */
	int32_t key;                /* prefilter key id, -1 = always verify */
};

struct sig_internal {
	uint32_t id;                /* InternalSignature/@ID */
	uint32_t nseqs;
	struct sig_byteseq *seqs;   /* AND */
	uint32_t nformats;          /* formats using it (indexes) */
	uint32_t *formats;
	uint32_t line;              /* source line, for messages */
};

struct sig_format {
	uint32_t id;                /* FileFormat/@ID */
	const char *puid, *name, *version, *mime;   /* never NULL */
	uint32_t nsigs, nexts, nprio;
	uint32_t *sigs;             /* indexes into sigset.internals */
	const char **exts;          /* lower case, no dot */
	uint32_t *prio;             /* indexes of formats this one beats */
	uint32_t line;              /* source line, for messages */
};

struct sigset {
	struct arena arena;
	const char *version;        /* "V122", "built-in 1" */
	uint32_t ninternals, nformats;
	struct sig_internal *internals;
	struct sig_format *formats;
	struct strmap *bypuid;      /* PUID -> struct sig_format * */
};

/* atoms.c: parse DROID fragment text ("0A[30:39][!00]...") into *out. */
int sig_parse_fragment(struct arena *a, const char *text, struct sig_frag *out,
		       char *why, size_t whylen);

/* Match the atoms of F at BUF[0..F->len) (caller checked the bounds). */
bool sig_frag_match(const struct sig_frag *f, const unsigned char *buf);

/* exprcompile.c: compile a PRONOM/byteseek expression ("%PDF-1." is
 * written 255044462D312E; also 'text', [..], (a|b), ??, {n-m}, *) into
 * the subsequences of *bs, the first/last one at MINOFF..MAXOFF. */
int sig_compile_expr(struct arena *a, const char *expr, enum sig_ref ref,
		     uint64_t minoff, uint64_t maxoff, struct sig_byteseq *bs,
		     char *why, size_t whylen);

/* sigset.c: compute the spans of SS's fragment groups. */
void sig_subseq_spans(struct sig_subseq *ss);

/* sigset lookups (sigset.c) */
const struct sig_format *sigset_find_puid(const struct sigset *s,
					  const char *puid);
/* Resolve ids: formats' signature ids / priority ids to indexes, build
 * reverse links. LINE-less errors name SHOWN. */
int sigset_link(struct sigset *s, const char *shown, struct custos_err *err);
void sigset_free(struct sigset *s);      /* NULL ok */

/* sigfile.c / builtin.c */
int sigset_load_droid(struct sigset **out, const char *path,
		      struct custos_err *err);
int sigset_load_droid_mem(struct sigset **out, const char *buf, size_t len,
			  const char *shown, struct custos_err *err);
int sigset_builtin(struct sigset **out, struct custos_err *err);

#endif
