/*
 * formats/extension.h - file-name extensions (internal): the fallback index
 * of "tentative" formats (no internal signature, as DROID's default) and
 * DROID's per-result extension mismatch rule (formats.md sec. 2).
 */
#ifndef CUSTOS_FORMATS_EXTENSION_H
#define CUSTOS_FORMATS_EXTENSION_H

#include "formats/sigmodel.h"

#define EXT_MAX 32              /* longer extensions are not extensions */

struct ext_index;

int ext_index_build(struct ext_index **out, const struct sigset *s,
		    struct custos_err *err);
/* Formats without signatures listing EXT (lower case); *n their count. */
const uint32_t *ext_index_lookup(const struct ext_index *x, const char *ext,
				 uint32_t *n);
/* True if a format WITH a signature lists EXT: such a file whose
 * signatures all failed is not guessed to be text (siegfried's rule that
 * extension evidence outranks the text heuristic, siegfried#257). */
bool ext_index_claimed(const struct ext_index *x, const char *ext);
void ext_index_free(struct ext_index *x);   /* NULL ok */

/* Lower-cased extension of FILENAME's last component into OUT ("" if
 * none or longer than EXT_MAX). */
void ext_of(const char *filename, char out[EXT_MAX + 1]);
/* DROID: a format listing extensions mismatches when EXT is not among
 * them (a file without extension mismatches any such format); a format
 * listing none never mismatches. */
bool ext_mismatch(const struct sig_format *f, const char *ext);

#endif
