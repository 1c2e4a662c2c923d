/*
 * cli/cmd_recover.c - `custos recover`: finish or roll back interrupted
 * ingests and replications (every writing command also does this first).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/repo/repo.h"

const char cmd_recover_usage[] =
	"usage: custos recover [--json] [-r REPO]\n"
	"\n"
	"Finish or roll back what an interrupted custos left: versions never\n"
	"registered are removed from every location; registered versions get\n"
	"their missing copies. Each step is recorded in the event log.\n";

int cmd_recover(struct cli_ctx *ctx, int argc, char **argv)
{
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, NULL, NULL, NULL)))
		return rc;
	if (optind != argc)
		return cli_usage_error(cmd_recover_usage, "recover takes no arguments");
	if ((rc = cli_open(ctx)))   /* opening for writing recovers */
		return rc;
	if (repo_unrecovered(ctx->repo)) {
		size_t left = repo_unrecovered(ctx->repo);

		if (ctx->json)
			cli_print_json(json_pack("{s:o, s:b, s:I}", "repository",
						 cli_json_string(repo_root(ctx->repo)),
						 "consistent", 0, "unrecovered", (json_int_t)left));
		else
			fprintf(stderr, "custos: %zu interrupted operation%s could not be "
				"finished yet (see above); run 'custos recover' again once "
				"the cause is fixed\n", left, left == 1 ? "" : "s");
		return CLI_EXIT_FAILED;
	}
	if (ctx->json)
		cli_print_json(json_pack("{s:o, s:b}", "repository",
					 cli_json_string(repo_root(ctx->repo)), "consistent", 1));
	else
		printf("repository '%s' is consistent\n", cli_text(repo_root(ctx->repo)));
	return CLI_EXIT_OK;
}
