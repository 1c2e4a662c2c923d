/*
 * core/relpath.h - checking a relative path that came from outside (a
 * manifest, an archive entry, a storage key): refused if it could leave
 * the directory it is relative to, else folded to one canonical form.
 * Pure string work: no file is touched.
 */
#ifndef CUSTOS_CORE_RELPATH_H
#define CUSTOS_CORE_RELPATH_H

/* Why a path was refused (checked in this order). */
enum relpath_verdict {
	RELPATH_OK = 0,
	RELPATH_EMPTY,        /* "" or only "./" */
	RELPATH_ABSOLUTE,     /* "/etc/passwd" */
	RELPATH_HOME,         /* "~/x", "~root/x": a shell would leave the bag */
	RELPATH_DOTDOT,       /* a ".." component */
	RELPATH_CONTROL,      /* a control character other than CR/LF (tab ok) */
};

/* Things tolerated but worth a warning, as bits. */
enum relpath_flags {
	RELPATH_F_DOTSLASH = 1 << 0,   /* "./data/x" or "data/./x": removed */
	RELPATH_F_SLASHES = 1 << 1,    /* "data//x" or a trailing '/': folded */
	RELPATH_F_BACKSLASH = 1 << 2,  /* "\" is a separator on Windows */
};

/* Check decoded PATH and produce its canonical form (*out, caller frees,
 * set only when the verdict is RELPATH_OK). *flags gets the tolerated
 * oddities. Returns the verdict; -1 on OOM. */
int relpath_normalize(char **out, const char *path, unsigned *flags);

/* Human words for a verdict ("is absolute"). */
const char *relpath_verdict_str(enum relpath_verdict v);

#endif
