/*
 * preserve/repo/replicate.c - making a copy of an object version in another
 * location from a verified copy: every file is streamed once (digest while
 * copying), payload digests must equal the catalog's (a damaged source is
 * never propagated), the copy is committed in one step, re-read when the
 * policy says so, and recorded with PREMIS replication + fixity events.
 */
#include "preserve/repo/repo_int.h"
#include "core/crashpoint.h"
#include "preserve/repo/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"
#include "core/strmap.h"

struct rep_ctx {
	struct repo *r;
	const char *vpath;                /* "ID/vN" */
	struct location_listing files;    /* in the source location */
	char (*hex)[DIGEST_HEX_MAX];      /* audit digest of each, as copied */
	struct strmap *expected;          /* "data/..." -> catalog digest */
	enum digest_alg alg;
};

/* Stream FROM's file I into the stage, digesting as it goes. */
static int copy_file(struct rep_ctx *rc, struct location *from,
		     struct location_txn *t, size_t i, unsigned char *buf,
		     struct custos_err *err)
{
	const char *path = rc->files.paths[i];
	const char *rel = path + strlen(rc->vpath) + 1;
	struct location_file *out = NULL;
	struct digest_set *ds = NULL;
	struct digest_result res;
	struct location_sink sink = { location_sink_write, NULL };
	const char *want;
	int rc_ = -1, orc;

	if (digest_set_new(&ds, DIGEST_BIT(rc->alg), err) < 0)
		return -1;
	if (location_txn_create(t, rel, &out, err) < 0)
		goto out;
	sink.arg = out;
	orc = location_read_through(from, path, buf, FIO_BUFSIZE, ds, &sink, NULL, err);
	if (orc == 1)
		err_set(err, CUSTOS_EIO, path, "'%s' vanished from '%s'", path,
			location_name(from));
	if (orc != 0 || digest_set_final(ds, &res, err) < 0)
		goto out;
	memcpy(rc->hex[i], res.hex[rc->alg], DIGEST_HEX_MAX);
	want = strmap_get(rc->expected, rel);
	if (want && strcmp(want, rc->hex[i])) {
		err_set(err, CUSTOS_EIO, path,
			"'%s' in location '%s' differs from the catalog (%s %s, expected %s); it was not copied",
			path, location_name(from), digest_name(rc->alg), rc->hex[i], want);
		goto out;
	}
	rc_ = 0;
out:
	if (out && location_file_close(out, rc_ < 0 ? NULL : err) < 0)
		rc_ = -1;
	digest_set_free(ds);
	return rc_;
}

/* Re-read the new copy and compare with what was copied. */
static int verify_copy(struct rep_ctx *rc, struct location *to,
		       unsigned char *buf, struct custos_err *err)
{
	for (size_t i = 0; i < rc->files.n; i++) {
		const char *path = rc->files.paths[i];
		struct digest_result res;
		int orc = location_digest(to, path, DIGEST_BIT(rc->alg), buf,
					  FIO_BUFSIZE, &res, NULL, err);

		if (orc == 1)
			return err_set(err, CUSTOS_EIO, path, "'%s' vanished from '%s'",
				       path, location_name(to));
		if (orc != 0)
			return -1;
		if (strcmp(res.hex[rc->alg], rc->hex[i]))
			return err_set(err, CUSTOS_EIO, path,
				       "'%s' reads back differently in location '%s'",
				       path, location_name(to));
	}
	return 0;
}

static int record(struct repo *r, const char *ident, int version,
		  int64_t vid, size_t from, size_t target, bool verified,
		  struct custos_err *err)
{
	char d[512];
	struct catalog_event rep = { .type = "rep", .outcome = "suc", .detail = d,
				     .object = ident, .version = version,
				     .location = location_name(r->locs[target]) };
	struct catalog_event fix = rep;
	char d2[256];

	snprintf(d, sizeof(d), "copied from location '%s' to '%s'",
		 location_name(r->locs[from]), location_name(r->locs[target]));
	snprintf(d2, sizeof(d2), "new copy re-read and verified (%s)",
		 digest_name(r->policy->audit_alg));
	fix.type = "fix";
	fix.detail = d2;
	if (catalog_begin(r->cat, err) < 0)
		return -1;
	if (catalog_copy_put(r->cat, vid, r->loc_ids[target], "ok", verified, err) < 0 ||
	    catalog_event_add(r->cat, &rep, NULL, err) < 0 ||
	    (verified && catalog_event_add(r->cat, &fix, NULL, err) < 0) ||
	    catalog_commit(r->cat, err) < 0) {
		catalog_rollback(r->cat);
		return -1;
	}
	return 0;
}

static void log_failure(struct repo *r, const char *ident, int version,
			size_t target, const struct custos_err *why)
{
	struct catalog_event e = { .type = "rep", .outcome = "fai",
				   .detail = why->msg, .object = ident,
				   .version = version,
				   .location = location_name(r->locs[target]) };
	struct custos_err ignored;

	if (catalog_begin(r->cat, &ignored) == 0) {
		if (catalog_event_add(r->cat, &e, NULL, &ignored) < 0 ||
		    catalog_commit(r->cat, &ignored) < 0)
			catalog_rollback(r->cat);
	}
}

int repo_replicate(struct repo *r, const char *ident, int version,
		   int64_t vid, size_t target, struct custos_err *err)
{
	struct rep_ctx rc = { .r = r, .alg = r->policy->audit_alg };
	struct location *to = r->locs[target];
	struct location_txn *t = NULL;
	struct custos_err local, ignored;
	unsigned char *buf = malloc(FIO_BUFSIZE);
	char vpath[200], txid[240];
	int ok = 0;

	if (!err)
		err = &local;
	if (!buf)
		return err_nomem(err);
	repo_version_path(vpath, sizeof(vpath), ident, version);
	snprintf(txid, sizeof(txid), "rep-%s-v%d", ident, version);
	rc.vpath = vpath;
	location_discard_stage(to, txid, &ignored);
	if (location_check(to, err) < 0 ||
	    catalog_version_digests(r->cat, vid, rc.alg, &rc.expected, err) < 0 ||
	    location_list_collect(r->locs[0], vpath, &rc.files, err) < 0)
		goto out;
	if (rc.files.n == 0) {
		err_set(err, CUSTOS_EIO, vpath, "no files of '%s' found in location '%s'",
			vpath, location_name(r->locs[0]));
		goto out;
	}
	if (!(rc.hex = calloc(rc.files.n, sizeof(*rc.hex)))) {
		err_nomem(err);
		goto out;
	}
	if (location_begin(to, vpath, txid, &t, err) < 0)
		goto out;
	for (size_t i = 0; i < rc.files.n; i++) {
		if (copy_file(&rc, r->locs[0], t, i, buf, err) < 0)
			goto out;
		crashpoint("replicate: file copied");
	}
	if (location_txn_commit(t, err) < 0)
		goto out;
	crashpoint("replicate: copy committed");
	if ((r->policy->verify_after_write && verify_copy(&rc, to, buf, err) < 0) ||
	    record(r, ident, version, vid, 0, target, r->policy->verify_after_write,
		   err) < 0)
		goto out;                /* abort removes the copy it placed */
	location_txn_free(t);
	t = NULL;
	ok = 1;
out:
	if (t)
		location_txn_abort(t);
	if (!ok)
		log_failure(r, ident, version, target, err);
	location_listing_release(&rc.files);
	catalog_digests_free(rc.expected);
	free(rc.hex);
	free(buf);
	return ok ? 0 : -1;
}
