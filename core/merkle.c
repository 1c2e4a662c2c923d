/*
 * core/merkle.c - RFC 9162 section 2.1 Merkle tree hash, inclusion and
 * consistency proofs and their verification. Subtree hashes are computed
 * recursively from the leaf hashes (depth <= 64); proofs follow the
 * PATH / SUBPROOF definitions of 2.1.3.1 and 2.1.4.1 literally.
 */
#include "core/merkle.h"

#include <string.h>
#include <openssl/evp.h>
#include "core/text.h"

static int sha(struct merkle_hash *out, const void *a, size_t alen,
	       const void *b, size_t blen, const void *c, size_t clen)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	int ok = x && EVP_DigestInit_ex(x, EVP_sha256(), NULL) &&
		 EVP_DigestUpdate(x, a, alen) &&
		 (!blen || EVP_DigestUpdate(x, b, blen)) &&
		 (!clen || EVP_DigestUpdate(x, c, clen)) &&
		 EVP_DigestFinal_ex(x, out->b, NULL);

	EVP_MD_CTX_free(x);
	return ok ? 0 : -1;
}

static int node(struct merkle_hash *out, const struct merkle_hash *l,
		const struct merkle_hash *r)
{
	static const unsigned char one = 0x01;

	return sha(out, &one, 1, l->b, MERKLE_HASH, r->b, MERKLE_HASH);
}

int merkle_leaf(struct merkle_hash *out, const void *data, size_t len)
{
	static const unsigned char zero = 0x00;

	return sha(out, &zero, 1, data, len, NULL, 0);
}

