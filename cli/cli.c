/*
 * cli/cli.c - messages, option values and opening the repository, shared
 * by the commands.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/bagit/bagfacts.h"
#include "preserve/repo/repo.h"

__attribute__((format(printf, 2, 0)))
static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "custos: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void cli_warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

int cli_exit_from_err(const struct custos_err *e)
{
	switch (e->code) {
	case CUSTOS_OK:
		return CLI_EXIT_OK;
	case CUSTOS_EUSAGE:
		return CLI_EXIT_USAGE;
	case CUSTOS_EFORMAT:
	case CUSTOS_ELIMIT:
		return CLI_EXIT_FINDINGS;
	default:
		return CLI_EXIT_FAILED;
	}
}

int cli_fail(const struct custos_err *e)
{
	cli_errorf("%s", e->msg[0] ? e->msg : "unknown error");
	return cli_exit_from_err(e);
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	const char *end = strchr(usage, '\n');

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "%.*s\n", end ? (int)(end - usage) : (int)strlen(usage),
		usage);
	return CLI_EXIT_USAGE;
}

int cli_parse_jobs(unsigned *out, const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || v < 1 || v > 1024) {
		cli_errorf("--jobs takes a whole number from 1 to 1024, not '%s'", arg);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* Split KEY=VALUE into a bag_tag (pointing into ARG). 0, or -1. */
int cli_parse_info(struct bag_tag *tag, char *arg)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg || strpbrk(arg, "\r\n") ||
	    memchr(arg, ':', (size_t)(eq - arg)) || arg[0] == ' ' ||
	    arg[0] == '\t' || eq[-1] == ' ' || eq[-1] == '\t') {
		cli_errorf("--info takes KEY=VALUE with a label without ':', "
			   "surrounding spaces or line breaks, not '%s'", arg);
		return -1;
	}
	*eq = '\0';
	tag->label = arg;
	tag->value = eq + 1;
	tag->line = 0;
	return 0;
}

int cli_parse_size(uint64_t *out, const char *arg)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || arg[0] == '-')
		goto bad;
	switch (*end) {
	case '\0': break;
	case 'K': case 'k': mult = 1ull << 10; end++; break;
	case 'M': case 'm': mult = 1ull << 20; end++; break;
	case 'G': case 'g': mult = 1ull << 30; end++; break;
	case 'T': case 't': mult = 1ull << 40; end++; break;
	default: goto bad;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || (v && mult > UINT64_MAX / v))
		goto bad;
	*out = (uint64_t)v * mult;
	return 0;
bad:
	cli_errorf("not a size: '%s' (use a number with K, M, G or T)", arg);
	return -1;
}

int cli_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO);
}

int cli_open_repo(struct repo **out, const char *opt, int write)
{
	struct custos_err err;

	err_clear(&err);
	if (repo_open(out, repo_locate(opt), write ? REPO_WRITE : REPO_READ, &err) < 0) {
		cli_errorf("%s", err.msg);
		return err.code == CUSTOS_EUSAGE ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
	}
	return 0;
}

int cli_open(struct cli_ctx *ctx)
{
	if (ctx->repo)
		return 0;
	return cli_open_repo(&ctx->repo, ctx->repo_path,
			     (ctx->cmd->flags & CMD_REPO_WRITE) != 0);
}

int cli_open_under_policy(struct cli_ctx *ctx)
{
	struct custos_err err;
	int rc = cli_open(ctx);

	err_clear(&err);
	if (!rc && repo_policy_on_record(ctx->repo, false, &err) < 0)
		return cli_fail(&err);
	return rc;
}

int cli_reopen_write(struct cli_ctx *ctx)
{
	repo_close(ctx->repo);
	ctx->repo = NULL;
	return cli_open_repo(&ctx->repo, ctx->repo_path, 1);
}

int cli_print_json(json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

	json_decref(j);
	if (!s)
		return -1;
	puts(s);
	free(s);
	return 0;
}
