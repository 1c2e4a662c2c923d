/*
 * preserve/bagit/bagsrc_archive.c - a serialized bag read through libarchive as
 * a stream: nothing is extracted to disk. Pass 1 reads the headers and the
 * bag's own tag files (skipping data, which for tar and zip is a seek);
 * pass 2 digests the files, each byte read once.
 */
#include "preserve/bagit/bagsrc_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <archive.h>
#include <archive_entry.h>

#include "core/fileio.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "preserve/bagit/bagpath.h"
#include "preserve/bagit/manifest.h"

struct cached_tag {
	char *data;
	size_t len;
	int too_big;
	int streamed;              /* handed to a stream and released */
};

struct archive_impl {
	char *root;                /* "name/" prefix of the bag, or "" */
	struct strmap *tags;       /* archive path -> struct cached_tag */
	size_t cached_total;
	unsigned char *buf;
};

/* After a failed read of A: were the bytes an archive (or a compressed
 * stream) that breaks off, rather than no archive at all? libarchive says
 * "Unrecognized archive format" with errno ARCHIVE_ERRNO_FILE_FORMAT,
 * which its private header defines as EILSEQ on POSIX systems. */
static int broken_archive(struct archive *a)
{
	return archive_format(a) != 0 || archive_errno(a) != EILSEQ;
}

/* Open PATH; on failure *BROKEN (may be NULL) tells a cut-off archive
 * ("truncated gzip input") from bytes that are none. */
static struct archive *open_archive(const char *path, int *broken,
				    struct custos_err *err)
{
	struct archive *a = archive_read_new();

