/*
 * cli/cmd_log.c - `custos log`: the PREMIS event log; `custos log verify`
 * recomputes its hash chain and names the first broken event. `log prove`
 * and `log consistency` are in cli/cmd_log_prove.c, cmd_log_consistency.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/catalog/catalog_listing.h"
#include "preserve/repo/logcheck.h"
#include "preserve/repo/repo.h"

const char cmd_log_usage[] =
	"usage: custos log [--object ID] [--since DATE] [--json] [-r REPO]\n"
	"       custos log verify [--json] [-r REPO]\n"
	"       custos log prove EVENT [--json] [-r REPO]\n"
	"       custos log consistency OLD_REPORT_DIR [--pubkey KEY.pub] [--json] [-r REPO]\n"
	"\n"
	"Print the PREMIS event log (oldest first), or with 'verify' recompute\n"
	"its hash chain: exit 1 naming the first event that was changed, removed\n"
	"or inserted; then compare it with the newest head published in the\n"
	"storage locations: exit 1 for a cut tail, a catalog rolled back to an\n"
	"older copy, an empty catalog, or one replaced by another. DATE is\n"
	"YYYY-MM-DD or ISO 8601 (2026-11-01T12:00:00Z, or with an offset such as\n"
	"+02:00); anything else is a usage error.\n"
	"'prove EVENT' prints and checks an RFC 9162 inclusion proof of one event\n"
	"(uuid or number) in the Merkle tree over the log; 'consistency DIR'\n"
	"proves the log only grew since the earlier report in DIR.\n";

static int row(void *arg, const struct catalog_event_row *e)
{
	json_t *arr = arg, *rec = json_loads(e->record, 0, NULL);

	if (arr) {
		if (rec) {
			json_object_set_new(rec, "hash", json_string(e->hash));
			json_array_append_new(arr, rec);
		}
		return 0;
	}
	const char *type = json_string_value(json_object_get(rec, "type"));
	const char *out = json_string_value(json_object_get(rec, "outcome"));
	const char *obj = json_string_value(json_object_get(rec, "object"));
	const char *loc = json_string_value(json_object_get(rec, "location"));
	const char *det = json_string_value(json_object_get(rec, "detail"));

	printf("%s  %-4s %-4s %s%s%s  %s\n",
	       json_string_value(json_object_get(rec, "datetime")),
	       type ? strrchr(type, '/') + 1 : "?", out ? strrchr(out, '/') + 1 : "?",
	       obj ? obj : "-", loc ? "@" : "", loc ? loc : "", det ? det : "");
	json_decref(rec);
	return 0;
}

static const char *const verdict_words[] = {
	[REPO_LOG_CUT_TAIL] = "event log CUT",
	[REPO_LOG_ROLLED_BACK] = "catalog ROLLED BACK",
	[REPO_LOG_EMPTY] = "catalog EMPTY",
	[REPO_LOG_REPLACED] = "catalog REPLACED",
};

/* The chain holds; now the catalog against the heads in the locations. */
static int against_heads(struct repo *r, int64_t count, bool json)
{
	struct repo_log_check chk;
	struct custos_err err;
	bool bad;

	err_clear(&err);
	if (repo_log_check(r, &chk, &err) < 0)
		return cli_fail(&err);
	if (chk.gaps[0])
		cli_warnf("not every location's head could be read: %s", chk.gaps);
	bad = repo_log_verdict_bad(chk.verdict);
	if (json) {
		json_t *o = json_pack("{s:b, s:I, s:o}", "intact", !bad,
				      "events", (json_int_t)count, "heads", cli_json_string(chk.why));

		if (o && bad)
			json_object_set_new(o, "verdict", json_string(verdict_words[chk.verdict]));
		cli_print_json(o);
	} else if (bad) {
		printf("%s: %s\n", verdict_words[chk.verdict], cli_text(chk.why));
	} else {
		printf("event log intact: %" PRId64 " events, hash chain and every column verified; %s\n",
		       count, cli_text(chk.why));
	}
	return bad ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

static int verify(struct repo *r, bool json)
{
	struct custos_err err;
	struct catalog_log_check chk;

	err_clear(&err);
	if (catalog_log_check(repo_catalog(r), &chk, &err) < 0)
		return cli_fail(&err);
	if (!chk.bad)
		return against_heads(r, chk.events, json);
	if (json) {
		json_t *o = json_pack("{s:b, s:I, s:I, s:o}", "intact", 0,
				      "events", (json_int_t)chk.events, "broken_at",
				      (json_int_t)chk.bad, "why", cli_json_string(chk.why));

		cli_print_json(o);
	} else {
		printf("event log BROKEN at event %" PRId64 ": %s\n", chk.bad, cli_text(chk.why));
	}
	return CLI_EXIT_FINDINGS;
}

struct log_args {
	const char *object, *since;
	char since_buf[21];
};

static int log_option(void *arg, int opt, char *value)
{
	struct log_args *a = arg;

	if (opt == 'o') {
		a->object = value;
		return 0;
	}
	if (cli_parse_date(a->since_buf, "--since", value) < 0)
		return CLI_EXIT_USAGE;
	a->since = a->since_buf;
	return 0;
}

static const char *const subcommands[] = { "verify", "prove", "consistency" };

int cmd_log(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "object", required_argument, NULL, 'o' },
		{ "since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct log_args a = { 0 };
	struct custos_err err;
	json_t *arr = NULL;
	int rc, do_verify = 0;

	for (int i = 1; i < argc; i++) {            /* subcommands with their own options */
		if (!strcmp(argv[i], "prove"))
			return cmd_log_prove(ctx, argc, argv);
		if (!strcmp(argv[i], "consistency"))
			return cmd_log_consistency(ctx, argc, argv);
	}
	if ((rc = cli_parse(ctx, argc, argv, NULL, longopts, log_option, &a)))
		return rc;
	if (optind < argc && !strcmp(argv[optind], "verify")) {
		do_verify = 1;
		optind++;
	}
	if (optind != argc)
		return optind + 1 == argc && !do_verify ?
		       cli_unknown_subcommand(argv[optind], subcommands, 3) :
		       cli_usage_error(cmd_log_usage, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open(ctx)))
		return rc;
	if (do_verify)
		return verify(ctx->repo, ctx->json);
	arr = ctx->json ? json_array() : NULL;
	err_clear(&err);
	if (catalog_list_events(repo_catalog(ctx->repo), a.object, a.since, row, arr,
				&err) < 0) {
		json_decref(arr);
		return cli_fail(&err);
	}
	if (ctx->json)
		cli_print_json(json_pack("{s:o}", "events", arr));
	return CLI_EXIT_OK;
}
