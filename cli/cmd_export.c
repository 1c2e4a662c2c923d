/*
 * cli/cmd_export.c - `custos export ID DEST`: a valid bag of an object
 * version, as a directory or a zip / tar / tar.gz, for a partner or for
 * access. Only a copy that matches the catalog is exported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/repo/export.h"

const char cmd_export_usage[] =
	"usage: custos export ID DEST [--version N] [--format dir|zip|tar|tar.gz]\n"
	"                    [--json] [-r REPO]\n"
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

static const char *format_name(enum export_format f)
{
	switch (f) {
	case EXPORT_ZIP: return "zip";
	case EXPORT_TAR: return "tar";
	case EXPORT_TAR_GZ: return "tar.gz";
	default: return "dir";
	}
}

struct export_args {
	const char *format;
	long version;              /* 0: the latest */
};

static int export_option(void *arg, int opt, char *value)
{
	struct export_args *a = arg;
	char *end;

	if (opt == 'f') {
		a->format = value;
		return 0;
	}
	a->version = strtol(value, &end, 10);
	if (*end || a->version < 1 || a->version > 1000000)
		return cli_usage_error(cmd_export_usage,
				       "--version takes a version number, not '%s'", value);
	return 0;
}

int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_args a = { 0 };
	const char *from = NULL;
	enum export_format fmt;
	struct custos_err err;
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, longopts, export_option, &a)))
		return rc;
	if (optind != argc - 2)
		return cli_usage_error(cmd_export_usage, "export takes ID and DEST");
	fmt = guess(argv[optind + 1]);
	if (a.format && export_format_parse(&fmt, a.format) < 0)
		return cli_usage_error(cmd_export_usage, "unknown --format '%s'", a.format);
	if ((rc = cli_open(ctx)))
		return rc;
	err_clear(&err);
	if (repo_export(ctx->repo, argv[optind], (int)a.version, argv[optind + 1], fmt,
			&from, &err) < 0)
		return cli_fail(&err);
	if (ctx->json)
		cli_print_json(json_pack("{s:o, s:o, s:s, s:o}", "id", cli_json_string(argv[optind]),
					 "dest", cli_json_string(argv[optind + 1]),
					 "format", format_name(fmt), "from", cli_json_string(from)));
	else
		printf("exported %s to '%s' (from location '%s')\n", cli_text(argv[optind]),
		       argv[optind + 1], from);
	return CLI_EXIT_OK;
}
