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
	for (size_t i = 0; i < r->count; i++)
		free(r->items[i].code);      /* the one block of the item */
	free(r->items);
	memset(r, 0, sizeof(*r));
}

/* Copy S (may be NULL) to *AT, return where it went (NULL for NULL). */
static char *put(char **at, const char *s)
{
	char *start = *at;

	if (!s)
		return NULL;
	*at = stpcpy(start, s) + 1;
	return start;
}

/* Every string of one item in one allocation: a bag with millions of
 * findings (a manifest naming absent files) costs one malloc each. */
static bool fill_item(struct problem *it, const char *code, const char *path,
		      const char *expected, const char *actual, const char *msg)
{
	size_t need = strlen(code) + strlen(path) + strlen(msg) + 3 +
		      (expected ? strlen(expected) + 1 : 0) +
		      (actual ? strlen(actual) + 1 : 0);
	char *at = malloc(need);

	if (!at)
		return false;
	it->code = put(&at, code);
	it->path = put(&at, path);
	it->message = put(&at, msg);
	it->expected = put(&at, expected);
	it->actual = put(&at, actual);
	return true;
}

void problems_add(struct problems *r, enum problem_severity sev, const char *code,
		const char *path, const char *expected, const char *actual,
		const char *fmt, ...)
{
	struct problem *it;
	va_list ap;
	char *msg = NULL;
	bool kept;

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
	kept = msg && fill_item(it, code, path ? path : "", expected, actual, msg);
	free(msg);
	if (!kept) {
		r->oom = true;
		r->errors++;
		return;
	}
	r->count++;
}

void problems_copy(struct problems *to, const struct problems *from)
{
	for (size_t i = 0; i < from->count; i++) {
		const struct problem *it = &from->items[i];

		problems_add(to, it->severity, it->code, it->path, it->expected,
			     it->actual, "%s", it->message);
	}
}

bool problems_has(const struct problems *r, const char *code)
{
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->items[i].code, code) == 0)
			return true;
	return false;
}
