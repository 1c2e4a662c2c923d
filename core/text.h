/*
 * core/text.h - text facts custos needs about names and tag files:
 * UTF-8 validity, Unicode NFC and case folding (utf8proc), and conversion
 * of a declared tag-file encoding to UTF-8 (iconv).
 */
#ifndef CUSTOS_CORE_TEXT_H
#define CUSTOS_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

/* Value of hex digit C (either case), or -1. */
int text_hexval(int c);

/* Lower-case hex of N raw bytes into HEX (2N+1 bytes, NUL-terminated),
 * as digests are written. */
void text_to_hex(char *hex, const unsigned char *raw, size_t n);

/* The same in upper case, as percent-encoding (RFC 3986) writes it. */
void text_to_hex_upper(char *hex, const unsigned char *raw, size_t n);

/* True if S[0..LEN) is well-formed UTF-8 (no overlongs, no surrogates). */
bool text_utf8_valid(const char *s, size_t len);

/* New copy of S that is printable anywhere (caller frees; NULL when
 * memory ran out): every byte that is not part of well-formed UTF-8, and
 * every control character (U+0000..U+001F, U+007F), becomes the four
 * characters \xHH (lower-case hex); everything else is kept. A name that
 * is valid UTF-8 without control characters comes back unchanged. The one
 * way custos prints file names in text and in JSON (docs/cli.md). */
char *text_escape(const char *s);

/* New NFC form of UTF-8 S (caller frees), NULL if S is not valid UTF-8
 * or memory ran out. */
char *text_nfc(const char *s);

/* New NFC + case-folded form of S, the key for "same name on a
 * case-insensitive, normalizing filesystem". NULL as text_nfc. */
char *text_fold(const char *s);

/* True if ENCODING names UTF-8 ("UTF-8", "utf8", case-insensitive). */
bool text_is_utf8_name(const char *encoding);

/* Convert IN (LEN bytes, in ENCODING) to new NUL-terminated UTF-8 *out.
 * A leading byte-order mark is removed. SHOWN names the file in errors. */
int text_to_utf8(char **out, size_t *outlen, const char *in, size_t len,
		 const char *encoding, const char *shown,
		 struct custos_err *err);

#endif
