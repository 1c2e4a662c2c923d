/*
 * preserve/repo/export.c - writing an object version out as a bag directory or
 * archive. Each location holding a copy is tried in policy order; the
 * first whose payload streams out matching the catalog is used.
 */
#include "preserve/repo/repo_int.h"
#include "preserve/repo/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "core/fileio.h"
#include "core/strmap.h"

int export_format_parse(enum export_format *out, const char *name)
{
	static const struct { const char *name; enum export_format f; } names[] = {
		{ "dir", EXPORT_DIR }, { "zip", EXPORT_ZIP }, { "tar", EXPORT_TAR },
		{ "tar.gz", EXPORT_TAR_GZ }, { "tgz", EXPORT_TAR_GZ },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i].name)) {
			*out = names[i].f;
			return 0;
		}
	return -1;
}

struct exp_ctx {
	struct repo *r;
	struct location *from;
	const char *vpath;
	struct location_listing files;
	struct strmap *expected;     /* data/... -> audit digest */
	enum digest_alg alg;
	struct archive *a;           /* archive output, or NULL */
	char *dirtmp;                /* directory output being built */
	const char *top;             /* top directory inside an archive */
};

/* Open the output for one file (archive entry or file in the stage). */
static int out_begin(struct exp_ctx *x, const char *rel, uint64_t size,
		     int *fd, struct custos_err *err)
{
	*fd = -1;
	if (x->a) {
		struct archive_entry *e = archive_entry_new();
		char name[PATH_MAX];
		int rc;

		snprintf(name, sizeof(name), "%s/%s", x->top, rel);
		archive_entry_set_pathname(e, name);
		archive_entry_set_size(e, (la_int64_t)size);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		rc = archive_write_header(x->a, e);
		archive_entry_free(e);
		if (rc != ARCHIVE_OK)
			return err_set(err, CUSTOS_EIO, rel, "cannot write '%s' to the archive: %s",
				       rel, archive_error_string(x->a));
		return 0;
	}
	char *path = fio_join(x->dirtmp, rel), *slash;

	if (!path)
		return err_nomem(err);
	slash = strrchr(path, '/');
	*slash = '\0';
	if (fio_mkdirs(path, 0755, err) < 0) {
		free(path);
		return -1;
	}
	*slash = '/';
	*fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (*fd < 0)
		err_sys(err, path, "cannot create '%s'", path);
	free(path);
	return *fd < 0 ? -1 : 0;
}

static int out_write(struct exp_ctx *x, int fd, const void *buf, size_t n,
		     const char *rel, struct custos_err *err)
{
	if (!x->a)
		return fio_write_all(fd, buf, n, rel, err);
	if (archive_write_data(x->a, buf, n) != (la_ssize_t)n)
		return err_set(err, CUSTOS_EIO, rel, "cannot write '%s' to the archive: %s",
			       rel, archive_error_string(x->a));
	return 0;
}

struct out_sink {
	struct exp_ctx *x;
	int fd;
	const char *rel;
};

static int sink_out(void *arg, const unsigned char *buf, size_t len,
		    struct custos_err *err)
{
	struct out_sink *o = arg;

	return out_write(o->x, o->fd, buf, len, o->rel, err);
}

static int export_file(struct exp_ctx *x, size_t i, unsigned char *buf,
		       struct custos_err *err)
{
	const char *path = x->files.paths[i];
	const char *rel = path + strlen(x->vpath) + 1;
	const char *want = strmap_get(x->expected, rel);
	struct out_sink o = { x, -1, rel };
	struct location_sink sink = { sink_out, &o };
	struct digest_set *ds = NULL;
	struct digest_result res;
	int rc = -1, orc;

	if (digest_set_new(&ds, DIGEST_BIT(x->alg), err) < 0)
		return -1;
	if (out_begin(x, rel, x->files.sizes[i], &o.fd, err) < 0)
		goto out;
	orc = location_read_through(x->from, path, buf, FIO_BUFSIZE, ds, &sink, NULL, err);
	if (orc == 1)
		err_set(err, CUSTOS_EIO, path, "'%s' vanished from location '%s'", path,
			location_name(x->from));
	if (orc != 0 || digest_set_final(ds, &res, err) < 0)
		goto out;
	if (want && strcmp(want, res.hex[x->alg])) {
		err_set(err, CUSTOS_EIO, path,
			"'%s' in location '%s' differs from the catalog; not exported from there",
			path, location_name(x->from));
		goto out;
	}
	rc = 0;
	if (o.fd >= 0 && fsync(o.fd) < 0)
		rc = err_sys(err, rel, "cannot sync '%s'", rel);
out:
	if (o.fd >= 0)
		close(o.fd);
	digest_set_free(ds);
	return rc;
}

static int open_output(struct exp_ctx *x, const char *dest, enum export_format fmt,
		       struct custos_err *err)
{
	if (fmt == EXPORT_DIR) {
		if (asprintf(&x->dirtmp, "%s.custos-partial-%ld", dest, (long)getpid()) < 0)
			return err_nomem(err);
		return fio_mkdirs(x->dirtmp, 0755, err);
	}
	x->a = archive_write_new();
	if (!x->a)
		return err_nomem(err);
	if (fmt == EXPORT_ZIP)
		archive_write_set_format_zip(x->a);
	else
		archive_write_set_format_pax_restricted(x->a);
	if (fmt == EXPORT_TAR_GZ)
		archive_write_add_filter_gzip(x->a);
	if (archive_write_open_filename(x->a, dest) != ARCHIVE_OK)
		return err_set(err, CUSTOS_EIO, dest, "cannot create '%s': %s", dest,
			       archive_error_string(x->a));
	return 0;
}

