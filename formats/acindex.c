/*
 * formats/acindex.c - Aho-Corasick prefilter as a dense DFA of 16-bit
 * states (at most 65535 states, 512 bytes each). Keys are at most
 * AC_KEY_MAX bytes, chosen inside each ByteSequence's longest anchor to
 * avoid runs of 00/FF; identical keys are shared.
 */
#include "formats/acindex.h"

#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "core/text.h"

#define AC_MAX_STATES 65535u

struct ac_index {
	uint16_t *delta;            /* nstates * 256 */
	int32_t *own;               /* key ending here, -1 none */
	uint16_t *dict;             /* next state on the fail chain with a key */
	uint8_t *hasout;
	size_t nstates, nkeys;
};

struct keyref {
	const unsigned char *bytes;
	size_t len;
};

static int key_score(const unsigned char *b, size_t n)
{
	unsigned char seen[256] = { 0 };
	int score = 0;

	for (size_t i = 0; i < n; i++) {
		if (!seen[b[i]]++)
			score += 4;
		if (b[i] == 0x00)
			score -= 3;
		else if (b[i] == 0xff)
			score -= 2;
	}
	return score;
}

/* The best window of at most KMAX bytes in the longest anchor of BS. */
static struct keyref pick_key(const struct sig_byteseq *bs, size_t kmax)
{
	struct keyref best = { NULL, 0 };
	const struct sig_subseq *ss = NULL;
	int bscore = -1000000;

	for (uint32_t k = 0; k < bs->nsubs; k++)
		if (!ss || bs->subs[k].alen > ss->alen)
			ss = &bs->subs[k];
	if (!ss || !ss->alen)
		return best;
	if (ss->alen <= kmax) {
		best.bytes = ss->anchor;
		best.len = ss->alen;
		return best;
	}
	for (size_t off = 0; off + kmax <= ss->alen; off++) {
		int sc = key_score(ss->anchor + off, kmax);

		if (sc > bscore) {
			bscore = sc;
			best.bytes = ss->anchor + off;
			best.len = kmax;
		}
	}
	return best;
}

static int trie_insert(struct ac_index *ac, const unsigned char *k, size_t n,
		       int32_t key)
{
	size_t st = 0;

	for (size_t i = 0; i < n; i++) {
		uint16_t *slot = &ac->delta[st * 256 + k[i]];

		if (!*slot) {
			if (ac->nstates >= AC_MAX_STATES)
				return -1;
			*slot = (uint16_t)ac->nstates++;
		}
		st = *slot;
	}
	ac->own[st] = key;
	return 0;
}

/* BFS: fail links folded into delta, dictionary links for outputs. */
static int ac_finish(struct ac_index *ac)
{
	uint16_t *queue = malloc(ac->nstates * sizeof(*queue));
	uint16_t *fail = calloc(ac->nstates, sizeof(*fail));
	size_t qh = 0, qt = 0;

	if (!queue || !fail) {
		free(queue);
		free(fail);
		return -1;
	}
	for (int c = 0; c < 256; c++)
		if (ac->delta[c])
			queue[qt++] = ac->delta[c];
	while (qh < qt) {
		uint16_t s = queue[qh++];
		uint16_t f = fail[s];

		ac->dict[s] = ac->own[f] >= 0 ? f : ac->dict[f];
		ac->hasout[s] = ac->own[s] >= 0 || ac->dict[s];
		for (int c = 0; c < 256; c++) {
			uint16_t *slot = &ac->delta[(size_t)s * 256 + c];

			if (*slot) {
				fail[*slot] = ac->delta[(size_t)f * 256 + c];
				queue[qt++] = *slot;
			} else {
				*slot = ac->delta[(size_t)f * 256 + c];
			}
		}
	}
	free(queue);
	free(fail);
	return 0;
}

static void ac_release(struct ac_index *ac)
{
	free(ac->delta);
	free(ac->own);
	free(ac->dict);
	free(ac->hasout);
	memset(ac, 0, sizeof(*ac));
}

