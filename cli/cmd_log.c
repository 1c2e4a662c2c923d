/*
 * cli/cmd_log.c - `custos log`: the PREMIS event log; `custos log verify`
 * recomputes its hash chain and names the first broken event.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
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

static int row(void *arg, int n, const char *const *v, const char *const *names)
{
	json_t *arr = arg;

	(void)names;
	if (n != 2 || !v[1])
		return 0;
	if (arr) {
		json_t *rec = json_loads(v[1], 0, NULL);

		if (rec) {
			json_object_set_new(rec, "hash", json_string(v[0]));
			json_array_append_new(arr, rec);
		}
		return 0;
	}
	json_t *rec = json_loads(v[1], 0, NULL);
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
	int64_t count, bad;
	char why[256];

	err_clear(&err);
	if (catalog_log_verify(repo_catalog(r), &count, &bad, why, sizeof(why), &err) < 0)
		return cli_fail(&err);
	if (bad) {
		printf("event log BROKEN at event %" PRId64 ": %s\n", bad, why);
		return CLI_EXIT_FINDINGS;
	}
	printf("event log intact: %" PRId64 " events, hash chain verified\n", count);
	return CLI_EXIT_OK;
}

int cmd_log(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "object", required_argument, NULL, 'o' },
		{ "since", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'J' },
		{ "repo", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *repo = NULL, *object = NULL, *since = NULL;
	const char *params[2];
	struct custos_err err;
	struct repo *r;
	json_t *arr = NULL;
	int c, rc, json = 0, do_verify = 0;

	for (int i = 1; i < argc; i++) {            /* subcommands with their own options */
		if (!strcmp(argv[i], "prove"))
			return report_cmd_log_prove(argc, argv);
		if (!strcmp(argv[i], "consistency"))
			return report_cmd_log_consistency(argc, argv);
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': object = optarg; break;
		case 's': since = optarg; break;
		case 'J': json = 1; break;
		case 'r': repo = optarg; break;
		default: return cli_usage_error(cmd_log_usage, "bad option");
		}
	}
	if (optind < argc && !strcmp(argv[optind], "verify")) {
		do_verify = 1;
		optind++;
	}
	if (optind != argc)
		return cli_usage_error(cmd_log_usage, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_repo(&r, repo, 0)))
		return rc;
	if (do_verify) {
		rc = verify(r);
		repo_close(r);
		return rc;
	}
	params[0] = object;
	params[1] = since;
	arr = json ? json_array() : NULL;
	err_clear(&err);
	rc = catalog_query(repo_catalog(r), "SELECT hash, record FROM events WHERE"
			   " (?1 IS NULL OR object = ?1) AND (?2 IS NULL OR datetime >= ?2)"
			   " ORDER BY id", params, 2, row, arr, &err);
	repo_close(r);
	if (rc < 0) {
		json_decref(arr);
		return cli_fail(&err);
	}
	if (json)
		cli_print_json(json_pack("{s:o}", "events", arr));
	return CLI_EXIT_OK;
}
