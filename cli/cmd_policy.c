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
	"usage: custos policy check FILE [--json]\n"
	"\n"
	"Check the preservation policy FILE (INI; every key is documented in\n"
	"policies/README.md) and print what it means in plain words: copies and\n"
	"where they live, fixity algorithms and interval, repair, deposit rules,\n"
	"formats, and the NDSA Levels 2.0 its declared facts allow at most.\n"
	"Unknown sections or keys and bad values are errors naming the line.\n"
	"\n"
	"exit: 0 the policy is valid, 2 it is not (or cannot be read)\n";

static int policy_check(const char *path, bool json)
{
	struct policy *p = NULL;
	struct custos_err err;
	struct cli_capture cap;
	FILE *to;
	int rc = CLI_EXIT_OK;

	err_clear(&err);
	if (policy_load(&p, path, &err) < 0) {
		cli_fail(&err);
		return err.code == CUSTOS_ENOMEM ? CLI_EXIT_FAILED :
		       CLI_EXIT_USAGE;
	}
	if (!(to = cli_capture_open(&cap, json)) || policy_explain(p, to) < 0) {
		cli_errorf("cannot write standard output: %s", strerror(errno));
		rc = CLI_EXIT_FAILED;
	}
	if (json && to)
		cli_print_json(json_pack("{s:o, s:b, s:o, s:o*}", "file", cli_json_string(path),
					 "valid", rc == CLI_EXIT_OK, "name",
					 cli_json_string(p->name), "explanation",
					 cli_capture_lines(&cap)));
	policy_free(p);
	return rc;
}

int cmd_policy(struct cli_ctx *ctx, int argc, char **argv)
{
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, NULL, NULL, NULL)))
		return rc;
	if (optind >= argc)
		return cli_usage_error(cmd_policy_usage, "policy needs a subcommand: check");
	if (strcmp(argv[optind], "check"))
		return cli_unknown_subcommand(argv[optind], (const char *const[]){ "check" }, 1);
	if (argc - optind != 2)
		return cli_usage_error(cmd_policy_usage, "policy check takes exactly one FILE");
	return policy_check(argv[optind + 1], ctx->json);
}