static int ac_alloc(struct ac_index *ac, size_t states)
{
	ac->delta = calloc(states * 256, sizeof(*ac->delta));
	ac->own = malloc(states * sizeof(*ac->own));
	ac->dict = calloc(states, sizeof(*ac->dict));
	ac->hasout = calloc(states, 1);
	if (!ac->delta || !ac->own || !ac->dict || !ac->hasout)
		return -1;
	for (size_t i = 0; i < states; i++)
		ac->own[i] = -1;
	ac->nstates = 1;
	return 0;
}

static void hexkey(char *out, const struct keyref *k)
{
	text_to_hex(out, k->bytes, k->len);
}

/* Assign keys with at most KMAX bytes; -1 if the states overflow. */
static int ac_try(struct ac_index *ac, struct sigset *s, size_t kmax,
		  struct strmap *ids, intptr_t *nkeys)
{
	char hex[2 * AC_KEY_MAX + 1];
	size_t maxstates = 1;

	for (uint32_t i = 0; i < s->ninternals; i++)
		for (uint32_t j = 0; j < s->internals[i].nseqs; j++)
			maxstates += pick_key(&s->internals[i].seqs[j], kmax).len;
	if (maxstates > AC_MAX_STATES)
		maxstates = AC_MAX_STATES;
	if (ac_alloc(ac, maxstates))
		return -2;
	for (uint32_t i = 0; i < s->ninternals; i++)
		for (uint32_t j = 0; j < s->internals[i].nseqs; j++) {
			struct sig_byteseq *bs = &s->internals[i].seqs[j];
			struct keyref k = pick_key(bs, kmax);
			void *v;

			bs->key = -1;
			if (!k.len)
				continue;
			hexkey(hex, &k);
			v = strmap_get(ids, hex);
			if (v) {
				bs->key = (int32_t)((intptr_t)v - 1);
				continue;
			}
			if (trie_insert(ac, k.bytes, k.len, (int32_t)*nkeys))
				return -1;
			if (strmap_put(ids, hex, (void *)(*nkeys + 1)))
				return -2;
			bs->key = (int32_t)(*nkeys)++;
		}
	return 0;
}

int ac_build(struct ac_index **out, struct sigset *s, struct custos_err *err)
{
	struct ac_index *ac = calloc(1, sizeof(*ac));

	*out = NULL;
	if (!ac)
		return err_nomem(err);
	for (size_t kmax = AC_KEY_MAX; kmax >= 2; kmax--) {
		struct strmap *ids = strmap_new();
		intptr_t nkeys = 0;
		int rc = ids ? ac_try(ac, s, kmax, ids, &nkeys) : -2;

		strmap_free(ids);
		if (rc == 0 && ac_finish(ac) == 0) {
			ac->nkeys = (size_t)nkeys;
			*out = ac;
			return 0;
		}
		ac_release(ac);
		if (rc == -2)
			break;
	}
	free(ac);
	return err_set(err, CUSTOS_ELIMIT, NULL,
		       "signature set too large for the prefilter (%u signatures)",
		       s->ninternals);
}

size_t ac_nkeys(const struct ac_index *ac)
{
	return ac->nkeys;
}

void ac_scan(const struct ac_index *ac, const unsigned char *buf, size_t len,
	     uint64_t *seen)
{
	const uint16_t *delta = ac->delta;
	size_t st = 0;

	for (size_t i = 0; i < len; i++) {
		st = delta[st * 256 + buf[i]];
		if (ac->hasout[st]) {
			for (size_t k = st; k; k = ac->dict[k])
				if (ac->own[k] >= 0)
					seen[ac->own[k] >> 6] |=
						1ull << (ac->own[k] & 63);
		}
	}
}

void ac_free(struct ac_index *ac)
{
	if (!ac)
		return;
	ac_release(ac);
	free(ac);
}
