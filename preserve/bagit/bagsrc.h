/*
 * preserve/bagit/bagsrc.h - a bag as something to read: a directory on disk, or
 * a serialized bag (.zip, .tar, .tar.gz, ...) read as a stream through
 * libarchive with nothing extracted. The validator sees one interface.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_BAGSRC_H
#define CUSTOS_PRESERVE_BAGIT_BAGSRC_H

#include <stddef.h>
#include <stdint.h>
#include "core/digest.h"
#include "core/err.h"
#include "core/progress.h"
#include "preserve/bagit/bagfacts.h"
#include "preserve/bagit/problems.h"

enum bag_entry_type { BAG_ENTRY_FILE, BAG_ENTRY_DIR, BAG_ENTRY_SYMLINK,
		      BAG_ENTRY_OTHER };

struct bag_entry {
	char *path;                 /* relative to the bag root, canonical */
	enum bag_entry_type type;
	uint64_t size;              /* regular files */
	char *link_target;          /* symlinks, else NULL */
};

/* A file whose digests are wanted, and what came back: only the wanted
 * digests are kept (a full digest_result per file would cost ~900 bytes
 * each, 45 MB for 50,000 files). */
struct bagsrc_job {
	const char *path;           /* borrowed */
	digest_mask want;
	char *hex[DIGEST_COUNT];    /* wanted digests, in one allocation */
	uint64_t nread;             /* bytes actually read */
	int failed;                 /* 1 if it could not be read */
	char *error;                /* message when failed (owned) */
};

struct bagsrc;

/* Open PATH: a directory, or a file libarchive can read. 0, or -1 with
 * *err (CUSTOS_EUSAGE when PATH does not exist). */
int bagsrc_open(struct bagsrc **out, const char *path, struct custos_err *err);
enum bag_serialization bagsrc_serialization(const struct bagsrc *s);

/* Every entry of the bag (files, directories, links, others) in sorted
 * order. Entries escaping the bag go to R and are left out. The array is
 * owned by S. 0, or -1 with *err when the source cannot be read. */
int bagsrc_inventory(struct bagsrc *s, const struct bag_entry **entries,
		     size_t *count, struct problems *r, struct custos_err *err);

/* Read tag file RELPATH (at most MAX bytes). 0, 1 if absent, -1 on error. */
int bagsrc_read_tag(struct bagsrc *s, const char *relpath, size_t max,
		    char **out, size_t *len, struct custos_err *err);

/* Read tag file RELPATH as a stream into SINK, in blocks: nothing is held
 * whole. More than MAX bytes is CUSTOS_ELIMIT, refused before reading when
 * the size is known. From an archive the cached bytes are released once
 * streamed: a second read is CUSTOS_EINTERNAL. 0, 1 if absent, -1 on error
 * (or what SINK failed). */
struct fio_sink;
int bagsrc_stream_tag(struct bagsrc *s, const char *relpath, size_t max,
		      const struct fio_sink *sink, struct custos_err *err);

/* Compute the wanted digests of each job, WORKERS reads in flight for a
 * directory. A file that cannot be read marks its job; -1 only when the
 * whole source failed. */
int bagsrc_digest(struct bagsrc *s, struct bagsrc_job *jobs, size_t n,
		  unsigned workers, struct custos_err *err);
/* Count files and bytes read by bagsrc_digest in P (may be NULL). */
void bagsrc_set_progress(struct bagsrc *s, struct progress *p);

/* Keep RES's wanted digests in JOB (called by the sources). 0, or -1. */
int bagsrc_job_keep(struct bagsrc_job *job, const struct digest_result *res);
/* Free what a job holds (its digests and error text). */
void bagsrc_job_release(struct bagsrc_job *job);

/* Stream every regular file of an archive source once, in archive
 * order. PATH is relative to the bag root when BAG_RELATIVE (files outside
 * it are skipped), else the entry's own canonical path. An entry that
 * would escape, a link or a special file makes FN see it with
 * READ == NULL and KIND set, so the caller can refuse it. FN reads the
 * content with bagsrc_entry_read. Directories are not supported: -1. */
struct bagsrc_entry;
typedef int (*bagsrc_file_fn)(void *arg, const char *path, uint64_t size,
			      struct bagsrc_entry *read, const char *kind,
			      struct custos_err *err);
int bagsrc_each_file(struct bagsrc *s, int bag_relative, bagsrc_file_fn fn,
		     void *arg, struct custos_err *err);
long long bagsrc_entry_read(struct bagsrc_entry *e, void *buf, size_t len,
			    struct custos_err *err);
/* True if S is an archive (not a directory). */
int bagsrc_is_archive(const struct bagsrc *s);

void bagsrc_close(struct bagsrc *s);  /* NULL ok */

/* What a deposit is. The one place that decides it, so that what
 * validate refuses as a broken bag is never taken as a plain file. */
enum bagsrc_kind {
	BAGSRC_PLAIN_DIR,       /* a directory that is no bag */
	BAGSRC_PLAIN_FILE,      /* a file that is no archive custos reads */
	BAGSRC_PLAIN_ARCHIVE,   /* a readable archive holding no bag */
	BAGSRC_BAG_DIR,         /* a directory with the marks of a bag */
	BAGSRC_BAG_ARCHIVE,     /* an archive with the marks of a bag at its
				 * top or one level down, or an archive that
				 * breaks off (truncated, corrupt) */
};

/* The marks of a bag: bagit.txt, or a payload manifest beside data/
 * (a bag that lost its bagit.txt is a broken bag, not a plain deposit:
 * validate refuses it, and so must ingest). Classify PATH. For an archive that reads whole, *SRC is the opened,
 * inventoried source (the caller closes it), else NULL; its inventory
 * problems go to R.
 * 0, or -1 with *err (CUSTOS_EUSAGE when PATH does not exist or is not a
 * file or directory). */
int bagsrc_classify(const char *path, enum bagsrc_kind *kind,
		    struct bagsrc **src, struct problems *r,
		    struct custos_err *err);

/* Bounds for tag files kept in memory. A file over its bound is refused
 * (too-large) before it is buffered: an archive's is never read past it. */
#define BAGSRC_TAG_MAX ((size_t)1 << 30)          /* manifests of ~10M files */
#define BAGSRC_TAG_TOTAL_MAX ((size_t)2 << 30)    /* all cached tag files */
#define BAGSRC_DECLARATION_MAX ((size_t)64 << 10) /* bagit.txt */
#define BAGSRC_INFO_MAX ((size_t)16 << 20)        /* bag-info.txt */

/* The bound for tag file NAME ("bagit.txt", "x/bag-info.txt", ...). */
size_t bagsrc_tag_limit(const char *name);

#endif
