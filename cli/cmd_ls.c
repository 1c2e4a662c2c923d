/*
 * cli/cmd_ls.c - `custos ls`: every object with its latest version, size,
 * oldest verification of its copies and whether the policy's number of
 * verified copies is met.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/catalog/catalog_listing.h"
#include "preserve/repo/repo.h"

const char cmd_ls_usage[] =
	"usage: custos ls [--json] [-r REPO]\n"
	"\n"
	"List the objects: id, versions, files, bytes, oldest last verification of\n"
	"the latest version's copies, and status (ok, or degraded when fewer\n"
	"verified copies exist than the policy requires).\n";

struct ls_state {
	unsigned required;
	json_t *arr;
	size_t n;
};

static int row(void *arg, const struct catalog_object_row *o)
{
	struct ls_state *st = arg;
	const char *status = o->copies_ok >= (int64_t)st->required ? "ok" : "degraded";

	st->n++;
	if (st->arr) {
		json_array_append_new(st->arr, json_pack("{s:s, s:i, s:I, s:I, s:s?, s:I, s:s}",
			"id", o->ident, "versions", o->latest, "files", (json_int_t)o->files,
			"bytes", (json_int_t)o->bytes, "last_verified", o->oldest_verified,
			"copies", (json_int_t)o->copies_ok, "status", status));
		return 0;
	}
	if (st->n == 1)
		printf("%-24s %8s %8s %14s %-20s %s\n", "ID", "VERSIONS", "FILES",
		       "BYTES", "LAST VERIFIED", "STATUS");
	printf("%-24s %8d %8llu %14llu %-20s %s (%lld/%u copies)\n", o->ident, o->latest,
	       (unsigned long long)o->files, (unsigned long long)o->bytes,
	       o->oldest_verified ? o->oldest_verified : "never", status,
	       (long long)o->copies_ok, st->required);
	return 0;
}

int cmd_ls(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ls_state st = { 0 };
	struct custos_err err;
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, NULL, NULL, NULL)))
		return rc;
	if (optind != argc)
		return cli_usage_error(cmd_ls_usage, "ls takes no arguments");
	if ((rc = cli_open_under_policy(ctx)))
		return rc;
	st.required = repo_policy(ctx->repo)->copies_required;
	st.arr = ctx->json ? json_array() : NULL;
	err_clear(&err);
	if (catalog_list_objects(repo_catalog(ctx->repo), row, &st, &err) < 0) {
		json_decref(st.arr);
		return cli_fail(&err);
	}
	if (ctx->json)
		cli_print_json(json_pack("{s:o}", "objects", st.arr));
	else if (st.n == 0)
		printf("no objects yet; deposit with 'custos ingest'\n");
	return CLI_EXIT_OK;
}
