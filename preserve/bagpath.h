/*
 * preserve/bagpath.h - file paths as BagIt writes them (RFC 8493 sec. 2.1.3).
 * Only %, CR and LF are percent-encoded; every other byte is literal
 * ("data/%7Efoo" names a file called "%7Efoo"). A path that would leave
 * the bag is refused here, before anything is opened.
 */
#ifndef CUSTOS_PRESERVE_BAGPATH_H
#define CUSTOS_PRESERVE_BAGPATH_H

/* Why a path was refused (checked in this order). */
enum bagpath_verdict {
	BAGPATH_OK = 0,
	BAGPATH_EMPTY,        /* "" or only "./" */
	BAGPATH_ABSOLUTE,     /* "/etc/passwd" */
	BAGPATH_HOME,         /* "~/x", "~root/x": a shell would leave the bag */
	BAGPATH_DOTDOT,       /* a ".." component */
	BAGPATH_CONTROL,      /* a control character other than CR/LF (tab ok) */
};

/* Things tolerated but worth a warning, as bits. */
enum bagpath_flags {
	BAGPATH_F_DOTSLASH = 1 << 0,   /* "./data/x" or "data/./x": removed */
	BAGPATH_F_SLASHES = 1 << 1,    /* "data//x" or a trailing '/': folded */
	BAGPATH_F_BACKSLASH = 1 << 2,  /* "\" is a separator on Windows */
};

/* Decode %25, %0A, %0D (either case) in RAW into a new string (*out,
 * caller frees). Other '%' sequences stay literal. 0, or -1 on OOM. */
int bagpath_decode(char **out, const char *raw);

/* Encode %, CR, LF of PATH into a new string. 0, or -1 on OOM. */
int bagpath_encode(char **out, const char *path);

/* Check decoded PATH and produce its canonical form (*out, caller frees,
 * set only when the verdict is BAGPATH_OK). *flags gets the tolerated
 * oddities. Returns the verdict; -1 on OOM. */
int bagpath_normalize(char **out, const char *path, unsigned *flags);

/* Human words for a verdict ("is absolute"). */
const char *bagpath_verdict_str(enum bagpath_verdict v);

/* True if PATH ("data/x/.DS_Store") names a file operating systems make
 * on their own and copy tools often drop (.DS_Store, Thumbs.db, ...). */
int bagpath_is_system_file(const char *path);

#endif
