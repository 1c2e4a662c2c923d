/*
 * core/crashpoint.c - deterministic crash injection for the crash-safety
 * tests (tests/cli/crash.sh). The counter is the one piece of global
 * mutable state in custos, and exists only for this seam.
 */
#include "core/crashpoint.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_long passed;

void crashpoint(const char *name)
{
	const char *at = getenv("CUSTOS_CRASH_AT");
	const char *log = getenv("CUSTOS_CRASH_LOG");
	long n;

	if (!at && !log)
		return;
	n = atomic_fetch_add(&passed, 1) + 1;
	if (log) {
		FILE *f = fopen(log, "a");

		if (f) {
			fprintf(f, "%ld %s\n", n, name);
			fclose(f);
		}
	}
	if (at && strtol(at, NULL, 10) == n)
		kill(getpid(), SIGKILL);
}
