/*
 * preserve/storage/location_fs.c - a location on a local or mounted filesystem.
 * A version is staged in ROOT/.custos-staging/TXID/ and renamed to its
 * final path in one step, after every file and directory was fsynced; a
 * crash leaves only a stage, which recover removes.
 */
#include "preserve/storage/location_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/walk.h"

#define STAGING ".custos-staging"
#define QUARANTINE ".custos-quarantine"   /* audit keeps damaged files here */

struct fs_location {
	char *root;
};

struct fs_file {
	struct location_file base;
	int fd;
	int writing;
	char *shown;
	uint64_t written;        /* bytes written so far */
	uint64_t flushed;        /* writeback started up to here */
};

/* Start writeback every this many bytes, so the fsync at close finds
 * little left to do: disk writes overlap hashing instead of following it. */
#define FS_WRITEBACK_STEP ((uint64_t)16 << 20)

struct fs_txn {
	struct location_txn base;
	struct fs_location *loc;
	char *stage;             /* ROOT/.custos-staging/TXID */
	char *dest;              /* ROOT/DEST */
};

static const struct location_ops fs_ops;

static char *root_join(const struct fs_location *fl, const char *rel)
{
	return *rel ? fio_join(fl->root, rel) : strdup(fl->root);
}

static int fs_create(struct location *l, struct custos_err *err)
{
	struct fs_location *fl = l->impl;

	return fio_mkdirs(fl->root, 0755, err);
}

static int fs_check(struct location *l, struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	struct stat st;

	if (stat(fl->root, &st) < 0)
		return err_sys(err, fl->root, "storage location '%s' is unavailable: '%s'",
			       l->name, fl->root);
	if (!S_ISDIR(st.st_mode))
		return err_set(err, CUSTOS_EIO, fl->root,
			       "storage location '%s' is unavailable: '%s' is not a directory",
			       l->name, fl->root);
	return 0;
}

static int fs_begin(struct location *l, const char *dest, const char *txid,
		    struct location_txn **out, struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	struct fs_txn *t = calloc(1, sizeof(*t));
	struct stat st;

	if (!t)
		return err_nomem(err);
	t->base.ops = &fs_ops;
	t->loc = fl;
	if (asprintf(&t->stage, "%s/%s/%s", fl->root, STAGING, txid) < 0 ||
	    !(t->dest = fio_join(fl->root, dest))) {
		t->stage = NULL;
		fs_ops.txn_abort(&t->base);
		return err_nomem(err);
	}
	if (lstat(t->dest, &st) == 0) {
		fs_ops.txn_abort(&t->base);
		return err_set(err, CUSTOS_EUSAGE, dest,
			       "'%s' already exists in location '%s'", dest, l->name);
	}
	if (fio_mkdirs(t->stage, 0755, err) < 0) {
		fs_ops.txn_abort(&t->base);
		return -1;
	}
	*out = &t->base;
	return 0;
}

static int fs_txn_create(struct location_txn *tb, const char *relpath,
			 struct location_file **out, struct custos_err *err)
{
	struct fs_txn *t = (struct fs_txn *)tb;
	struct fs_file *f = calloc(1, sizeof(*f));
	char *path = fio_join(t->stage, relpath), *slash;

	if (!f || !path) {
		free(f);
		free(path);
		return err_nomem(err);
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	if (fio_mkdirs(path, 0755, err) < 0) {
		free(f);
		free(path);
		return -1;
	}
	*slash = '/';
	f->base.ops = &fs_ops;
	f->writing = 1;
	f->shown = path;
	f->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (f->fd < 0) {
		err_sys(err, path, "cannot create '%s'", path);
		free(path);
		free(f);
		return -1;
	}
	*out = &f->base;
	return 0;
}

/* fsync every directory of the stage (files were synced on close). */
static int sync_dirs(void *arg, const struct walk_entry *e,
		     struct custos_err *err)
{
	const char *stage = arg;
	char *p;
	int rc = 0;

