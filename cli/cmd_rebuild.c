/*
 * cli/cmd_rebuild.c - `custos rebuild`: make the catalog anew from the
 * storage locations alone (preserve/repo/rebuild.h) after custos.db was
 * lost or damaged. Each gap (a location lost, short or damaged) is named;
 * they make the exit code 1, the catalog is made all the same.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "cli/progress.h"
#include "preserve/repo/rebuild.h"
#include "preserve/repo/repo.h"

const char cmd_rebuild_usage[] =
	"usage: custos rebuild [--force] [-q] [--json] [-r REPO]\n"
	"\n"
	"Make a new catalog (custos.db) from the storage locations alone: the\n"
	"event log and its newest head, the policy history, every object, version\n"
	"and file with its digests and format record, and the copies with their\n"
	"last verification. Every location that can be read is read; what one\n"
	"lacks is taken from another and named as a gap (exit 1). Nothing is\n"
	"written into storage. An existing custos.db is replaced only with\n"
	"--force, which moves it aside to custos.db.replaced-TIME.\n"
	"-q/--quiet: no progress bar.\n";

static int force_option(void *arg, int opt, char *value)
{
	(void)opt;
	(void)value;
	*(bool *)arg = true;
	return 0;
}

static void print_gap(void *arg, const char *message)
{
	(void)arg;
	cli_warnf("gap: %s", message);
}

int cmd_rebuild(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct progress prog = { 0 };
	struct rebuild_opts o = { .progress = &prog, .gap = print_gap };
	struct rebuild_result res;
	struct progress_display *bar;
	struct custos_err err;
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, "f", longopts, force_option, &o.force)))
		return rc;
	if (optind != argc)
		return cli_usage_error(cmd_rebuild_usage, "rebuild takes no arguments");
	err_clear(&err);
	bar = progress_display_start(&prog, "rebuilding", ctx->quiet);
	rc = repo_rebuild(repo_locate(ctx->repo_path), &o, &res, &err);
	progress_display_stop(bar);
	if (rc < 0)
		return cli_fail(&err);
	if (ctx->json) {
		json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:b}",
				      "objects", (json_int_t)res.objects,
				      "versions", (json_int_t)res.versions,
				      "files", (json_int_t)res.files,
				      "copies", (json_int_t)res.copies,
				      "copies_missing", (json_int_t)res.copies_missing,
				      "events", (json_int_t)res.events,
				      "head_location", cli_json_string(res.head_location),
				      "head_size", (json_int_t)res.head_size,
				      "gaps", res.gaps != 0);

		if (j && res.moved_aside[0])
			json_object_set_new(j, "moved_aside", cli_json_string(res.moved_aside));
		if (cli_print_json(j) < 0)
			return CLI_EXIT_FAILED;
		return res.gaps ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
	}
	if (res.moved_aside[0])
		printf("the old catalog is now '%s'\n", cli_text(res.moved_aside));
	printf("catalog rebuilt from the storage locations: %zu objects, %zu versions, "
	       "%llu files, %zu copies (%zu missing); %" PRId64 " events from location "
	       "'%s', reaching the newest head (%" PRId64 " events)%s\n",
	       res.objects, res.versions, (unsigned long long)res.files, res.copies,
	       res.copies_missing, res.events, res.head_location, res.head_size,
	       res.gaps ? "; gaps named above" : "");
	return res.gaps ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}
