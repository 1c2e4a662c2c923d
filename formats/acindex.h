/*
 * formats/acindex.h - the multi-pattern prefilter (internal): one
 * Aho-Corasick automaton over a short, distinctive key taken from an
 * anchor of every ByteSequence. One pass over a window tells which keys
 * occur; only signatures whose keys all occur are verified.
 */
#ifndef CUSTOS_FORMATS_ACINDEX_H
#define CUSTOS_FORMATS_ACINDEX_H

#include "formats/sigmodel.h"

#define AC_KEY_MAX 8            /* bytes per key (shrunk if states overflow) */

struct ac_index;

/* Build the automaton for S, setting every ByteSequence's key. */
int ac_build(struct ac_index **out, struct sigset *s, struct custos_err *err);
size_t ac_nkeys(const struct ac_index *ac);
/* Set bit k of SEEN (ac_nkeys bits, caller zeroed) for each key in BUF. */
void ac_scan(const struct ac_index *ac, const unsigned char *buf, size_t len,
	     uint64_t *seen);
void ac_free(struct ac_index *ac);          /* NULL ok */

#endif
