/*
 * preserve/bagit/problems.h - the list of problems a bag check finds.
 * Verification names every problem: nothing stops at the first one.
 * Codes are stable, lower-case with hyphens (docs/cli.md).
 */
#ifndef CUSTOS_PRESERVE_BAGIT_PROBLEMS_H
#define CUSTOS_PRESERVE_BAGIT_PROBLEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum problem_severity {
	PROBLEM_ERROR,     /* a MUST of RFC 8493 or the profile is broken */
	PROBLEM_WARNING,   /* a SHOULD is broken, or something looks wrong */
};

struct problem {
	enum problem_severity severity;
	char *code;       /* "digest-mismatch" */
	char *path;       /* the file concerned, relative to the bag; may be "" */
	char *message;    /* one line, names the file */
	char *expected;   /* NULL unless a digest/size comparison */
	char *actual;     /* NULL unless a digest/size comparison */
};

struct problems {
	struct problem *items;
	size_t count, cap;
	size_t errors, warnings;
	bool oom;         /* an item could not be recorded */
};

void problems_init(struct problems *r);
void problems_release(struct problems *r);

/* Record a problem. EXPECTED/ACTUAL may be NULL. Never fails: on OOM the
 * list is marked (r->oom) and counted as an error. */
void problems_add(struct problems *r, enum problem_severity sev, const char *code,
		const char *path, const char *expected, const char *actual,
		const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#define problems_error(r, code, path, ...) \
	problems_add((r), PROBLEM_ERROR, (code), (path), NULL, NULL, __VA_ARGS__)
#define problems_warn(r, code, path, ...) \
	problems_add((r), PROBLEM_WARNING, (code), (path), NULL, NULL, __VA_ARGS__)

/* Append every item of FROM to TO (same severity, code and evidence). */
void problems_copy(struct problems *to, const struct problems *from);

/* True if any item has CODE (for tests and callers deciding outcomes). */
bool problems_has(const struct problems *r, const char *code);

#endif
