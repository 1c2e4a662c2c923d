/*
 * preserve/repo/ingest_store.c - writing a deposit's files into the staged
 * version once: each block read from the source goes to the digests and to
 * the new file. Directories are read many files at a time (worker pool);
 * archives are read as one stream. Verification re-reads the copy.
 */
#include "preserve/repo/repo_int.h"
#include "core/crashpoint.h"
#include "preserve/repo/ingest_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/pool.h"
#include "core/strmap.h"

struct store_run {
	struct ingest_ctx *cx;
	int srcfd;
	unsigned char **bufs;
	struct fmt_scan **scans;     /* one per worker */
};

/* Every block read goes to the new file and to format identification. */
struct txn_sink {
	struct location_file *f;
	struct fmt_scan *scan;
};

static int sink_block(void *arg, const unsigned char *buf, size_t len,
		      struct custos_err *err)
{
	struct txn_sink *ts = arg;

	fmt_scan_block(ts->scan, buf, len);
	return location_file_write(ts->f, buf, len, err);
}

/* Keep the first match of the identification (all go to formats.tsv). */
static void take_format(struct ingest_item *it, struct fmt_scan *scan, int fd)
{
	const char *base = strrchr(it->bagpath, '/') + 1;
	struct fmt_result *res = malloc(sizeof(*res));
	struct custos_err ignored;

	if (!res)
		return;
	if (fmt_scan_finish(scan, base, it->size, fd, res, &ignored) == 0 &&
	    res->nmatches) {
		it->fmt = res->matches[0];
		it->nformats = res->nmatches;
	}
	free(res);
	fmt_scan_reset(scan);
}

/* Store one file of a directory source. */
static int store_one(void *ctx, size_t i, unsigned worker)
{
	struct store_run *run = ctx;
	struct ingest_item *it = &run->cx->items[i];
	struct digest_set *ds = NULL;
	struct txn_sink ts = { NULL, run->scans[worker] };
	struct fio_sink sink = { sink_block, &ts };
	int fd = -1;

	if (digest_set_new(&ds, run->cx->algs, &it->err) < 0 ||
	    (fd = fio_open_beneath(run->srcfd, it->src, it->src, &it->err)) < 0 ||
	    location_txn_create(run->cx->txn, it->bagpath + 0, &ts.f, &it->err) < 0 ||
	    fio_readpass(fd, it->src, run->bufs[worker], FIO_BUFSIZE, ds, &sink,
			 &it->size, &it->err) < 0 ||
	    digest_set_final(ds, &it->dig, &it->err) < 0)
		it->failed = 1;
	if (!it->failed)
		take_format(it, ts.scan, fd);
	if (ts.f && location_file_close(ts.f, it->failed ? NULL : &it->err) < 0)
		it->failed = 1;
	if (fd >= 0)
		close(fd);
	digest_set_free(ds);
	progress_add(run->cx->o->progress, 1, it->size);
	crashpoint("ingest: payload file stored");
	return it->failed;     /* stop handing out work after a failure */
}

