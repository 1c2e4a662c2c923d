/*
 * core/digest.h - every digest a bag may use, computed in one pass.
 * A digest_set feeds each block to all chosen OpenSSL EVP contexts, so a
 * file is read once whatever the number of algorithms (SHA-NI where the
 * CPU has it, through OpenSSL's own dispatch).
 */
#ifndef CUSTOS_CORE_DIGEST_H
#define CUSTOS_CORE_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

enum digest_alg {
	DIGEST_MD5,
	DIGEST_SHA1,
	DIGEST_SHA224,
	DIGEST_SHA256,
	DIGEST_SHA384,
	DIGEST_SHA512,
	DIGEST_BLAKE2B512,
	DIGEST_COUNT
};

#define DIGEST_MAX_SIZE 64                      /* bytes, sha512/blake2b */
#define DIGEST_HEX_MAX (2 * DIGEST_MAX_SIZE + 1) /* with the NUL */

typedef unsigned int digest_mask;               /* bit (1u << alg) */
#define DIGEST_BIT(alg) (1u << (alg))

/* BagIt name of ALG ("sha256", "blake2b512"). */
const char *digest_name(enum digest_alg alg);
/* Digest length of ALG in bytes. */
size_t digest_size(enum digest_alg alg);
/* ALG for a BagIt name, case-insensitive, aliases accepted. 0, or -1. */
int digest_from_name(enum digest_alg *out, const char *name);
/* Parse "sha256,sha512" into a mask. 0, or -1 naming the bad item. */
int digest_mask_parse(digest_mask *out, const char *list,
		      struct custos_err *err);
/* True if HEX is a well-formed hex digest of ALG (either case). */
bool digest_hex_valid(enum digest_alg alg, const char *hex);
/* Compare two hex digests, case-insensitively. */
bool digest_hex_equal(const char *a, const char *b);

struct digest_set;                               /* opaque */

struct digest_result {
	digest_mask mask;                        /* which entries are set */
	char hex[DIGEST_COUNT][DIGEST_HEX_MAX];  /* lower-case hex */
};

/* New set computing every algorithm in MASK. 0, or -1 with *err. */
int digest_set_new(struct digest_set **out, digest_mask mask,
		   struct custos_err *err);
/* Start over (for the next file). */
int digest_set_reset(struct digest_set *ds, struct custos_err *err);
/* Feed LEN bytes to every algorithm. */
int digest_set_update(struct digest_set *ds, const void *buf, size_t len,
		      struct custos_err *err);
/* Finish; fills RES (and resets nothing: call digest_set_reset). */
int digest_set_final(struct digest_set *ds, struct digest_result *res,
		     struct custos_err *err);
digest_mask digest_set_mask(const struct digest_set *ds);
void digest_set_free(struct digest_set *ds);     /* NULL ok */

/* One-shot digest of a memory buffer into HEX (DIGEST_HEX_MAX bytes). */
int digest_buffer(enum digest_alg alg, const void *buf, size_t len,
		  char *hex, struct custos_err *err);

#endif
