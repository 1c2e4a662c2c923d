/*
 * cli/options.c - the one option parser: the global options before the
 * command, and each command's own options together with the global ones
 * its row in the command table allows. The global long options must be
 * written in full (getopt_long alone would take --rep for --repo).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"

#define MAX_OPTIONS 32   /* a command's own long options, at most */

/* The element of ARGV that getopt_long just took a long option from:
 * the last one, or the one before when the option's value was the next
 * element (getopt permutes operands only on its next call). */
static const char *taken_from(char **argv)
{
	if (optarg && optind >= 2 && optarg == argv[optind - 1])
		return argv[optind - 2];
	return argv[optind - 1];
}

/* Was the long option NAME written in full ("--NAME" or "--NAME=...")? */
static bool written_in_full(char **argv, const char *name)
{
	const char *text = taken_from(argv);
	size_t n;

	if (strncmp(text, "--", 2))
		return false;
	n = strcspn(text + 2, "=");
	return n == strlen(name) && !strncmp(text + 2, name, n);
}

/* Append the global options FLAGS allow to LONG (at *N) and SHORTS. */
static void add_globals(unsigned flags, struct option *all, int *n, char *shorts,
			size_t shorts_size)
{
	size_t used = strlen(shorts);

	if (flags & CMD_REPO) {
		all[(*n)++] = (struct option){ "repo", required_argument, NULL, CLI_OPT_REPO };
		snprintf(shorts + used, shorts_size - used, "r:");
		used = strlen(shorts);
	}
	if (flags & CMD_JSON)
		all[(*n)++] = (struct option){ "json", no_argument, NULL, CLI_OPT_JSON };
	if (flags & CMD_QUIET) {
		all[(*n)++] = (struct option){ "quiet", no_argument, NULL, CLI_OPT_QUIET };
		snprintf(shorts + used, shorts_size - used, "q");
	}
	all[*n] = (struct option){ NULL, 0, NULL, 0 };
}

/* A global option C with VALUE into CTX; false if C is none. */
static bool take_global(struct cli_ctx *ctx, int c, const char *value)
{
	switch (c) {
	case CLI_OPT_REPO: ctx->repo_path = value; return true;
	case CLI_OPT_JSON: ctx->json = true; return true;
	case CLI_OPT_QUIET: ctx->quiet = true; return true;
	default: return false;
	}
}

int cli_keep_value(void *arg, int opt, char *value)
{
	(void)opt;
	*(const char **)arg = value;
	return 0;
}

int cli_parse_global(struct cli_ctx *ctx, int argc, char **argv, int *first)
{
	struct option all[4];
	char shorts[8] = "+:";   /* stop at the command; report a missing value */
	int n = 0, c, idx;

	add_globals(CMD_REPO | CMD_JSON | CMD_QUIET, all, &n, shorts, sizeof(shorts));
	opterr = 0;
	optind = 0;              /* glibc: start afresh, ordering included */
	while (idx = -1, (c = getopt_long(argc, argv, shorts, all, &idx)) != -1) {
		if (c == ':') {
			cli_errorf("%s needs a value; see 'custos --help'", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
		if (c == '?' || (idx >= 0 && !written_in_full(argv, all[idx].name))) {
			/* an unknown short option is in optopt; a long one (or
			 * --json=VALUE, whose optopt is CLI_OPT_JSON) in argv */
			char shortname[3] = { '-', (char)optopt, '\0' };
			bool is_short = c == '?' && optopt > 0 && optopt < 128;

			cli_errorf("unknown option '%s' before the command; see 'custos --help'",
				   is_short ? shortname : taken_from(argv));
			return CLI_EXIT_USAGE;
		}
		take_global(ctx, c, optarg);
	}
	opterr = 1;
	*first = optind;
	return 0;
}

int cli_check_global(const struct cli_ctx *ctx)
{
	const struct command *cmd = ctx->cmd;

	if (ctx->json && !(cmd->flags & CMD_JSON))
		return cli_usage_error(cmd->usage, "%s does not take --json", cmd->name);
	if (ctx->quiet && !(cmd->flags & CMD_QUIET))
		return cli_usage_error(cmd->usage, "%s does not take -q/--quiet", cmd->name);
	if (ctx->repo_path && !(cmd->flags & CMD_REPO))
		return cli_usage_error(cmd->usage, "%s does not use a repository (-r/--repo)",
				       cmd->name);
	return 0;
}

int cli_parse(struct cli_ctx *ctx, int argc, char **argv, const char *shortopts,
	      const struct option *longopts, cli_option_fn fn, void *arg)
{
	struct option all[MAX_OPTIONS + 4];
	char shorts[64];
	int nown = 0, n, c, idx, rc;

	while (longopts && longopts[nown].name) {
		if (nown == MAX_OPTIONS) {
			cli_errorf("internal error: %s has too many options", ctx->cmd->name);
			return CLI_EXIT_FAILED;
		}
		all[nown] = longopts[nown];
		nown++;
	}
	n = nown;
	snprintf(shorts, sizeof(shorts), "%s", shortopts ? shortopts : "");
	add_globals(ctx->cmd->flags, all, &n, shorts, sizeof(shorts));
	optind = 0;              /* glibc: start afresh (not in the "+" order of
				    cli_parse_global); operands may come first */
	while (idx = -1, (c = getopt_long(argc, argv, shorts, all, &idx)) != -1) {
		/* Issue 14: every long option, not only the global ones. */
		if (idx >= nown && !written_in_full(argv, all[idx].name))
			return cli_usage_error(ctx->cmd->usage, "unknown option '%s'",
					       taken_from(argv));
		if (take_global(ctx, c, optarg))
			continue;
		if (c == '?' || c == ':' || !fn)
			return cli_usage_error(ctx->cmd->usage, "bad option");
		if ((rc = fn(arg, c, optarg)))
			return rc;
	}
	return 0;
}
