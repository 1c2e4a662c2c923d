/*
 * core/merkle.h - the RFC 9162 (Certificate Transparency 2.0) Merkle
 * tree over the event log: tree head, inclusion proofs (an event is in
 * the log) and consistency proofs (the log of size m is a prefix of the
 * log of size n: it only grew). SHA-256, leaf = SHA-256(0x00 || data),
 * node = SHA-256(0x01 || left || right). The tree is given as the array
 * of leaf hashes; MERKLE_MAX_PATH bounds every proof.
 */
#ifndef CUSTOS_CORE_MERKLE_H
#define CUSTOS_CORE_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

#define MERKLE_HASH 32
#define MERKLE_MAX_PATH 130   /* 2 * 64 levels + slack: any size_t tree */

struct merkle_hash {
	unsigned char b[MERKLE_HASH];
};

/* The leaf hash of LEN bytes at DATA. */
int merkle_leaf(struct merkle_hash *out, const void *data, size_t len);

/* The tree head (root) of the N leaf hashes LEAVES (N = 0: SHA-256("")). */
int merkle_root(struct merkle_hash *out, const struct merkle_hash *leaves,
		size_t n);

/* The inclusion proof (audit path) of leaf INDEX in the tree of N
 * leaves: *npath hashes into PATH (room for MERKLE_MAX_PATH). */
int merkle_inclusion_proof(struct merkle_hash *path, size_t *npath,
			   const struct merkle_hash *leaves, size_t n,
			   size_t index, struct custos_err *err);

/* The consistency proof from the tree of the first M leaves to the tree
 * of all N (0 < M <= N). */
int merkle_consistency_proof(struct merkle_hash *path, size_t *npath,
			     const struct merkle_hash *leaves, size_t n,
			     size_t m, struct custos_err *err);

/* RFC 9162 2.1.3.2: does PATH prove LEAF is leaf INDEX of the tree of
 * SIZE leaves whose root is ROOT? */
bool merkle_inclusion_verify(const struct merkle_hash *leaf, size_t index,
			     size_t size, const struct merkle_hash *path,
			     size_t npath, const struct merkle_hash *root);

/* RFC 9162 2.1.4.2: does PATH prove the tree of size M with root
 * ROOT_M is a prefix of the tree of size N with root ROOT_N? */
bool merkle_consistency_verify(size_t m, size_t n,
			       const struct merkle_hash *root_m,
			       const struct merkle_hash *root_n,
			       const struct merkle_hash *path, size_t npath);

/* The tree head of a log read once, in order, in O(log n) memory: the
 * roots of the perfect subtrees its leaves fill so far. */
struct merkle_stream {
	struct merkle_hash sub[64];
	unsigned height[64];
	size_t depth;              /* subtrees held */
	size_t size;               /* leaves pushed */
};
void merkle_stream_init(struct merkle_stream *s);
/* Add the next leaf (its data, hashed here as a leaf). */
int merkle_stream_push(struct merkle_stream *s, const void *data, size_t len);
/* The root of the leaves pushed so far (RFC 9162 MTH, as merkle_root). */
int merkle_stream_root(const struct merkle_stream *s, struct merkle_hash *out);

/* Lower-case hex (65 bytes) of H; parse 64 hex digits (0, or -1). */
void merkle_hex(char out[2 * MERKLE_HASH + 1], const struct merkle_hash *h);
int merkle_unhex(struct merkle_hash *out, const char *hex);

#endif
