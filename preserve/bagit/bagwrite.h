/*
 * preserve/bagit/bagwrite.h - write the tag files of a BagIt 1.0 bag whose
 * payload is already in DIR/data: bagit.txt, bag-info.txt (Bagging-Date,
 * Payload-Oxum, Bag-Software-Agent), extra tag files, manifest-ALG.txt and
 * tagmanifest-ALG.txt. Every file is written durably (fsync + rename).
 */
#ifndef CUSTOS_PRESERVE_BAGIT_BAGWRITE_H
#define CUSTOS_PRESERVE_BAGIT_BAGWRITE_H

#include <stddef.h>
#include <stdint.h>
#include "core/digest.h"
#include "core/err.h"
#include "preserve/bagit/bagfacts.h"

struct bagwrite_file {
	const char *path;                   /* "data/...", as on disk */
	uint64_t size;
	const struct digest_result *dig;    /* holds every algorithm written */
};

struct bagwrite_tagfile {
	const char *name;                   /* relative to the bag root */
	const char *data;
	size_t len;
};

struct bagwrite_opts {
	digest_mask algs;                   /* manifests and tag manifests */
	const struct bag_tag *info;         /* extra bag-info tags, in order */
	size_t ninfo;
	const struct bagwrite_tagfile *extra;  /* more tag files (covered) */
	size_t nextra;
};

/* Tags custos writes itself; --info may not set them. */
int bagwrite_is_reserved_tag(const char *label);

/* Build, in memory, every tag file of a bag with payload FILES (N, in
 * manifest order): bagit.txt, bag-info.txt, O's extra files, manifests and
 * finally tag manifests. *out (caller frees with bagwrite_tags_free). */
int bag_build_tags(struct bagwrite_tagfile **out, size_t *nout,
		   const struct bagwrite_opts *o,
		   const struct bagwrite_file *files, size_t n,
		   struct custos_err *err);
void bagwrite_tags_free(struct bagwrite_tagfile *t, size_t n);

/* Build the tag files and write them into bag DIR durably. 0, or -1 with
 * *err naming the file. */
int bag_write_tags(const char *dir, const struct bagwrite_opts *o,
		   const struct bagwrite_file *files, size_t n,
		   struct custos_err *err);

#endif
