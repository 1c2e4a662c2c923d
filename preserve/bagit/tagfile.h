/*
 * preserve/bagit/tagfile.h - "Label: value" tag files: bagit.txt and bag-info.txt
 * (RFC 8493 sec. 2.1.1, 2.2.2). Parses UTF-8 text already converted from
 * the declared encoding; reports each malformed line into a report.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_TAGFILE_H
#define CUSTOS_PRESERVE_BAGIT_TAGFILE_H

#include <stddef.h>
#include "preserve/bagit/bagfacts.h"
#include "preserve/bagit/problems.h"

#define TAGFILE_LINE_MAX (64 * 1024)   /* longer lines are refused */

struct tagfile {
	struct bag_tag *tags;
	size_t count;
};

enum tagfile_mode {
	TAGFILE_BAG_INFO,     /* tolerant: odd separators are warnings */
	TAGFILE_BAG_INFO_V1,  /* BagIt 1.0: a label ending in whitespace is an
			       * error (label-whitespace), as 1.0 says MUST NOT */
	TAGFILE_DECLARATION,  /* bagit.txt: exact "Label: value" required */
};

/* Parse TEXT (LEN bytes, UTF-8) from file SHOWN into OUT. Problems go to R
 * as errors (MUST) or warnings. 0, or -1 on OOM. */
int tagfile_parse(struct tagfile *out, const char *text, size_t len,
		  const char *shown, enum tagfile_mode mode, struct problems *r);

/* First value for LABEL (case-insensitive), or NULL. */
const char *tagfile_get(const struct tagfile *t, const char *label);
/* Number of tags called LABEL (case-insensitive). */
size_t tagfile_count_label(const struct tagfile *t, const char *label);

void tagfile_release(struct tagfile *t);

/* Split TEXT into lines at LF, CRLF or CR. Calls FN for each line (not
 * NUL-terminated) with its 1-based number; FN returns 0 to go on. */
typedef int (*tagfile_line_fn)(void *arg, const char *line, size_t len,
			       size_t lineno);
int tagfile_each_line(const char *text, size_t len, tagfile_line_fn fn,
		      void *arg);

#endif
