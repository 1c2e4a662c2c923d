/*
 * cli/cmd_ls.c - `custos ls`: every object with its latest version, size,
 * oldest verification of its copies and whether the policy's number of
 * verified copies is met.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/catalog/catalog_listing.h"
#include "preserve/repo/repo.h"

const char cmd_ls_usage[] =
	"usage: custos ls [--json] [-r REPO]\n"
	"\n"
	"List the objects: id, versions, files, size (1.2 MiB; exact bytes in\n"
	"--json), oldest last verification of the latest version's copies, status\n"
	"(ok, or degraded when fewer verified copies exist than the policy\n"
	"requires) and a label: the bag-info Title, else External-Identifier,\n"
	"else the name of the deposited source.\n";

struct ls_state {
	unsigned required;
	json_t *arr;
	size_t n;
};

/* What a person calls the object: the bag-info Title, else its
 * External-Identifier, else the last part of the deposited source's
 * name. NULL when there is none of these. */
static const char *label(const struct catalog_object_row *o, char *buf, size_t size)
{
	const char *end, *start;

	if (o->title)
		return o->title;
	if (o->external_id)
		return o->external_id;
	if (!o->source || !*o->source)
		return NULL;
	for (end = o->source + strlen(o->source); end > o->source + 1 && end[-1] == '/'; end--)
		;
	for (start = end; start > o->source && start[-1] != '/'; start--)
		;
	snprintf(buf, size, "%.*s", (int)(end - start), start);
	return buf;
}

static int row(void *arg, const struct catalog_object_row *o)
{
	struct ls_state *st = arg;
	const char *status = o->copies_ok >= (int64_t)st->required ? "ok" : "degraded";
	char name[4096], size[32];
	const char *lab = label(o, name, sizeof(name));

	st->n++;
	if (st->arr) {
		json_t *j = json_pack("{s:s, s:i, s:I, s:I, s:s?, s:I, s:s}",
			"id", o->ident, "versions", o->latest, "files", (json_int_t)o->files,
			"bytes", (json_int_t)o->bytes, "last_verified", o->oldest_verified,
			"copies", (json_int_t)o->copies_ok, "status", status);

		if (j && lab)
			json_object_set_new(j, "label", cli_json_string(lab));
		json_array_append_new(st->arr, j);
		return 0;
	}
	if (st->n == 1)
		printf("%-24s %8s %8s %10s %-20s %-22s %s\n", "ID", "VERSIONS", "FILES",
		       "SIZE", "LAST VERIFIED", "STATUS", "LABEL");
	cli_human_size(size, sizeof(size), o->bytes);
	printf("%-24s %8d %8llu %10s %-20s %-8s (%lld/%u copies) %s\n", o->ident, o->latest,
	       (unsigned long long)o->files, size,
	       o->oldest_verified ? o->oldest_verified : "never", status,
	       (long long)o->copies_ok, st->required, lab ? cli_text(lab) : "-");
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
