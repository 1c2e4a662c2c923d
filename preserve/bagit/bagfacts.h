/*
 * preserve/bagit/bagfacts.h - what a bag check learned about a bag, in the form
 * later rules (BagIt profiles, ingest policy) judge it by. Filled by
 * preserve/validate.c; everything is borrowed from the validator.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_BAGFACTS_H
#define CUSTOS_PRESERVE_BAGIT_BAGFACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/digest.h"

struct manifest;

struct bag_tag {
	char *label;        /* as written, without surrounding whitespace */
	char *value;        /* continuation lines joined with one space */
	size_t line;        /* 1-based line of the label */
};

enum bag_serialization {
	BAG_SER_NONE,       /* a directory */
	BAG_SER_ZIP,
	BAG_SER_TAR,
	BAG_SER_TAR_GZIP,
	BAG_SER_OTHER,      /* another format libarchive read */
};

struct bag_facts {
	const char *version;                /* "1.0", NULL if unreadable */
	enum bag_serialization serialization;
	const struct bag_tag *info;         /* bag-info.txt, in file order */
	size_t ninfo;
	bool has_bag_info;
	digest_mask payload_manifests;      /* manifest-ALG.txt present */
	digest_mask tag_manifests;          /* tagmanifest-ALG.txt present */
	bool has_fetch;
	const char *const *tag_files;       /* every file outside data/ */
	size_t ntag_files;
	const char *const *payload_files;   /* every file under data/ */
	size_t npayload_files;
	const char *const *payload_dirs;    /* every directory under data/ */
	size_t npayload_dirs;
	/* the payload manifests as parsed, by algorithm (NULL if absent) */
	const struct manifest *payload_manifest[DIGEST_COUNT];
};

#endif
