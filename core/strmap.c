/*
 * core/strmap.c - FNV-1a hashed, linearly probed, grown at 50% load.
 * Tuned for manifest work: one insert and a few lookups per file.
 */
#include "core/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	char *key;             /* NULL = empty */
	void *value;
	uint64_t hash;
};

struct strmap {
	struct slot *slots;
	size_t cap;            /* power of two */
	size_t count;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

struct strmap *strmap_new(void)
{
	struct strmap *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

static struct slot *find_slot(struct slot *slots, size_t cap, const char *key,
			      uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].key) {
		if (slots[i].hash == h && strcmp(slots[i].key, key) == 0)
			return &slots[i];
		i = (i + 1) & (cap - 1);
	}
	return &slots[i];
}

static int grow(struct strmap *m)
{
	size_t ncap = m->cap * 2;
	struct slot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		struct slot *s = &m->slots[i];

		if (s->key)
			*find_slot(ns, ncap, s->key, s->hash) = *s;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int strmap_put(struct strmap *m, const char *key, void *value)
{
	uint64_t h = hash_str(key);
	struct slot *s;

	if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
		return -1;
	s = find_slot(m->slots, m->cap, key, h);
	if (!s->key) {
		s->key = strdup(key);
		if (!s->key)
			return -1;
		s->hash = h;
		m->count++;
	}
	s->value = value;
	return 0;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	struct slot *s = find_slot(m->slots, m->cap, key, hash_str(key));

	return s->key ? s->value : NULL;
}

size_t strmap_count(const struct strmap *m)
{
	return m->count;
}

int strmap_next(const struct strmap *m, size_t *pos, const char **key,
		void **value)
{
	while (*pos < m->cap) {
		struct slot *s = &m->slots[(*pos)++];

		if (s->key) {
			*key = s->key;
			*value = s->value;
			return 1;
		}
	}
	return 0;
}

void strmap_free(struct strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}
