/*
 * preserve/bagit/fetch.h - fetch.txt (RFC 8493 sec. 2.2.3): "URL LENGTH FILEPATH"
 * lines naming payload files to be fetched. custos checks the entries and
 * never downloads anything.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_FETCH_H
#define CUSTOS_PRESERVE_BAGIT_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "preserve/bagit/problems.h"

struct fetch_entry {
	char *url;
	bool has_length;       /* false for "-" */
	uint64_t length;
	char *path;            /* decoded, canonical */
	size_t line;
};

struct fetch_list {
	struct fetch_entry *entries;
	size_t count, cap;
};

/* Parse fetch.txt TEXT into OUT; bad lines and unsafe paths go to R.
 * 0, or -1 on OOM. */
int fetch_parse(struct fetch_list *out, const char *text, size_t len,
		struct problems *r);
void fetch_release(struct fetch_list *f);

#endif
