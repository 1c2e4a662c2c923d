/*
 * formats/texttype.h - is this plain text? (internal heuristic)
 * Reads a head window only. Text = no NUL and no control bytes other than
 * BEL BS TAB LF VT FF CR ESC SUB, and either pure ASCII, well-formed UTF-8 (a
 * sequence cut by the window end is allowed), or UTF-16 with a BOM whose
 * code units obey the same control rule. Empty files are not text.
 */
#ifndef CUSTOS_FORMATS_TEXTTYPE_H
#define CUSTOS_FORMATS_TEXTTYPE_H

#include <stdbool.h>
#include <stddef.h>

enum text_kind {
	TEXT_NONE,
	TEXT_ASCII,
	TEXT_UTF8,
	TEXT_UTF8_BOM,
	TEXT_UTF16LE_BOM,
	TEXT_UTF16BE_BOM,
};

/* Classify BUF (LEN bytes); CUT says the window ends before the file. */
enum text_kind text_classify(const unsigned char *buf, size_t len, bool cut);
const char *text_kind_name(enum text_kind k);   /* "ASCII", "UTF-8", ... */

#endif
