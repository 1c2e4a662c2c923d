/*
 * formats/builtin_table.h - the data of the built-in signature set
 * (internal): written from published PRONOM facts (PUIDs, names, byte
 * patterns), see builtin_table.c.
 */
#ifndef CUSTOS_FORMATS_BUILTIN_TABLE_H
#define CUSTOS_FORMATS_BUILTIN_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define BUILTIN_VERSION 1

struct builtin_format {
	const char *puid, *name, *version, *mime;
	const char *exts;           /* space-separated, lower case */
	const char *prio;           /* PUIDs this format beats, space-separated */
};

enum { BI_BOF = 0, BI_EOF = 1, BI_VAR = 2 };   /* = enum sig_ref */

struct builtin_seq {
	uint32_t sig;               /* signature number; rows of one are adjacent */
	const char *puid;
	int ref;                    /* BI_BOF, BI_EOF, BI_VAR */
	int64_t min, max;           /* offset window; max -1 = none */
	const char *expr;           /* PRONOM expression (exprcompile.c) */
};

extern const struct builtin_format builtin_formats[];
extern const size_t builtin_nformats;
extern const struct builtin_seq builtin_seqs[];
extern const size_t builtin_nseqs;

#endif
