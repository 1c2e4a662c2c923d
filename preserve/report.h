/*
 * preserve/report.h - the list of problems a bag check finds.
 * Verification names every problem: nothing stops at the first one.
 * Codes are stable, lower-case with hyphens (spec/cli.md).
 */
#ifndef CUSTOS_PRESERVE_REPORT_H
#define CUSTOS_PRESERVE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum report_severity {
	REPORT_ERROR,     /* a MUST of RFC 8493 or the profile is broken */
	REPORT_WARNING,   /* a SHOULD is broken, or something looks wrong */
};

struct report_item {
	enum report_severity severity;
	char *code;       /* "digest-mismatch" */
	char *path;       /* the file concerned, relative to the bag; may be "" */
	char *message;    /* one line, names the file */
	char *expected;   /* NULL unless a digest/size comparison */
	char *actual;     /* NULL unless a digest/size comparison */
};

struct report {
	struct report_item *items;
	size_t count, cap;
	size_t errors, warnings;
	bool oom;         /* an item could not be recorded */
};

void report_init(struct report *r);
void report_release(struct report *r);

/* Record a problem. EXPECTED/ACTUAL may be NULL. Never fails: on OOM the
 * report is marked (r->oom) and counted as an error. */
void report_add(struct report *r, enum report_severity sev, const char *code,
		const char *path, const char *expected, const char *actual,
		const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#define report_error(r, code, path, ...) \
	report_add((r), REPORT_ERROR, (code), (path), NULL, NULL, __VA_ARGS__)
#define report_warn(r, code, path, ...) \
	report_add((r), REPORT_WARNING, (code), (path), NULL, NULL, __VA_ARGS__)

/* True if any item has CODE (for tests and callers deciding outcomes). */
bool report_has(const struct report *r, const char *code);

#endif
