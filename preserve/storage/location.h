/*
 * preserve/storage/location.h - a storage location: where one copy of every object
 * lives. Backend-neutral (docs/design.md, "The tree"): write files into
 * a staged area and commit them into place at once, open for reading as a
 * stream, stat, list, remove. No code outside a backend touches a
 * location's paths. Paths given here are relative to the location root,
 * '/'-separated ("obj-1/v1/data/a.txt").
 */
#ifndef CUSTOS_PRESERVE_STORAGE_LOCATION_H
#define CUSTOS_PRESERVE_STORAGE_LOCATION_H

#include <stddef.h>
#include <stdint.h>
#include "core/digest.h"
#include "core/err.h"

struct location;
struct location_txn;     /* files staged for one object version */
struct location_file;    /* a file open for reading or writing */

struct location_config {
	const char *name;        /* "primary" */
	const char *type;        /* "filesystem" (NULL = filesystem) */
	const char *path;        /* absolute root for filesystem locations */
	/* type "s3" (see location_s3.c): */
	const char *endpoint;    /* "https://host[:port]"; "https://BUCKET.host"
				  * = virtual-host style */
	const char *bucket;
	const char *prefix;      /* key prefix; NULL or "" = the bucket root */
	const char *region;      /* SigV4 region; NULL = us-east-1 */
	const char *credentials; /* absolute path of a credentials file, or
				  * NULL: AWS_ACCESS_KEY_ID/_SECRET_ACCESS_KEY */
	/* The id of the repository the location belongs to (NULL: not
	 * checked). A filesystem root is marked with it (.custos-location)
	 * when it is created or first found empty; check and create refuse
	 * a root marked for another repository, or holding files unmarked. */
	const char *owner;
};

/* Open a location. Does not require the root to be reachable yet. */
int location_open(struct location **out, const struct location_config *cfg,
		  struct custos_err *err);
const char *location_name(const struct location *l);
/* A human description of where it is ("/srv/store/primary"). */
const char *location_where(const struct location *l);
/* Create the root if missing (custos init), and mark it as the owner's. */
int location_create(struct location *l, struct custos_err *err);
/* 0 if the root is there, usable and the owner's; -1 with *err (storage
 * unavailable, or CUSTOS_EUSAGE: not this repository's). */
int location_check(struct location *l, struct custos_err *err);

/* Stage the tree DEST (e.g. "obj-1/v1"), which must not exist yet. The
 * transaction owns only what it made: its stage, and DEST once committed
 * (moved there without replacing anything). Abort removes exactly that;
 * a refused begin or commit leaves everything that was there. */
int location_begin(struct location *l,
		   const char *dest, const char *txid,
		   struct location_txn **out, struct custos_err *err);
/* Create RELPATH (relative to DEST) in the stage for writing. */
int location_txn_create(struct location_txn *t, const char *relpath,
			struct location_file **out, struct custos_err *err);
/* Make every staged byte durable, then move DEST into place atomically. */
int location_txn_commit(struct location_txn *t, struct custos_err *err);
/* Drop the stage, and DEST if this transaction committed it (also frees
 * T). Safe after a failed commit. */
void location_txn_abort(struct location_txn *t);
/* After commit, once the caller recorded the copy: DEST is kept for good
 * (the record that it was this transaction's goes). */
void location_txn_free(struct location_txn *t);

/* Remove a stage left by an interrupted transaction TXID (recover), and
 * the destination it committed but was never freed for; never a
 * destination it did not place itself. */
int location_discard_stage(struct location *l, const char *txid,
			   struct custos_err *err);

int location_file_write(struct location_file *f, const void *buf, size_t len,
			struct custos_err *err);
/* Read up to LEN bytes; returns bytes read (0 at the end) or -1. */
long long location_file_read(struct location_file *f, void *buf, size_t len,
			     struct custos_err *err);
/* Close; for a written file this makes it durable first. */
int location_file_close(struct location_file *f, struct custos_err *err);

/* Open RELPATH for reading. 0, 1 if it does not exist, -1 on error. */
int location_open_read(struct location *l, const char *relpath,
		       struct location_file **out, struct custos_err *err);
/* Receives each block location_read_through reads: 0 to go on, 1 to stop
 * early, -1 with *err to fail. */
struct location_sink {
	int (*block)(void *arg, const unsigned char *buf, size_t len,
		     struct custos_err *err);
	void *arg;
};

/* Read RELPATH from L once, to its end, in blocks of BUFSZ bytes of BUF:
 * each block goes to DS (may be NULL) and then SINK (may be NULL). *size
 * (may be NULL) gets the bytes read. 0 read to the end, 1 RELPATH is
 * absent, 2 the sink stopped, -1 error. DS is not finalized. */
int location_read_through(struct location *l, const char *relpath,
			  unsigned char *buf, size_t bufsz,
			  struct digest_set *ds, const struct location_sink *sink,
			  uint64_t *size, struct custos_err *err);

/* The MASK digests of RELPATH in *res, reading it once (as above).
 * 0, 1 if absent, -1 on error. */
int location_digest(struct location *l, const char *relpath, digest_mask mask,
		    unsigned char *buf, size_t bufsz, struct digest_result *res,
		    uint64_t *size, struct custos_err *err);

/* A location_sink block function that writes to the location_file ARG
 * (a file being staged): copy while reading. */
int location_sink_write(void *arg, const unsigned char *buf, size_t len,
			struct custos_err *err);

/* Size of RELPATH: 0, 1 if absent, -1 on error. */
int location_stat(struct location *l, const char *relpath, uint64_t *size,
		  struct custos_err *err);

/* Call FN for every file under PREFIX (relative path, size), sorted by
 * path. FN returns 0 to go on; non-zero stops the listing as out of
 * memory. */
typedef int (*location_list_fn)(void *arg, const char *relpath, uint64_t size);
int location_list(struct location *l, const char *prefix, location_list_fn fn,
		  void *arg, struct custos_err *err);

/* Every file under PREFIX, collected (paths relative to the location). */
struct location_listing {
	char **paths;
	uint64_t *sizes;
	size_t n, cap;
};
int location_list_collect(struct location *l, const char *prefix,
			  struct location_listing *out, struct custos_err *err);
void location_listing_release(struct location_listing *ls);

/* Move the staged file STAGED (relative to T's stage; written and closed)
 * to RELPATH (relative to the location root), replacing whatever is there
 * in one atomic step, and make that durable. T stays usable; abort it
 * afterwards to drop the rest of the stage. Used by audit repair. */
int location_txn_place(struct location_txn *t, const char *staged,
		       const char *relpath, struct custos_err *err);
/* Keep the file RELPATH also at KEEP_AS (a new path, e.g. under
 * ".custos-quarantine/"), durably and without reading it (so an
 * unreadable file can be kept too). 0, 1 if RELPATH is absent, -1. */
int location_keep(struct location *l, const char *relpath,
		  const char *keep_as, struct custos_err *err);

/* Remove the tree RELPATH (an object version, or a stray). */
int location_remove(struct location *l, const char *relpath,
		    struct custos_err *err);
/* True if RELPATH exists (file or tree). -1 on error. */
int location_exists(struct location *l, const char *relpath,
		    struct custos_err *err);

void location_free(struct location *l);   /* NULL ok */

#endif
