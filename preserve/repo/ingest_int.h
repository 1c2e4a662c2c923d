/*
 * preserve/repo/ingest_int.h - state shared by ingest.c (the flow),
 * ingest_source.c (what the deposit is and which files it holds) and
 * ingest_store.c (writing the files once, with their digests).
 */
#ifndef CUSTOS_PRESERVE_REPO_INGEST_INT_H
#define CUSTOS_PRESERVE_REPO_INGEST_INT_H

#include <stdbool.h>
#include "core/strmap.h"
#include "preserve/bagit/bagsrc.h"
#include "preserve/repo/ingest.h"

enum ingest_kind {
	INGEST_DIR,            /* a plain directory */
	INGEST_FILE,           /* one plain file */
	INGEST_ARCHIVE,        /* zip/tar/... that is not a bag */
	INGEST_BAG_DIR,        /* a bag directory */
	INGEST_BAG_ARCHIVE,    /* a serialized bag */
};

struct ingest_item {
	char *src;             /* path below the source root (dir kinds) */
	char *bagpath;         /* "data/..." in the stored bag */
	uint64_t size;
	struct digest_result dig;
	struct custos_err err;
	int failed;
	struct fmt_match fmt;        /* the first format match */
	size_t nformats;             /* 0 = unidentified */
};

struct ingest_ctx {
	struct repo *r;
	const struct ingest_opts *o;
	struct ingest_result *res;
	const char *src;
	enum ingest_kind kind;
	struct bagsrc *bag;            /* archive kinds */
	char *root;                    /* directory files are read below */
	struct ingest_item *items;
	size_t nitems, cap;
	struct bag_tag *tags;          /* bag-info of the stored bag */
	size_t ntags;
	digest_mask algs;
	struct location_txn *txn;
	const struct fmt_identifier *fid;
	/* a bag deposit's own payload digests, checked during the one read */
	struct strmap *expect[DIGEST_COUNT];   /* path -> hex */
	struct strmap *expect_fold[DIGEST_COUNT]; /* NFC+casefold(path) -> hex */
	digest_mask deposit_algs;
	bool refused;                  /* the deposit failed its own digests */
	/* the events that make the version: in its premis.xml and the log */
	struct ingest_event {
		char uuid[37], when[32];
		const char *type;
		char detail[1200];
	} events[4];
	size_t nevents;
	char dest[200];                /* "ID/vN" */
	char txid[40];
};

/* ingest_source.c: classify SRC, validate bags, list the files.
 * 0 ready, 1 refused (res->refusal), -1 error. */
int ingest_survey(struct ingest_ctx *cx, struct custos_err *err);
void ingest_ctx_release(struct ingest_ctx *cx);
int ingest_add_item(struct ingest_ctx *cx, const char *src,
		    const char *bagpath, uint64_t size);

/* ingest_source.c: compare what was read with the deposit's manifests;
 * mismatches go to res->refusal. Returns the number of mismatches. */
size_t ingest_check_deposit_digests(struct ingest_ctx *cx);

/* ingest_store.c: write every payload file into cx->txn once. */
int ingest_store_payload(struct ingest_ctx *cx, struct custos_err *err);
/* Re-read what was written (policy verify_after_write) from location L. */
int ingest_verify_copy(struct ingest_ctx *cx, struct location *l,
		       struct custos_err *err);

#endif