	if (!a) {
		err_nomem(err);
		return NULL;
	}
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_7zip(a);
	if (archive_read_open_filename(a, path, FIO_BUFSIZE) != ARCHIVE_OK) {
		err_set(err, CUSTOS_EFORMAT, path, "cannot read archive '%s': %s",
			path, archive_error_string(a));
		if (broken)
			*broken = broken_archive(a);
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static const char *entry_name(struct archive_entry *e)
{
	const char *p = archive_entry_pathname_utf8(e);

	return p ? p : archive_entry_pathname(e);
}

static int is_tag_candidate(const char *path)
{
	const char *slash = strchr(path, '/'), *base;
	char alg[32];

	if (slash && strchr(slash + 1, '/'))
		return 0;                       /* deeper than top/name */
	base = slash ? slash + 1 : path;
	return !strcmp(base, "bagit.txt") || !strcmp(base, "bag-info.txt") ||
	       !strcmp(base, "package-info.txt") || !strcmp(base, "fetch.txt") ||
	       manifest_name_alg(base, "manifest-", alg, sizeof(alg)) == 0 ||
	       manifest_name_alg(base, "tagmanifest-", alg, sizeof(alg)) == 0;
}

/* Keep tag file NAME's bytes. The ceilings are checked against the bytes
 * actually read, never against the size the header declares: a header can
 * lie (a crafted tar claiming 1 GiB) or say nothing (zip data descriptors). */
static int cache_tag(struct archive_impl *ai, struct archive *a,
		     struct archive_entry *entry, const char *name,
		     struct custos_err *err)
{
	struct cached_tag *t = calloc(1, sizeof(*t));
	size_t room = BAGSRC_TAG_TOTAL_MAX - ai->cached_total;
	size_t limit = bagsrc_tag_limit(name);
	struct strbuf b;
	char chunk[64 * 1024];

	if (!t)
		return err_nomem(err);
	if (room < limit)
		limit = room;
	strbuf_init(&b, limit);
	/* a header that admits to more than the bound: not read at all */
	t->too_big = archive_entry_size_is_set(entry) &&
		     (uint64_t)archive_entry_size(entry) > limit;
	while (!t->too_big) {
		la_ssize_t n = archive_read_data(a, chunk, sizeof(chunk));

		if (n < 0) {
			strbuf_release(&b);
			free(t);
			return err_set(err, CUSTOS_EFORMAT, name,
				       "cannot read '%s' from the archive: %s",
				       name, archive_error_string(a));
		}
		if (n == 0)
			break;
		strbuf_add(&b, chunk, (size_t)n);
		if (b.failed) {
			if (b.err.code == CUSTOS_ENOMEM) {
				strbuf_release(&b);
				free(t);
				return err_nomem(err);
			}
			t->too_big = 1;      /* the rest is skipped with the entry */
			break;
		}
	}
	if (!t->too_big) {
		t->len = b.len;
		t->data = b.data ? b.data : strdup("");
		b.data = NULL;
		ai->cached_total += t->len;
	}
	strbuf_release(&b);
	if ((!t->too_big && !t->data) || strmap_put(ai->tags, name, t) < 0) {
		free(t->data);
		free(t);
		return err_nomem(err);
	}
	return 0;
}

static enum bag_entry_type entry_type(struct archive_entry *e)
{
	if (archive_entry_hardlink(e))
		return BAG_ENTRY_OTHER;
	switch (archive_entry_filetype(e)) {
	case AE_IFREG: return BAG_ENTRY_FILE;
	case AE_IFDIR: return BAG_ENTRY_DIR;
	case AE_IFLNK: return BAG_ENTRY_SYMLINK;
	default: return BAG_ENTRY_OTHER;
	}
}

/* Pass 1 over one header: keep a safe canonical name, cache tag files. */
static int take_header(struct bagsrc *s, struct archive *a,
		       struct archive_entry *e, struct problems *r,
		       struct custos_err *err)
{
	struct archive_impl *ai = s->impl;
	const char *raw = entry_name(e);
	enum bag_entry_type type = entry_type(e);
	char *canon = NULL, *target = NULL;
	unsigned flags;
	int verdict;

	if (!raw)
		return 0;
	verdict = relpath_normalize(&canon, raw, &flags);
	if (verdict < 0)
		return err_nomem(err);
	if (verdict == RELPATH_EMPTY)
		return 0;                         /* "./" itself */
	if (verdict != RELPATH_OK) {
		problems_error(r, "path-outside-bag", raw,
			     "archive entry '%s' %s: it would escape the bag",
			     raw, relpath_verdict_str((enum relpath_verdict)verdict));
		return 0;
	}
	if (type == BAG_ENTRY_SYMLINK || type == BAG_ENTRY_OTHER) {
		const char *t = archive_entry_symlink(e);

		if (!t)
			t = archive_entry_hardlink(e);
		if (t && !(target = strdup(t))) {
			free(canon);
			return err_nomem(err);
		}
	}
	/* a name twice is reported (duplicate-entry); its first copy is read */
	if (type == BAG_ENTRY_FILE && is_tag_candidate(canon) &&
	    !strmap_get(ai->tags, canon) && cache_tag(ai, a, e, canon, err) < 0) {
		free(canon);
		free(target);
		return -1;
	}
	if (bagsrc_add_entry(s, canon, type, (uint64_t)archive_entry_size(e),
			     target) < 0)
		return err_nomem(err);
	return 0;
}

static void note_serialization(struct bagsrc *s, struct archive *a)
{
	int fmt = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
	int filter = archive_filter_count(a) > 1 ? archive_filter_code(a, 0) : 0;

	if (fmt == ARCHIVE_FORMAT_ZIP)
		s->ser = BAG_SER_ZIP;
	else if (fmt == ARCHIVE_FORMAT_TAR && filter == ARCHIVE_FILTER_NONE)
		s->ser = BAG_SER_TAR;
	else if (fmt == ARCHIVE_FORMAT_TAR && filter == ARCHIVE_FILTER_GZIP)
		s->ser = BAG_SER_TAR_GZIP;
	else
		s->ser = BAG_SER_OTHER;
}

/* The bag root: the single top-level directory holding bagit.txt, or the
 * archive root itself. */
static int choose_root(struct bagsrc *s, struct problems *r,
		       struct custos_err *err)
{
	struct archive_impl *ai = s->impl;
	const char *first = s->count ? s->entries[0].path : "";
	size_t toplen = strcspn(first, "/");
	int single = s->count > 0, top_is_dir = 0;
	char probe[PATH_MAX];

	for (size_t i = 0; i < s->count && single; i++) {
		const char *p = s->entries[i].path;

		if (strncmp(p, first, toplen) != 0 ||
		    (p[toplen] != '/' && p[toplen] != '\0')) {
			single = 0;
			break;
		}
		/* one top-level file is no bag directory: "f" alone, or twice */
		top_is_dir |= p[toplen] == '/' || s->entries[i].type == BAG_ENTRY_DIR;
	}
	single &= top_is_dir;
	snprintf(probe, sizeof(probe), "%.*s/bagit.txt", (int)toplen, first);
	if (single && (strmap_get(ai->tags, probe) ||
		       !strmap_get(ai->tags, "bagit.txt"))) {
		ai->root = malloc(toplen + 2);
		if (!ai->root)
			return err_nomem(err);
		memcpy(ai->root, first, toplen);
		ai->root[toplen] = '/';
		ai->root[toplen + 1] = '\0';
	} else {
		ai->root = strdup("");
		if (!ai->root)
			return err_nomem(err);
		if (s->count)
			problems_warn(r, "serialization", "",
				    "'%s' does not hold the bag in one top-level directory",
				    s->path);
	}
	return 0;
}

/* Rewrite entry paths relative to the root; drop the root itself. */
static int strip_root(struct bagsrc *s, struct problems *r)
{
	struct archive_impl *ai = s->impl;
	size_t rl = strlen(ai->root), keep = 0;

	for (size_t i = 0; i < s->count; i++) {
		struct bag_entry *e = &s->entries[i];

		if (rl && strncmp(e->path, ai->root, rl) != 0) {
			if (strncmp(e->path, ai->root, rl - 1) != 0 ||
			    e->path[rl - 1] != '\0')
				problems_error(r, "unexpected-file", e->path,
					     "archive entry '%s' lies outside the bag's directory '%s'",
					     e->path, ai->root);
			free(e->path);
			free(e->link_target);
			continue;
		}
		memmove(e->path, e->path + rl, strlen(e->path + rl) + 1);
		s->entries[keep++] = *e;
	}
	s->count = keep;
	for (size_t i = 1; i < s->count; i++)
		if (!strcmp(s->entries[i].path, s->entries[i - 1].path))
			problems_error(r, "duplicate-entry", s->entries[i].path,
				     "'%s' appears more than once in the archive",
				     s->entries[i].path);
	return 0;
}

/* Many archives hold no entries for directories: infer them from the
 * files' paths so "data/" exists whenever a payload file does. */
static int add_implied_dirs(struct bagsrc *s, struct custos_err *err)
{
	struct strmap *have = strmap_new();
	size_t n = s->count;
	int rc = 0;

	if (!have)
		return err_nomem(err);
	for (size_t i = 0; i < n; i++)
		if (s->entries[i].type == BAG_ENTRY_DIR &&
		    strmap_put(have, s->entries[i].path, have) < 0)
			rc = -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *p = strdup(s->entries[i].path), *slash;

		if (!p) {
			rc = -1;
			break;
		}
		while (rc == 0 && (slash = strrchr(p, '/'))) {
			char *dir;

			*slash = '\0';
			if (strmap_get(have, p))
				break;
			if (strmap_put(have, p, have) < 0 || !(dir = strdup(p)) ||
			    bagsrc_add_entry(s, dir, BAG_ENTRY_DIR, 0, NULL) < 0)
				rc = -1;
		}
		free(p);
	}
	strmap_free(have);
	if (rc < 0)
		return err_nomem(err);
	bagsrc_sort_entries(s);
	return 0;
}

static int archive_inventory(struct bagsrc *s, struct problems *r,
			     struct custos_err *err)
{
	struct archive *a = open_archive(s->path, &s->recognized, err);
	struct archive_entry *e;
	int rc;

