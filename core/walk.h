/*
 * core/walk.h - walk a directory tree without following symlinks.
 * Reports every entry with its path relative to the root; symlinks and
 * special files are reported as such, never entered or read.
 */
#ifndef CUSTOS_CORE_WALK_H
#define CUSTOS_CORE_WALK_H

#include <stdint.h>
#include "core/err.h"

enum walk_type {
	WALK_FILE,
	WALK_DIR,       /* reported before its contents */
	WALK_SYMLINK,
	WALK_OTHER,     /* fifo, socket, device */
};

struct walk_entry {
	const char *relpath;    /* "data/a/b.txt", relative to the root */
	enum walk_type type;
	uint64_t size;          /* regular files */
	int64_t mtime;
};

/* Return 0 to continue, 1 to skip a directory's contents, -1 to stop
 * (with *err filled). */
typedef int (*walk_fn)(void *arg, const struct walk_entry *e,
		       struct custos_err *err);

/* Walk ROOT/START (START "" for all of ROOT) in sorted name order.
 * Depth is limited to WALK_MAX_DEPTH. */
#define WALK_MAX_DEPTH 256
int walk_tree(const char *root, const char *start, walk_fn fn, void *arg,
	      struct custos_err *err);

#endif
