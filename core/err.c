/*
 * core/err.c - filling struct custos_err.
 * Never allocates: an error report must work when memory is gone.
 */
#include "core/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void set_path(struct custos_err *e, const char *path)
{
	size_t n;

	if (!path) {
		e->path[0] = '\0';
		return;
	}
	n = strlen(path);
	if (n >= sizeof(e->path))
		n = sizeof(e->path) - 1;
	memcpy(e->path, path, n);
	e->path[n] = '\0';
}

int err_set(struct custos_err *e, enum custos_errcode code, const char *path,
	    const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	e->code = code;
	e->sys_errno = 0;
	set_path(e, path);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int err_sys(struct custos_err *e, const char *path, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t used;

	if (!e)
		return -1;
	e->code = CUSTOS_EIO;
	e->sys_errno = saved;
	set_path(e, path);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	used = strlen(e->msg);
	if (used < sizeof(e->msg))
		snprintf(e->msg + used, sizeof(e->msg) - used, ": %s",
			 strerror(saved));
	errno = saved;
	return -1;
}

void err_clear(struct custos_err *e)
{
	if (!e)
		return;
	e->code = CUSTOS_OK;
	e->sys_errno = 0;
	e->path[0] = '\0';
	e->msg[0] = '\0';
}

int err_nomem(struct custos_err *e)
{
	return err_set(e, CUSTOS_ENOMEM, NULL, "out of memory");
}
