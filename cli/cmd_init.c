/*
 * cli/cmd_init.c - `custos init PATH [--policy FILE]`: create a repository
 * that runs under a written policy (a copy is kept in the repository).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/repo/repo.h"

const char cmd_init_usage[] =
	"usage: custos init PATH [--policy FILE] [--json]\n"
	"\n"
	"Create a repository at PATH (a new or empty directory). The policy file\n"
	"(default: the built-in policies/default.ini) is copied into the\n"
	"repository as policy.ini; its storage locations are created. Every later\n"
	"change of policy.ini is recorded as a PREMIS policy assignment.\n";

int cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy = NULL;
	struct custos_err err;
	struct repo *r;
	int c;

	if ((c = cli_parse(ctx, argc, argv, NULL, longopts, cli_keep_value, &policy)))
		return c;
	if (optind != argc - 1)
		return cli_usage_error(cmd_init_usage, "init takes exactly one PATH");
	err_clear(&err);
	if (repo_init(argv[optind], policy, &err) < 0)
		return cli_fail(&err);
	if ((c = cli_open_repo(&r, argv[optind], 0)))
		return c;
	if (ctx->json)
		cli_print_json(json_pack("{s:o, s:o, s:I, s:i}", "repository",
					 cli_json_string(repo_root(r)), "policy",
					 cli_json_string(repo_policy(r)->name), "locations",
					 (json_int_t)repo_location_count(r), "copies_required",
					 (int)repo_policy(r)->copies_required));
	else
		printf("initialized repository '%s' under policy '%s' (%zu storage location%s, "
		       "%u copies required)\n", cli_text(repo_root(r)), repo_policy(r)->name,
		       repo_location_count(r), repo_location_count(r) == 1 ? "" : "s",
		       repo_policy(r)->copies_required);
	repo_close(r);
	return CLI_EXIT_OK;
}