	if (!a)
		return -1;
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	       rc == ARCHIVE_WARN) {
		s->recognized = 1;
		if (take_header(s, a, e, r, err) < 0) {
			archive_read_free(a);
			return -1;
		}
	}
	if (rc != ARCHIVE_EOF) {
		err_set(err, CUSTOS_EFORMAT, s->path, "cannot read archive '%s': %s",
			s->path, archive_error_string(a));
		s->recognized |= broken_archive(a);
		archive_read_free(a);
		return -1;
	}
	note_serialization(s, a);
	archive_read_free(a);
	bagsrc_sort_entries(s);
	if (choose_root(s, r, err) < 0 || strip_root(s, r) < 0)
		return -1;
	return add_implied_dirs(s, err);
}

/* The cached tag file RELPATH within MAX bytes, not yet streamed: 0
 * (*out), 1 not in the archive, -1 with *err. */
static int cached_tag(struct bagsrc *s, const char *relpath, size_t max,
		      struct cached_tag **out, struct custos_err *err)
{
	struct archive_impl *ai = s->impl;
	char name[PATH_MAX];
	struct cached_tag *t;

	if (snprintf(name, sizeof(name), "%s%s", ai->root ? ai->root : "",
		     relpath) >= (int)sizeof(name))
		return 1;
	t = strmap_get(ai->tags, name);
	if (!t)
		return 1;
	if (t->too_big || t->len > max)
		return err_set(err, CUSTOS_ELIMIT, relpath,
			       "'%s' is larger than %zu bytes", relpath, max);
	if (t->streamed)
		return err_set(err, CUSTOS_EINTERNAL, relpath,
			       "'%s' was already streamed from the archive", relpath);
	*out = t;
	return 0;
}

