/*
 * preserve/catalog/catalog_dedup.h - is this content already held? The
 * versions (of any object) whose payload is the same as one version's:
 * the same paths, sizes and digests, so the same payload manifest. Ingest
 * warns with it; nothing is refused.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_DEDUP_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_DEDUP_H

#include "core/err.h"

struct catalog;

/* Called once per other version with the same payload. 0 goes on. */
typedef int (*catalog_same_fn)(void *arg, const char *ident, int number);

/* Each version other than NUMBER of IDENT whose payload equals it, by
 * identifier and number. Digests are compared where both versions hold
 * one (at least one must be held by both, and every shared one equal).
 * 0 (or FN's stop value), or -1 with ERR. */
int catalog_same_payload(struct catalog *c, const char *ident, int number,
			 catalog_same_fn fn, void *arg, struct custos_err *err);

#endif
