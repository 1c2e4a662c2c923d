/*
 * formats/container_int.h - the in-memory form of container signatures,
 * shared by the container_*.c files only (not a public header): compiled
 * byte patterns, signatures, the per-container-type list of entry paths
 * to look up, and the documented limits of a container check.
 */
#ifndef CUSTOS_FORMATS_CONTAINER_INT_H
#define CUSTOS_FORMATS_CONTAINER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

/* Limits of one container check (documented in the report/design). */
/* bytes read from an entry's start, and kept from its end */
#define CONTAINER_HEAD_MAX (64u * 1024)
#define CONTAINER_TAIL_MAX (64u * 1024)
/* decompressed bytes per ZIP file, all entries together */
#define CONTAINER_ZIP_INFLATE_MAX (16u * 1024 * 1024)
#define CONTAINER_ZIP_ENTRIES_MAX 65536u    /* entries in a ZIP directory */
#define CONTAINER_ZIP_CDIR_MAX (64u << 20)  /* central directory bytes */
#define CONTAINER_OLE2_TAIL_STREAM (16u * 1024 * 1024) /* larger OLE2
						 * streams: no tail read */
#define CONTAINER_STEPS_SIG (1u << 20)      /* pattern steps per signature */
#define CONTAINER_STEPS_TOTAL (1u << 23)    /* pattern steps per file */

/* Limits of a signature file's patterns. */
#define CPAT_TOKENS_MAX 4096                /* tokens in one pattern */
#define CPAT_NEST_MAX 8                     /* nesting of ( | ) groups */
#define CPAT_INF UINT32_MAX                 /* unbounded gap / offset */

enum cpat_kind { CPAT_BYTE, CPAT_SET, CPAT_GAP, CPAT_ALT };

struct cpat;

/* One element of a pattern. */
struct cpat_tok {
	uint8_t kind;          /* enum cpat_kind */
	uint8_t byte;          /* CPAT_BYTE: the byte */
	uint32_t a, b;         /* GAP: min, max (or CPAT_INF);
				* ALT: first alternative, count */
	uint8_t set[32];       /* CPAT_SET: bit i set = byte i matches */
};

/* A pattern: a token sequence; ALT tokens index into ALT[]. */
struct cpat {
	struct cpat_tok *tok;
	size_t ntok;
	struct cpat *alt;      /* alternatives, each a pattern of its own */
	size_t nalt;
	size_t minlen, maxlen; /* bytes a match spans; maxlen SIZE_MAX = any */
};

enum cseq_ref { CSEQ_BOF, CSEQ_EOF, CSEQ_VAR };

/* A SubSequence: pattern (fragments folded in) and its offset window. */
struct csub {
	struct cpat pat;
	uint32_t min, max;     /* gap from the reference; CPAT_INF: none */
};

struct cbseq {                 /* ByteSequence: all SUB in order */
	enum cseq_ref ref;
	struct csub *sub;
	size_t nsub;
};

struct cisig {                 /* InternalSignature: all BS must match */
	int id;
	struct cbseq *bs;
	size_t nbs;
};

enum ctype { CTYPE_ZIP, CTYPE_OLE2, CTYPE_COUNT };

struct cfile {                 /* File: PATH present and any of SIG */
	char *path;
	size_t path_index;     /* into container_sigs.paths[type] */
	struct cisig *sig;
	size_t nsig;           /* 0: presence is enough */
};

struct csig {                  /* ContainerSignature */
	int id;
	enum ctype type;
	struct cfile *file;
	size_t nfile;
	char **puids;          /* NULL-terminated, from FileFormatMappings */
	size_t npuid;
};

/* The distinct entry paths of one container type. */
struct cpath {
	char *path;
	bool needs_bytes;      /* some File with this path has signatures */
	bool needs_tail;       /* ... and one of them is EOF-anchored */
	bool is_dir;           /* ends in '/': any entry under it counts */
	bool is_glob;          /* has '*' or '?': tried as a glob after the
				* exact name, as DROID does */
};

struct ctrigger {
	char *puid;
	enum ctype type;
};

struct container_sigs {
	struct csig *sig;
	size_t nsig;
	struct ctrigger *trig;
	size_t ntrig;
	struct cpath *paths[CTYPE_COUNT];
	size_t npaths[CTYPE_COUNT];
	char version[32];
};

/* What a container holds for one wanted path. */
struct centry {
	bool present;
	bool have_bytes;       /* head (and maybe tail) were read */
	bool whole;            /* head holds the entire entry */
	bool have_tail;        /* tail holds the entry's last tail_len bytes */
	unsigned char *head;
	size_t head_len;
	unsigned char *tail;
	size_t tail_len;
	uint64_t size;         /* declared entry size */
	char name[96];         /* the entry's own name, for evidence */
};

/* container_pattern.c */
/* Parse TEXT (PRONOM container sequence syntax) and append to P. SHOWN
 * and LINE name the place in errors. 0, or -1 with *err. */
int cpat_parse(struct cpat *p, const char *text, const char *shown,
	       long line, struct custos_err *err);
/* Append the tokens of SRC to DST (SRC is emptied). 0, or -1 on OOM. */
int cpat_append(struct cpat *dst, struct cpat *src, struct custos_err *err);
/* Append one token (GAP, or ALT over alternatives moved in). */
int cpat_push_gap(struct cpat *p, uint32_t min, uint32_t max,
		  struct custos_err *err);
int cpat_push_alt(struct cpat *p, struct cpat *alts, size_t n,
		  struct custos_err *err);
void cpat_measure(struct cpat *p);         /* fill minlen/maxlen */
void cpat_release(struct cpat *p);         /* frees contents; P reusable */
/* True if internal signature S matches entry E. *steps is a budget. */
bool cisig_match(const struct cisig *s, const struct centry *e,
		 size_t *steps);

/* container_access.c: true if entry NAME is what P names. */
bool cpath_hit(const struct cpath *p, const char *name);

/* container_sigs.c: parse an XML document held in memory. */
int container_sigs_parse(struct container_sigs **out, const char *buf,
			 size_t len, const char *shown,
			 struct custos_err *err);

/* container_builtin.c */
extern const char container_builtin_xml[];

/* container_zip.c / container_ole2.c: fill E[0..npaths) for the wanted
 * PATHS of the container in FD. 0, or -1 with *err (damaged). */
int container_zip_scan(const struct cpath *paths, size_t npaths,
		       struct centry *e, int fd, struct custos_err *err);
int container_ole2_scan(const struct cpath *paths, size_t npaths,
			struct centry *e, int fd, struct custos_err *err);

#endif
