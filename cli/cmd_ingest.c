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
#include "preserve/catalog/catalog_dedup.h"
#include "preserve/repo/ingest.h"

const char cmd_ingest_usage[] =
	"usage: custos ingest SRC... [--id ID] [--info KEY=VALUE]... "
	"[--profile PROFILE.json]\n"
	"                     [--keep-system-files] [--json] [-q] [--jobs N] [-r REPO]\n"
	"\n"
	"Deposit each SRC (a directory, a file, a zip/tar archive, or a bag as a\n"
	"directory or serialized) as an object: a BagIt 1.0 bag in every storage\n"
	"location of the policy, each copy verified. Bags are validated first (and\n"
	"against the policy's deposit profile and --profile); the policy's\n"
	"required bag-info fields must be present (--info for non-bags). The\n"
	"source is never modified. With --id ID an existing object gets a new\n"
	"version (earlier versions stay as they were). -q/--quiet: no progress bar.\n"
	"A directory deposit leaves out the files operating systems make (.DS_Store,\n"
	"Thumbs.db, desktop.ini, ._*, ...) and says how many; --keep-system-files\n"
	"keeps them. A deposit whose payload (paths, sizes, digests) is already held\n"
	"by a version of any object is stored, with a warning naming that version.\n"
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
	case 'K': ic->o.keep_system_files = true; break;
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
		{ "keep-system-files", no_argument, NULL, 'K' },
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

static int same_payload(void *arg, const char *ident, int number)
{
	json_t *same = arg;

	json_array_append_new(same, json_pack("{s:o, s:i}", "id", cli_json_string(ident),
					      "version", number));
	return 0;
}

/* The versions already holding what was just stored as RES, as a JSON
 * array (empty when none, or if the catalog could not say: a warning). */
static json_t *already_held(struct repo *r, const struct ingest_result *res)
{
	json_t *same = json_array();
	struct custos_err err;

	err_clear(&err);
	if (same && catalog_same_payload(repo_catalog(r), res->ident, res->version,
					 same_payload, same, &err) < 0)
		cli_warnf("cannot check for the same content: %s", err.msg);
	return same;
}

/* "the same content as ID vN[, ...]" warning for SRC. */
static void warn_held(const char *src, const struct ingest_result *res, json_t *same)
{
	char list[1024] = "";
	size_t i, used = 0;
	json_t *v;

	json_array_foreach(same, i, v) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s v%d", i ? ", " : "",
				 json_string_value(json_object_get(v, "id")),
				 (int)json_integer_value(json_object_get(v, "version")));

		if (n < 0 || (size_t)n >= sizeof(list) - used)
			break;
		used += (size_t)n;
	}
	cli_warnf("'%s' (%s v%d) holds the same content as %s, already in the repository",
		  src, res->ident, res->version, list);
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
	json_t *same = rc == 0 ? already_held(r, &res) : NULL;

	if (json_array_size(same))
		warn_held(src, &res, same);
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
			json_object_set_new(o, "system_files_left_out",
					    json_integer((json_int_t)res.system_files_left_out));
			json_object_set_new(o, "same_content_as", json_incref(same));
		}
		if (rc == 1)
			json_object_set_new(o, "errors", problems_out_json(&res.refusal, PROBLEM_ERROR));
		if (rc < 0)
			json_object_set_new(o, "error", cli_json_string(err.msg));
		json_array_append_new(ic->out, o);
	} else if (rc == 0) {
		printf("%s v%d: %llu %s, %llu bytes, %zu verified %s (from '%s')",
		       res.ident, res.version, (unsigned long long)res.files,
		       cli_plural(res.files, "file", "files"),
		       (unsigned long long)res.bytes, res.copies,
		       cli_plural(res.copies, "copy", "copies"), cli_text(src));
		if (res.system_files_left_out)
			printf("; left out %llu system %s (--keep-system-files keeps them)",
			       (unsigned long long)res.system_files_left_out,
			       cli_plural(res.system_files_left_out, "file", "files"));
		printf("\n");
	} else if (rc == 1) {
		problems_out_text(stdout, &res.refusal);
		printf("%s: REFUSED (%zu %s); nothing was stored\n", cli_text(src),
		       res.refusal.errors,
		       cli_plural(res.refusal.errors, "problem", "problems"));
	} else {
		cli_errorf("%s", err.msg);
	}
	json_decref(same);
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
