/*
 * cli/cmd_ingest.c - `custos ingest SRC...`: deposit directories, files,
 * archives or bags. Each SRC becomes one object (or, with --id, a new
 * version of it). Invalid bags and missing required fields are refused
 * with every problem named and nothing stored (exit 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "cli/progress.h"
#include "cli/problems_out.h"
#include "preserve/repo/ingest.h"

const char cmd_ingest_usage[] =
	"usage: custos ingest SRC... [--id ID] [--info KEY=VALUE]... "
	"[--profile PROFILE.json] [--json] [-q] [--jobs N] [-r REPO]\n"
	"\n"
	"Deposit each SRC (a directory, a file, a zip/tar archive, or a bag as a\n"
	"directory or serialized) as an object: a BagIt 1.0 bag in every storage\n"
	"location of the policy, each copy verified. Bags are validated first (and\n"
	"against the policy's deposit profile and --profile); the policy's\n"
	"required bag-info fields must be present (--info for non-bags). The\n"
	"source is never modified. With --id ID an existing object gets a new\n"
	"version (earlier versions stay as they were). -q/--quiet: no progress bar.\n"
	"\n"
	"exit: 0 stored, 1 refused, 2 usage error, 3 could not finish\n";

struct ingest_cli {
	struct ingest_opts o;
	struct bag_tag *info;      /* room for every --info */
	int json, quiet;
	json_t *out;
};

static int ingest_option(void *arg, int opt, char *value)
{
	struct ingest_cli *ic = arg;

	switch (opt) {
	case 'i': ic->o.id = value; break;
	case 'p': ic->o.profile = value; break;
	case 'j':
		if (cli_parse_jobs(&ic->o.jobs, value) < 0)
			return CLI_EXIT_USAGE;
		break;
	case 'I':
		if (cli_parse_info(&ic->info[ic->o.ninfo], value) < 0)
			return CLI_EXIT_USAGE;
		ic->o.ninfo++;
		break;
	}
	return 0;
}

static int parse(struct cli_ctx *ctx, struct ingest_cli *ic, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "info", required_argument, NULL, 'I' },
		{ "profile", required_argument, NULL, 'p' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};

	if (cli_parse(ctx, argc, argv, "j:", longopts, ingest_option, ic))
		return -1;
	ic->o.info = ic->info;
	ic->json = ctx->json;
	ic->quiet = ctx->quiet;
	if (optind >= argc) {
		cli_usage_error(cmd_ingest_usage, "ingest needs at least one SRC");
		return -1;
	}
	if (ic->o.id && argc - optind > 1) {
		cli_usage_error(cmd_ingest_usage, "--id takes exactly one SRC");
		return -1;
	}
	return 0;
}

/* One source: print the outcome; return its exit code. */
static int one(struct ingest_cli *ic, struct repo *r, const char *src)
{
	struct ingest_result res;
	struct custos_err err;
	int rc;

	struct progress prog = { 0 };
	struct progress_display *bar = progress_display_start(&prog, "ingesting",
								ic->json || ic->quiet);

	err_clear(&err);
	ic->o.progress = &prog;
	rc = repo_ingest(r, src, &ic->o, &res, &err);
	progress_display_stop(bar);
	if (ic->json) {
		json_t *o = json_pack("{s:o, s:s}", "source", cli_json_string(src), "status",
				      rc == 0 ? "stored" : rc == 1 ? "refused" : "failed");

		if (rc == 0 || res.ident[0]) {
			json_object_set_new(o, "id", json_string(res.ident));
			json_object_set_new(o, "version", json_integer(res.version));
		}
		if (rc == 0) {
			json_object_set_new(o, "files", json_integer((json_int_t)res.files));
			json_object_set_new(o, "bytes", json_integer((json_int_t)res.bytes));
			json_object_set_new(o, "copies", json_integer((json_int_t)res.copies));
		}
		if (rc == 1)
			json_object_set_new(o, "errors", problems_out_json(&res.refusal, PROBLEM_ERROR));
		if (rc < 0)
			json_object_set_new(o, "error", cli_json_string(err.msg));
		json_array_append_new(ic->out, o);
	} else if (rc == 0) {
		printf("%s v%d: %llu %s, %llu bytes, %zu verified %s (from '%s')\n",
		       res.ident, res.version, (unsigned long long)res.files,
		       cli_plural(res.files, "file", "files"),
		       (unsigned long long)res.bytes, res.copies,
		       cli_plural(res.copies, "copy", "copies"), cli_text(src));
	} else if (rc == 1) {
		problems_out_text(stdout, &res.refusal);
		printf("%s: REFUSED (%zu %s); nothing was stored\n", cli_text(src),
		       res.refusal.errors,
		       cli_plural(res.refusal.errors, "problem", "problems"));
	} else {
		cli_errorf("%s", err.msg);
	}
	ingest_result_release(&res);
	if (rc == 0)
		return CLI_EXIT_OK;
	if (rc == 1)
		return CLI_EXIT_FINDINGS;
	return err.code == CUSTOS_EUSAGE ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
}

int cmd_ingest(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ingest_cli ic = { .info = calloc((size_t)argc + 1, sizeof(*ic.info)) };
	int rc = CLI_EXIT_USAGE, worst = CLI_EXIT_OK;

	if (!ic.info)
		return CLI_EXIT_FAILED;
	if (parse(ctx, &ic, argc, argv) < 0)
		goto out;
	if ((rc = cli_open(ctx)))
		goto out;
	ic.out = json_array();
	for (int i = optind; i < argc; i++) {
		int one_rc = one(&ic, ctx->repo, argv[i]);

		if (one_rc > worst)
			worst = one_rc;
	}
	if (ic.json)
		cli_print_json(json_pack("{s:o}", "deposits", ic.out));
	else
		json_decref(ic.out);
	rc = worst;
out:
	free(ic.info);
	return rc;
}
