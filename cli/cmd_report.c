/*
 * cli/cmd_report.c - `custos report`: write the evidence report folder,
 * verify one (`report verify`), and the Merkle proofs over the event log
 * (`report prove EVENT`, `report consistency OLD_REPORT_DIR`, which run
 * the proofs of `custos log prove` / `custos log consistency`).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit/report/report.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"

const char cmd_report_usage[] =
	"usage: custos report --out DIR [--sign KEY.pem] [--since DATE]\n"
	"                     [--timestamp-request] [--json] [-r REPO]\n"
	"       custos report verify DIR --pubkey KEY.pub [--tsa-ca CA.pem] [--json]\n"
	"       custos report prove EVENT [-r REPO]\n"
	"       custos report consistency OLD_REPORT_DIR [--pubkey KEY.pub] [-r REPO]\n"
	"\n"
	"Write an evidence report for auditors into DIR (new or empty):\n"
	"index.html (open it in a browser; works offline), report.json,\n"
	"findings.csv, events.xml (PREMIS 3) and MANIFEST-sha256.txt; with --sign\n"
	"an Ed25519 signature MANIFEST-sha256.txt.sig (keys: custos keygen or\n"
	"openssl genpkey -algorithm ed25519). --since limits findings, repairs,\n"
	"audit runs and events to those from DATE (YYYY-MM-DD or ISO 8601, such as\n"
	"2026-11-01T12:00:00Z or with an offset, +02:00).\n"
	"--timestamp-request adds log-head.txt and log-head.tsq, an RFC 3161\n"
	"request for the event log's tree head to send to a timestamp authority.\n"
	"\n"
	"'verify' checks the signature and the digest of every file: exit 1\n"
	"naming each file that changed, is missing or is not listed. With\n"
	"--tsa-ca it also checks the timestamp authority's reply log-head.tsr\n"
	"(saved into DIR after the report was made) against log-head.tsq.\n"
	"'prove' prints and checks the RFC 9162 inclusion proof of one event (its\n"
	"identifier or row number); 'consistency' proves the event log only grew\n"
	"since the earlier report DIR (exit 1 if it was rewritten).\n";

struct report_args {
	const char *out, *sign, *since, *pubkey, *tsa_ca;
	int tsq;
	char since_buf[32];
};

static int do_write(struct cli_ctx *ctx, const struct report_args *a)
{
	struct report_options o = { .out = a->out, .sign_key = a->sign, .since = a->since,
				    .timestamp_request = a->tsq };
	struct custos_err err;
	json_t *rep;
	int rc;

	if ((rc = cli_open_under_policy(ctx)))
		return rc;
	err_clear(&err);
	if (report_write(ctx->repo, &o, &rep, &err) < 0)
		return cli_fail(&err);
	if (ctx->json) {
		json_t *log = json_object_get(rep, "log");

		cli_print_json(json_pack("{s:o, s:b, s:O, s:O, s:O, s:I, s:O, s:O}", "out",
			cli_json_string(a->out), "signed", a->sign != NULL,
			"holdings", json_object_get(rep, "holdings"),
			"coverage", json_object_get(rep, "coverage"),
			"ndsa", json_object_get(rep, "ndsa"),
			"findings", (json_int_t)json_array_size(json_object_get(rep, "findings")),
			"events", json_object_get(log, "events"),
			"merkle", json_object_get(log, "merkle")));
		json_decref(rep);
		return CLI_EXIT_OK;
	}
	printf("%lld objects, %lld files; %.2f%% of file copies verified within the policy"
	       " interval; %zu findings in the period\n",
	       (long long)json_integer_value(json_object_get(json_object_get(rep, "holdings"),
							     "objects")),
	       (long long)json_integer_value(json_object_get(json_object_get(rep, "holdings"),
							     "files")),
	       json_real_value(json_object_get(json_object_get(rep, "coverage"), "percent")),
	       json_array_size(json_object_get(rep, "findings")));
	printf("NDSA Levels 2.0: level %lld evidenced (%lld if the cells needing a person's"
	       " attestation were attested)\n",
	       (long long)json_integer_value(json_object_get(json_object_get(rep, "ndsa"), "level")),
	       (long long)json_integer_value(json_object_get(json_object_get(rep, "ndsa"),
							     "level_if_attested")));
	json_t *log = json_object_get(rep, "log"), *m = json_object_get(log, "merkle");
	printf("event log: %lld events, Merkle tree size %lld, root %s\n",
	       (long long)json_integer_value(json_object_get(log, "events")),
	       (long long)json_integer_value(json_object_get(m, "tree_size")),
	       json_string_value(json_object_get(m, "root")));
	printf("report written to '%s': open '%s/index.html' in a browser%s\n", a->out, a->out,
	       a->sign ? "; manifest signed (MANIFEST-sha256.txt.sig)" : "");
	json_decref(rep);
	return CLI_EXIT_OK;
}

static int report_has_token(const char *dir)
{
	char p[4096];

	return (size_t)snprintf(p, sizeof(p), "%s/" REPORT_TOKEN, dir) < sizeof(p) &&
	       access(p, F_OK) == 0;
}

int cli_report_check(FILE *to, const char *dir, const char *pubkey, const char *tsa_ca,
		     size_t *problems)
{
	struct custos_err err;
	size_t wrong = 0;

	err_clear(&err);
	if (report_verify(dir, pubkey, to, problems, &err) < 0 ||
	    report_verify_proof(dir, to, &wrong, &err) < 0 ||
	    (tsa_ca && report_verify_timestamp(dir, tsa_ca, to, problems, &err) < 0))
		return cli_fail(&err);
	if (!tsa_ca && report_has_token(dir))
		fprintf(to, "note: %s is present but was not checked (give --tsa-ca)\n",
			REPORT_TOKEN);
	*problems += wrong;
	return 0;
}

void cli_print_check(const char *key, const char *value, bool ok, json_t *lines)
{
	cli_print_json(json_pack("{s:o, s:b, s:o}", key, cli_json_string(value),
				 "verified", ok, "lines", lines ? lines : json_array()));
}

int cli_report_verify(struct cli_ctx *ctx, const char *dir, const char *pubkey,
		      const char *tsa_ca)
{
	struct cli_capture cap;
	FILE *to = cli_capture_open(&cap, ctx->json);
	size_t problems = 0;
	json_t *lines;
	int rc;

	if (!to) {
		cli_errorf("out of memory");
		return CLI_EXIT_FAILED;
	}
	rc = cli_report_check(to, dir, pubkey, tsa_ca, &problems);
	if (rc == 0 && problems)
		fprintf(to, "report '%s' FAILED verification: %zu problem%s\n", cli_text(dir),
			problems, problems == 1 ? "" : "s");
	else if (rc == 0)
		fprintf(to, "report '%s' verified: signature and every file's digest match, "
			"and its figures follow from its events\n",
			cli_text(dir));
	lines = cli_capture_lines(&cap);
	if (rc == 0 && ctx->json)
		cli_print_check("report", dir, problems == 0, lines);
	else
		json_decref(lines);
	if (rc)
		return rc;
	return problems ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

static int report_option(void *arg, int opt, char *value)
{
	struct report_args *a = arg;

	switch (opt) {
	case 'o': a->out = value; break;
	case 'k': a->sign = value; break;
	case 's':
		if (cli_parse_date(a->since_buf, "--since", value) < 0)
			return CLI_EXIT_USAGE;
		a->since = a->since_buf;
		break;
	case 'p': a->pubkey = value; break;
	case 't': a->tsq = 1; break;
	case 'c': a->tsa_ca = value; break;
	}
	return 0;
}

static int parse(struct cli_ctx *ctx, struct report_args *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "sign", required_argument, NULL, 'k' },
		{ "since", required_argument, NULL, 's' },
		{ "pubkey", required_argument, NULL, 'p' },
		{ "timestamp-request", no_argument, NULL, 't' },
		{ "tsa-ca", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};

	return cli_parse(ctx, argc, argv, NULL, longopts, report_option, a);
}

/* One positional argument after the subcommand word, or a usage error. */
static const char *one_arg(int argc, char **argv, const char *what)
{
	if (optind + 2 != argc) {
		cli_usage_error(cmd_report_usage, "'%s' takes exactly one %s", argv[optind], what);
		return NULL;
	}
	return argv[optind + 1];
}

