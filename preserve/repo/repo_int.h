/*
 * preserve/repo/repo_int.h - the inside of a repository handle, for the
 * files of preserve/repo/ only. Everything outside uses repo.h's accessors.
 */
#ifndef CUSTOS_PRESERVE_REPO_REPO_INT_H
#define CUSTOS_PRESERVE_REPO_REPO_INT_H

#include "preserve/repo/repo.h"

struct repo {
	char *root;                 /* absolute */
	char *id;                   /* the repository id (meta
				     * "repository-id"); NULL if older */
	struct policy *policy;
	struct catalog *cat;
	struct location **locs;     /* in policy order; [0] is the primary */
	int64_t *loc_ids;           /* catalog ids, parallel to locs */
	size_t nlocs;
	size_t unrecovered;         /* intents recover left for later */
	int lockfd;                 /* -1 when opened read-only */
	struct fmt_identifier *formats;  /* loaded on first use */
	bool catalog_was_empty;     /* custos.db was 0 bytes when opened */
};

/* The repository at PATH without its catalog: the lock, the policy in
 * force and the locations (custos rebuild makes the catalog). */
int repo_open_storage(struct repo **out, const char *path, struct custos_err *err);
/* Make the catalog's location rows say what the policy declares. */
int repo_sync_locations(struct repo *r, struct custos_err *err);

#endif
