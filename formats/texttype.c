/*
 * formats/texttype.c - plain-text heuristic over the head window.
 */
#include "formats/texttype.h"

#include <stdint.h>

/* The control characters text may hold: file(1)'s text table (BEL, BS,
 * TAB, LF, VT, FF, CR, ESC; a man page overstrikes with BS) and SUB, the
 * DOS end-of-file mark. */
static bool ctrl_ok(uint32_t c)
{
	return c >= 0x20 || (c >= 0x07 && c <= 0x0d) || c == 0x1b || c == 0x1a;
}

/* Length of the UTF-8 sequence at B (N bytes left); 0 bad, -1 cut. */
static int utf8_len(const unsigned char *b, size_t n)
{
	int len;
	uint32_t min, c;

	if (b[0] < 0x80)
		return 1;
	if (b[0] >= 0xc2 && b[0] <= 0xdf) {
		len = 2; min = 0x80; c = b[0] & 0x1f;
	} else if (b[0] >= 0xe0 && b[0] <= 0xef) {
		len = 3; min = 0x800; c = b[0] & 0x0f;
	} else if (b[0] >= 0xf0 && b[0] <= 0xf4) {
		len = 4; min = 0x10000; c = b[0] & 0x07;
	} else {
		return 0;
	}
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		if ((b[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (b[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

static enum text_kind utf8_or_ascii(const unsigned char *b, size_t n, bool cut,
				    bool bom)
{
	bool ascii = true;

	for (size_t i = 0; i < n;) {
		int l = utf8_len(b + i, n - i);

		if (l == -1 && cut)
			break;
		if (l <= 0)
			return TEXT_NONE;
		if (l == 1 && !ctrl_ok(b[i]))
			return TEXT_NONE;
		ascii &= l == 1;
		i += (size_t)l;
	}
	if (bom)
		return TEXT_UTF8_BOM;
	return ascii ? TEXT_ASCII : TEXT_UTF8;
}

static bool utf16_ok(const unsigned char *b, size_t n, bool le)
{
	for (size_t i = 0; i + 1 < n; i += 2) {
		uint32_t u = le ? (uint32_t)(b[i] | b[i + 1] << 8) :
				  (uint32_t)(b[i] << 8 | b[i + 1]);

		if (u < 0x20 && !ctrl_ok(u))
			return false;
	}
	return true;
}

enum text_kind text_classify(const unsigned char *buf, size_t len, bool cut)
{
	if (len == 0)
		return TEXT_NONE;
	if (len >= 2 && buf[0] == 0xff && buf[1] == 0xfe)
		return utf16_ok(buf + 2, len - 2, true) && (cut || len % 2 == 0) ?
			       TEXT_UTF16LE_BOM : TEXT_NONE;
	if (len >= 2 && buf[0] == 0xfe && buf[1] == 0xff)
		return utf16_ok(buf + 2, len - 2, false) && (cut || len % 2 == 0) ?
			       TEXT_UTF16BE_BOM : TEXT_NONE;
	if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf)
		return utf8_or_ascii(buf + 3, len - 3, cut, true);
	return utf8_or_ascii(buf, len, cut, false);
}

const char *text_kind_name(enum text_kind k)
{
	switch (k) {
	case TEXT_ASCII: return "ASCII";
	case TEXT_UTF8: return "UTF-8";
	case TEXT_UTF8_BOM: return "UTF-8 with BOM";
	case TEXT_UTF16LE_BOM: return "UTF-16LE with BOM";
	case TEXT_UTF16BE_BOM: return "UTF-16BE with BOM";
	case TEXT_NONE: break;
	}
	return "not text";
}
