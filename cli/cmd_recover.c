/*
 * cli/cmd_recover.c - `custos recover`: finish or roll back interrupted
 * ingests and replications (every writing command also does this first).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/repo/repo.h"

const char cmd_recover_usage[] =
	"usage: custos recover [-r REPO]\n"
	"\n"
	"Finish or roll back what an interrupted custos left: versions never\n"
	"registered are removed from every location; registered versions get\n"
	"their missing copies. Each step is recorded in the event log.\n";

int cmd_recover(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *repo = NULL;
	struct repo *r;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:", longopts, NULL)) != -1) {
		if (c != 'r')
			return cli_usage_error(cmd_recover_usage, "bad option");
		repo = optarg;
	}
	if (optind != argc)
		return cli_usage_error(cmd_recover_usage, "recover takes no arguments");
	if ((c = cli_open_repo(&r, repo, 1)))   /* opening recovers */
		return c;
	if (repo_unrecovered(r)) {
		fprintf(stderr, "custos: %zu interrupted operation%s could not be finished "
			"yet (see above); run 'custos recover' again once the cause is fixed\n",
			repo_unrecovered(r), repo_unrecovered(r) == 1 ? "" : "s");
		repo_close(r);
		return CLI_EXIT_FAILED;
	}
	printf("repository '%s' is consistent\n", repo_root(r));
	repo_close(r);
	return CLI_EXIT_OK;
}
