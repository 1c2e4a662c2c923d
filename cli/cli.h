/*
 * cli/cli.h - what every command shares: messages, option values, output.
 */
#ifndef CUSTOS_CLI_CLI_H
#define CUSTOS_CLI_CLI_H

#include <stdint.h>
#include <jansson.h>
#include "core/err.h"

/* "custos: MESSAGE" on stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print E's message; return its exit code. */
int cli_fail(const struct custos_err *e);

/* Print "custos CMD: MESSAGE" and the usage line; return CLI_EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse a job count 1..1024. 0, or -1 (message printed). */
int cli_parse_jobs(unsigned *out, const char *arg);

/* Split KEY=VALUE (--info) into TAG, pointing into ARG (which is
 * modified). 0, or -1 (message printed). */
struct bag_tag;
int cli_parse_info(struct bag_tag *tag, char *arg);

/* Parse "10G", "500M", "1024" (binary suffixes K M G T). 0, or -1. */
int cli_parse_size(uint64_t *out, const char *arg);

struct repo;
/* Open the repository OPT (-r), $CUSTOS_REPO or "."; print the error and
 * return the exit code on failure (0 on success). WRITE takes the lock. */
int cli_open_repo(struct repo **out, const char *opt, int write);

/* Print J compactly on one line to stdout, and free it. 0, or -1. */
int cli_print_json(json_t *j);

/* ONE when N is 1, else MANY ("file" / "files"). */
static inline const char *cli_plural(unsigned long long n, const char *one,
				     const char *many)
{
	return n == 1 ? one : many;
}

/* True if standard error is a terminal (progress bars allowed). */
int cli_stderr_is_tty(void);

#endif
