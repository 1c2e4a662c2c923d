/*
 * cli/commands.h - the one table of custos subcommands.
 * To add a command: write cli/cmd_NAME.c with cmd_NAME(ctx, argc, argv)
 * and a usage string, declare both here, add a row to cli/commands.c
 * saying what it needs (CMD_* flags), add the file to cli/CMakeLists.txt;
 * tests/cli runs --help for every row.
 */
#ifndef CUSTOS_CLI_COMMANDS_H
#define CUSTOS_CLI_COMMANDS_H

#include "cli/cli.h"

/* What a command needs and accepts; main and cli_parse act on these. */
enum command_flags {
	CMD_REPO_READ = 1u << 0,   /* opens the repository to read: takes -r/--repo */
	CMD_REPO_WRITE = 1u << 1,  /* opens it to write (the lock; recovers first) */
	CMD_JSON = 1u << 2,        /* takes --json */
	CMD_QUIET = 1u << 3,       /* takes -q/--quiet */
	CMD_LOGS = 1u << 4,        /* appends events without the write lock (audit) */
};
#define CMD_REPO (CMD_REPO_READ | CMD_REPO_WRITE)

/* A command: ARGV[0] is its name. Returns an enum cli_exit. */
typedef int (*command_fn)(struct cli_ctx *ctx, int argc, char **argv);

struct command {
	const char *name;
	command_fn fn;
	unsigned flags;                    /* enum command_flags */
	const char *usage;                 /* full --help text */
	const char *summary;               /* one line for `custos --help` */
};

extern const struct command custos_commands[];
extern const unsigned custos_command_count;

const struct command *command_find(const char *name);

int cmd_audit(struct cli_ctx *ctx, int argc, char **argv);
int cmd_backup(struct cli_ctx *ctx, int argc, char **argv);
int cmd_bag(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export(struct cli_ctx *ctx, int argc, char **argv);
int cmd_init(struct cli_ctx *ctx, int argc, char **argv);
int cmd_ingest(struct cli_ctx *ctx, int argc, char **argv);
int cmd_log(struct cli_ctx *ctx, int argc, char **argv);
int cmd_ls(struct cli_ctx *ctx, int argc, char **argv);
int cmd_rebuild(struct cli_ctx *ctx, int argc, char **argv);
int cmd_recover(struct cli_ctx *ctx, int argc, char **argv);
int cmd_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_validate(struct cli_ctx *ctx, int argc, char **argv);
int cmd_identify(struct cli_ctx *ctx, int argc, char **argv);
int cmd_policy(struct cli_ctx *ctx, int argc, char **argv);
int cmd_report(struct cli_ctx *ctx, int argc, char **argv);
int cmd_keygen(struct cli_ctx *ctx, int argc, char **argv);

/* `custos log prove` / `custos log consistency` (cli/cmd_log_prove.c,
 * cli/cmd_log_consistency.c), called by cmd_log with its ARGC/ARGV: the
 * word prove/consistency and the EVENT or report folder, with options
 * anywhere. */
int cmd_log_prove(struct cli_ctx *ctx, int argc, char **argv);
int cmd_log_consistency(struct cli_ctx *ctx, int argc, char **argv);

/* The proofs themselves, shared with `report prove` / `report
 * consistency`: open CTX's repository, print and check the inclusion
 * proof of EVENT, or (after checking the earlier report DIR's signature
 * with PUBKEY, if given) the consistency proof since DIR. */
int cli_log_prove(struct cli_ctx *ctx, const char *event);
int cli_log_consistency(struct cli_ctx *ctx, const char *dir, const char *pubkey);

/* `report verify DIR` (cli/cmd_report.c): print every problem and the
 * verdict (or the JSON of docs/cli.md); the exit code. */
int cli_report_verify(struct cli_ctx *ctx, const char *dir, const char *pubkey,
		      const char *tsa_ca);
/* Its check alone: each file's line into TO, *PROBLEMS counted. 0, or
 * the exit code (error printed). */
int cli_report_check(FILE *to, const char *dir, const char *pubkey, const char *tsa_ca,
		     size_t *problems);

/* The JSON result of a check that printed LINES (captured): {"KEY":
 * VALUE, "verified": OK, "lines": [...]}, printed. */
void cli_print_check(const char *key, const char *value, bool ok, json_t *lines);

extern const char cmd_audit_usage[];
extern const char cmd_bag_usage[];
extern const char cmd_export_usage[];
extern const char cmd_init_usage[];
extern const char cmd_ingest_usage[];
extern const char cmd_log_usage[];
extern const char cmd_ls_usage[];
extern const char cmd_backup_usage[];
extern const char cmd_rebuild_usage[];
extern const char cmd_recover_usage[];
extern const char cmd_show_usage[];
extern const char cmd_validate_usage[];
extern const char cmd_identify_usage[];
extern const char cmd_policy_usage[];
extern const char cmd_report_usage[];
extern const char cmd_keygen_usage[];

#endif