static int close_output(struct exp_ctx *x, const char *dest, int ok,
			struct custos_err *err)
{
	int rc = ok ? 0 : -1;

	if (x->a) {
		if (archive_write_close(x->a) != ARCHIVE_OK && rc == 0)
			rc = err_set(err, CUSTOS_EIO, dest, "cannot finish '%s': %s", dest,
				     archive_error_string(x->a));
		archive_write_free(x->a);
		x->a = NULL;
		if (rc < 0)
			unlink(dest);
		return rc;
	}
	if (rc == 0 && rename(x->dirtmp, dest) < 0)
		rc = err_sys(err, dest, "cannot move the export into place at '%s'", dest);
	return rc;
}

/* Try exporting from location index LOC. */
/* The copy must hold exactly the catalog's payload files and a bag
 * declaration; otherwise it is not exported from (the next one is). */
static int check_complete(struct exp_ctx *x, struct custos_err *err)
{
	size_t skip = strlen(x->vpath) + 1, pos = 0;
	struct strmap *listed = strmap_new();
	const char *path;
	void *hex;
	int rc = 0;

	if (!listed)
		return err_nomem(err);
	for (size_t i = 0; i < x->files.n && rc == 0; i++) {
		const char *rel = x->files.paths[i] + skip;

		if (strncmp(rel, "data/", 5) == 0 && !strmap_get(x->expected, rel))
			rc = err_set(err, CUSTOS_EIO, x->files.paths[i],
				     "'%s' in location '%s' is not in the catalog; not exported from there",
				     x->files.paths[i], location_name(x->from));
		if (strmap_put(listed, rel, listed) < 0)
			rc = err_nomem(err);
	}
	while (rc == 0 && strmap_next(x->expected, &pos, &path, &hex))
		if (!strmap_get(listed, path))
			rc = err_set(err, CUSTOS_EIO, path,
				     "'%s/%s' is missing from location '%s'; not exported from there",
				     x->vpath, path, location_name(x->from));
	if (rc == 0 && !strmap_get(listed, "bagit.txt"))
		rc = err_set(err, CUSTOS_EIO, x->vpath,
			     "'%s/bagit.txt' is missing from location '%s'; not exported from there",
			     x->vpath, location_name(x->from));
	strmap_free(listed);
	return rc;
}

static int export_from(struct exp_ctx *x, size_t loc, const char *dest,
		       enum export_format fmt, struct custos_err *err)
{
	unsigned char *buf = malloc(FIO_BUFSIZE);
	int ok = 0;

	x->from = x->r->locs[loc];
	location_listing_release(&x->files);
	if (!buf)
		return err_nomem(err);
	if (location_list_collect(x->from, x->vpath, &x->files, err) < 0)
		goto out;
	if (x->files.n == 0) {
		err_set(err, CUSTOS_EIO, x->vpath, "no copy of '%s' in location '%s'",
			x->vpath, location_name(x->from));
		goto out;
	}
	if (check_complete(x, err) < 0)
		goto out;
	if (open_output(x, dest, fmt, err) < 0)
		goto done;
	ok = 1;
	for (size_t i = 0; ok && i < x->files.n; i++)
		ok = export_file(x, i, buf, err) == 0;
done:
	ok = close_output(x, dest, ok, err) == 0 && ok;
out:
	free(buf);
	return ok ? 0 : -1;
}

static int version_of(struct repo *r, const char *ident, int *version,
		      struct custos_err *err)
{
	int64_t oid;
	int latest, rc = catalog_object_find(r->cat, ident, &oid, &latest, err);

	if (rc == 1)
		return err_set(err, CUSTOS_EUSAGE, NULL, "no object '%s' in the repository",
			       ident);
	if (rc < 0)
		return -1;
	if (*version == 0)
		*version = latest;
	if (*version < 1 || *version > latest)
		return err_set(err, CUSTOS_EUSAGE, NULL, "object '%s' has no version %d (it has 1 to %d)",
			       ident, *version, latest);
	return 0;
}

int repo_export(struct repo *r, const char *ident, int version,
		const char *dest, enum export_format fmt,
		const char **used_location, struct custos_err *err)
{
	struct exp_ctx x = { .r = r, .alg = r->policy->audit_alg };
	char vpath[200], top[220];
	int64_t vid;
	int rc = -1;

	if (version_of(r, ident, &version, err) < 0 ||
	    catalog_version_id(r->cat, ident, version, &vid, err) != 0)
		return -1;
	if (access(dest, F_OK) == 0)
		return err_set(err, CUSTOS_EUSAGE, dest, "'%s' already exists", dest);
	repo_version_path(vpath, sizeof(vpath), ident, version);
	snprintf(top, sizeof(top), "%s-v%d", ident, version);
	x.vpath = vpath;
	x.top = top;
	if (catalog_version_digests(r->cat, vid, x.alg, &x.expected, err) < 0)
		return -1;
	for (size_t i = 0; i < r->nlocs && rc < 0; i++) {
		struct custos_err ignored;

		rc = export_from(&x, i, dest, fmt, err);
		if (x.dirtmp) {
			fio_remove_tree(x.dirtmp, &ignored);
			free(x.dirtmp);
			x.dirtmp = NULL;
		}
		if (rc == 0 && used_location)
			*used_location = location_name(r->locs[i]);
	}
	location_listing_release(&x.files);
	catalog_digests_free(x.expected);
	return rc;
}
