/*
 * formats/builtin_table.c - the built-in signature set.
 */
#include "formats/builtin_table.h"

const struct builtin_format builtin_formats[] = {
	{ "fmt/11", "Portable Network Graphics", "1.0", "image/png", "png", NULL },
	{ "x-fmt/111", "Plain Text File", NULL, "text/plain", "txt", NULL },
};
const size_t builtin_nformats = sizeof(builtin_formats) / sizeof(builtin_formats[0]);

const struct builtin_seq builtin_seqs[] = {
	{ 1, "fmt/11", BI_BOF, 0, 0, "89504E470D0A1A0A0000000D49484452" },
	{ 1, "fmt/11", BI_EOF, 0, 0, "49454E44AE426082" },
};
const size_t builtin_nseqs = sizeof(builtin_seqs) / sizeof(builtin_seqs[0]);
