/*
 * cli/cmd_log_consistency.c - `custos log consistency OLD_REPORT_DIR`:
 * prove that the event log only grew since an earlier evidence report
 * (exit 1 if it was rewritten), after checking that report's signature
 * when --pubkey is given. `report consistency` runs the same proof.
 */
#include <stdio.h>
#include <string.h>

#include "audit/report/report.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"

int cli_log_consistency(struct cli_ctx *ctx, const char *dir, const char *pubkey)
{
	struct custos_err err;
	bool ok = false;
	int rc;

	if (pubkey && (rc = cli_report_verify(dir, pubkey, NULL)) != CLI_EXIT_OK)
		return rc;
	if ((rc = cli_open(ctx)))
		return rc;
	err_clear(&err);
	if (report_log_consistency(ctx->repo, dir, stdout, &ok, &err) < 0)
		return cli_fail(&err);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FINDINGS;
}

int cmd_log_consistency(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pubkey", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pubkey = NULL;
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, longopts, cli_keep_value, &pubkey)))
		return rc;
	if (ctx->json)
		return cli_usage_error(cmd_log_usage, "log consistency does not take --json");
	if (optind < argc && strcmp(argv[optind], "consistency"))
		return cli_usage_error(cmd_log_usage, "unexpected argument '%s'", argv[optind]);
	if (optind + 2 != argc)
		return cli_usage_error(cmd_log_usage, "'consistency' takes exactly one report folder");
	return cli_log_consistency(ctx, argv[optind + 1], pubkey);
}
