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
	struct cli_capture cap;
	size_t problems = 0;
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
	/* the earlier report's signature first, when a key is given */
	if (pubkey && (rc = cli_report_check(to, dir, pubkey, NULL, &problems)) == 0 &&
	    problems)
		fprintf(to, "report '%s' FAILED verification: %zu problem%s\n", cli_text(dir),
			problems, problems == 1 ? "" : "s");
	if (rc == 0 && !problems &&
	    report_log_consistency(ctx->repo, dir, to, &ok, &err) < 0)
		rc = cli_fail(&err);
	if (rc == 0 && ctx->json)
		cli_print_check("report", dir, ok, cli_capture_lines(&cap));
	else
		json_decref(cli_capture_lines(&cap));
	if (rc)
		return rc;
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
	if (optind < argc && strcmp(argv[optind], "consistency"))
		return cli_usage_error(cmd_log_usage, "unexpected argument '%s'", argv[optind]);
	if (optind + 2 != argc)
		return cli_usage_error(cmd_log_usage, "'consistency' takes exactly one report folder");
	return cli_log_consistency(ctx, argv[optind + 1], pubkey);
}
