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
	struct cli_capture cap;
	bool ok = false;
	FILE *to;
	int rc;

	if ((rc = cli_open(ctx)))
		return rc;
	if (!(to = cli_capture_open(&cap, ctx->json))) {
		cli_errorf("out of memory");
		return CLI_EXIT_FAILED;
	}
	err_clear(&err);
	rc = report_log_prove(ctx->repo, event, to, &ok, &err);
	if (rc == 0 && ctx->json)
		cli_print_check("event", event, ok, cli_capture_lines(&cap));
	else
		json_decref(cli_capture_lines(&cap));
	if (rc < 0)
		return cli_fail(&err);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FINDINGS;
}

int cmd_log_prove(struct cli_ctx *ctx, int argc, char **argv)
{
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, NULL, NULL, NULL)))
		return rc;
	if (optind < argc && strcmp(argv[optind], "prove"))
		return cli_usage_error(cmd_log_usage, "unexpected argument '%s'", argv[optind]);
	if (optind + 2 != argc)
		return cli_usage_error(cmd_log_usage, "'prove' takes exactly one EVENT");
	return cli_log_prove(ctx, argv[optind + 1]);
}
