/*
 * preserve/storage/location_fs.c - a location on a local or mounted filesystem.
 * A version is staged in ROOT/.custos-staging/TXID/ and renamed to its
 * final path in one step (RENAME_NOREPLACE: never over anything), after
 * every file and directory was fsynced. Just before the rename the stage
 * writes ROOT/.custos-staging/TXID.owner, naming the destination and the
 * inode of the directory it moves there: that marker, not the path, is
 * what makes the destination this transaction's own. Abort and
 * discard_stage remove a destination only when the marker says they
 * placed it; the marker goes when the transaction is freed (after the
 * caller registered the version). Everything in the tree is reached
 * relative to the root with openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS):
 * a symlink inside the tree is never followed, written or renamed through.
 * The root holds .custos-location naming the repository it belongs to.
 */
#include "preserve/storage/location_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/syscall.h>

#include "core/fileio.h"
#include "core/walk.h"

#define STAGING ".custos-staging"
#define QUARANTINE ".custos-quarantine"   /* audit keeps damaged files here */

#define MARK ".custos-location"           /* names the repository */

struct fs_location {
	char *root;
	char *owner;             /* the repository id the root is marked with;
				  * NULL: not checked */
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
	int rootfd;
	char *stage;             /* .custos-staging/TXID (relative to the root) */
	char *owner;             /* .custos-staging/TXID.owner */
	char *dest;              /* DEST */
	char *shown;             /* ROOT/.custos-staging/TXID */
	struct stat placed;      /* the stage directory, moved to DEST */
	bool committed;
};

static const struct location_ops fs_ops;

