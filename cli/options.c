/*
 * cli/options.c - the one option parser: the global options before the
 * command, and each command's own options together with the global ones
 * its row in the command table allows. Every long option must be written
 * in full (getopt_long alone would take --al for --all), and every mistake
 * is one message of ours ("did you mean" included), never getopt's.
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

/* ", did you mean '--NAME'?" for the option WORD, into BUF (or ""). */
static const char *did_you_mean(char *buf, size_t size, const char *word,
				const struct option *all)
{
	const char *names[MAX_OPTIONS + 8], *pick;
	char typed[64];
	size_t n = 0;

	snprintf(typed, sizeof(typed), "%.*s", (int)strcspn(word, "="), word);
	for (; all[n].name && n < MAX_OPTIONS + 6; n++)
		names[n] = all[n].name;
	names[n++] = "help";
	pick = cli_suggest(typed, names, n);
	if (pick)
		snprintf(buf, size, "; did you mean '--%s'?", pick);
	else
		buf[0] = '\0';
	return buf;
}

/* The one error line for what getopt_long returned as C (a '?' or ':',
 * or a long option at IDX that was abbreviated), WHERE "" or " before the
 * command". Returns CLI_EXIT_USAGE. */
static int option_error(char **argv, const struct option *all, int c, int idx,
			const char *where)
{
	const char *text = taken_from(argv);
	char hint[96], shortname[3] = { '-', (char)optopt, '\0' };
	bool is_long = !strncmp(text, "--", 2);

	if (idx >= 0) {            /* getopt took an abbreviation */
		cli_errorf("unknown option '--%.*s'%s%s", (int)strcspn(text + 2, "="), text + 2,
			   where, did_you_mean(hint, sizeof(hint), text + 2, all));
		return CLI_EXIT_USAGE;
	}
	if (c == ':') {
		cli_errorf("option '%s' needs a value", is_long ? text : shortname);
		return CLI_EXIT_USAGE;
	}
	if (is_long) {
		size_t n = strcspn(text + 2, "=");

		for (int i = 0; all[i].name; i++)
			if (strlen(all[i].name) == n && !strncmp(all[i].name, text + 2, n) &&
			    all[i].has_arg == no_argument) {
				cli_errorf("option '--%s' takes no value", all[i].name);
				return CLI_EXIT_USAGE;
			}
		cli_errorf("unknown option '--%.*s'%s%s", (int)n, text + 2, where,
			   did_you_mean(hint, sizeof(hint), text + 2, all));
		return CLI_EXIT_USAGE;
	}
	cli_errorf("unknown option '%s'%s", optopt > 0 && optopt < 128 ? shortname : text,
		   where);
	return CLI_EXIT_USAGE;
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
		if (c == '?' || c == ':' || (idx >= 0 && !written_in_full(argv, all[idx].name)))
			return option_error(argv, all, c, c == '?' || c == ':' ? -1 : idx,
					    " before the command");
		take_global(ctx, c, optarg);
	}
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
	/* ":" first: a missing value is ':', not '?' */
	snprintf(shorts, sizeof(shorts), ":%s", shortopts ? shortopts : "");
	add_globals(ctx->cmd->flags, all, &n, shorts, sizeof(shorts));
	opterr = 0;              /* every message is ours, one line */
	optind = 0;              /* glibc: start afresh (not in the "+" order of
				    cli_parse_global); operands may come first */
	while (idx = -1, (c = getopt_long(argc, argv, shorts, all, &idx)) != -1) {
		if (c == '?' || c == ':')
			return option_error(argv, all, c, -1, "");
		/* issue 14: no long option may be abbreviated */
		if (idx >= 0 && !written_in_full(argv, all[idx].name))
			return option_error(argv, all, c, idx, "");
		if (take_global(ctx, c, optarg))
			continue;
		if (!fn)
			return option_error(argv, all, '?', -1, "");
		if ((rc = fn(arg, c, optarg)))
			return rc;
	}
	return 0;
}
