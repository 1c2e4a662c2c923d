/*
 * preserve/repo/rebuild_int.h - what the two halves of custos rebuild share:
 * rebuild.c (the log, the policies, the catalog file) and rebuild_bags.c
 * (the versions from their bags). Not a public header.
 */
#ifndef CUSTOS_PRESERVE_REPO_REBUILD_INT_H
#define CUSTOS_PRESERVE_REPO_REBUILD_INT_H

#include <stdbool.h>
#include "preserve/repo/rebuild.h"
#include "preserve/repo/repo_int.h"

struct rebuild {
	struct repo *r;                 /* policy, locations; cat: the new catalog */
	const struct rebuild_opts *o;
	struct rebuild_result *res;
	bool *avail;                    /* per location: could be read */
	char repository[64];            /* the identity the heads carry */
	struct custos_err *err;         /* where a callback's failure goes */
};

/* Report a gap (a location lost, short or damaged) and count it. */
void rebuild_gap(struct rebuild *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Every version the ingestion events name, from its bags. */
int rebuild_versions(struct rebuild *b, struct custos_err *err);

#endif
