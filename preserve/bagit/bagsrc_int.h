/*
 * preserve/bagit/bagsrc_int.h - the operations each kind of bag source
 * implements (bagsrc_dir.c, bagsrc_archive.c). Not a public header.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_BAGSRC_INT_H
#define CUSTOS_PRESERVE_BAGIT_BAGSRC_INT_H

#include "core/fileio.h"
#include "preserve/bagit/bagsrc.h"

struct bagsrc_ops {
	int (*inventory)(struct bagsrc *s, struct problems *r,
			 struct custos_err *err);
	int (*read_tag)(struct bagsrc *s, const char *relpath, size_t max,
			char **out, size_t *len, struct custos_err *err);
	int (*stream_tag)(struct bagsrc *s, const char *relpath, size_t max,
			  const struct fio_sink *sink, struct custos_err *err);
	int (*digest)(struct bagsrc *s, struct bagsrc_job *jobs, size_t n,
		      unsigned workers, struct custos_err *err);
	void (*close)(struct bagsrc *s);
	int (*each_file)(struct bagsrc *s, int bag_relative, bagsrc_file_fn fn,
			 void *arg, struct custos_err *err);
};

struct bagsrc {
	const struct bagsrc_ops *ops;
	char *path;                       /* as given */
	enum bag_serialization ser;
	struct bag_entry *entries;        /* filled by inventory */
	size_t count, cap;
	int inventoried;
	int recognized;                   /* the bytes are an archive or a
					   * compressed stream, maybe cut off */
	void *impl;                       /* the kind's own state */
	struct progress *progress;        /* may be NULL */
};

/* Append an entry (takes ownership of PATH and TARGET). 0, or -1 on OOM. */
int bagsrc_add_entry(struct bagsrc *s, char *path, enum bag_entry_type type,
		     uint64_t size, char *target);
/* Sort entries by path. */
void bagsrc_sort_entries(struct bagsrc *s);

int bagsrc_dir_open(struct bagsrc *s, struct custos_err *err);
int bagsrc_archive_open(struct bagsrc *s, struct custos_err *err);

#endif
