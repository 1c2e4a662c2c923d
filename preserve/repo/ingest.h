/*
 * preserve/repo/ingest.h - deposit a source into the repository
 * (docs/design.md, "How the main jobs flow"): a directory, a single file, a zip/tar archive, or a bag
 * (directory or serialized). Each source byte is read once: digests and
 * the staged copy come from the same buffers. A deposit that is a bag is
 * validated first and refused, with every problem named, if invalid. The
 * object becomes a BagIt 1.0 bag at ID/vN in the primary location, is
 * registered in one catalog transaction, then replicated and verified in
 * every other location. The source is never modified.
 */
#ifndef CUSTOS_PRESERVE_REPO_INGEST_H
#define CUSTOS_PRESERVE_REPO_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/progress.h"
#include "preserve/bagit/bagfacts.h"
#include "preserve/bagit/problems.h"
#include "preserve/repo/repo.h"

struct ingest_opts {
	const char *id;                 /* existing id: a new version */
	const struct bag_tag *info;     /* --info tags for non-bag deposits */
	size_t ninfo;
	const char *profile;            /* extra BagIt profile for bag deposits */
	unsigned jobs;                  /* 0: default */
	bool keep_system_files;         /* keep .DS_Store, Thumbs.db, ... of a
					   directory deposit (bagpath_is_system_file) */
	struct progress *progress;      /* files stored; may be NULL */
};

struct ingest_result {
	char ident[160];
	int version;
	uint64_t files, bytes;
	size_t copies;                  /* verified copies made */
	uint64_t system_files_left_out; /* OS junk names not deposited */
	struct problems refusal;          /* why a deposit was refused */
};

/* Ingest SRC. 0 stored; 1 refused (res->refusal says why, nothing was
 * stored); -1 with *err when it could not finish (the repository is left
 * consistent). Release RES with ingest_result_release. */
int repo_ingest(struct repo *r, const char *src, const struct ingest_opts *o,
		struct ingest_result *res, struct custos_err *err);
void ingest_result_release(struct ingest_result *res);

/* Copy version VERSION_ID (ID/vN) from the first verified location to
 * location index TARGET, verify it, record the copy and its events. */
int repo_replicate(struct repo *r, const char *ident, int version,
		   int64_t version_id, size_t target, struct custos_err *err);

#endif
