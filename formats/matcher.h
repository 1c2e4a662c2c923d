/*
 * formats/matcher.h - verify one InternalSignature against the bytes of a
 * file seen through a head and a tail window (internal to formats/).
 * DROID semantics (formats.md sec. 5.1): BOF sequences left to right from
 * offset 0, EOF sequences right to left from the end, Variable sequences
 * anywhere in the head window and then in the tail window.
 */
#ifndef CUSTOS_FORMATS_MATCHER_H
#define CUSTOS_FORMATS_MATCHER_H

#include "formats/sigmodel.h"

/* Work budget per ByteSequence (anchor tries + fragment tries). A noisy
 * signature that exhausts it does not match (bounded cost per file). */
#define SIG_MATCH_BUDGET 50000u

struct sig_segment {
	const unsigned char *buf;
	size_t len;
	uint64_t base;              /* file offset of buf[0] */
};

struct sig_view {
	struct sig_segment head;    /* starts at offset 0 */
	struct sig_segment tail;    /* ends at SIZE; equals head if whole */
	uint64_t size;              /* file size */
	bool whole;                 /* head holds the whole file */
};

struct sig_span {
	uint64_t off, len;          /* file offset and length of a match */
};

/* True if every ByteSequence of IS matches V. SPANS (IS->nseqs entries,
 * may be NULL) receive where each matched, in signature order. */
bool sig_internal_match(const struct sig_internal *is,
			const struct sig_view *v, struct sig_span *spans);

#endif
