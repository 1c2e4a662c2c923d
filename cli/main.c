/*
 * cli/main.c - `custos`: find the subcommand in the table and run it.
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

static void print_overview(FILE *to)
{
	fprintf(to, "usage: custos [--version] [--help] COMMAND [ARGS]\n\n"
		    "commands:\n");
	for (unsigned i = 0; i < custos_command_count; i++)
		fprintf(to, "  %-10s %s\n", custos_commands[i].name,
			custos_commands[i].summary);
	fprintf(to, "\n'custos COMMAND --help' explains one command.\n"
		    "exit codes: 0 intact/valid, 1 findings, 2 usage or "
		    "configuration error, 3 could not finish\n");
}

static int finish(int rc)
{
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

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		print_overview(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc > 2 && (cmd = command_find(argv[2]))) {
			fputs(cmd->usage, stdout);
			return finish(CLI_EXIT_OK);
		}
		print_overview(stdout);
		return finish(CLI_EXIT_OK);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("custos %s\n", CUSTOS_VERSION);
		return finish(CLI_EXIT_OK);
	}
	cmd = command_find(argv[1]);
	if (!cmd) {
		cli_errorf("'%s' is not a custos command; see 'custos --help'",
			   argv[1]);
		return CLI_EXIT_USAGE;
	}
	/* --help works for every command (before any "--"), and so does a
	 * lone --version; with more arguments --version may be an option
	 * of the command (export --version N). */
	for (int i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(cmd->usage, stdout);
			return finish(CLI_EXIT_OK);
		}
		if (!strcmp(argv[i], "--version") && argc == 3) {
			printf("custos %s\n", CUSTOS_VERSION);
			return finish(CLI_EXIT_OK);
		}
	}
	return finish(cmd->fn(argc - 1, argv + 1));
}
