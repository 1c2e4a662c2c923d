/*
 * cli/exit.h - the exit codes of docs/cli.md, in one place.
 * Commands return one of these; only main() exits.
 */
#ifndef CUSTOS_CLI_EXIT_H
#define CUSTOS_CLI_EXIT_H

#include "core/err.h"

enum cli_exit {
	CLI_EXIT_OK = 0,        /* done; everything checked is intact */
	CLI_EXIT_FINDINGS = 1,  /* done; something invalid/missing/changed */
	CLI_EXIT_USAGE = 2,     /* usage or configuration error */
	CLI_EXIT_FAILED = 3,    /* could not finish */
};

/* Exit code for an error that stopped a command. */
int cli_exit_from_err(const struct custos_err *e);

#endif
