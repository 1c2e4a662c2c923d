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
	"                     [--timestamp-request] [-r REPO]\n"
	"       custos report verify DIR --pubkey KEY.pub [--tsa-ca CA.pem]\n"
	"       custos report prove EVENT [-r REPO]\n"
	"       custos report consistency OLD_REPORT_DIR [--pubkey KEY.pub] [-r REPO]\n"
	"\n"
	"Write an evidence report for auditors into DIR (new or empty):\n"
	"index.html (open it in a browser; works offline), report.json,\n"
	"findings.csv, events.xml (PREMIS 3) and MANIFEST-sha256.txt; with --sign\n"
	"an Ed25519 signature MANIFEST-sha256.txt.sig (keys: custos keygen or\n"
	"openssl genpkey -algorithm ed25519). --since limits findings, repairs,\n"
	"audit runs and events to those from DATE (YYYY-MM-DD or ISO 8601 UTC).\n"
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

/* "YYYY-MM-DD" -> "YYYY-MM-DDT00:00:00Z"; a full UTC time is kept. */
static int parse_since(struct report_args *a, const char *s)
{
	unsigned y, m, d, hh, mm, ss;
	char z;

	if (strlen(s) == 10 && sscanf(s, "%4u-%2u-%2u", &y, &m, &d) == 3 && m && m <= 12 &&
	    d && d <= 31) {
		snprintf(a->since_buf, sizeof(a->since_buf), "%04u-%02u-%02uT00:00:00Z", y, m, d);
	} else if (strlen(s) == 20 && sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%c", &y, &m, &d, &hh,
					     &mm, &ss, &z) == 7 && z == 'Z') {
		snprintf(a->since_buf, sizeof(a->since_buf), "%s", s);
	} else {
		return -1;
	}
	a->since = a->since_buf;
	return 0;
}

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

int cli_report_verify(const char *dir, const char *pubkey, const char *tsa_ca)
{
	struct custos_err err;
	size_t problems;

	err_clear(&err);
	size_t wrong = 0;

	if (report_verify(dir, pubkey, stdout, &problems, &err) < 0 ||
	    report_verify_proof(dir, stdout, &wrong, &err) < 0 ||
	    (tsa_ca && report_verify_timestamp(dir, tsa_ca, stdout, &problems, &err) < 0))
		return cli_fail(&err);
	if (!tsa_ca && report_has_token(dir))
		printf("note: %s is present but was not checked (give --tsa-ca)\n", REPORT_TOKEN);
	problems += wrong;
	if (problems) {
		printf("report '%s' FAILED verification: %zu problem%s\n", dir, problems,
		       problems == 1 ? "" : "s");
		return CLI_EXIT_FINDINGS;
	}
	printf("report '%s' verified: signature and every file's digest match, and its"
	       " figures follow from its events\n", dir);
	return CLI_EXIT_OK;
}

static int report_option(void *arg, int opt, char *value)
{
	struct report_args *a = arg;

	switch (opt) {
	case 'o': a->out = value; break;
	case 'k': a->sign = value; break;
	case 's':
		if (parse_since(a, value) < 0)
			return cli_usage_error(cmd_report_usage, "bad --since '%s'", value);
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
		return cli_report_verify(arg, a.pubkey, a.tsa_ca);
	}
	if (!strcmp(sub, "prove") || !strcmp(sub, "consistency")) {
		if (!(arg = one_arg(argc, argv, sub[0] == 'p' ? "EVENT" : "report folder")))
			return CLI_EXIT_USAGE;
		return sub[0] == 'p' ? cli_log_prove(ctx, arg) :
				       cli_log_consistency(ctx, arg, a.pubkey);
	}
	return cli_usage_error(cmd_report_usage, "unexpected argument '%s'", sub);
}
