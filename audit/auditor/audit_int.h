/*
 * audit/auditor/audit_int.h - what the files of the auditor share: the run
 * context (budget, rate, results under a lock) and the per-copy state.
 * Not a public header.
 */
#ifndef CUSTOS_AUDIT_AUDITOR_AUDIT_INT_H
#define CUSTOS_AUDIT_AUDITOR_AUDIT_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "audit/auditor/audit.h"
#include "preserve/catalog/catalog_audit.h"

#define AUDIT_TAGFILE_MAX (256u << 20)   /* largest tag file read whole */
#define AUDIT_NOTE_MAX (4u << 20)        /* largest event outcome note */

/* The whole run. */
struct audit_ctx {
	struct repo *r;
	const struct audit_opts *o;
	struct audit_result *res;
	char started[32];
	double t0;                /* monotonic seconds at the start */
	double deadline;          /* 0: none */
	uint64_t budget_left;     /* UINT64_MAX: none */
	uint64_t rng;             /* xorshift state for the sample */
	unsigned workers;
	pthread_mutex_t lock;     /* res, bytes_read, budget, rng, stop */
	pthread_mutex_t catlock;  /* the catalog connection */
	uint64_t bytes_read;      /* for the rate limit */
	bool stop;                /* the time budget ran out */
};

/* Per-file outcome in a copy audit. */
enum audit_file_mark {
	MARK_NONE = -1,           /* not read in this run */
	MARK_VERIFIED = -2,
	/* >= 0: an enum audit_state */
};

/* One copy being audited. */
struct audit_copy {
	struct audit_ctx *a;
	const struct catalog_audit_copy *cp;
	size_t loc;
	struct location *l;
	char vpath[200];          /* "ID/vN" */
	struct catalog_audit_file *files;
	size_t nfiles;
	signed char *mark;        /* per catalog file */
	bool *sampled;            /* read as part of the random sample */
	bool *selected;           /* to be read in this run */
	size_t *slice;            /* indices to read, in order */
	size_t nslice;
	size_t first_finding;     /* index into res->findings */
	size_t sample_only;       /* >0: read only this many random files */
	bool unavailable;
	bool tags_ok;
	char fix_uuid[40];        /* this run's fixity event of the copy */
};

double audit_clock(void);

/* result.c: append a finding (takes the lock). 0, or -1 on OOM. */
int audit_add_finding(struct audit_ctx *a, const struct audit_copy *c,
		      const char *path, enum audit_state s, const char *expected,
		      const char *actual, const char *why);
/* The same for a move to MOVED_TO; CANDS (N >= 2) when ambiguous. */
int audit_add_move(struct audit_ctx *a, const struct audit_copy *c,
		   const char *path, const char *hex, const char *why,
		   const char *moved_to, const char *const *cands, size_t n);
/* True if finding F is about copy C. */
bool audit_finding_of(const struct audit_finding *f, const struct audit_copy *c);
/* The same, leaving out what is no damage (AUDIT_NOT_CHECKED). */
bool audit_damage_of(const struct audit_finding *f, const struct audit_copy *c);

/* read.c: read RELPATH of L once, computing every digest in MASK, at the
 * run's rate. 0, 1 if absent, 2 if the time budget ran out while reading
 * (nothing is concluded), -1 with *err (unreadable). */
int audit_read_file(struct audit_ctx *a, struct location *l, const char *relpath,
		    digest_mask mask, struct digest_result *res, uint64_t *size,
		    struct custos_err *err);
/* Read a small file whole (at most MAX bytes). 0, 1 absent, -1. */
int audit_read_small(struct location *l, const char *relpath, size_t max,
		     char **out, size_t *len, struct custos_err *err);

/* classify.c */
bool audit_is_tag_file(const char *relpath);
struct audit_missing {
	const char *path;
	uint64_t size;
	const char *hex;          /* the catalog digest (audit algorithm) */
	long match;               /* first extra with that content, or -1 */
	size_t ncand;             /* how many extras hold it */
	size_t shared;            /* other missing files with that content */
};
struct audit_extra {
	const char *path;
	uint64_t size;
	const char *hex;          /* NULL: not read (no missing file of its size) */
	bool claimed;             /* explained as where a missing file went */
};
/* Match missing files with extras of the same size and content; empty
 * files never match. X is sorted in place (by size, digest, path).
 * 0, or -1 out of memory. */
int audit_classify_moves(struct audit_missing *m, size_t nm,
			 struct audit_extra *x, size_t nx);
/* True if the match of M is ambiguous. */
bool audit_move_ambiguous(const struct audit_missing *m);

/* verify.c: audit one copy (files, completeness, tags). 0, or -1 on a
 * failure that stops the run (out of memory, catalog). */
int audit_copy_verify(struct audit_copy *c, struct custos_err *err);
void audit_copy_release(struct audit_copy *c);

/* tags.c: check the copy's own manifests, tag manifests and bag-info
 * against the catalog and the files; add tag-invalid findings. */
int audit_copy_tags(struct audit_copy *c, const char *const *listing,
		    size_t nlisting, struct custos_err *err);

/* select.c: choose the files of C to read within the budget, plus the
 * policy's random sample. */
int audit_copy_select(struct audit_copy *c, struct custos_err *err);
/* How many of N files the sample takes: each with the policy's share. */
size_t audit_sample_count(struct audit_ctx *a, uint64_t n);

/* evidence.c: the copy's fixity event and file checks (one transaction). */
int audit_copy_record(struct audit_copy *c, struct custos_err *err);
int audit_run_record_start(struct audit_ctx *a, struct custos_err *err);
int audit_run_record_end(struct audit_ctx *a, struct custos_err *err);

/* strays.c: unexpected files of location LOC outside every catalog
 * version (--all). 0, or -1 on OOM / catalog failure. */
int audit_strays(struct audit_ctx *a, size_t loc, struct custos_err *err);

/* What the run remembers of each copy it audited (for repair). */
struct audit_done {
	int64_t copy_id, version_id;
	char *ident;
	int version;
	size_t loc;
	int64_t cycle;
	bool available, tags_ok;
	size_t nfindings;         /* findings of this copy */
	char fix_uuid[40];
};

/* repair.c: repair the findings of copy D from other copies of the same
 * version audited in this run (DONE[0..N)). */
int audit_copy_repair(struct audit_ctx *a, struct audit_done *d,
		      struct audit_done *done, size_t n, struct custos_err *err);

#endif
