/*
 * preserve/bagit/bagsrc.c - choosing the kind of bag source and the shared
 * entry list; the kinds live in bagsrc_dir.c and bagsrc_archive.c.
 */
#include "preserve/bagit/bagsrc_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int bagsrc_open(struct bagsrc **out, const char *path, struct custos_err *err)
{
	struct bagsrc *s;
	struct stat st;
	int rc;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return err_set(err, CUSTOS_EUSAGE, path,
				       "no such bag: '%s'", path);
		return err_sys(err, path, "cannot open '%s'", path);
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return err_nomem(err);
	}
	if (S_ISDIR(st.st_mode)) {
		rc = bagsrc_dir_open(s, err);
	} else if (S_ISREG(st.st_mode)) {
		rc = bagsrc_archive_open(s, err);
	} else {
		rc = err_set(err, CUSTOS_EUSAGE, path,
			     "'%s' is neither a directory nor a serialized bag", path);
	}
	if (rc < 0) {
		free(s->path);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

size_t bagsrc_tag_limit(const char *name)
{
	const char *slash = strrchr(name, '/'), *base = slash ? slash + 1 : name;

	if (!strcmp(base, "bagit.txt"))
		return BAGSRC_DECLARATION_MAX;
	if (!strcmp(base, "bag-info.txt") || !strcmp(base, "package-info.txt"))
		return BAGSRC_INFO_MAX;
	return BAGSRC_TAG_MAX;
}

enum bag_serialization bagsrc_serialization(const struct bagsrc *s)
{
	return s->ser;
}

int bagsrc_add_entry(struct bagsrc *s, char *path, enum bag_entry_type type,
		     uint64_t size, char *target)
{
	if (s->count == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 256;
		struct bag_entry *g = realloc(s->entries, ncap * sizeof(*g));

		if (!g) {
			free(path);
			free(target);
			return -1;
		}
		s->entries = g;
		s->cap = ncap;
	}
	s->entries[s->count++] = (struct bag_entry){ path, type, size, target };
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct bag_entry *)a)->path,
		      ((const struct bag_entry *)b)->path);
}

void bagsrc_sort_entries(struct bagsrc *s)
{
	if (s->count)                /* an empty archive has no array */
		qsort(s->entries, s->count, sizeof(*s->entries), cmp_entry);
}

int bagsrc_inventory(struct bagsrc *s, const struct bag_entry **entries,
		     size_t *count, struct problems *r, struct custos_err *err)
{
	if (!s->inventoried) {
		if (s->ops->inventory(s, r, err) < 0)
			return -1;
		s->inventoried = 1;
	}
	*entries = s->entries;
	*count = s->count;
	return 0;
}

int bagsrc_read_tag(struct bagsrc *s, const char *relpath, size_t max,
		    char **out, size_t *len, struct custos_err *err)
{
	return s->ops->read_tag(s, relpath, max, out, len, err);
}

int bagsrc_stream_tag(struct bagsrc *s, const char *relpath, size_t max,
		      const struct fio_sink *sink, struct custos_err *err)
{
	return s->ops->stream_tag(s, relpath, max, sink, err);
}

int bagsrc_digest(struct bagsrc *s, struct bagsrc_job *jobs, size_t n,
		  unsigned workers, struct custos_err *err)
{
	return s->ops->digest(s, jobs, n, workers, err);
}

int bagsrc_each_file(struct bagsrc *s, int bag_relative, bagsrc_file_fn fn,
		     void *arg, struct custos_err *err)
{
	if (!s->ops->each_file)
		return err_set(err, CUSTOS_EINTERNAL, s->path,
			       "'%s' cannot be streamed", s->path);
	return s->ops->each_file(s, bag_relative, fn, arg, err);
}

void bagsrc_set_progress(struct bagsrc *s, struct progress *p)
{
	s->progress = p;
}

int bagsrc_is_archive(const struct bagsrc *s)
{
	return s->ser != BAG_SER_NONE;
}

int bagsrc_job_keep(struct bagsrc_job *job, const struct digest_result *res)
{
	size_t total = 0;
	char *buf;

	for (int a = 0; a < DIGEST_COUNT; a++)
		if (job->want & DIGEST_BIT(a))
			total += strlen(res->hex[a]) + 1;
	buf = malloc(total ? total : 1);
	if (!buf)
		return -1;
	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (!(job->want & DIGEST_BIT(a)))
			continue;
		job->hex[a] = buf;
		buf = stpcpy(buf, res->hex[a]) + 1;
	}
	return 0;
}

void bagsrc_job_release(struct bagsrc_job *job)
{
	for (int a = 0; a < DIGEST_COUNT; a++)
		if (job->hex[a]) {
			free(job->hex[a]);     /* the first one owns the block */
			break;
		}
	free(job->error);
}

void bagsrc_close(struct bagsrc *s)
{
	if (!s)
		return;
	s->ops->close(s);
	for (size_t i = 0; i < s->count; i++) {
		free(s->entries[i].path);
		free(s->entries[i].link_target);
	}
	free(s->entries);
	free(s->path);
	free(s);
}
