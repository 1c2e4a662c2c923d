/*
 * cli/main.c - `custos`: the global options, then the subcommand from the
 * table, run with a context (the repository it opened is closed here).
 * Only main() exits: after the command returns, stdout is flushed and a
 * failed write (full disk, closed pipe) turns success into exit 3.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/repo/backup.h"
#include "preserve/repo/logmirror.h"
#include "preserve/repo/repo.h"

static void print_overview(FILE *to)
{
	fprintf(to, "usage: custos [--version] [--help] [-r REPO] [--json] [-q] "
		    "COMMAND [ARGS]\n\n"
		    "commands:\n");
	for (unsigned i = 0; i < custos_command_count; i++)
		fprintf(to, "  %-10s %s\n", custos_commands[i].name,
			custos_commands[i].summary);
	fprintf(to, "\n-r REPO, --json and -q may also follow the command; a command\n"
		    "refuses those it does not take.\n"
		    "'custos COMMAND --help' explains one command.\n"
		    "exit codes: 0 intact/valid, 1 findings, 2 usage or "
		    "configuration error, 3 could not finish\n");
}

/* A command that may have appended events mirrors them, and the log's
 * new head, into every storage location before it may report success;
 * under [catalog] backup = yes a copy of the catalog goes there first. */
static int publish_log(const struct cli_ctx *ctx, int rc)
{
	struct custos_err err;

	if (!ctx->repo || rc == CLI_EXIT_USAGE ||
	    !(ctx->cmd->flags & (CMD_REPO_WRITE | CMD_LOGS)))
		return rc;
	err_clear(&err);
	if (repo_policy(ctx->repo)->catalog_backup && repo_backup_locations(ctx->repo, &err) < 0) {
		cli_errorf("the catalog was not backed up ([catalog] backup = yes): %s", err.msg);
		rc = CLI_EXIT_FAILED;
		err_clear(&err);
	}
	if (repo_log_publish(ctx->repo, strcmp(ctx->cmd->name, "recover") ? 0 :
			     REPO_PUBLISH_FORCE, &err) < 0) {
		cli_errorf("the event log is not in every storage location yet: %s", err.msg);
		return rc == CLI_EXIT_FAILED ? rc : CLI_EXIT_FAILED;
	}
	return rc;
}

static int finish(int rc)
{
	cli_flush_error(rc);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_errorf("cannot write standard output: %s", strerror(errno));
		return CLI_EXIT_FAILED;
	}
	if (fclose(stdout) != 0 && errno != EBADF) {
		cli_errorf("cannot close standard output: %s", strerror(errno));
		return CLI_EXIT_FAILED;
	}
	return rc;
}

/* --help works for every command (before any "--"), and so does a lone
 * --version; with more arguments --version may be an option of the
 * command (export --version N). -1 when neither is asked for. */
static int help_or_version(const struct command *cmd, int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(cmd->usage, stdout);
			return finish(CLI_EXIT_OK);
		}
		if (!strcmp(argv[i], "--version") && argc == 2) {
			printf("custos %s\n", CUSTOS_VERSION);
			return finish(CLI_EXIT_OK);
		}
	}
	return -1;
}

static int unknown_command(const char *word)
{
	const char *names[64];
	const char *pick;
	unsigned n = 0;

	for (; n < custos_command_count && n < 64; n++)
		names[n] = custos_commands[n].name;
	pick = cli_suggest(word, names, n);
	if (pick)
		cli_errorf("'%s' is not a custos command; did you mean '%s'?", word, pick);
	else
		cli_errorf("'%s' is not a custos command; see 'custos --help'", word);
	return CLI_EXIT_USAGE;
}

/* --json anywhere among the command's arguments (before "--") puts its
 * errors in JSON from the first one on, even those about options that
 * come before it. */
static void wants_json(struct cli_ctx *ctx, int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			ctx->json = true;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { 0 };
	int first = 1, rc;

	cli_set_ctx(&ctx);

	if (argc < 2) {
		print_overview(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc > 2 && (ctx.cmd = command_find(argv[2]))) {
			fputs(ctx.cmd->usage, stdout);
			return finish(CLI_EXIT_OK);
		}
		print_overview(stdout);
		return finish(CLI_EXIT_OK);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("custos %s\n", CUSTOS_VERSION);
		return finish(CLI_EXIT_OK);
	}
	if ((rc = cli_parse_global(&ctx, argc, argv, &first)))
		return finish(rc);
	if (first >= argc) {
		if (ctx.json) {
			cli_errorf("no command given; see 'custos --help'");
			return finish(CLI_EXIT_USAGE);
		}
		print_overview(stderr);
		return CLI_EXIT_USAGE;
	}
	ctx.cmd = command_find(argv[first]);
	if (!ctx.cmd)
		return finish(unknown_command(argv[first]));
	wants_json(&ctx, argc - first, argv + first);
	if ((rc = help_or_version(ctx.cmd, argc - first, argv + first)) >= 0)
		return rc;
	if ((rc = cli_check_global(&ctx)))
		return finish(rc);
	rc = ctx.cmd->fn(&ctx, argc - first, argv + first);
	rc = publish_log(&ctx, rc);
	repo_close(ctx.repo);
	return finish(rc);
}