int cmd_report(struct cli_ctx *ctx, int argc, char **argv)
{
	struct report_args a = { 0 };
	const char *sub, *arg;
	int rc;

	if ((rc = parse(ctx, &a, argc, argv)))
		return rc;
	if (optind == argc) {
		if (!a.out)
			return cli_usage_error(cmd_report_usage, "--out DIR is required");
		return do_write(ctx, &a);
	}
	sub = argv[optind];
	if (!strcmp(sub, "verify")) {
		if (!(arg = one_arg(argc, argv, "report folder")))
			return CLI_EXIT_USAGE;
		if (!a.pubkey)
			return cli_usage_error(cmd_report_usage, "verify needs --pubkey KEY.pub");
		return cli_report_verify(ctx, arg, a.pubkey, a.tsa_ca);
	}
	if (!strcmp(sub, "prove") || !strcmp(sub, "consistency")) {
		if (!(arg = one_arg(argc, argv, sub[0] == 'p' ? "EVENT" : "report folder")))
			return CLI_EXIT_USAGE;
		return sub[0] == 'p' ? cli_log_prove(ctx, arg) :
				       cli_log_consistency(ctx, arg, a.pubkey);
	}
	static const char *const subcommands[] = { "verify", "prove", "consistency" };

	return cli_unknown_subcommand(sub, subcommands, 3);
}
