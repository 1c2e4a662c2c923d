/*
 * core/fileio.h - the file I/O every module goes through.
 * Opens refuse symlinks (O_NOFOLLOW) and non-regular files; reads of whole
 * files have a ceiling; writes are durable (fsync file, rename, fsync dir).
 */
#ifndef CUSTOS_CORE_FILEIO_H
#define CUSTOS_CORE_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/digest.h"
#include "core/err.h"

#define FIO_BUFSIZE (256u << 10) /* read block: large, sequential; one per worker */

/* Open PATH (relative to DIRFD, or AT_FDCWD) read-only, refusing symlinks
 * and anything but a regular file. Every open of a path custos did not
 * create goes through here (or fio_open_beneath): the open is
 * O_NONBLOCK|O_NOFOLLOW and checked with fstat before O_NONBLOCK is
 * cleared, so a FIFO is refused by name instead of blocking.
 * Returns the fd, or -1 with *err. */
int fio_open_regular(int dirfd, const char *path, const char *shown,
		     struct custos_err *err);
/* Open the user's own configuration file PATH (a policy, a profile;
 * WHAT names it in messages): a symlink to it is followed, but only a
 * regular file is opened, without blocking on a FIFO. */
int fio_open_config(const char *path, const char *what,
		    struct custos_err *err);
/* The same as a stdio stream for reading (NULL with *err). */
FILE *fio_fopen_regular(const char *path, struct custos_err *err);

/* Open RELPATH below the directory ROOTFD read-only, refusing to pass
 * through or end at a symlink anywhere on the way (openat2 with
 * RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, or a component-wise walk where the
 * kernel lacks it). Regular files only. Returns the fd, or -1 with *err. */
int fio_open_beneath(int rootfd, const char *relpath, const char *shown,
		     struct custos_err *err);

/* openat2(ROOTFD, RELPATH) with RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS and
 * FLAGS (O_NOFOLLOW added; "" is ROOTFD itself). The fd, or -1 with errno
 * (ELOOP or EXDEV: a symlink or ".." on the way). Storage locations reach
 * everything in their tree through this. */
int fio_openat_beneath(int rootfd, const char *relpath, int flags,
		       unsigned mode);
/* -1 with *err for a failed fio_openat_beneath of SHOWN (errno set). */
int fio_beneath_err(const char *shown, const char *what,
		    struct custos_err *err);
/* mkdir -p RELPATH below ROOTFD, never through a symlink. */
int fio_mkdirs_beneath(int rootfd, const char *relpath,
		       struct custos_err *err);
/* Open the directory holding RELPATH below ROOTFD (creating it if CREATE),
 * never through a symlink; *BASE points at RELPATH's last component. The
 * directory fd, or -1 with *err. */
int fio_parent_beneath(int rootfd, const char *relpath, bool create,
		       const char **base, struct custos_err *err);

/* Read all of FD into a new NUL-terminated buffer (*out, caller frees),
 * at most MAX bytes, else CUSTOS_ELIMIT naming SHOWN. */
int fio_read_fd(char **out, size_t *len, int fd, size_t max,
		const char *shown, struct custos_err *err);

/* Open and read PATH (no symlinks, regular only) like fio_read_fd. */
int fio_read_file(char **out, size_t *len, int dirfd, const char *path,
		  size_t max, struct custos_err *err);

/* Receives each block of a single read pass; 0, or -1 with *err. */
struct fio_sink {
	int (*block)(void *arg, const unsigned char *buf, size_t len,
		     struct custos_err *err);
	void *arg;
};

/* Read FD to its end once in blocks of BUFSZ from BUF, feeding DS (may be
 * NULL) and SINK (may be NULL). *total receives the byte count. */
int fio_readpass(int fd, const char *shown, unsigned char *buf, size_t bufsz,
		 struct digest_set *ds, const struct fio_sink *sink,
		 uint64_t *total, struct custos_err *err);

/* Write all of LEN bytes, retrying short writes. */
int fio_write_all(int fd, const void *buf, size_t len, const char *shown,
		  struct custos_err *err);

/* Durably replace PATH with DATA: temp file beside it, fsync, rename,
 * fsync the directory. */
int fio_write_atomic(const char *path, const void *data, size_t len,
		     struct custos_err *err);

/* fsync the directory holding PATH (PATH itself if IS_DIR). */
int fio_fsync_dir(const char *path, int is_dir, struct custos_err *err);

/* mkdir -p with MODE; existing directories are fine, symlinks are not
 * followed for the last component. */
int fio_mkdirs(const char *path, unsigned mode, struct custos_err *err);

/* Remove PATH and everything below it, never following symlinks.
 * A missing PATH is fine. */
int fio_remove_tree(const char *path, struct custos_err *err);
/* The same for the entry NAME of the directory DIRFD. */
int fio_remove_tree_at(int dirfd, const char *name, const char *shown,
		       struct custos_err *err);

/* Join A and B with one '/' into a new string (NULL on OOM). */
char *fio_join(const char *a, const char *b);

#endif
