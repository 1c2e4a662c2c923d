/*
 * preserve/repo/lines.h - a text file in a location read line by line as
 * it streams (manifests, format records, the mirrored event log), so no
 * file is ever held whole. Lines end in LF (a CR before it is dropped);
 * each is NUL-terminated for FN and at most LINES_MAX bytes.
 */
#ifndef CUSTOS_PRESERVE_REPO_LINES_H
#define CUSTOS_PRESERVE_REPO_LINES_H

#include <stddef.h>
#include "core/err.h"
#include "preserve/storage/location.h"

#define LINES_MAX ((size_t)16 << 20)

/* FN gets each line (writable, LEN bytes); 0 goes on, -1 (ERR set) stops. */
typedef int (*lines_fn)(void *arg, char *line, size_t len, struct custos_err *err);

/* 0 read to the end, 1 RELPATH is absent, -1 error. */
int lines_read(struct location *l, const char *relpath, lines_fn fn, void *arg,
	       struct custos_err *err);

/* A lines_fn that appends each line and an LF to the struct strbuf ARG
 * (small files read whole: heads, policy records, bag-info.txt). */
int lines_keep(void *arg, char *line, size_t len, struct custos_err *err);

/* The same, pulled one line at a time (several files read in step). */
struct line_reader;
/* 0, 1 if RELPATH is absent, -1. */
int line_reader_open(struct line_reader **out, struct location *l,
		     const char *relpath, struct custos_err *err);
/* *LINE (NUL-terminated, LEN bytes, valid until the next call): 1, or 0
 * at the end, -1 on error. */
int line_reader_next(struct line_reader *lr, char **line, size_t *len,
		     struct custos_err *err);
void line_reader_close(struct line_reader *lr);     /* NULL ok */

#endif
