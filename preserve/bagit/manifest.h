/*
 * preserve/bagit/manifest.h - payload and tag manifests (RFC 8493 sec. 2.1.3,
 * 2.2.1): one "checksum filepath" line per file. Parsing never opens the
 * files a manifest lists; every bad line is reported with its number.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_MANIFEST_H
#define CUSTOS_PRESERVE_BAGIT_MANIFEST_H

#include <stddef.h>
#include "core/digest.h"
#include "preserve/bagit/problems.h"

#define MANIFEST_LINE_MAX (64 * 1024)

struct manifest_entry {
	char *path;                    /* decoded, canonical ("data/a b.txt") */
	char digest[DIGEST_HEX_MAX];   /* lower-case hex */
	size_t line;
};

struct manifest {
	enum digest_alg alg;
	char *name;                    /* "manifest-sha256.txt" */
	struct manifest_entry *entries;
	size_t count, cap;
};

/* Parse TEXT (UTF-8) of manifest NAME for ALG into OUT. Bad lines, unsafe
 * paths and md5sum-style "*" markers go to R; safe entries are kept.
 * 0, or -1 on OOM. */
int manifest_parse(struct manifest *out, const char *name, enum digest_alg alg,
		   const char *text, size_t len, struct problems *r);

void manifest_release(struct manifest *m);

/* For "manifest-sha256.txt" (PREFIX "manifest-"): the algorithm name
 * part ("sha256") copied into BUF. 0 if NAME has that form, else -1. */
int manifest_name_alg(const char *name, const char *prefix, char *buf,
		      size_t bufsize);

#endif