static int archive_read_tag(struct bagsrc *s, const char *relpath, size_t max,
			    char **out, size_t *len, struct custos_err *err)
{
	struct cached_tag *t;
	int rc = cached_tag(s, relpath, max, &t, err);

	if (rc)
		return rc;
	*out = malloc(t->len + 1);
	if (!*out)
		return err_nomem(err);
	memcpy(*out, t->data, t->len + 1);
	*len = t->len;
	return 0;
}

static int archive_stream_tag(struct bagsrc *s, const char *relpath,
			      size_t max, const struct fio_sink *sink,
			      struct custos_err *err)
{
	struct archive_impl *ai = s->impl;
	struct cached_tag *t;
	int rc = cached_tag(s, relpath, max, &t, err);

	if (rc)
		return rc;
	if (t->len && sink->block(sink->arg, (const unsigned char *)t->data,
				  t->len, err) < 0)
		return -1;
	/* a manifest of millions of lines is parsed now: its text goes */
	free(t->data);
	t->data = NULL;
	t->streamed = 1;
	ai->cached_total -= t->len;
	return 0;
}

static void digest_entry(struct archive *a, struct bagsrc_job *job,
			 unsigned char *buf, struct progress *progress)
{
	struct custos_err err;
	struct digest_set *ds = NULL;
	struct digest_result res;

	err_clear(&err);
	if (digest_set_new(&ds, job->want, &err) < 0)
		goto fail;
	for (;;) {
		la_ssize_t n = archive_read_data(a, buf, FIO_BUFSIZE);

		if (n < 0) {
			err_set(&err, CUSTOS_EIO, job->path,
				"cannot read '%s' from the archive: %s", job->path,
				archive_error_string(a));
			goto fail;
		}
		if (n == 0)
			break;
		if (digest_set_update(ds, buf, (size_t)n, &err) < 0)
			goto fail;
		job->nread += (uint64_t)n;
	}
	if (digest_set_final(ds, &res, &err) < 0)
		goto fail;
	if (bagsrc_job_keep(job, &res) < 0) {
		err_nomem(&err);
		goto fail;
	}
	progress_add(progress, 1, job->nread);
	digest_set_free(ds);
	return;
fail:
	digest_set_free(ds);
	job->failed = 1;
	job->error = strdup(err.msg);
}