static int store_dir(struct ingest_ctx *cx, struct custos_err *err)
{
	struct store_run run = { .cx = cx };
	unsigned jobs = cx->o->jobs ? cx->o->jobs : pool_default_workers();
	int rc = 0;

	if (jobs > cx->nitems)
		jobs = cx->nitems ? (unsigned)cx->nitems : 1;
	run.srcfd = open(cx->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (run.srcfd < 0)
		return err_sys(err, cx->root, "cannot open deposit '%s'", cx->root);
	run.bufs = calloc(jobs, sizeof(*run.bufs));
	run.scans = calloc(jobs, sizeof(*run.scans));
	for (unsigned w = 0; run.bufs && run.scans && w < jobs; w++)
		if (!(run.bufs[w] = malloc(FIO_BUFSIZE)) ||
		    fmt_scan_new(&run.scans[w], cx->fid, err) < 0)
			rc = -1;
	if (!run.bufs || !run.scans || rc < 0) {
		rc = err_nomem(err);
		goto out;
	}
	pool_run(jobs, cx->nitems, store_one, &run);
	for (size_t i = 0; i < cx->nitems; i++)
		if (cx->items[i].failed) {
			*err = cx->items[i].err;
			rc = -1;
			break;
		}
out:
	for (unsigned w = 0; run.bufs && w < jobs; w++)
		free(run.bufs[w]);
	for (unsigned w = 0; run.scans && w < jobs; w++)
		fmt_scan_free(run.scans[w]);
	free(run.bufs);
	free(run.scans);
	close(run.srcfd);
	return rc;
}

struct stream_arg {
	struct ingest_ctx *cx;
	unsigned char *buf;
	int bag_relative;
	struct fmt_scan *scan;
};

/* Store one entry of an archive source, as the stream passes it. */
static int store_entry(void *arg, const char *path, uint64_t size,
		       struct bagsrc_entry *rd, const char *kind,
		       struct custos_err *err)
{
	struct stream_arg *sa = arg;
	struct ingest_ctx *cx = sa->cx;
	struct ingest_item *it;
	struct digest_set *ds = NULL;
	struct location_file *f = NULL;
	char *bagpath = NULL;
	int rc = -1;

	if (kind)
		return err_set(err, CUSTOS_EFORMAT, path, "archive entry '%s' is %s",
			       path, kind);
	if (sa->bag_relative && strncmp(path, "data/", 5) != 0)
		return 0;                             /* a tag file: remade */
	if (sa->bag_relative ? !(bagpath = strdup(path)) :
	    asprintf(&bagpath, "data/%s", path) < 0)
		return err_nomem(err);
	if (ingest_add_item(cx, path, bagpath, size) < 0) {
		free(bagpath);
		return err_nomem(err);
	}
	free(bagpath);
	it = &cx->items[cx->nitems - 1];
	it->size = 0;
	if (digest_set_new(&ds, cx->algs, err) < 0 ||
	    location_txn_create(cx->txn, it->bagpath, &f, err) < 0)
		goto out;
	for (;;) {
		long long n = bagsrc_entry_read(rd, sa->buf, FIO_BUFSIZE, err);

		if (n < 0)
			goto out;
		if (n == 0)
			break;
		if (digest_set_update(ds, sa->buf, (size_t)n, err) < 0 ||
		    location_file_write(f, sa->buf, (size_t)n, err) < 0)
			goto out;
		fmt_scan_block(sa->scan, sa->buf, (size_t)n);
		it->size += (uint64_t)n;
	}
	rc = digest_set_final(ds, &it->dig, err);
	take_format(it, sa->scan, -1);     /* no seekable file: no containers */
	progress_add(cx->o->progress, 1, it->size);
	crashpoint("ingest: archive entry stored");
out:
	if (f && location_file_close(f, rc < 0 ? NULL : err) < 0)
		rc = -1;
	digest_set_free(ds);
	return rc;
}

int ingest_store_payload(struct ingest_ctx *cx, struct custos_err *err)
{
	struct stream_arg sa = { cx, NULL, cx->kind == INGEST_BAG_ARCHIVE, NULL };
	int rc;

	if (cx->kind != INGEST_ARCHIVE && cx->kind != INGEST_BAG_ARCHIVE) {
		uint64_t total = 0;

		for (size_t i = 0; i < cx->nitems; i++)
			total += cx->items[i].size;
		progress_total(cx->o->progress, cx->nitems, total);
		return store_dir(cx, err);
	}
	sa.buf = malloc(FIO_BUFSIZE);
	if (!sa.buf)
		return err_nomem(err);
	rc = fmt_scan_new(&sa.scan, cx->fid, err);
	if (rc == 0)
		rc = bagsrc_each_file(cx->bag, sa.bag_relative, store_entry, &sa, err);
	fmt_scan_free(sa.scan);
	free(sa.buf);
	return rc;
}

/* Re-read one stored file from L and compare its audit digest. */
static int verify_item(struct ingest_ctx *cx, struct location *l,
		       const struct ingest_item *it, unsigned char *buf,
		       struct custos_err *err)
{
	enum digest_alg alg = cx->r->policy->audit_alg;
	struct digest_result res;
	char path[4200];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", cx->dest, it->bagpath);
	rc = location_digest(l, path, DIGEST_BIT(alg), buf, FIO_BUFSIZE, &res, NULL, err);
	if (rc == 1)
		return err_set(err, CUSTOS_EIO, path,
			       "'%s' vanished from location '%s' right after it was written",
			       path, location_name(l));
	if (rc != 0)
		return -1;
	if (strcmp(res.hex[alg], it->dig.hex[alg]) != 0)
		return err_set(err, CUSTOS_EIO, path,
			       "'%s' reads back differently from what was written to location '%s' (%s %s, expected %s)",
			       path, location_name(l), digest_name(alg), res.hex[alg],
			       it->dig.hex[alg]);
	return 0;
}

int ingest_verify_copy(struct ingest_ctx *cx, struct location *l,
		       struct custos_err *err)
{
	unsigned char *buf = malloc(FIO_BUFSIZE);
	int rc = 0;

	if (!buf)
		return err_nomem(err);
	for (size_t i = 0; i < cx->nitems && rc == 0; i++)
		rc = verify_item(cx, l, &cx->items[i], buf, err);
	free(buf);
	return rc;
}
