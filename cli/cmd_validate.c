/*
 * cli/cmd_validate.c - `custos validate BAG`: check a bag directory or a
 * serialized bag against RFC 8493 (and a BagIt profile), naming every
 * problem. Exit 0 valid, 1 invalid, 2 usage, 3 a file could not be read.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "cli/progress.h"
#include "cli/problems_out.h"
#include "preserve/bagit/profile.h"
#include "preserve/bagit/validate.h"

const char cmd_validate_usage[] =
	"usage: custos validate BAG [--fast] [--completeness-only] "
	"[--profile PROFILE.json] [--json] [-q] [--jobs N]\n"
	"\n"
	"Check a bag against RFC 8493 (BagIt 1.0; 0.93-0.97 as written). BAG is a\n"
	"bag directory or a serialized bag (.zip, .tar, .tar.gz, .tgz) read in\n"
	"place, nothing extracted. Every problem is reported with its file.\n"
	"\n"
	"  --fast               structure and Payload-Oxum only\n"
	"  --completeness-only  files against manifests, no digests\n"
	"  --profile FILE       also check a BagIt profile (JSON, 1.4.0)\n"
	"  --json               one JSON object on stdout (docs/cli.md)\n"
	"  -q, --quiet          no progress bar\n"
	"  --jobs N             files read in parallel (default: 8 per core, >= 16)\n"
	"\n"
	"exit: 0 valid, 1 invalid, 2 usage error, 3 a file could not be read\n";

static const char *ser_name(enum bag_serialization s)
{
	switch (s) {
	case BAG_SER_NONE: return "directory";
	case BAG_SER_ZIP: return "zip";
	case BAG_SER_TAR: return "tar";
	case BAG_SER_TAR_GZIP: return "tar.gz";
	default: return "archive";
	}
}

static void check_profile(void *arg, const struct bag_facts *facts,
			  struct problems *r)
{
	profile_check(arg, facts, r);
}

static int print_json(const char *bag, const char *profile,
		      const struct validate_result *res)
{
	json_t *o = json_pack("{s:o, s:b, s:s, s:s, s:I, s:I}", "bag", cli_json_string(bag),
			      "valid", res->valid, "version", res->version,
			      "serialization", ser_name(res->serialization),
			      "files", (json_int_t)res->files,
			      "bytes", (json_int_t)res->bytes);

	if (!o)
		return -1;
	if (profile)
		json_object_set_new(o, "profile", cli_json_string(profile));
	if (json_object_set_new(o, "errors", problems_out_json(&res->problems, PROBLEM_ERROR)) ||
	    json_object_set_new(o, "warnings", problems_out_json(&res->problems, PROBLEM_WARNING))) {
		json_decref(o);
		return -1;
	}
	return cli_print_json(o);
}

static void print_text(const char *bag, const struct validate_result *res)
{
	problems_out_text(stdout, &res->problems);
	if (res->valid)
		printf("%s: valid (BagIt %s, %llu %s, %llu bytes%s)\n", cli_text(bag),
		       res->version[0] ? res->version : "?",
		       (unsigned long long)res->files,
		       cli_plural(res->files, "file", "files"),
		       (unsigned long long)res->bytes,
		       res->problems.warnings ? ", with warnings" : "");
	else
		printf("%s: INVALID (%zu %s, %zu %s)\n", cli_text(bag),
		       res->problems.errors, cli_plural(res->problems.errors, "error", "errors"),
		       res->problems.warnings,
		       cli_plural(res->problems.warnings, "warning", "warnings"));
}

struct validate_args {
	struct validate_opts opts;
	const char *profile_path;
};

static int validate_option(void *arg, int opt, char *value)
{
	struct validate_args *a = arg;

	switch (opt) {
	case 'f': a->opts.mode = VALIDATE_FAST; break;
	case 'c': a->opts.mode = VALIDATE_COMPLETENESS; break;
	case 'p': a->profile_path = value; break;
	case 'j':
		if (cli_parse_jobs(&a->opts.jobs, value) < 0)
			return CLI_EXIT_USAGE;
		break;
	}
	return 0;
}

int cmd_validate(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fast", no_argument, NULL, 'f' },
		{ "completeness-only", no_argument, NULL, 'c' },
		{ "profile", required_argument, NULL, 'p' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct validate_args a = { .opts = { .mode = VALIDATE_FULL } };
	struct validate_opts *opts = &a.opts;
	struct validate_result res;
	struct custos_err err;
	struct bag_profile *profile = NULL;
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, "j:", longopts, validate_option, &a)))
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(cmd_validate_usage,
				       "validate takes exactly one BAG");
	err_clear(&err);
	if (a.profile_path) {
		if (profile_load(&profile, a.profile_path, &err) < 0) {
			cli_fail(&err);
			return CLI_EXIT_USAGE;   /* a configuration error */
		}
		opts->facts_hook = check_profile;
		opts->facts_arg = profile;
	}
	struct progress prog = { 0 };
	struct progress_display *bar = progress_display_start(&prog, "validating",
							      ctx->json || ctx->quiet);

	opts->progress = &prog;
	rc = bag_validate(argv[optind], opts, &res, &err);
	progress_display_stop(bar);
	if (rc < 0) {
		profile_free(profile);
		return cli_fail(&err);
	}
	if (ctx->json)
		print_json(argv[optind], profile ? profile_identifier(profile) : NULL,
			   &res);
	else
		print_text(argv[optind], &res);
	rc = res.io_errors ? CLI_EXIT_FAILED :
	     res.valid ? CLI_EXIT_OK : CLI_EXIT_FINDINGS;
	validate_result_release(&res);
	profile_free(profile);
	return rc;
}
