/*
 * preserve/repo/rebuild.h - custos rebuild: a new catalog made from the
 * storage locations alone. The whole event log comes from the log mirrored
 * in the locations (logmirror.h) and must verify and reach the newest head
 * found; the policy history from the policies kept beside it; objects and
 * versions from the ingestion events; every file with its digests and
 * format record from the bag of each version (manifests, metadata/
 * formats.tsv, bag-info.txt); copies from what each location holds, with
 * their last verification from the fixity events. Every location that can
 * be read is read; what one lacks is taken from another and reported as a
 * gap. Nothing is written into storage. Files are streamed (memory does
 * not grow with their number).
 */
#ifndef CUSTOS_PRESERVE_REPO_REBUILD_H
#define CUSTOS_PRESERVE_REPO_REBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "core/progress.h"

struct rebuild_opts {
	bool force;                   /* replace custos.db, moved aside first */
	struct progress *progress;    /* files done; may be NULL */
	/* Each gap found (a location lost, short or damaged); may be NULL. */
	void (*gap)(void *arg, const char *message);
	void *gap_arg;
};

struct rebuild_result {
	int64_t events;               /* events restored */
	int64_t head_size;            /* the newest head found */
	char head_location[128];      /* where the log was read from */
	size_t objects, versions, copies, copies_missing, gaps;
	uint64_t files;
	char moved_aside[4200];       /* the old catalog's new name, or "" */
};

/* Make the catalog of the repository at PATH anew from its locations. */
int repo_rebuild(const char *path, const struct rebuild_opts *o,
		 struct rebuild_result *res, struct custos_err *err);

#endif