	if (e->type != WALK_DIR)
		return 0;
	p = fio_join(stage, e->relpath);
	if (!p)
		return err_nomem(err);
	rc = fio_fsync_dir(p, 1, err);
	free(p);
	return rc;
}

static int fs_txn_commit(struct location_txn *tb, struct custos_err *err)
{
	struct fs_txn *t = (struct fs_txn *)tb;
	char *parent = strdup(t->dest), *slash;
	int rc = -1;

	if (!parent)
		return err_nomem(err);
	slash = strrchr(parent, '/');
	*slash = '\0';
	if (walk_tree(t->stage, "", sync_dirs, t->stage, err) < 0 ||
	    fio_fsync_dir(t->stage, 1, err) < 0 ||
	    fio_mkdirs(parent, 0755, err) < 0)
		goto out;
	if (rename(t->stage, t->dest) < 0) {
		err_sys(err, t->dest, "cannot move the new copy into place at '%s'",
			t->dest);
		goto out;
	}
	rc = fio_fsync_dir(parent, 1, err);
	if (rc == 0)
		rc = fio_fsync_dir(t->stage, 0, err);  /* the staging dir */
out:
	free(parent);
	return rc;
}

static void fs_txn_free(struct location_txn *tb)
{
	struct fs_txn *t = (struct fs_txn *)tb;

	free(t->stage);
	free(t->dest);
	free(t);
}

static void fs_txn_abort(struct location_txn *tb)
{
	struct fs_txn *t = (struct fs_txn *)tb;
	struct custos_err ignored;

	if (t->stage)
		fio_remove_tree(t->stage, &ignored);
	fs_txn_free(tb);
}

static int fs_discard_stage(struct location *l, const char *txid,
			    struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	char *stage = NULL;
	int rc;

	if (asprintf(&stage, "%s/%s/%s", fl->root, STAGING, txid) < 0)
		return err_nomem(err);
	rc = fio_remove_tree(stage, err);
	free(stage);
	return rc;
}

static int fs_file_write(struct location_file *fb, const void *buf, size_t len,
			 struct custos_err *err)
{
	struct fs_file *f = (struct fs_file *)fb;

	if (fio_write_all(f->fd, buf, len, f->shown, err) < 0)
		return -1;
	f->written += len;
	if (f->written - f->flushed >= FS_WRITEBACK_STEP) {
		/* advisory: a failure here is caught by the fsync at close */
		(void)sync_file_range(f->fd, (off_t)f->flushed,
				      (off_t)(f->written - f->flushed),
				      SYNC_FILE_RANGE_WRITE);
		f->flushed = f->written;
	}
	return 0;
}

static long long fs_file_read(struct location_file *fb, void *buf, size_t len,
			      struct custos_err *err)
{
	struct fs_file *f = (struct fs_file *)fb;

