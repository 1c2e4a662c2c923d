/*
 * formats/identify.h - PRONOM format identification (public API).
 * A loaded identifier (DROID binary signatures or the built-in set, plus
 * container signatures) is immutable and shared by threads; a scan is the
 * per-file state of the single read pass: it keeps only the first HEAD and
 * the last TAIL bytes of what it is fed, so its memory does not depend on
 * the file size. Policy (DROID's): all signature matches are collected,
 * containers refine a trigger match, HasPriorityOverFileFormatID removes
 * the weaker hits afterwards (several results remain possible), the
 * extension is used only when nothing matched.
 *
 * Limits: a file of at most FMT_WHOLE_MAX bytes is matched whole (so
 * unbounded subsequences see all of it, as DROID with no scan limit).
 * For larger files: HEAD = the furthest BOF offset the signatures need, at least
 * FMT_WINDOW_MIN, at most FMT_WINDOW_MAX (V122: 152 KiB); TAIL likewise
 * for EOF offsets (V122: 132 KiB). BOF sequences (including their later,
 * unbounded subsequences) are matched within HEAD, EOF sequences within
 * TAIL, Variable sequences in HEAD and then TAIL; each ByteSequence gets
 * at most SIG_MATCH_BUDGET steps (formats/matcher.h). The text heuristic
 * reads HEAD only.
 */
#ifndef CUSTOS_FORMATS_IDENTIFY_H
#define CUSTOS_FORMATS_IDENTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define FMT_WINDOW_MIN (64u << 10)
#define FMT_WINDOW_MAX (1u << 20)
#define FMT_WHOLE_MAX (1u << 20)
#define FMT_MAX_MATCHES 16
#define FMT_MAX_WARNINGS 3
#define FMT_WARNING_LEN 160
#define FMT_EVIDENCE_LEN 200
#define FMT_PUID_LEN 32

enum fmt_basis {
	FMT_BASIS_SIGNATURE,    /* byte signature (or the text heuristic) */
	FMT_BASIS_CONTAINER,    /* container signature (ZIP / OLE2) */
	FMT_BASIS_EXTENSION,    /* file name extension only */
};

struct fmt_match {
	char puid[FMT_PUID_LEN];    /* "fmt/43" */
	const char *name;           /* borrowed from the identifier; "" if none */
	const char *version;        /* "" if none */
	const char *mime;           /* "" if none; PRONOM's, advisory */
	enum fmt_basis basis;
	char evidence[FMT_EVIDENCE_LEN];  /* "byte match at 0,4 (signature 123)" */
	size_t nwarnings;
	char warnings[FMT_MAX_WARNINGS][FMT_WARNING_LEN];
};

struct fmt_result {
	size_t nmatches;            /* 0 = unidentified */
	struct fmt_match matches[FMT_MAX_MATCHES];  /* sorted by PUID */
	bool truncated;             /* more matches than FMT_MAX_MATCHES */
};

struct fmt_identifier;
struct fmt_scan;

/* Load binary signatures from SIGPATH (a DROID signature file) or the
 * built-in set if NULL, and container signatures from CONTAINERPATH or the
 * built-in container set if NULL. Malformed files give CUSTOS_EFORMAT
 * naming the file and line. */
int fmt_identifier_load(struct fmt_identifier **out, const char *sigpath,
			const char *containerpath, struct custos_err *err);
void fmt_identifier_free(struct fmt_identifier *id);        /* NULL ok */

/* "V122" or "built-in N": the binary signature set in use. */
const char *fmt_identifier_version(const struct fmt_identifier *id);
/* Window sizes in bytes for files over FMT_WHOLE_MAX (Limits above). */
size_t fmt_identifier_head(const struct fmt_identifier *id);
size_t fmt_identifier_tail(const struct fmt_identifier *id);

/* Name, version and MIME type of PUID from the binary signature file's
 * FileFormat table (borrowed strings). 0, or -1 if PUID is unknown. */
int fmt_identifier_lookup(const struct fmt_identifier *id, const char *puid,
			  const char **name, const char **version,
			  const char **mime);

/* Per-file scan state for ID (which must outlive it). */
int fmt_scan_new(struct fmt_scan **out, const struct fmt_identifier *id,
		 struct custos_err *err);
/* Feed the next LEN bytes of the file, in order. Always 0. */
int fmt_scan_block(struct fmt_scan *s, const unsigned char *buf, size_t len);
/* Identify what was fed. FILENAME (may be NULL) gives the extension;
 * SIZE is the file size (the bytes fed count if they differ); FD, if not
 * -1, is a seekable descriptor of the same file, used only for container
 * checks. A damaged container keeps the binary result with a warning.
 * 0, or -1 with *err (out of memory). */
int fmt_scan_finish(struct fmt_scan *s, const char *filename, uint64_t size,
		    int fd, struct fmt_result *res, struct custos_err *err);
/* The same as fmt_scan_block with the signature of core/fileio.h's
 * struct fio_sink block callback (ARG is the struct fmt_scan *), so one
 * fio_readpass() feeds digests and identification together. Always 0. */
int fmt_scan_sink(void *arg, const unsigned char *buf, size_t len,
		  struct custos_err *err);
/* Forget what was fed, ready for the next file. */
void fmt_scan_reset(struct fmt_scan *s);
void fmt_scan_free(struct fmt_scan *s);                     /* NULL ok */

/* Identify the open regular file FD by reading only its head and tail
 * windows (pread). S is reset first. SHOWN names the file in errors.
 * 0, or -1 with *err (read error). */
int fmt_identify_fd(struct fmt_scan *s, int fd, const char *filename,
		    const char *shown, struct fmt_result *res,
		    struct custos_err *err);

/* "signature", "container", "extension". */
const char *fmt_basis_name(enum fmt_basis b);

#endif
