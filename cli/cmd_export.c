/*
 * cli/cmd_export.c - `custos export ID DEST`: a valid bag of an object
 * version, as a directory or a zip / tar / tar.gz, for a partner or for
 * access. Only a copy that matches the catalog is exported.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/repo/export.h"

const char cmd_export_usage[] =
	"usage: custos export ID DEST [--version N] [--format dir|zip|tar|tar.gz] [-r REPO]\n"
	"\n"
	"Write object ID (latest version, or N) as a BagIt bag at DEST. The format\n"
	"defaults to what DEST's name ends in (.zip, .tar, .tar.gz, .tgz), else a\n"
	"directory. Files are checked against the catalog as they are copied; a\n"
	"damaged copy is skipped for the next location's.\n";

static enum export_format guess(const char *dest)
{
	size_t n = strlen(dest);
	static const struct { const char *ext; enum export_format f; } exts[] = {
		{ ".zip", EXPORT_ZIP }, { ".tar.gz", EXPORT_TAR_GZ },
		{ ".tgz", EXPORT_TAR_GZ }, { ".tar", EXPORT_TAR },
	};

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t e = strlen(exts[i].ext);

		if (n > e && !strcmp(dest + n - e, exts[i].ext))
			return exts[i].f;
	}
	return EXPORT_DIR;
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ "repo", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *repo = NULL, *format = NULL, *from = NULL;
	enum export_format fmt;
	struct custos_err err;
	struct repo *r;
	long version = 0;
	int c, rc;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			version = strtol(optarg, &end, 10);
			if (*end || version < 1 || version > 1000000)
				return cli_usage_error(cmd_export_usage,
						       "--version takes a version number, not '%s'", optarg);
			break;
		case 'f': format = optarg; break;
		case 'r': repo = optarg; break;
		default: return cli_usage_error(cmd_export_usage, "bad option");
		}
	}
	if (optind != argc - 2)
		return cli_usage_error(cmd_export_usage, "export takes ID and DEST");
	fmt = guess(argv[optind + 1]);
	if (format && export_format_parse(&fmt, format) < 0)
		return cli_usage_error(cmd_export_usage, "unknown --format '%s'", format);
	if ((rc = cli_open_repo(&r, repo, 1)))
		return rc;
	err_clear(&err);
	rc = repo_export(r, argv[optind], (int)version, argv[optind + 1], fmt, &from, &err);
	if (rc == 0)
		printf("exported %s to '%s' (from location '%s')\n", argv[optind],
		       argv[optind + 1], from);
	repo_close(r);
	return rc < 0 ? cli_fail(&err) : CLI_EXIT_OK;
}
