/*
 * preserve/bagit/problems.c - collecting problems with their file and evidence.
 */
#include "preserve/bagit/problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"

void problems_init(struct problems *r)
{
	memset(r, 0, sizeof(*r));
}

void problems_release(struct problems *r)
{
	for (size_t i = 0; i < r->count; i++) {
		struct problem *it = &r->items[i];

		free(it->code);
		free(it->path);
		free(it->message);
		free(it->expected);
		free(it->actual);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void problems_add(struct problems *r, enum problem_severity sev, const char *code,
		const char *path, const char *expected, const char *actual,
		const char *fmt, ...)
{
	struct problem *it;
	va_list ap;
	char *msg = NULL;

	if (sev == PROBLEM_ERROR)
		r->errors++;
	else
		r->warnings++;
	if (ARRAY_GROW(r->items, r->count, r->cap, 16) < 0) {
		r->oom = true;
		r->errors++;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	it = &r->items[r->count];
	it->severity = sev;
	it->code = strdup(code);
	it->path = strdup(path ? path : "");
	it->message = msg;
	it->expected = dup_or_null(expected);
	it->actual = dup_or_null(actual);
	if (!it->code || !it->path || !it->message ||
	    (expected && !it->expected) || (actual && !it->actual)) {
		free(it->code);
		free(it->path);
		free(it->message);
		free(it->expected);
		free(it->actual);
		r->oom = true;
		r->errors++;
		return;
	}
	r->count++;
}

bool problems_has(const struct problems *r, const char *code)
{
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->items[i].code, code) == 0)
			return true;
	return false;
}
