/*
 * formats/ole2.h - a bounds-checked reader of OLE2 / Compound File Binary
 * files ([MS-CFB]): list the storages and streams by path and read bytes
 * of a stream. Hostile input (cyclic chains, absurd counts, out-of-range
 * sectors) is refused with an error; time and memory are bounded by the
 * file size and the limits in ole2.c.
 */
#ifndef CUSTOS_FORMATS_OLE2_H
#define CUSTOS_FORMATS_OLE2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

struct ole2;

/* Read the header, FAT index and directory of FD (read with pread).
 * 0, or -1 with *err (CUSTOS_EFORMAT damaged, CUSTOS_ELIMIT too big). */
int ole2_open(struct ole2 **out, int fd, struct custos_err *err);

/* Entries reachable from the root, in tree order (root excluded). */
size_t ole2_count(const struct ole2 *o);
/* "storage/stream" in UTF-8, each name trimmed of characters <= U+0020
 * as DROID does ("\x01CompObj" -> "CompObj"). Borrowed. */
const char *ole2_path(const struct ole2 *o, size_t i);
bool ole2_is_stream(const struct ole2 *o, size_t i);
uint64_t ole2_size(const struct ole2 *o, size_t i);

/* Read up to LEN bytes of stream I from offset OFF into BUF; *got gets
 * the count (short only at the stream's end). 0, or -1 with *err. */
int ole2_read(struct ole2 *o, size_t i, uint64_t off, void *buf,
	      size_t len, size_t *got, struct custos_err *err);

void ole2_close(struct ole2 *o);                        /* NULL ok */

#endif
