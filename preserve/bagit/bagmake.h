/*
 * preserve/bagit/bagmake.h - `custos bag`: make a BagIt 1.0 bag of a directory,
 * in place (like bagit-python) or as a copy at DEST. Each source byte is
 * read once: digests are computed from the same buffers the copy writes.
 * Symlinks and special files are refused before anything is written.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_BAGMAKE_H
#define CUSTOS_PRESERVE_BAGIT_BAGMAKE_H

#include <stddef.h>
#include <stdint.h>
#include "core/digest.h"
#include "core/err.h"
#include "preserve/bagit/bagfacts.h"
#include "preserve/bagit/problems.h"

struct bagmake_opts {
	const char *src;              /* the directory to bag */
	const char *dest;             /* NULL: convert SRC in place */
	digest_mask algs;             /* 0: sha256 + sha512 */
	const struct bag_tag *info;   /* extra bag-info tags */
	size_t ninfo;
	unsigned jobs;                /* 0: default */
};

struct bagmake_result {
	uint64_t files, bytes;
	struct problems warnings;     /* encoded-name: release with problems_release */
};

/* Make the bag. With DEST, the bag appears at DEST only when complete
 * (built beside it, then renamed). 0, or -1 with *err naming the file. */
int bag_make(const struct bagmake_opts *o, struct bagmake_result *res,
	     struct custos_err *err);

#endif
