/*
 * core/err.h - the error object every fallible custos call fills.
 * Caller-owned, set once where the problem is detected, passed up untouched.
 * Messages: lowercase, problem first, subject quoted, one line.
 */
#ifndef CUSTOS_CORE_ERR_H
#define CUSTOS_CORE_ERR_H

#include <limits.h>

/* Stable, append-only. */
enum custos_errcode {
	CUSTOS_OK = 0,
	CUSTOS_EIO,       /* a system call failed (errno in sys_errno) */
	CUSTOS_EFORMAT,   /* input is not what it must be */
	CUSTOS_ELIMIT,    /* input exceeds a documented limit */
	CUSTOS_ENOMEM,    /* out of memory */
	CUSTOS_EUSAGE,    /* caller asked for something impossible */
	CUSTOS_EINTERNAL, /* a bug or a library failure */
};

struct custos_err {
	enum custos_errcode code;
	int sys_errno;          /* 0 unless a system call failed */
	char path[PATH_MAX];    /* the file the problem is about, "" if none */
	char msg[1024];         /* full one-line message */
};

/* Fill E (may be NULL), return -1. PATH may be NULL. */
int err_set(struct custos_err *e, enum custos_errcode code, const char *path,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Like err_set with CUSTOS_EIO, appending ": strerror(errno)". */
int err_sys(struct custos_err *e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reset E to CUSTOS_OK. */
void err_clear(struct custos_err *e);

/* Out of memory: sets CUSTOS_ENOMEM, returns -1. */
int err_nomem(struct custos_err *e);

#endif
