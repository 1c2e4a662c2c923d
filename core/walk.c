/*
 * core/walk.c - sorted, symlink-safe recursive directory walk (openat).
 * Sorted order makes manifests and reports reproducible.
 */
#include "core/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/array.h"

struct walker {
	walk_fn fn;
	void *arg;
	char path[PATH_MAX];    /* current relative path */
	const char *root;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(int dfd, char ***names, size_t *count, const char *shown,
		    struct custos_err *err)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	if (!d) {
		close(dfd);
		return err_sys(err, shown, "cannot list '%s'", shown);
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (ARRAY_GROW(v, n, cap, 32) < 0)
			goto nomem;
		v[n] = strdup(de->d_name);
		if (!v[n])
			goto nomem;
		n++;
	}
	closedir(d);
	if (n > 1)          /* an empty directory: v is NULL */
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	*count = n;
	return 0;
nomem:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return err_nomem(err);
}

static int walk_dir(struct walker *w, int dfd, size_t len, int depth,
		    struct custos_err *err);

static int visit(struct walker *w, int dfd, const char *name, size_t len,
		 int depth, struct custos_err *err)
{
	struct walk_entry e = { .relpath = w->path };
	struct stat st;
	size_t nlen = strlen(name);
	size_t at = len ? len + 1 : 0;
	int rc;

	if (at + nlen + 1 > sizeof(w->path))
		return err_set(err, CUSTOS_ELIMIT, w->path,
			       "path too long under '%s'", w->path);
	if (len)
		w->path[len] = '/';
	memcpy(w->path + at, name, nlen + 1);
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return err_sys(err, w->path, "cannot stat '%s'", w->path);
	e.size = (uint64_t)st.st_size;
	e.mtime = (int64_t)st.st_mtime;
	if (S_ISREG(st.st_mode))
		e.type = WALK_FILE;
	else if (S_ISDIR(st.st_mode))
		e.type = WALK_DIR;
	else if (S_ISLNK(st.st_mode))
		e.type = WALK_SYMLINK;
	else
		e.type = WALK_OTHER;
	rc = w->fn(w->arg, &e, err);
	if (rc < 0)
		return -1;
	if (e.type == WALK_DIR && rc == 0) {
		int sub = openat(dfd, name,
				 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (sub < 0)
			return err_sys(err, w->path, "cannot open directory '%s'",
				       w->path);
		if (walk_dir(w, sub, at + nlen, depth + 1, err) < 0)
			return -1;
	}
	w->path[len] = '\0';
	return 0;
}

static int walk_dir(struct walker *w, int dfd, size_t len, int depth,
		    struct custos_err *err)
{
	char **names = NULL;
	size_t count = 0, i;
	int rc = 0;

	if (depth > WALK_MAX_DEPTH) {
		close(dfd);
		return err_set(err, CUSTOS_ELIMIT, w->path,
			       "directories nested deeper than %d at '%s'",
			       WALK_MAX_DEPTH, w->path);
	}
	/* list_dir takes ownership of dfd via fdopendir; keep a dup to openat */
	int keep = dup(dfd);

	if (keep < 0) {
		close(dfd);
		return err_sys(err, w->path, "cannot list '%s'", w->path);
	}
	if (list_dir(dfd, &names, &count, w->path, err) < 0) {
		close(keep);
		return -1;
	}
	for (i = 0; i < count && rc == 0; i++)
		rc = visit(w, keep, names[i], len, depth, err);
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
	close(keep);
	return rc;
}

int walk_tree(const char *root, const char *start, walk_fn fn, void *arg,
	      struct custos_err *err)
{
	struct walker w = { .fn = fn, .arg = arg, .root = root };
	int dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t slen = strlen(start);

	if (dfd < 0)
		return err_sys(err, root, "cannot open directory '%s'", root);
	if (slen == 0)
		return walk_dir(&w, dfd, 0, 0, err);
	if (slen >= sizeof(w.path)) {
		close(dfd);
		return err_set(err, CUSTOS_ELIMIT, start, "path too long");
	}
	memcpy(w.path, start, slen + 1);
	int sub = openat(dfd, start, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	close(dfd);
	if (sub < 0)
		return err_sys(err, start, "cannot open directory '%s'", start);
	return walk_dir(&w, sub, slen, 0, err);
}
