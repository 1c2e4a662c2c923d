/*
 * preserve/bagit/bagsrc_dir.c - a bag that is a directory. Files are opened
 * beneath the bag root only (no symlink anywhere on the path) and read
 * once each, many at a time, through the worker pool.
 */
#include "preserve/bagit/bagsrc_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "core/fileio.h"
#include "core/pool.h"
#include "core/walk.h"

struct dir_impl {
	int rootfd;
};

static int on_entry(void *arg, const struct walk_entry *e,
		    struct custos_err *err)
{
	struct bagsrc *s = arg;
	struct dir_impl *d = s->impl;
	enum bag_entry_type type;
	char *path = strdup(e->relpath), *target = NULL;

	if (!path)
		return err_nomem(err);
	switch (e->type) {
	case WALK_FILE: type = BAG_ENTRY_FILE; break;
	case WALK_DIR: type = BAG_ENTRY_DIR; break;
	case WALK_SYMLINK: type = BAG_ENTRY_SYMLINK; break;
	default: type = BAG_ENTRY_OTHER; break;
	}
	if (type == BAG_ENTRY_SYMLINK) {
		char buf[PATH_MAX];
		ssize_t n = readlinkat(d->rootfd, e->relpath, buf, sizeof(buf) - 1);

		buf[n < 0 ? 0 : n] = '\0';
		target = strdup(buf);
		if (!target) {
			free(path);
			return err_nomem(err);
		}
	}
	if (bagsrc_add_entry(s, path, type, e->size, target) < 0)
		return err_nomem(err);
	return 0;
}

static int dir_inventory(struct bagsrc *s, struct problems *r,
			 struct custos_err *err)
{
	(void)r;
	if (walk_tree(s->path, "", on_entry, s, err) < 0)
		return -1;
	bagsrc_sort_entries(s);
	return 0;
}

/* Open tag file RELPATH; refuse it by its size before anything is read.
 * The fd, or -1 (with sys_errno ENOENT when it is absent). */
static int open_tag(struct bagsrc *s, const char *relpath, size_t max,
		    struct custos_err *err)
{
	struct dir_impl *d = s->impl;
	int fd = fio_open_beneath(d->rootfd, relpath, relpath, err);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && (uint64_t)st.st_size > max) {
		close(fd);
		return err_set(err, CUSTOS_ELIMIT, relpath,
			       "'%s' is larger than %zu bytes", relpath, max);
	}
	return fd;
}

static int dir_read_tag(struct bagsrc *s, const char *relpath, size_t max,
			char **out, size_t *len, struct custos_err *err)
{
	int fd = open_tag(s, relpath, max, err);
	int rc;

	if (fd < 0)
		return err->sys_errno == ENOENT ? 1 : -1;
	rc = fio_read_fd(out, len, fd, max, relpath, err);
	close(fd);
	return rc;
}

/* Counts the bytes passed on, refusing more than MAX (a file that grows). */
struct bounded_sink {
	const struct fio_sink *to;
	size_t max, seen;
	const char *shown;
};

static int bounded_block(void *arg, const unsigned char *buf, size_t len,
			 struct custos_err *err)
{
	struct bounded_sink *b = arg;

	b->seen += len;
	if (b->seen > b->max)
		return err_set(err, CUSTOS_ELIMIT, b->shown,
			       "'%s' is larger than %zu bytes", b->shown, b->max);
	return b->to->block(b->to->arg, buf, len, err);
}

static int dir_stream_tag(struct bagsrc *s, const char *relpath, size_t max,
			  const struct fio_sink *sink, struct custos_err *err)
{
	struct bounded_sink b = { sink, max, 0, relpath };
	struct fio_sink bs = { bounded_block, &b };
	unsigned char *buf;
	int fd = open_tag(s, relpath, max, err), rc;

	if (fd < 0)
		return err->sys_errno == ENOENT ? 1 : -1;
	if (!(buf = malloc(FIO_BUFSIZE))) {
		close(fd);
		return err_nomem(err);
	}
	rc = fio_readpass(fd, relpath, buf, FIO_BUFSIZE, NULL, &bs, NULL, err);
	free(buf);
	close(fd);
	return rc;
}

