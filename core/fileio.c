/*
 * core/fileio.c - safe opens, bounded whole-file reads, single read passes
 * and durable writes. Nothing here follows a symlink it was not asked to.
 */
#include "core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

/* Keep FD only if it is a regular file; else close it. FD or -1. The open
 * was non-blocking (a FIFO must not block it); reads from here on block. */
static int keep_regular(int fd, const char *shown, struct custos_err *err)
{
	struct stat st;
	int fl;

	if (fstat(fd, &st) < 0) {
		err_sys(err, shown, "cannot stat '%s'", shown);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(err, CUSTOS_EFORMAT, shown,
			       "'%s' is %s, not a regular file", shown,
			       S_ISFIFO(st.st_mode) ? "a FIFO" :
			       S_ISDIR(st.st_mode) ? "a directory" :
			       S_ISSOCK(st.st_mode) ? "a socket" : "a device");
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		err_sys(err, shown, "cannot open '%s'", shown);
		close(fd);
		return -1;
	}
	return fd;
}

int fio_open_regular(int dirfd, const char *path, const char *shown,
		     struct custos_err *err)
{
	int fd;

	if (!shown)
		shown = path;
	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
		    O_NOCTTY);
	if (fd < 0) {
		if (errno == ELOOP)
			return err_set(err, CUSTOS_EFORMAT, shown,
				       "refusing to follow symlink '%s'", shown);
		return err_sys(err, shown, "cannot open '%s'", shown);
	}
	return keep_regular(fd, shown, err);
}

int fio_open_config(const char *path, const char *what,
		    struct custos_err *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return err_sys(err, path, "cannot open %s '%s'", what, path);
	return keep_regular(fd, path, err);
}

FILE *fio_fopen_regular(const char *path, struct custos_err *err)
{
	int fd = fio_open_regular(AT_FDCWD, path, path, err);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "r");
	if (!f) {
		err_sys(err, path, "cannot open '%s'", path);
		close(fd);
	}
	return f;
}