static int archive_digest(struct bagsrc *s, struct bagsrc_job *jobs, size_t n,
			  unsigned workers, struct custos_err *err)
{
	struct archive_impl *ai = s->impl;
	struct strmap *want = strmap_new();
	struct archive *a = NULL;
	struct archive_entry *e;
	size_t rl = strlen(ai->root);
	int rc = -1, hr;

	(void)workers;                         /* a stream is read in order */
	if (!want || (!ai->buf && !(ai->buf = malloc(FIO_BUFSIZE)))) {
		err_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (strmap_put(want, jobs[i].path, &jobs[i]) < 0) {
			err_nomem(err);
			goto out;
		}
	if (!(a = open_archive(s->path, NULL, err)))
		goto out;
	while ((hr = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	       hr == ARCHIVE_WARN) {
		const char *raw = entry_name(e);
		char *canon = NULL;
		unsigned flags;
		struct bagsrc_job *job;

		if (!raw || entry_type(e) != BAG_ENTRY_FILE ||
		    relpath_normalize(&canon, raw, &flags) != RELPATH_OK)
			continue;
		if (strncmp(canon, ai->root, rl) == 0 &&
		    (job = strmap_get(want, canon + rl)) && !job->nread &&
		    !job->failed)
			digest_entry(a, job, ai->buf, s->progress);
		free(canon);
	}
	if (hr != ARCHIVE_EOF) {
		err_set(err, CUSTOS_EFORMAT, s->path, "cannot read archive '%s': %s",
			s->path, archive_error_string(a));
		goto out;
	}
	rc = 0;
out:
	if (a)
		archive_read_free(a);
	strmap_free(want);
	return rc;
}

struct bagsrc_entry {
	struct archive *a;
	const char *path;
};

long long bagsrc_entry_read(struct bagsrc_entry *e, void *buf, size_t len,
			    struct custos_err *err)
{
	la_ssize_t n = archive_read_data(e->a, buf, len);

	if (n < 0)
		return err_set(err, CUSTOS_EIO, e->path,
			       "cannot read '%s' from the archive: %s", e->path,
			       archive_error_string(e->a));
	return n;
}

/* One entry of the stream: refuse what cannot be a file of the bag. */
static int each_entry(struct bagsrc *s, struct archive *a,
		      struct archive_entry *ae, int bag_relative,
		      bagsrc_file_fn fn, void *arg, struct custos_err *err)
{
	struct archive_impl *ai = s->impl;
	const char *raw = entry_name(ae);
	enum bag_entry_type type = entry_type(ae);
	struct bagsrc_entry e = { a, NULL };
	size_t rl = ai->root ? strlen(ai->root) : 0;
	char *canon = NULL;
	unsigned flags;
	int verdict, rc;

	if (!raw || type == BAG_ENTRY_DIR)
		return 0;
	verdict = relpath_normalize(&canon, raw, &flags);
	if (verdict < 0)
		return err_nomem(err);
	if (verdict == RELPATH_EMPTY)
		return 0;
	if (verdict != RELPATH_OK)
		return fn(arg, raw, 0, NULL, "an entry that would escape the destination", err);
	if (bag_relative && rl && strncmp(canon, ai->root, rl) != 0) {
		free(canon);
		return 0;
	}
	e.path = canon + (bag_relative ? rl : 0);
	if (type != BAG_ENTRY_FILE)
		rc = fn(arg, e.path, 0, NULL, type == BAG_ENTRY_SYMLINK ?
			"a symbolic link" : "a hard link or special file", err);
	else
		rc = fn(arg, e.path, (uint64_t)archive_entry_size(ae), &e, NULL, err);
	free(canon);
	return rc;
}

static int archive_each_file(struct bagsrc *s, int bag_relative,
			     bagsrc_file_fn fn, void *arg,
			     struct custos_err *err)
{
	struct archive *a = open_archive(s->path, NULL, err);
	struct archive_entry *ae;
	int hr, rc = 0;

	if (!a)
		return -1;
	while (rc == 0 && ((hr = archive_read_next_header(a, &ae)) == ARCHIVE_OK ||
			   hr == ARCHIVE_WARN))
		rc = each_entry(s, a, ae, bag_relative, fn, arg, err);
	if (rc == 0 && hr != ARCHIVE_EOF)
		rc = err_set(err, CUSTOS_EFORMAT, s->path,
			     "cannot read archive '%s': %s", s->path,
			     archive_error_string(a));
	archive_read_free(a);
	return rc;
}

static void archive_close(struct bagsrc *s)
{
	struct archive_impl *ai = s->impl;
	size_t pos = 0;
	const char *key;
	void *val;

	if (!ai)
		return;
	while (ai->tags && strmap_next(ai->tags, &pos, &key, &val)) {
		struct cached_tag *t = val;

		free(t->data);
		free(t);
	}
	strmap_free(ai->tags);
	free(ai->root);
	free(ai->buf);
	free(ai);
}

static const struct bagsrc_ops archive_ops = {
	archive_inventory, archive_read_tag, archive_stream_tag, archive_digest,
	archive_close,
	archive_each_file,
};

int bagsrc_archive_open(struct bagsrc *s, struct custos_err *err)
{
	struct archive_impl *ai = calloc(1, sizeof(*ai));

	if (!ai || !(ai->tags = strmap_new())) {
		free(ai);
		return err_nomem(err);
	}
	s->impl = ai;
	s->ops = &archive_ops;
	s->ser = BAG_SER_OTHER;
	return 0;
}
