/*
 * cli/cmd_policy.c - `custos policy check FILE`: load a policy file,
 * report the first error with its line (exit 2), or explain the policy in
 * plain words with the NDSA levels its declarations allow at most.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/policy/policy.h"

const char cmd_policy_usage[] =
	"usage: custos policy check FILE\n"
	"\n"
	"Check the preservation policy FILE (INI; every key is documented in\n"
	"policies/README.md) and print what it means in plain words: copies and\n"
	"where they live, fixity algorithms and interval, repair, deposit rules,\n"
	"formats, and the NDSA Levels 2.0 its declared facts allow at most.\n"
	"Unknown sections or keys and bad values are errors naming the line.\n"
	"\n"
	"exit: 0 the policy is valid, 2 it is not (or cannot be read)\n";

static int policy_check(const char *path)
{
	struct policy *p = NULL;
	struct custos_err err;
	int rc = CLI_EXIT_OK;

	err_clear(&err);
	if (policy_load(&p, path, &err) < 0) {
		cli_errorf("%s", err.msg);
		return err.code == CUSTOS_ENOMEM ? CLI_EXIT_FAILED :
		       CLI_EXIT_USAGE;
	}
	if (policy_explain(p, stdout) < 0) {
		cli_errorf("cannot write standard output: %s", strerror(errno));
		rc = CLI_EXIT_FAILED;
	}
	policy_free(p);
	return rc;
}

int cmd_policy(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;                 /* no options, no repository */
	if (argc < 2)
		return cli_usage_error(cmd_policy_usage, "policy needs a "
				       "subcommand: check");
	if (strcmp(argv[1], "check"))
		return cli_usage_error(cmd_policy_usage, "unknown policy "
				       "subcommand '%s'", argv[1]);
	if (argc != 3 || argv[2][0] == '-')
		return cli_usage_error(cmd_policy_usage, "policy check takes "
				       "exactly one FILE");
	return policy_check(argv[2]);
}
