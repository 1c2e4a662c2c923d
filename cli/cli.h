/*
 * cli/cli.h - what every command shares: the context main hands it, option
 * parsing, the repository, messages, option values, output.
 */
#ifndef CUSTOS_CLI_CLI_H
#define CUSTOS_CLI_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "core/err.h"

struct command;
struct repo;

/* What main hands a command: its row of the table, the global options
 * (given before the command or among its own), and the repository once
 * cli_open has opened it (main closes it). */
struct cli_ctx {
	const struct command *cmd;
	const char *repo_path;    /* -r/--repo; NULL: $CUSTOS_REPO or "." */
	struct repo *repo;
	bool json, quiet;
};

/* Codes of the global options; a command's own options use others. */
#define CLI_OPT_REPO 'r'
#define CLI_OPT_QUIET 'q'
#define CLI_OPT_JSON 0x100

/* A command's own option OPT with VALUE (NULL without one): 0, or the
 * exit code to stop with (message printed). */
typedef int (*cli_option_fn)(void *arg, int opt, char *value);

/* A cli_option_fn for a command whose one own option takes a value:
 * stores VALUE in the const char * that ARG points to. */
int cli_keep_value(void *arg, int opt, char *value);

/* The global options before the command (ARGV[1] on): -r/--repo,
 * --json, -q/--quiet, never abbreviated. *FIRST receives the index of
 * the command name. 0, or an exit code (message printed). */
int cli_parse_global(struct cli_ctx *ctx, int argc, char **argv, int *first);

/* Refuse the global options CTX's command does not take; 0 or an exit
 * code (usage error printed). */
int cli_check_global(const struct cli_ctx *ctx);

/* The one option parser of the commands: getopt_long over ARGV (ARGV[0]
 * the command) with the command's SHORTOPTS / LONGOPTS (NULL-terminated;
 * either may be NULL) and the global options its flags allow, which fill
 * CTX. FN gets every other option. Afterwards optind is the first
 * operand. 0, or an exit code (usage error printed). */
int cli_parse(struct cli_ctx *ctx, int argc, char **argv, const char *shortopts,
	      const struct option *longopts, cli_option_fn fn, void *arg);

/* Open CTX's repository as its command's flags say (read, or write with
 * the lock); print the error and return the exit code on failure. */
int cli_open(struct cli_ctx *ctx);
/* cli_open for a command that reads under the policy (ls, show,
 * report) but cannot write: it refuses, naming the change, when the
 * policy in force is not the one on record. */
int cli_open_under_policy(struct cli_ctx *ctx);
/* Reopen it for writing (a read-only command that must repair). */
int cli_reopen_write(struct cli_ctx *ctx);

/* Messages. An error is one line "custos COMMAND: MESSAGE" on stderr
 * ("custos: MESSAGE" before the command is known). In --json mode the
 * first error instead becomes the one JSON object on stdout, {"error":
 * {"code", "exit", "message", "path"?}} (docs/cli.md), written by
 * cli_finish, unless the command already printed its JSON result; later
 * errors stay text on stderr. Warnings are always text on stderr. Every
 * message goes through text_escape. */
void cli_set_ctx(const struct cli_ctx *ctx);
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print E's message (with its path in JSON); return its exit code. */
int cli_fail(const struct custos_err *e);

/* Print the usage error "custos CMD: MESSAGE"; return CLI_EXIT_USAGE.
 * USAGE is the command's help text (kept for the callers; not printed,
 * so that a mistake is one line). */
int cli_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Write the pending --json error for exit code RC, if any (main). */
void cli_flush_error(int rc);

/* The one way a name or message is printed: text_escape'd (invalid
 * UTF-8 and control characters as \xHH). The text form is valid until
 * the next call of cli_text; the JSON form is a new string, never NULL
 * for a non-NULL S unless memory ran out. */
const char *cli_text(const char *s);
json_t *cli_json_string(const char *s);

/* The closest of NAMES[0..N) to WORD (a prefix of one, or at most one
 * or two edits away), or NULL: for "did you mean". */
const char *cli_suggest(const char *word, const char *const *names, size_t n);

/* The usage error for an unknown subcommand WORD of a command whose
 * subcommands are NAMES[0..N): "unknown subcommand 'WORD'", with "did
 * you mean" when one is close. Returns CLI_EXIT_USAGE. */
int cli_unknown_subcommand(const char *word, const char *const *names, size_t n);

/* Capture what a library function prints to a FILE (report verify, the
 * proofs) so that --json can carry it as lines. cli_capture_open gives
 * stdout in text mode. */
struct cli_capture {
	char *buf;
	size_t len;
	FILE *f;
};
FILE *cli_capture_open(struct cli_capture *c, bool json);
/* Close C; the captured lines as a new JSON array (NULL in text mode). */
json_t *cli_capture_lines(struct cli_capture *c);

/* Human size: "1.2 MiB", "512 B" into BUF. */
void cli_human_size(char *buf, size_t size, uint64_t bytes);

/* A date for --since: YYYY-MM-DD or ISO 8601 with seconds and Z or an
 * offset (2026-11-01T12:00:00Z, 2026-11-01T14:00:00+02:00), as a UTC
 * time "YYYY-MM-DDTHH:MM:SSZ" into OUT (21 bytes). 0, or -1 (usage
 * error naming OPTION and the value printed). */
int cli_parse_date(char out[21], const char *option, const char *value);

/* Parse a job count 1..1024. 0, or -1 (message printed). */
int cli_parse_jobs(unsigned *out, const char *arg);

/* Split KEY=VALUE (--info) into TAG, pointing into ARG (which is
 * modified). 0, or -1 (message printed). */
struct bag_tag;
int cli_parse_info(struct bag_tag *tag, char *arg);

/* Parse "10G", "500M", "1024" (binary suffixes K M G T) for OPTION.
 * 0, or -1 (one usage error naming OPTION and ARG printed). */
int cli_parse_size(uint64_t *out, const char *option, const char *arg);

/* Open the repository OPT, $CUSTOS_REPO or "."; print the error and
 * return the exit code on failure (0 on success). WRITE takes the lock.
 * Commands use cli_open; init opens the repository it has just made. */
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
