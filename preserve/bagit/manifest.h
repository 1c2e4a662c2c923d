/*
 * preserve/bagit/manifest.h - payload and tag manifests (RFC 8493 sec. 2.1.3,
 * 2.2.1): one "checksum filepath" line per file. Parsing never opens the
 * files a manifest lists; every bad line is reported with its number.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_MANIFEST_H
#define CUSTOS_PRESERVE_BAGIT_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/digest.h"
#include "preserve/bagit/problems.h"

#define MANIFEST_LINE_MAX (64 * 1024)

/* One line, compact: the digest is kept as bytes (64 at most), so an entry
 * costs 80 bytes plus its path, whatever the algorithm. */
struct manifest_entry {
	char *path;                    /* decoded, canonical ("data/a b.txt") */
	uint32_t line;                 /* 1-based; UINT32_MAX past that */
	unsigned char digest[DIGEST_MAX_SIZE];
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

/* The same, fed in chunks as the manifest is read: begin, feed each
 * chunk, end. A line that is not valid UTF-8 stops the parse: feed
 * returns 1 and names the line in *BAD_LINE (the caller reports the
 * file). feed and end return 0, 1, or -1 on OOM (OUT is then released). */
struct manifest_stream;
int manifest_stream_begin(struct manifest_stream **ps, struct manifest *out,
			  const char *name, enum digest_alg alg,
			  struct problems *r);
int manifest_stream_feed(struct manifest_stream *ps, const char *data,
			 size_t len);
int manifest_stream_end(struct manifest_stream *ps, size_t *bad_line);

/* Entry E of M as lower-case hex in HEX (DIGEST_HEX_MAX bytes); returns HEX. */
char *manifest_hex(const struct manifest *m, const struct manifest_entry *e,
		   char *hex);
/* True if HEX (either case) is E's digest. */
bool manifest_digest_is(const struct manifest *m, const struct manifest_entry *e,
			const char *hex);

void manifest_release(struct manifest *m);

/* For "manifest-sha256.txt" (PREFIX "manifest-"): the algorithm name
 * part ("sha256") copied into BUF. 0 if NAME has that form, else -1. */
int manifest_name_alg(const char *name, const char *prefix, char *buf,
		      size_t bufsize);

#endif
