/*
 * cli/cmd_log_prove.c - `custos log prove EVENT`: print and check the
 * RFC 9162 inclusion proof of one event (its identifier or number) in the
 * Merkle tree over the event log. `report prove` runs the same proof.
 */
#include <stdio.h>
#include <string.h>

#include "audit/report/report.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"

int cli_log_prove(struct cli_ctx *ctx, const char *event)
{
	struct custos_err err;
	bool ok = false;
	int rc;

	if ((rc = cli_open(ctx)))
		return rc;
	err_clear(&err);
	if (report_log_prove(ctx->repo, event, stdout, &ok, &err) < 0)
		return cli_fail(&err);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FINDINGS;
}

int cmd_log_prove(struct cli_ctx *ctx, int argc, char **argv)
{
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, NULL, NULL, NULL)))
		return rc;
	if (ctx->json)
		return cli_usage_error(cmd_log_usage, "log prove does not take --json");
	if (optind < argc && strcmp(argv[optind], "prove"))
		return cli_usage_error(cmd_log_usage, "unexpected argument '%s'", argv[optind]);
	if (optind + 2 != argc)
		return cli_usage_error(cmd_log_usage, "'prove' takes exactly one EVENT");
	return cli_log_prove(ctx, argv[optind + 1]);
}