struct digest_run {
	struct bagsrc *s;
	struct bagsrc_job *jobs;
	unsigned char **bufs;             /* one read buffer per worker */
	struct digest_set **sets;         /* per worker, per mask cache of 2 */
};

static struct digest_set *set_for(struct digest_run *run, unsigned worker,
				  digest_mask want, struct custos_err *err)
{
	struct digest_set **slot = &run->sets[2 * worker];

	for (int k = 0; k < 2; k++)
		if (slot[k] && digest_set_mask(slot[k]) == want)
			return digest_set_reset(slot[k], err) < 0 ? NULL : slot[k];
	digest_set_free(slot[1]);
	slot[1] = slot[0];
	slot[0] = NULL;
	if (digest_set_new(&slot[0], want, err) < 0)
		return NULL;
	return slot[0];
}

static void job_fail(struct bagsrc_job *job, const struct custos_err *err)
{
	job->failed = 1;
	job->error = strdup(err->msg);
}

static int digest_one(void *ctx, size_t item, unsigned worker)
{
	struct digest_run *run = ctx;
	struct bagsrc_job *job = &run->jobs[item];
	struct dir_impl *d = run->s->impl;
	struct custos_err err;
	struct digest_set *ds;
	struct digest_result res;
	int fd;

	err_clear(&err);
	ds = set_for(run, worker, job->want, &err);
	if (!ds) {
		job_fail(job, &err);
		return 0;
	}
	fd = fio_open_beneath(d->rootfd, job->path, job->path, &err);
	if (fd < 0) {
		job_fail(job, &err);
		return 0;
	}
	if (fio_readpass(fd, job->path, run->bufs[worker], FIO_BUFSIZE, ds, NULL,
			 &job->nread, &err) < 0 ||
	    digest_set_final(ds, &res, &err) < 0)
		job_fail(job, &err);
	else if (bagsrc_job_keep(job, &res) < 0)
		job_fail(job, (err_nomem(&err), &err));
	progress_add(run->s->progress, 1, job->nread);
	close(fd);
	return 0;
}

static int dir_digest(struct bagsrc *s, struct bagsrc_job *jobs, size_t n,
		      unsigned workers, struct custos_err *err)
{
	struct digest_run run = { .s = s, .jobs = jobs };
	int rc = -1;

	if (workers > n)
		workers = n ? (unsigned)n : 1;
	run.bufs = calloc(workers, sizeof(*run.bufs));
	run.sets = calloc(2 * (size_t)workers, sizeof(*run.sets));
	if (!run.bufs || !run.sets)
		goto out;
	for (unsigned w = 0; w < workers; w++)
		if (!(run.bufs[w] = malloc(FIO_BUFSIZE)))
			goto out;
	pool_run(workers, n, digest_one, &run);
	rc = 0;
out:
	if (rc < 0)
		err_nomem(err);
	for (unsigned w = 0; run.bufs && w < workers; w++)
		free(run.bufs[w]);
	for (size_t k = 0; run.sets && k < 2 * (size_t)workers; k++)
		digest_set_free(run.sets[k]);
	free(run.bufs);
	free(run.sets);
	return rc;
}

static void dir_close(struct bagsrc *s)
{
	struct dir_impl *d = s->impl;

	if (d && d->rootfd >= 0)
		close(d->rootfd);
	free(d);
}

static const struct bagsrc_ops dir_ops = {
	dir_inventory, dir_read_tag, dir_stream_tag, dir_digest, dir_close, NULL,
};

int bagsrc_dir_open(struct bagsrc *s, struct custos_err *err)
{
	struct dir_impl *d = calloc(1, sizeof(*d));

	if (!d)
		return err_nomem(err);
	d->rootfd = open(s->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->rootfd < 0) {
		free(d);
		return err_sys(err, s->path, "cannot open bag '%s'", s->path);
	}
	s->impl = d;
	s->ops = &dir_ops;
	s->ser = BAG_SER_NONE;
	return 0;
}