/* Component-wise fallback: every directory opened with O_NOFOLLOW. */
static int open_beneath_walk(int rootfd, const char *relpath, int flags,
			     unsigned mode)
{
	char buf[PATH_MAX];
	char *p = buf, *slash;
	int dfd, fd;

	if (snprintf(buf, sizeof(buf), "%s", relpath) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	dfd = dup(rootfd);
	if (dfd < 0)
		return -1;
	while ((slash = strchr(p, '/'))) {
		int next;

		*slash = '\0';
		if (!strcmp(p, "..") || !*p) {
			close(dfd);
			errno = EXDEV;
			return -1;
		}
		next = openat(dfd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(dfd);
		if (next < 0)
			return -1;
		dfd = next;
		p = slash + 1;
	}
	if (!strcmp(p, "..")) {
		close(dfd);
		errno = EXDEV;
		return -1;
	}
	fd = openat(dfd, p, flags | O_NOFOLLOW, mode);
	close(dfd);
	return fd;
}

/* True if RELPATH below ROOTFD is itself a symlink. */
static bool ends_at_symlink(int rootfd, const char *relpath)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	int fd = (int)syscall(SYS_openat2, rootfd, relpath, &how, sizeof(how));
	bool link;

	if (fd < 0)
		return false;
	link = fstat(fd, &st) == 0 && S_ISLNK(st.st_mode);
	close(fd);
	return link;
}

int fio_openat_beneath(int rootfd, const char *relpath, int flags,
		       unsigned mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	if (!*relpath)
		relpath = ".";
	fd = (int)syscall(SYS_openat2, rootfd, relpath, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = open_beneath_walk(rootfd, relpath, flags | O_CLOEXEC, mode);
	if (fd < 0 && errno == ENOTDIR && (flags & O_DIRECTORY) &&
	    ends_at_symlink(rootfd, relpath))
		errno = ELOOP;          /* say why: a symlink, not a file */
	return fd;
}

int fio_beneath_err(const char *shown, const char *what,
		    struct custos_err *err)
{
	int saved = errno;

	if (saved == ELOOP || saved == EXDEV)
		err_set(err, CUSTOS_EFORMAT, shown,
			"refusing '%s': a symlink on its path leaves the tree", shown);
	else
		err_sys(err, shown, "cannot %s '%s'", what, shown);
	errno = saved;          /* callers tell "absent" by ENOENT */
	return -1;
}

int fio_open_beneath(int rootfd, const char *relpath, const char *shown,
		     struct custos_err *err)
{
	int fd = fio_openat_beneath(rootfd, relpath,
				    O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);

	if (fd < 0)
		return fio_beneath_err(shown, "open", err);
	return keep_regular(fd, shown, err);
}

int fio_mkdirs_beneath(int rootfd, const char *relpath,
		       struct custos_err *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(relpath);

	if (n >= sizeof(buf))
		return err_set(err, CUSTOS_ELIMIT, relpath, "path too long: '%s'",
			       relpath);
	memcpy(buf, relpath, n + 1);
	for (char *p = buf; n; p++) {
		char saved = *p;
		char *slash;
		int fd, pfd;

		if (saved != '/' && saved != '\0')
			continue;
		*p = '\0';
		fd = fio_openat_beneath(rootfd, buf, O_RDONLY | O_DIRECTORY, 0);
		if (fd < 0 && errno == ENOENT) {
			slash = strrchr(buf, '/');
			if (slash)
				*slash = '\0';
			pfd = fio_openat_beneath(rootfd, slash ? buf : "",
						 O_RDONLY | O_DIRECTORY, 0);
			if (slash)
				*slash = '/';
			if (pfd < 0)
				return fio_beneath_err(buf, "create directory", err);
			if (mkdirat(pfd, slash ? slash + 1 : buf, 0755) < 0 &&
			    errno != EEXIST) {
				close(pfd);
				return err_sys(err, buf, "cannot create directory '%s'", buf);
			}
			close(pfd);
			fd = fio_openat_beneath(rootfd, buf, O_RDONLY | O_DIRECTORY, 0);
		}
		if (fd < 0)
			return fio_beneath_err(buf, "create directory", err);
		close(fd);
		*p = saved;
		if (saved == '\0')
			break;
	}
	return 0;
}

int fio_parent_beneath(int rootfd, const char *relpath, bool create,
		       const char **base, struct custos_err *err)
{
	const char *slash = strrchr(relpath, '/');
	char dir[PATH_MAX];
	int fd;

	*base = slash ? slash + 1 : relpath;
	if (!slash)
		dir[0] = '\0';
	else if ((size_t)(slash - relpath) >= sizeof(dir))
		return err_set(err, CUSTOS_ELIMIT, relpath, "path too long: '%s'",
			       relpath);
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - relpath), relpath);
	if (create && *dir && fio_mkdirs_beneath(rootfd, dir, err) < 0)
		return -1;
	fd = fio_openat_beneath(rootfd, dir, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return fio_beneath_err(relpath, "open the directory of", err);
	return fd;
}

int fio_read_fd(char **out, size_t *len, int fd, size_t max,
		const char *shown, struct custos_err *err)
{
	size_t cap = 8192, used = 0;
	char *buf = malloc(cap);

	if (!buf)
		return err_nomem(err);
	for (;;) {
		ssize_t n;

		if (used + 1 >= cap) {
			char *grown;

			if (cap > max) {
				free(buf);
				return err_set(err, CUSTOS_ELIMIT, shown,
					       "'%s' is larger than %zu bytes",
					       shown, max);
			}
			cap *= 2;
			grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				return err_nomem(err);
			}
			buf = grown;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return err_sys(err, shown, "cannot read '%s'", shown);
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max) {
			free(buf);
			return err_set(err, CUSTOS_ELIMIT, shown,
				       "'%s' is larger than %zu bytes", shown, max);
		}
	}
	buf[used] = '\0';
	*out = buf;
	*len = used;
	return 0;
}

int fio_read_file(char **out, size_t *len, int dirfd, const char *path,
		  size_t max, struct custos_err *err)
{
	int fd = fio_open_regular(dirfd, path, path, err);
	int rc;

	if (fd < 0)
		return -1;
	rc = fio_read_fd(out, len, fd, max, path, err);
	close(fd);
	return rc;
}

