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
#include "preserve/repo/repo.h"

const char cmd_log_usage[] =
	"usage: custos log [--object ID] [--since DATE] [--json] [-r REPO]\n"
	"       custos log verify [-r REPO]\n"
	"       custos log prove EVENT [-r REPO]\n"
	"       custos log consistency OLD_REPORT_DIR [--pubkey KEY.pub] [-r REPO]\n"
	"\n"
	"Print the PREMIS event log (oldest first), or with 'verify' recompute\n"
	"its hash chain: exit 1 naming the first event that was changed, removed\n"
	"or inserted. DATE is YYYY-MM-DD or a full ISO 8601 UTC time.\n"
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

static int verify(struct repo *r)
{
	struct custos_err err;
	struct catalog_log_check chk;

	err_clear(&err);
	if (catalog_log_check(repo_catalog(r), &chk, &err) < 0)
		return cli_fail(&err);
	if (chk.bad) {
		printf("event log BROKEN at event %" PRId64 ": %s\n", chk.bad, chk.why);
		return CLI_EXIT_FINDINGS;
	}
	printf("event log intact: %" PRId64 " events, hash chain and every column"
	       " verified\n", chk.events);
	return CLI_EXIT_OK;
}

struct log_args {
	const char *object, *since;
};

static int log_option(void *arg, int opt, char *value)
{
	struct log_args *a = arg;

	if (opt == 'o')
		a->object = value;
	else
		a->since = value;
	return 0;
}

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
		return cli_usage_error(cmd_log_usage, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open(ctx)))
		return rc;
	if (do_verify)
		return verify(ctx->repo);
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
