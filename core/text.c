/*
 * core/text.c - UTF-8 checks, normalization and encoding conversion.
 * Normalization and case folding come from utf8proc: Unicode tables are
 * not something to write by hand.
 */
#include "core/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

int text_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void hex_with(const char digits[16], char *hex,
		     const unsigned char *raw, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[raw[i] >> 4];
		hex[2 * i + 1] = digits[raw[i] & 15];
	}
	hex[2 * n] = '\0';
}

void text_to_hex(char *hex, const unsigned char *raw, size_t n)
{
	hex_with("0123456789abcdef", hex, raw, n);
}

void text_to_hex_upper(char *hex, const unsigned char *raw, size_t n)
{
	hex_with("0123456789ABCDEF", hex, raw, n);
}

bool text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

char *text_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, o = 0;
	char *out = malloc(len * 4 + 1);   /* at worst every byte as \xHH */

	if (!out)
		return NULL;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = p[i] < 0x80 ? 1 :
			utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);

		if (n > 0 && !(p[i] < 0x20 || p[i] == 0x7f)) {
			memcpy(out + o, s + i, (size_t)n);
			o += (size_t)n;
			i += (size_t)n;
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		text_to_hex(out + o, p + i, 1);
		o += 2;
		i++;
	}
	out[o] = '\0';
	return out;
}

static char *map(const char *s, utf8proc_option_t opts)
{
	utf8proc_uint8_t *out = NULL;

	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
			 opts | UTF8PROC_NULLTERM | UTF8PROC_STABLE) < 0)
		return NULL;
	return (char *)out;
}

char *text_nfc(const char *s)
{
	return map(s, UTF8PROC_COMPOSE);
}

char *text_fold(const char *s)
{
	size_t n = strlen(s);
	char *out;

	/* ASCII (nearly every name): NFC is the identity, case folding is
	 * tolower; no need for utf8proc's tables */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return map(s, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	return out;
}

bool text_is_utf8_name(const char *encoding)
{
	return strcasecmp(encoding, "UTF-8") == 0 ||
	       strcasecmp(encoding, "UTF8") == 0;
}

static size_t bom_length(const char *in, size_t len, const char *encoding)
{
	const unsigned char *p = (const unsigned char *)in;

	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF &&
	    text_is_utf8_name(encoding))
		return 3;
	return 0;
}

int text_to_utf8(char **out, size_t *outlen, const char *in, size_t len,
		 const char *encoding, const char *shown,
		 struct custos_err *err)
{
	iconv_t cd;
	size_t cap, skip = bom_length(in, len, encoding);
	char *buf, *src, *dst;
	size_t srcleft, dstleft;

	/* "UTF-16" in iconv consumes the BOM itself and picks the order. */
	cd = iconv_open("UTF-8", encoding);
	if (cd == (iconv_t)-1)
		return err_set(err, CUSTOS_EFORMAT, shown,
			       "unsupported tag file encoding '%s' for '%s'",
			       encoding, shown);
	if (len > (SIZE_MAX - 1) / 4) {
		iconv_close(cd);
		return err_set(err, CUSTOS_ELIMIT, shown, "'%s' too large", shown);
	}
	cap = len * 4 + 1;  /* any source char becomes at most 4 UTF-8 bytes */
	buf = malloc(cap);
	if (!buf) {
		iconv_close(cd);
		return err_nomem(err);
	}
	src = (char *)in + skip;
	srcleft = len - skip;
	dst = buf;
	dstleft = cap - 1;
	if (iconv(cd, &src, &srcleft, &dst, &dstleft) == (size_t)-1) {
		size_t at = (size_t)(src - in);

		iconv_close(cd);
		free(buf);
		return err_set(err, CUSTOS_EFORMAT, shown,
			       "'%s' is not valid %s (byte offset %zu)", shown,
			       encoding, at);
	}
	iconv_close(cd);
	*dst = '\0';
	*out = buf;
	*outlen = (size_t)(dst - buf);
	/* iconv to UTF-8 with a UTF-8 source keeps a BOM: drop it */
	if (*outlen >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(buf, buf + 3, *outlen - 3 + 1);
		*outlen -= 3;
	}
	return 0;
}
