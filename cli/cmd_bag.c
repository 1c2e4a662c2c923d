/*
 * cli/cmd_bag.c - `custos bag SRC_DIR`: make a BagIt 1.0 bag, in place or
 * as a copy at --dest (the source untouched).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/bagit/bagmake.h"
#include "cli/problems_out.h"

const char cmd_bag_usage[] =
	"usage: custos bag SRC_DIR [--dest DIR] [--algorithm ALG[,ALG...]] "
	"[--info KEY=VALUE]... [--jobs N] [--json]\n"
	"\n"
	"Make a BagIt 1.0 bag (RFC 8493). Without --dest, SRC_DIR is converted in\n"
	"place (its contents move into SRC_DIR/data); with --dest, SRC_DIR's files\n"
	"are copied into a new bag at DIR, which appears only once complete, and\n"
	"SRC_DIR is not touched. Each file is read once: digests come from the\n"
	"same read as the copy.\n"
	"\n"
	"  --dest DIR            build the bag at DIR (must not exist)\n"
	"  --algorithm LIST      md5, sha1, sha224, sha256, sha384, sha512,\n"
	"                        blake2b512 (default: sha256,sha512)\n"
	"  --info KEY=VALUE      add a bag-info.txt tag (repeatable)\n"
	"  --jobs N              files read in parallel\n"
	"\n"
	"Symlinks, special files and names that are not UTF-8 are refused before\n"
	"anything is written. exit: 0 done, 2 usage error, 1 bad source, 3 I/O error\n";

struct bag_args {
	struct bagmake_opts o;
	struct bag_tag *info;      /* room for every --info */
};

static int bag_option(void *arg, int opt, char *value)
{
	struct bag_args *a = arg;
	struct custos_err err;

	switch (opt) {
	case 'd':
		a->o.dest = value;
		return 0;
	case 'a':
		err_clear(&err);
		return digest_mask_parse(&a->o.algs, value, &err) < 0 ? cli_fail(&err) : 0;
	case 'i':
		if (cli_parse_info(&a->info[a->o.ninfo], value) < 0)
			return CLI_EXIT_USAGE;
		a->o.ninfo++;
		return 0;
	default:
		return cli_parse_jobs(&a->o.jobs, value) < 0 ? CLI_EXIT_USAGE : 0;
	}
}

int cmd_bag(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dest", required_argument, NULL, 'd' },
		{ "algorithm", required_argument, NULL, 'a' },
		{ "info", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct bag_args a = { .info = calloc((size_t)argc, sizeof(*a.info)) };
	struct bagmake_result res = { 0 };
	struct custos_err err;
	int rc;

	if (!a.info)
		return CLI_EXIT_FAILED;
	err_clear(&err);
	if ((rc = cli_parse(ctx, argc, argv, "j:", longopts, bag_option, &a)))
		goto out;
	if (optind != argc - 1) {
		rc = cli_usage_error(cmd_bag_usage, "bag takes exactly one SRC_DIR");
		goto out;
	}
	a.o.src = argv[optind];
	a.o.info = a.info;
	if (bag_make(&a.o, &res, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	if (ctx->json) {
		cli_print_json(json_pack("{s:o, s:I, s:I, s:o}", "bag",
					 cli_json_string(a.o.dest ? a.o.dest : a.o.src),
					 "files", (json_int_t)res.files, "bytes", (json_int_t)res.bytes,
					 "warnings", problems_out_json(&res.warnings, PROBLEM_WARNING)));
	} else {
		problems_out_text(stdout, &res.warnings);
		printf("%s: bagged %llu %s, %llu bytes\n", cli_text(a.o.dest ? a.o.dest : a.o.src),
		       (unsigned long long)res.files, cli_plural(res.files, "file", "files"),
		       (unsigned long long)res.bytes);
	}
	problems_release(&res.warnings);
	rc = CLI_EXIT_OK;
out:
	free(a.info);
	return rc;
}