int fio_readpass(int fd, const char *shown, unsigned char *buf, size_t bufsz,
		 struct digest_set *ds, const struct fio_sink *sink,
		 uint64_t *total, struct custos_err *err)
{
	uint64_t sum = 0;

	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		ssize_t n = read(fd, buf, bufsz);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, shown, "cannot read '%s'", shown);
		}
		if (n == 0)
			break;
		if (ds && digest_set_update(ds, buf, (size_t)n, err) < 0)
			return -1;
		if (sink && sink->block(sink->arg, buf, (size_t)n, err) < 0)
			return -1;
		sum += (uint64_t)n;
	}
	if (total)
		*total = sum;
	return 0;
}

int fio_write_all(int fd, const void *buf, size_t len, const char *shown,
		  struct custos_err *err)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, shown, "cannot write '%s'", shown);
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fio_fsync_dir(const char *path, int is_dir, struct custos_err *err)
{
	char dir[PATH_MAX];
	int fd;

	if (is_dir) {
		if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
			return err_set(err, CUSTOS_ELIMIT, path, "path too long");
	} else {
		const char *slash = strrchr(path, '/');

		if (!slash)
			snprintf(dir, sizeof(dir), ".");
		else if (slash == path)
			snprintf(dir, sizeof(dir), "/");
		else if ((size_t)(slash - path) >= sizeof(dir))
			return err_set(err, CUSTOS_ELIMIT, path, "path too long");
		else
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, dir, "cannot open directory '%s'", dir);
	if (fsync(fd) < 0 && errno != EINVAL) {
		err_sys(err, dir, "cannot sync directory '%s'", dir);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int fio_write_atomic(const char *path, const void *data, size_t len,
		     struct custos_err *err)
{
	char tmp[PATH_MAX];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return err_set(err, CUSTOS_ELIMIT, path, "path too long: '%s'", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_sys(err, tmp, "cannot create '%s'", tmp);
	if (fio_write_all(fd, data, len, path, err) < 0)
		goto fail;
	if (fsync(fd) < 0) {
		err_sys(err, path, "cannot sync '%s'", path);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_sys(err, path, "cannot close '%s'", path);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		err_sys(err, path, "cannot rename into '%s'", path);
		goto fail;
	}
	return fio_fsync_dir(path, 0, err);
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

int fio_mkdirs(const char *path, unsigned mode, struct custos_err *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return err_set(err, CUSTOS_ELIMIT, path, "bad directory path '%s'", path);
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;
			struct stat st;

			*p = '\0';
			if (mkdir(buf, mode) < 0) {
				if (errno != EEXIST)
					return err_sys(err, buf, "cannot create directory '%s'", buf);
				if (lstat(buf, &st) < 0)
					return err_sys(err, buf, "cannot stat '%s'", buf);
				if (!S_ISDIR(st.st_mode) &&
				    !(saved != '\0' && S_ISLNK(st.st_mode)))
					return err_set(err, CUSTOS_EFORMAT, buf,
						       "'%s' exists and is not a directory", buf);
			}
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	return 0;
}

/* Remove the entry NAME of DFD and everything below it; no symlink is
 * followed (directories are entered through O_NOFOLLOW fds). */
static int remove_at(int dfd, const char *name, int depth)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int sub, rc = 0;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -1 : 0;
	if (depth > 512) {
		errno = ELOOP;
		return -1;
	}
	sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return -1;
	if (!(d = fdopendir(sub))) {
		close(sub);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rc = remove_at(dirfd(d), de->d_name, depth + 1);
	closedir(d);
	if (rc == 0 && unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		rc = -1;
	return rc;
}

int fio_remove_tree_at(int dirfd, const char *name, const char *shown,
		       struct custos_err *err)
{
	if (remove_at(dirfd, name, 0) < 0)
		return err_sys(err, shown, "cannot remove '%s'", shown);
	return 0;
}

int fio_remove_tree(const char *path, struct custos_err *err)
{
	return fio_remove_tree_at(AT_FDCWD, path, path, err);
}

char *fio_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s;

	while (la > 1 && a[la - 1] == '/')
		la--;
	s = malloc(la + lb + 2);
	if (!s)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}