/* The largest power of two smaller than N (N > 1). */
static size_t split(size_t n)
{
	size_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

int merkle_root(struct merkle_hash *out, const struct merkle_hash *leaves,
		size_t n)
{
	struct merkle_hash l, r;
	size_t k;

	if (n == 0)
		return sha(out, "", 0, NULL, 0, NULL, 0);
	if (n == 1) {
		*out = leaves[0];
		return 0;
	}
	k = split(n);
	if (merkle_root(&l, leaves, k) < 0 || merkle_root(&r, leaves + k, n - k) < 0)
		return -1;
	return node(out, &l, &r);
}

void merkle_stream_init(struct merkle_stream *s)
{
	memset(s, 0, sizeof(*s));
}

/* Two subtrees of one height make one of the next: RFC 9162's tree is
 * the perfect subtrees of N's binary digits, largest first. */
int merkle_stream_push(struct merkle_stream *s, const void *data, size_t len)
{
	struct merkle_hash leaf;

	if (s->depth >= 64 || merkle_leaf(&leaf, data, len) < 0)
		return -1;
	s->sub[s->depth] = leaf;
	s->height[s->depth++] = 0;
	while (s->depth > 1 && s->height[s->depth - 1] == s->height[s->depth - 2]) {
		struct merkle_hash up;

		if (node(&up, &s->sub[s->depth - 2], &s->sub[s->depth - 1]) < 0)
			return -1;
		s->depth--;
		s->sub[s->depth - 1] = up;
		s->height[s->depth - 1]++;
	}
	s->size++;
	return 0;
}

int merkle_stream_root(const struct merkle_stream *s, struct merkle_hash *out)
{
	struct merkle_hash r;

	if (s->depth == 0)
		return merkle_root(out, NULL, 0);
	r = s->sub[s->depth - 1];
	for (size_t i = s->depth - 1; i-- > 0;)
		if (node(&r, &s->sub[i], &r) < 0)
			return -1;
	*out = r;
	return 0;
}

static int push(struct merkle_hash *path, size_t *np, const struct merkle_hash *leaves,
		size_t n)
{
	if (*np >= MERKLE_MAX_PATH)
		return -1;
	return merkle_root(&path[(*np)++], leaves, n);
}

/* PATH(m, D[n]): sibling hashes, deepest first. */
static int audit_path(struct merkle_hash *path, size_t *np,
		      const struct merkle_hash *d, size_t n, size_t m)
{
	size_t k;

	if (n <= 1)
		return 0;
	k = split(n);
	if (m < k)
		return audit_path(path, np, d, k, m) < 0 ? -1 :
		       push(path, np, d + k, n - k);
	return audit_path(path, np, d + k, n - k, m - k) < 0 ? -1 :
	       push(path, np, d, k);
}

/* SUBPROOF(m, D[n], b). */
static int subproof(struct merkle_hash *path, size_t *np,
		    const struct merkle_hash *d, size_t n, size_t m, int b)
{
	size_t k;

	if (m == n)
		return b ? 0 : push(path, np, d, n);
	k = split(n);
	if (m <= k)
		return subproof(path, np, d, k, m, b) < 0 ? -1 :
		       push(path, np, d + k, n - k);
	return subproof(path, np, d + k, n - k, m - k, 0) < 0 ? -1 :
	       push(path, np, d, k);
}

int merkle_inclusion_proof(struct merkle_hash *path, size_t *npath,
			   const struct merkle_hash *leaves, size_t n,
			   size_t index, struct custos_err *err)
{
	*npath = 0;
	if (index >= n)
		return err_set(err, CUSTOS_EUSAGE, NULL, "leaf %zu is not in a tree "
			       "of %zu leaves", index, n);
	if (audit_path(path, npath, leaves, n, index) < 0)
		return err_set(err, CUSTOS_EINTERNAL, NULL, "cannot hash a proof");
	return 0;
}

int merkle_consistency_proof(struct merkle_hash *path, size_t *npath,
			     const struct merkle_hash *leaves, size_t n,
			     size_t m, struct custos_err *err)
{
	*npath = 0;
	if (m == 0 || m > n)
		return err_set(err, CUSTOS_EUSAGE, NULL, "no consistency proof "
			       "from %zu to %zu leaves", m, n);
	if (subproof(path, npath, leaves, n, m, 1) < 0)
		return err_set(err, CUSTOS_EINTERNAL, NULL, "cannot hash a proof");
	return 0;
}

bool merkle_inclusion_verify(const struct merkle_hash *leaf, size_t index,
			     size_t size, const struct merkle_hash *path,
			     size_t npath, const struct merkle_hash *root)
{
	struct merkle_hash r = *leaf;
	size_t fn = index, sn;

	if (index >= size)
		return false;
	sn = size - 1;
	for (size_t i = 0; i < npath; i++) {
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			if (node(&r, &path[i], &r) < 0)
				return false;
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else if (node(&r, &r, &path[i]) < 0) {
			return false;
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r.b, root->b, MERKLE_HASH) == 0;
}

static bool is_pow2(size_t x)
{
	return x && !(x & (x - 1));
}

bool merkle_consistency_verify(size_t m, size_t n,
			       const struct merkle_hash *root_m,
			       const struct merkle_hash *root_n,
			       const struct merkle_hash *path, size_t npath)
{
	struct merkle_hash fr, sr;
	size_t fn, sn, i = 0;

	if (m == 0 || m > n)
		return false;
	if (m == n)
		return npath == 0 && !memcmp(root_m->b, root_n->b, MERKLE_HASH);
	if (npath == 0)
		return false;
	fn = m - 1;
	sn = n - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	/* a power-of-two M: the old root itself starts the path */
	fr = sr = is_pow2(m) ? *root_m : path[i++];
	for (; i < npath; i++) {
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			if (node(&fr, &path[i], &fr) < 0 || node(&sr, &path[i], &sr) < 0)
				return false;
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else if (node(&sr, &sr, &path[i]) < 0) {
			return false;
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && !memcmp(fr.b, root_m->b, MERKLE_HASH) &&
	       !memcmp(sr.b, root_n->b, MERKLE_HASH);
}

void merkle_hex(char out[2 * MERKLE_HASH + 1], const struct merkle_hash *h)
{
	text_to_hex(out, h->b, MERKLE_HASH);
}

int merkle_unhex(struct merkle_hash *out, const char *hex)
{
	if (strlen(hex) != 2 * MERKLE_HASH)
		return -1;
	for (size_t i = 0; i < MERKLE_HASH; i++) {
		int hi = text_hexval(hex[2 * i]), lo = text_hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out->b[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