	for (;;) {
		ssize_t n = read(f->fd, buf, len);

		if (n >= 0)
			return n;
		if (errno != EINTR)
			return err_sys(err, f->shown, "cannot read '%s'", f->shown);
	}
}

static int fs_file_close(struct location_file *fb, struct custos_err *err)
{
	struct fs_file *f = (struct fs_file *)fb;
	int rc = 0;

	if (f->writing && fsync(f->fd) < 0)
		rc = err_sys(err, f->shown, "cannot sync '%s'", f->shown);
	if (close(f->fd) < 0 && rc == 0 && f->writing)
		rc = err_sys(err, f->shown, "cannot close '%s'", f->shown);
	free(f->shown);
	free(f);
	return rc;
}

static int fs_open_read(struct location *l, const char *relpath,
			struct location_file **out, struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	struct fs_file *f = calloc(1, sizeof(*f));
	int rootfd;

	if (!f || !(f->shown = fio_join(fl->root, relpath))) {
		free(f);
		return err_nomem(err);
	}
	f->base.ops = &fs_ops;
	rootfd = open(fl->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	f->fd = rootfd < 0 ? -1 : fio_open_beneath(rootfd, relpath, f->shown, err);
	if (rootfd < 0)
		err_sys(err, fl->root, "storage location '%s' is unavailable: '%s'",
			l->name, fl->root);
	else
		close(rootfd);
	if (f->fd < 0) {
		int absent = rootfd >= 0 && err->sys_errno == ENOENT;

		free(f->shown);
		free(f);
		return absent ? 1 : -1;
	}
	(void)posix_fadvise(f->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	*out = &f->base;
	return 0;
}

static int fs_stat(struct location *l, const char *relpath, uint64_t *size,
		   struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	char *p = root_join(fl, relpath);
	struct stat st;
	int rc;

	if (!p)
		return err_nomem(err);
	if (lstat(p, &st) < 0)
		rc = errno == ENOENT ? 1 : err_sys(err, p, "cannot stat '%s'", p);
	else if (!S_ISREG(st.st_mode))
		rc = err_set(err, CUSTOS_EFORMAT, p, "'%s' is not a regular file", p);
	else {
		*size = (uint64_t)st.st_size;
		rc = 0;
	}
	free(p);
	return rc;
}

struct list_arg {
	location_list_fn fn;
	void *arg;
	const char *prefix;
};

static int list_entry(void *arg, const struct walk_entry *e,
		      struct custos_err *err)
{
	struct list_arg *la = arg;

	if (e->type == WALK_DIR &&
	    (!strcmp(e->relpath, STAGING) || !strcmp(e->relpath, QUARANTINE)))
		return 1;
	if (e->type != WALK_FILE)
		return 0;
	if (la->fn(la->arg, e->relpath, e->size))
		return err_set(err, CUSTOS_ENOMEM, e->relpath,
			       "listing stopped at '%s': out of memory", e->relpath);
	return 0;
}

static int fs_list(struct location *l, const char *prefix, location_list_fn fn,
		   void *arg, struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	struct list_arg la = { fn, arg, prefix };

	return walk_tree(fl->root, prefix, list_entry, &la, err);
}

/* Remove RELPATH, then the parents it leaves empty ("ID/" after its last
 * version), and sync the nearest directory that remains. */
static int fs_remove(struct location *l, const char *relpath,
		     struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	size_t rootlen = strlen(fl->root);
	char *p = fio_join(fl->root, relpath), *slash;
	struct stat st;
	int rc = 0;

	if (!p)
		return err_nomem(err);
	if (lstat(p, &st) == 0 && (rc = fio_remove_tree(p, err)) == 0) {
		for (;;) {
			slash = strrchr(p, '/');
			*slash = '\0';                 /* p: the parent */
			if ((size_t)(slash - p) <= rootlen || rmdir(p) < 0)
				break;                  /* p remains */
		}
		rc = fio_fsync_dir(p, 1, err);
	}
	free(p);
	return rc;
}

static int fs_exists(struct location *l, const char *relpath,
		     struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	char *p = fio_join(fl->root, relpath);
	struct stat st;
	int rc;

	if (!p)
		return err_nomem(err);
	rc = lstat(p, &st) == 0 ? 1 :
	     errno == ENOENT ? 0 : err_sys(err, p, "cannot stat '%s'", p);
	free(p);
	return rc;
}

/* mkdir -p the parent of PATH (modified in place, then restored). */
static int make_parent(char *path, struct custos_err *err)
{
	char *slash = strrchr(path, '/');
	int rc;

	*slash = '\0';
	rc = fio_mkdirs(path, 0755, err);
	*slash = '/';
	return rc;
}

static int sync_parent(char *path, struct custos_err *err)
{
	char *slash = strrchr(path, '/');
	int rc;

	*slash = '\0';
	rc = fio_fsync_dir(path, 1, err);
	*slash = '/';
	return rc;
}

static int fs_txn_place(struct location_txn *tb, const char *staged,
			const char *relpath, struct custos_err *err)
{
	struct fs_txn *t = (struct fs_txn *)tb;
	char *from = fio_join(t->stage, staged);
	char *to = fio_join(t->loc->root, relpath);
	int rc = -1;

	if (!from || !to) {
		err_nomem(err);
		goto out;
	}
	if (make_parent(to, err) < 0)
		goto out;
	if (rename(from, to) < 0) {
		err_sys(err, to, "cannot move the repaired file into place at '%s'", to);
		goto out;
	}
	rc = sync_parent(to, err);
out:
	free(from);
	free(to);
	return rc;
}

static int fs_keep(struct location *l, const char *relpath, const char *keep_as,
		   struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	char *from = fio_join(fl->root, relpath);
	char *to = fio_join(fl->root, keep_as);
	struct stat st;
	int rc = -1;

	if (!from || !to) {
		err_nomem(err);
		goto out;
	}
	if (lstat(from, &st) < 0) {
		rc = errno == ENOENT ? 1 : err_sys(err, from, "cannot stat '%s'", from);
		goto out;
	}
	if (make_parent(to, err) < 0)
		goto out;
	if (link(from, to) < 0) {
		err_sys(err, to, "cannot keep '%s' as '%s'", from, to);
		goto out;
	}
	rc = sync_parent(to, err);
out:
	free(from);
	free(to);
	return rc;
}

static void fs_free(struct location *l)
{
	struct fs_location *fl = l->impl;

	if (fl)
		free(fl->root);
	free(fl);
}

static const struct location_ops fs_ops = {
	.create = fs_create, .check = fs_check, .begin = fs_begin,
	.txn_create = fs_txn_create, .txn_commit = fs_txn_commit,
	.txn_abort = fs_txn_abort, .txn_free = fs_txn_free,
	.discard_stage = fs_discard_stage, .file_write = fs_file_write,
	.file_read = fs_file_read, .file_close = fs_file_close,
	.open_read = fs_open_read, .stat = fs_stat, .list = fs_list,
	.remove = fs_remove, .exists = fs_exists, .free = fs_free,
	.txn_place = fs_txn_place, .keep = fs_keep,
};

int location_fs_open(struct location *l, const struct location_config *cfg,
		     struct custos_err *err)
{
	struct fs_location *fl;

	if (!cfg->path || cfg->path[0] != '/')
		return err_set(err, CUSTOS_EUSAGE, cfg->path,
			       "location '%s' needs an absolute path", cfg->name);
	fl = calloc(1, sizeof(*fl));
	if (!fl || !(fl->root = strdup(cfg->path)) || !(l->where = strdup(cfg->path))) {
		if (fl)
			free(fl->root);
		free(fl);
		return err_nomem(err);
	}
	l->impl = fl;
	l->ops = &fs_ops;
	return 0;
}
