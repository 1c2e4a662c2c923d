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
#include "core/text.h"
#include "preserve/bagit/bagfacts.h"
#include "preserve/repo/repo.h"

/* Where messages go: the running command (its name, --json). */
static const struct cli_ctx *msg_ctx;
/* The first error in --json mode, written by cli_flush_error. */
static struct {
	bool have;
	char msg[2048];
	char path[4096];
} pending;
static bool json_printed;      /* the command printed its JSON result */

void cli_set_ctx(const struct cli_ctx *ctx)
{
	msg_ctx = ctx;
}

const char *cli_text(const char *s)
{
	static char *last;

	free(last);
	last = text_escape(s ? s : "");
	return last ? last : "(out of memory)";
}

json_t *cli_json_string(const char *s)
{
	char *e = text_escape(s);
	json_t *j = e ? json_string(e) : NULL;

	free(e);
	return j;
}

static void put_line(const char *kind, const char *text)
{
	if (msg_ctx && msg_ctx->cmd)
		fprintf(stderr, "custos %s: %s%s\n", msg_ctx->cmd->name, kind, cli_text(text));
	else
		fprintf(stderr, "custos: %s%s\n", kind, cli_text(text));
}

__attribute__((format(printf, 2, 0)))
static void verror(const char *path, const char *fmt, va_list ap)
{
	char text[2048];

	vsnprintf(text, sizeof(text), fmt, ap);
	if (msg_ctx && msg_ctx->json && !json_printed && !pending.have) {
		pending.have = true;
		snprintf(pending.msg, sizeof(pending.msg), "%s", text);
		snprintf(pending.path, sizeof(pending.path), "%s", path ? path : "");
		return;
	}
	put_line("", text);
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(NULL, fmt, ap);
	va_end(ap);
}

void cli_warnf(const char *fmt, ...)
{
	va_list ap;
	char text[2048];

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	put_line("warning: ", text);
}

void cli_flush_error(int rc)
{
	static const char *const codes[] = { "ok", "invalid", "usage", "failed" };
	json_t *e;

	if (!pending.have)
		return;
	pending.have = false;
	if (json_printed) {
		put_line("", pending.msg);
		return;
	}
	if (rc < 0 || rc > 3)
		rc = CLI_EXIT_FAILED;
	e = json_pack("{s:s, s:i, s:o}", "code", codes[rc], "exit", rc, "message",
		      cli_json_string(pending.msg));
	if (e && pending.path[0])
		json_object_set_new(e, "path", cli_json_string(pending.path));
	cli_print_json(json_pack("{s:o}", "error", e));
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

static void fail_at(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail_at(const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(path, fmt, ap);
	va_end(ap);
}

int cli_fail(const struct custos_err *e)
{
	fail_at(e->path[0] ? e->path : NULL, "%s", e->msg[0] ? e->msg : "unknown error");
	return cli_exit_from_err(e);
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	(void)usage;
	va_start(ap, fmt);
	verror(NULL, fmt, ap);
	va_end(ap);
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

int cli_parse_size(uint64_t *out, const char *option, const char *arg)
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
	cli_errorf("%s takes a size (bytes, or a number with K, M, G or T), not '%s'",
		   option, arg);
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
		cli_fail(&err);
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
	json_printed = true;
	puts(s);
	free(s);
	return 0;
}

FILE *cli_capture_open(struct cli_capture *c, bool json)
{
	memset(c, 0, sizeof(*c));
	if (!json)
		return stdout;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

json_t *cli_capture_lines(struct cli_capture *c)
{
	json_t *arr;
	char *line, *next;

	if (!c->f)
		return NULL;
	fclose(c->f);
	c->f = NULL;
	arr = json_array();
	for (line = c->buf; arr && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		json_array_append_new(arr, cli_json_string(line));
	}
	free(c->buf);
	c->buf = NULL;
	return arr;
}

void cli_human_size(char *buf, size_t size, uint64_t bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, size, "%llu B", (unsigned long long)bytes);
		return;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
}
