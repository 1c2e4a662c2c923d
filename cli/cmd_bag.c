/*
 * cli/cmd_bag.c - `custos bag SRC_DIR`: make a BagIt 1.0 bag, in place or
 * as a copy at --dest (the source untouched).
 */
#include <getopt.h>
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
	"[--info KEY=VALUE]... [--jobs N]\n"
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

int cmd_bag(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dest", required_argument, NULL, 'd' },
		{ "algorithm", required_argument, NULL, 'a' },
		{ "info", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct bagmake_opts o = { 0 };
	struct bagmake_result res = { 0 };
	struct bag_tag *info = calloc((size_t)argc, sizeof(*info));
	struct custos_err err;
	int c, rc = CLI_EXIT_USAGE;

	if (!info)
		return CLI_EXIT_FAILED;
	err_clear(&err);
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o.dest = optarg; break;
		case 'a':
			if (digest_mask_parse(&o.algs, optarg, &err) < 0) {
				rc = cli_fail(&err);
				goto out;
			}
			break;
		case 'i':
			if (cli_parse_info(&info[o.ninfo], optarg) < 0)
				goto out;
			o.ninfo++;
			break;
		case 'j':
			if (cli_parse_jobs(&o.jobs, optarg) < 0)
				goto out;
			break;
		default:
			rc = cli_usage_error(cmd_bag_usage, "bad option");
			goto out;
		}
	}
	if (optind != argc - 1) {
		rc = cli_usage_error(cmd_bag_usage, "bag takes exactly one SRC_DIR");
		goto out;
	}
	o.src = argv[optind];
	o.info = info;
	if (bag_make(&o, &res, &err) < 0) {
		rc = cli_fail(&err);
		goto out;
	}
	problems_out_text(stdout, &res.warnings);
	problems_release(&res.warnings);
	printf("%s: bagged %llu %s, %llu bytes\n", o.dest ? o.dest : o.src,
	       (unsigned long long)res.files, cli_plural(res.files, "file", "files"),
	       (unsigned long long)res.bytes);
	rc = CLI_EXIT_OK;
out:
	free(info);
	return rc;
}