static int root_fd(const struct location *l, struct custos_err *err)
{
	const struct fs_location *fl = l->impl;
	int fd = open(fl->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return err_sys(err, fl->root, "storage location '%s' is unavailable: '%s'",
			       l->name, fl->root);
	return fd;
}

/* lstat RELPATH below ROOTFD, no symlink followed on the way: 0, 1 if it
 * is absent, -1 with *err. */
static int stat_beneath(int rootfd, const char *relpath, struct stat *st,
			struct custos_err *err)
{
	const char *base;
	int pfd = fio_parent_beneath(rootfd, relpath, false, &base, err);
	int rc;

	if (pfd < 0)
		return errno == ENOENT ? 1 : -1;
	rc = fstatat(pfd, base, st, AT_SYMLINK_NOFOLLOW);
	if (rc < 0)
		rc = errno == ENOENT ? 1 : err_sys(err, relpath, "cannot stat '%s'", relpath);
	close(pfd);
	return rc;
}

/* Remove RELPATH below ROOTFD, then the parents it leaves empty ("ID/"
 * after its last version), and sync the nearest directory that remains. */
static int remove_beneath(int rootfd, const char *relpath,
			  struct custos_err *err)
{
	char *p = strdup(relpath), *slash;
	const char *base;
	int pfd, rc;

	if (!p)
		return err_nomem(err);
	pfd = fio_parent_beneath(rootfd, p, false, &base, err);
	if (pfd < 0) {
		rc = errno == ENOENT ? 0 : -1;
		free(p);
		return rc;
	}
	rc = fio_remove_tree_at(pfd, base, relpath, err);
	if (rc == 0 && fsync(pfd) < 0 && errno != EINVAL)
		rc = err_sys(err, relpath, "cannot sync after removing '%s'", relpath);
	close(pfd);
	while (rc == 0 && (slash = strrchr(p, '/'))) {
		*slash = '\0';                   /* p: the parent */
		pfd = fio_parent_beneath(rootfd, p, false, &base, err);
		if (pfd < 0)
			break;
		if (unlinkat(pfd, base, AT_REMOVEDIR) < 0) {
			close(pfd);
			break;                   /* p remains */
		}
		close(pfd);
	}
	free(p);
	return rc;
}

/* True if ROOTFD holds nothing at all. */
static bool root_empty(int rootfd)
{
	int fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;
	bool empty = true;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (empty && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

static int write_mark(struct location *l, int rootfd, struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	char text[400];
	int n = snprintf(text, sizeof(text),
			 "custos storage location\nrepository: %s\nlocation: %s\n",
			 fl->owner, l->name);
	int fd = openat(rootfd, MARK, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			O_CLOEXEC, 0644);
	int rc;

	if (fd < 0)
		return err_sys(err, fl->root, "cannot mark location '%s' at '%s'",
			       l->name, fl->root);
	rc = fio_write_all(fd, text, (size_t)n, MARK, err);
	if (rc == 0 && fsync(fd) < 0)
		rc = err_sys(err, fl->root, "cannot sync the mark of '%s'", fl->root);
	close(fd);
	if (rc == 0 && fsync(rootfd) < 0 && errno != EINVAL)
		rc = err_sys(err, fl->root, "cannot sync '%s'", fl->root);
	return rc;
}

/* The root must carry .custos-location naming this repository. Unmarked,
 * it is marked if empty and MAY_MARK (init, or a location nothing was
 * stored in yet); an empty one otherwise is an unmounted disk
 * (unavailable), and one holding files is another repository's store or
 * no store at all: custos writes and removes nothing there. */
static int check_mark(struct location *l, bool may_mark, struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	char *text = NULL, want[300], shown[4200];
	size_t len;
	int rootfd, fd, rc;

	if (!fl->owner)
		return 0;
	if ((rootfd = root_fd(l, err)) < 0)
		return -1;
	snprintf(shown, sizeof(shown), "%s/%s", fl->root, MARK);
	snprintf(want, sizeof(want), "\nrepository: %s\n", fl->owner);
	fd = fio_open_beneath(rootfd, MARK, shown, err);
	if (fd >= 0) {
		rc = fio_read_fd(&text, &len, fd, 4096, shown, err);
		close(fd);
		if (rc == 0 && !strstr(text, want))
			rc = err_set(err, CUSTOS_EUSAGE, shown,
				     "location '%s' at '%s' belongs to another repository "
				     "('%s' names another repository id); refusing to use it",
				     l->name, fl->root, shown);
		free(text);
	} else if (errno != ENOENT) {
		rc = -1;
	} else if (root_empty(rootfd) && may_mark) {
		rc = write_mark(l, rootfd, err);
	} else if (root_empty(rootfd)) {
		rc = err_set(err, CUSTOS_EIO, fl->root,
			     "storage location '%s' is unavailable: '%s' is empty and "
			     "has no %s (an unmounted disk?)", l->name, fl->root, MARK);
	} else {
		rc = err_set(err, CUSTOS_EUSAGE, fl->root,
			     "location '%s' at '%s' holds files but no %s: it is not "
			     "this repository's store (another repository's, or other "
			     "data); refusing to use it", l->name, fl->root, MARK);
	}
	close(rootfd);
	return rc;
}

static int fs_create(struct location *l, struct custos_err *err)
{
	struct fs_location *fl = l->impl;

	if (fio_mkdirs(fl->root, 0755, err) < 0)
		return -1;
	return check_mark(l, true, err);
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
	return check_mark(l, false, err);
}

static void txn_release(struct fs_txn *t)
{
	if (t->rootfd >= 0)
		close(t->rootfd);
	free(t->stage);
	free(t->owner);
	free(t->dest);
	free(t->shown);
	free(t);
}

static int fs_begin(struct location *l, const char *dest, const char *txid,
		    struct location_txn **out, struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	struct fs_txn *t = calloc(1, sizeof(*t));
	struct stat st;
	int there;

	if (!t)
		return err_nomem(err);
	t->base.ops = &fs_ops;
	t->loc = fl;
	t->rootfd = -1;
	if (asprintf(&t->stage, STAGING "/%s", txid) < 0)
		t->stage = NULL;
	if (asprintf(&t->owner, STAGING "/%s.owner", txid) < 0)
		t->owner = NULL;
	if (!t->stage || !t->owner || !(t->dest = strdup(dest)) ||
	    !(t->shown = fio_join(fl->root, t->stage))) {
		txn_release(t);
		return err_nomem(err);
	}
	if ((t->rootfd = root_fd(l, err)) < 0 ||
	    (there = stat_beneath(t->rootfd, dest, &st, err)) < 0)
		goto fail;
	if (there == 0) {
		err_set(err, CUSTOS_EUSAGE, dest,
			"'%s' already exists in location '%s'", dest, l->name);
		goto fail;
	}
	if (fio_mkdirs_beneath(t->rootfd, t->stage, err) < 0)
		goto fail;
	*out = &t->base;
	return 0;
fail:
	txn_release(t);              /* nothing was made: nothing to remove */
	return -1;
}

static int fs_txn_create(struct location_txn *tb, const char *relpath,
			 struct location_file **out, struct custos_err *err)
{
	struct fs_txn *t = (struct fs_txn *)tb;
	struct fs_file *f = calloc(1, sizeof(*f));
	char *rel = fio_join(t->stage, relpath);
	const char *base;
	int pfd;

	if (!f || !rel || !(f->shown = fio_join(t->loc->root, rel))) {
		free(f);
		free(rel);
		return err_nomem(err);
	}
	f->base.ops = &fs_ops;
	f->writing = 1;
	f->fd = -1;
	pfd = fio_parent_beneath(t->rootfd, rel, true, &base, err);
	if (pfd >= 0) {
		f->fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			       O_CLOEXEC, 0644);
		if (f->fd < 0)
			err_sys(err, f->shown, "cannot create '%s'", f->shown);
		close(pfd);
	}
	free(rel);
	if (f->fd < 0) {
		free(f->shown);
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

/* Record, durably, that this transaction is about to place its stage
 * directory (device and inode in *ST) at DEST. */
static int write_owner(struct fs_txn *t, int sfd, const char *obase,
		       struct custos_err *err)
{
	char text[4400];
	int n = snprintf(text, sizeof(text), "dest: %s\ndevice: %llu\ninode: %llu\n",
			 t->dest, (unsigned long long)t->placed.st_dev,
			 (unsigned long long)t->placed.st_ino);
	int fd = openat(sfd, obase, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
			O_CLOEXEC, 0644);
	int rc;

	if (fd < 0)
		return err_sys(err, t->owner, "cannot create '%s'", t->owner);
	rc = fio_write_all(fd, text, (size_t)n, t->owner, err);
	if (rc == 0 && fsync(fd) < 0)
		rc = err_sys(err, t->owner, "cannot sync '%s'", t->owner);
	close(fd);
	if (rc == 0 && fsync(sfd) < 0 && errno != EINVAL)
		rc = err_sys(err, t->owner, "cannot sync '%s'", t->owner);
	return rc;
}

/* rename without ever replacing what is at TO. */
static int rename_noreplace(int sfd, const char *from, int dfd, const char *to)
{
	struct stat st;

	if (syscall(SYS_renameat2, sfd, from, dfd, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a filesystem without RENAME_NOREPLACE: check, under the lock */
	if (fstatat(dfd, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	return renameat(sfd, from, dfd, to);
}

static int fs_txn_commit(struct location_txn *tb, struct custos_err *err)
{
	struct fs_txn *t = (struct fs_txn *)tb;
	const char *sbase, *dbase, *obase = strrchr(t->owner, '/') + 1;
	int sfd = -1, dfd = -1, rc = -1;

	if (walk_tree(t->shown, "", sync_dirs, t->shown, err) < 0 ||
	    fio_fsync_dir(t->shown, 1, err) < 0 ||
	    (sfd = fio_parent_beneath(t->rootfd, t->stage, false, &sbase, err)) < 0 ||
	    (dfd = fio_parent_beneath(t->rootfd, t->dest, true, &dbase, err)) < 0)
		goto out;
	if (fstatat(sfd, sbase, &t->placed, AT_SYMLINK_NOFOLLOW) < 0) {
		err_sys(err, t->shown, "cannot stat '%s'", t->shown);
		goto out;
	}
	if (write_owner(t, sfd, obase, err) < 0)
		goto out;
	if (rename_noreplace(sfd, sbase, dfd, dbase) < 0) {
		if (errno == EEXIST || errno == ENOTEMPTY)
			err_set(err, CUSTOS_EUSAGE, t->dest,
				"'%s' appeared in the location while it was staged; "
				"left as it is", t->dest);
		else
			err_sys(err, t->dest, "cannot move the new copy into place at '%s'",
				t->dest);
		goto out;
	}
	t->committed = true;
	if ((fsync(dfd) < 0 && errno != EINVAL) || (fsync(sfd) < 0 && errno != EINVAL)) {
		err_sys(err, t->dest, "cannot sync the new copy at '%s'", t->dest);
		goto out;
	}
	rc = 0;
out:
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

/* True if RELPATH is the directory a transaction recorded in *PLACED. */
static bool placed_here(int rootfd, const char *relpath, const struct stat *placed)
{
	struct stat st;
	struct custos_err ignored;

	return stat_beneath(rootfd, relpath, &st, &ignored) == 0 &&
	       S_ISDIR(st.st_mode) && st.st_dev == placed->st_dev &&
	       st.st_ino == placed->st_ino;
}

/* Drop the stage and the owner record TXID left in .custos-staging. */
static int drop_stage(int rootfd, const char *txid, struct custos_err *err)
{
	char obase[300];
	int sfd = fio_openat_beneath(rootfd, STAGING, O_RDONLY | O_DIRECTORY, 0);
	int rc;

	if (sfd < 0)
		return errno == ENOENT ? 0 : fio_beneath_err(STAGING, "open", err);
	snprintf(obase, sizeof(obase), "%s.owner", txid);
	rc = fio_remove_tree_at(sfd, txid, txid, err);
	if (rc == 0 && unlinkat(sfd, obase, 0) < 0 && errno != ENOENT)
		rc = err_sys(err, obase, "cannot remove '%s'", obase);
	close(sfd);
	return rc;
}

static const char *txid_of(const struct fs_txn *t)
{
	return strrchr(t->stage, '/') + 1;
}

static void fs_txn_free(struct location_txn *tb)
{
	struct fs_txn *t = (struct fs_txn *)tb;
	const char *base;
	struct custos_err ignored;
	int sfd;

	if (t->committed &&
	    (sfd = fio_parent_beneath(t->rootfd, t->owner, false, &base, &ignored)) >= 0) {
		unlinkat(sfd, base, 0);      /* DEST is kept: no longer ours to drop */
		close(sfd);
	}
	txn_release(t);
}

static void fs_txn_abort(struct location_txn *tb)
{
	struct fs_txn *t = (struct fs_txn *)tb;
	struct custos_err ignored;

	if (t->committed && placed_here(t->rootfd, t->dest, &t->placed))
		remove_beneath(t->rootfd, t->dest, &ignored);
	drop_stage(t->rootfd, txid_of(t), &ignored);
	txn_release(t);
}

/* Parse an owner record: 0 with DEST and *PLACED, -1 if it is not one. */
static int read_owner(int rootfd, const char *txid, char *dest, size_t destsize,
		      struct stat *placed)
{
	char rel[320], *text = NULL, *nl;
	unsigned long long dev, ino;
	struct custos_err ignored;
	size_t len;
	int fd, rc = -1;

	snprintf(rel, sizeof(rel), STAGING "/%s.owner", txid);
	fd = fio_open_beneath(rootfd, rel, rel, &ignored);
	if (fd < 0)
		return -1;
	if (fio_read_fd(&text, &len, fd, 8192, rel, &ignored) == 0 &&
	    !strncmp(text, "dest: ", 6) && (nl = strchr(text, '\n')) &&
	    (size_t)(nl - text - 6) < destsize &&
	    sscanf(nl + 1, "device: %llu\ninode: %llu", &dev, &ino) == 2) {
		snprintf(dest, destsize, "%.*s", (int)(nl - text - 6), text + 6);
		placed->st_dev = (dev_t)dev;
		placed->st_ino = (ino_t)ino;
		rc = 0;
	}
	free(text);
	close(fd);
	return rc;
}

static int fs_discard_stage(struct location *l, const char *txid,
			    struct custos_err *err)
{
	struct fs_location *fl = l->impl;
	struct stat placed;
	char dest[4096];
	int rootfd, rc = 0;

	rootfd = open(fl->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 && errno == ENOENT)
		return 0;                    /* no root: no stage either */
	if (rootfd < 0)
		return err_sys(err, fl->root, "storage location '%s' is unavailable: '%s'",
			       l->name, fl->root);
	if (read_owner(rootfd, txid, dest, sizeof(dest), &placed) == 0 &&
	    location_path_ok(dest) && placed_here(rootfd, dest, &placed))
		rc = remove_beneath(rootfd, dest, err);   /* placed, never kept */
	if (rc == 0)
		rc = drop_stage(rootfd, txid, err);
	close(rootfd);
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
	struct stat st;
	int rootfd = root_fd(l, err), rc;

	if (rootfd < 0)
		return -1;
	rc = stat_beneath(rootfd, relpath, &st, err);
	if (rc == 0 && !S_ISREG(st.st_mode))
		rc = err_set(err, CUSTOS_EFORMAT, relpath,
			     "'%s' in location '%s' is not a regular file", relpath,
			     l->name);
	else if (rc == 0)
		*size = (uint64_t)st.st_size;
	close(rootfd);
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
	if (e->type != WALK_FILE || !strcmp(e->relpath, MARK))
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

static int fs_remove(struct location *l, const char *relpath,
		     struct custos_err *err)
{
	int rootfd = root_fd(l, err), rc;

	if (rootfd < 0)
		return -1;
	rc = remove_beneath(rootfd, relpath, err);
	close(rootfd);
	return rc;
}

static int fs_exists(struct location *l, const char *relpath,
		     struct custos_err *err)
{
	struct stat st;
	int rootfd = root_fd(l, err), rc;

	if (rootfd < 0)
		return -1;
	rc = stat_beneath(rootfd, relpath, &st, err);
	close(rootfd);
	return rc < 0 ? -1 : rc == 0;
}

/* Link or rename FROM (below FROMROOT) to TO (below TOROOT), the parents
 * reached without a symlink, TO's parent made if missing and synced. */
static int move_beneath(int rootfd, const char *from, const char *to, bool link,
			struct custos_err *err)
{
	const char *fbase, *tbase;
	int ffd = -1, tfd = -1, rc = -1;

	if ((ffd = fio_parent_beneath(rootfd, from, false, &fbase, err)) < 0 ||
	    (tfd = fio_parent_beneath(rootfd, to, true, &tbase, err)) < 0)
		goto out;
	if ((link ? linkat(ffd, fbase, tfd, tbase, 0) :
		    renameat(ffd, fbase, tfd, tbase)) < 0) {
		rc = errno == ENOENT ? 1 :
		     err_sys(err, to, link ? "cannot keep '%s' as '%s'" :
			     "cannot move '%s' into place at '%s'", from, to);
		goto out;
	}
	rc = fsync(tfd) < 0 && errno != EINVAL ?
	     err_sys(err, to, "cannot sync the directory of '%s'", to) : 0;
out:
	if (ffd >= 0)
		close(ffd);
	if (tfd >= 0)
		close(tfd);
	return rc;
}

static int fs_txn_place(struct location_txn *tb, const char *staged,
			const char *relpath, struct custos_err *err)
{
	struct fs_txn *t = (struct fs_txn *)tb;
	char *from = fio_join(t->stage, staged);
	int rc;

	if (!from)
		return err_nomem(err);
	rc = move_beneath(t->rootfd, from, relpath, false, err);
	if (rc == 1)
		rc = err_set(err, CUSTOS_EIO, from, "the staged '%s' is gone", from);
	free(from);
	return rc;
}

static int fs_keep(struct location *l, const char *relpath, const char *keep_as,
		   struct custos_err *err)
{
	struct stat st;
	int rootfd = root_fd(l, err), rc;

	if (rootfd < 0)
		return -1;
	rc = stat_beneath(rootfd, relpath, &st, err);
	if (rc == 0)
		rc = move_beneath(rootfd, relpath, keep_as, true, err);
	close(rootfd);
	return rc;
}

static void fs_free(struct location *l)
{
	struct fs_location *fl = l->impl;

	if (fl) {
		free(fl->root);
		free(fl->owner);
	}
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
	if (!fl || !(fl->root = strdup(cfg->path)) || !(l->where = strdup(cfg->path)) ||
	    (cfg->owner && !(fl->owner = strdup(cfg->owner)))) {
		if (fl)
			free(fl->root);
		free(fl);
		return err_nomem(err);
	}
	l->impl = fl;
	l->ops = &fs_ops;
	return 0;
}
