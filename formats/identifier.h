/*
 * formats/identifier.h - the insides of struct fmt_identifier and struct
 * fmt_scan, shared by identify.c, scan.c and resolve.c (internal).
 */
#ifndef CUSTOS_FORMATS_IDENTIFIER_H
#define CUSTOS_FORMATS_IDENTIFIER_H

#include "formats/acindex.h"
#include "formats/container.h"
#include "formats/extension.h"
#include "formats/identify.h"
#include "formats/matcher.h"
#include "formats/sigmodel.h"

#define FMT_MAX_HITS 64         /* signature-matched formats kept per file */

struct fmt_identifier {
	struct sigset *sigs;
	struct ac_index *ac;
	struct ext_index *ext;
	struct container_sigs *cs;
	const struct sig_format *text;  /* x-fmt/111, or NULL */
	size_t head, tail;              /* window sizes */
	size_t seenwords;               /* uint64 words per key bitset */
	uint32_t maxseqs;               /* most ByteSequences in a signature */
	bool verify_all;                /* test seam: bypass the prefilter */
};

/* Test seam: with ON false every signature is verified (no prefilter),
 * the naive reference the prefilter must agree with. */
void fmt_identifier_set_prefilter(struct fmt_identifier *id, bool on);

struct fmt_scan {
	const struct fmt_identifier *id;
	unsigned char *head;            /* first headcap bytes */
	size_t headlen, headcap;        /* headcap = max(id->head, WHOLE_MAX) */
	unsigned char *tail;            /* ring of the last id->tail bytes */
	size_t tailpos;                 /* next write index in the ring */
	uint64_t fed;                   /* bytes fed so far */
	uint64_t *seen;                 /* 2 * seenwords: head, tail keys */
	struct sig_span *spans;         /* maxseqs */
};

/* A signature or container hit before it becomes a struct fmt_match. */
struct fmt_hit {
	const struct sig_format *f;     /* NULL for a container PUID not in f */
	char puid[FMT_PUID_LEN];
	enum fmt_basis basis;
	char evidence[FMT_EVIDENCE_LEN];
};

/* resolve.c: identify the bytes in V; the scan supplies scratch space. */
int fmt_resolve(struct fmt_scan *s, const struct sig_view *v,
		const char *filename, int fd, struct fmt_result *res,
		struct custos_err *err);

#endif
