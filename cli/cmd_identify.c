/*
 * cli/cmd_identify.c - `custos identify PATH...`: PRONOM identification
 * without a repository (docs/cli.md). Directories are walked in sorted
 * order; files are identified on the worker pool in batches and printed in
 * input order, one line (or one JSON Lines object) per file. Only the head
 * and tail windows of each file are read.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "core/fileio.h"
#include "core/pool.h"
#include "core/text.h"
#include "core/walk.h"
#include "formats/identify.h"

#define IDENTIFY_BATCH 1024

const char cmd_identify_usage[] =
	"usage: custos identify PATH... [--json] [--signatures FILE] "
	"[--container-signatures FILE] [--jobs N]\n"
	"\n"
	"Identify the format (PRONOM PUID, name, version, MIME type) of each\n"
	"file; directories are walked. Without --signatures the built-in\n"
	"signatures are used.\n"
	"\n"
	"  --json                        one JSON object per line (JSON Lines)\n"
	"  --signatures FILE             DROID binary signature file\n"
	"  --container-signatures FILE   DROID container signature file\n"
	"  --jobs N                      files identified in parallel\n"
	"\n"
	"Text output: PATH <TAB> PUID[,PUID...] <TAB> NAME VERSION[; ...] <TAB>\n"
	"BASIS <TAB> WARNINGS, with UNKNOWN for an unidentified file.\n"
	"Exit 0 when every file was read (identified or not), 2 on usage\n"
	"errors or unusable signature files, 3 if a file could not be read.\n";

struct item {
	char *path;
	char *out;                      /* rendered line, or NULL */
	char errmsg[sizeof(((struct custos_err *)0)->msg)]; /* read error */
};

struct run {
	const struct fmt_identifier *id;
	struct fmt_scan **scans;        /* one per worker */
	unsigned nworkers;
	bool json;
	struct item items[IDENTIFY_BATCH];
	size_t n;
	bool failed;                    /* some file could not be read */
	bool progress;                  /* stderr is a terminal, not --json */
	uint64_t done;                  /* files printed so far */
	int fatal;                      /* exit code if the run must stop */
};

static char *render_json(const char *path, uint64_t size,
			 const struct fmt_result *r)
{
	json_t *o = json_object(), *arr = json_array();
	char *s;

	for (size_t i = 0; i < r->nmatches; i++) {
		const struct fmt_match *m = &r->matches[i];
		json_t *w = json_array();

		for (size_t k = 0; k < m->nwarnings; k++)
			json_array_append_new(w, json_string(m->warnings[k]));
		json_array_append_new(arr, json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
			"puid", m->puid, "name", m->name, "version", m->version,
			"mime", m->mime, "basis", fmt_basis_name(m->basis),
			"evidence", m->evidence, "warnings", w));
	}
	json_object_set_new(o, "path", cli_json_string(path));
	json_object_set_new(o, "size", json_integer((json_int_t)size));
	json_object_set_new(o, "matches", arr);
	s = json_dumps(o, JSON_PRESERVE_ORDER |
			  JSON_ENSURE_ASCII);
	json_decref(o);
	return s;
}

/* A growing output line; ok turns false on OOM and stays false. */
struct line {
	char *buf;
	size_t len, cap;
	bool ok;
};

static void put(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (!l->ok)
		return;
	if (l->len + n + 1 > l->cap) {
		size_t c = (l->cap + n + 1) * 2;
		char *g = realloc(l->buf, c);

		if (!g) {
			l->ok = false;
			return;
		}
		l->buf = g;
		l->cap = c;
	}
	memcpy(l->buf + l->len, s, n + 1);
	l->len += n;
}

/* One column: field COL of every match, joined by SEP. */
static void put_column(struct line *l, const struct fmt_result *r, int col,
		       const char *sep)
{
	for (size_t i = 0; i < r->nmatches; i++) {
		const struct fmt_match *m = &r->matches[i];

		if (i)
			put(l, sep);
		switch (col) {
		case 0:
			put(l, m->puid);
			break;
		case 1:
			put(l, m->name);
			if (*m->version) {
				put(l, " ");
				put(l, m->version);
			}
			break;
		case 2:
			put(l, fmt_basis_name(m->basis));
			break;
		default:
			for (size_t k = 0; k < m->nwarnings; k++) {
				put(l, k ? ", " : "");
				put(l, m->warnings[k]);
			}
		}
	}
}

/* PATH TAB PUIDS TAB NAMES TAB BASES TAB WARNINGS (UNKNOWN if none). */
static char *render_text(const char *path, const struct fmt_result *r)
{
	struct line l = { NULL, 0, 0, true };
	char *shown = text_escape(path);   /* not cli_text: this runs on workers */

	put(&l, shown ? shown : "(out of memory)");
	free(shown);
	if (r->nmatches == 0)
		put(&l, "\tUNKNOWN\t\t\t");
	for (int col = 0; col < 4 && r->nmatches; col++) {
		put(&l, "\t");
		put_column(&l, r, col, col == 0 ? "," : "; ");
	}
	if (!l.ok) {
		free(l.buf);
		return NULL;
	}
	return l.buf;
}

static int identify_one(void *ctx, size_t idx, unsigned worker)
{
	struct run *run = ctx;
	struct item *it = &run->items[idx];
	struct fmt_result *res = malloc(sizeof(*res));
	struct custos_err err;
	struct stat st;
	int fd;

	if (!res) {
		snprintf(it->errmsg, sizeof(it->errmsg), "out of memory");
		return 0;
	}
	fd = fio_open_regular(AT_FDCWD, it->path, it->path, &err);
	if (fd < 0 || fstat(fd, &st) < 0 ||
	    fmt_identify_fd(run->scans[worker], fd, it->path, it->path, res,
			    &err)) {
		if (fd >= 0 && err.code == CUSTOS_OK)
			err_sys(&err, it->path, "cannot stat '%s'", it->path);
		snprintf(it->errmsg, sizeof(it->errmsg), "%s", err.msg);
	} else {
		it->out = run->json ? render_json(it->path, (uint64_t)st.st_size, res)
				    : render_text(it->path, res);
		if (!it->out)
			snprintf(it->errmsg, sizeof(it->errmsg), "out of memory");
	}
	if (fd >= 0)
		close(fd);
	free(res);
	return 0;
}

/* PATH could not be read: the error line, or with --json a JSON line of
 * its own like the others ({"path", "error"}). */
static void unreadable(struct run *run, const char *path, const char *msg)
{
	run->failed = true;
	if (run->json) {
		json_t *e = json_pack("{s:o, s:{s:s, s:i, s:o}}", "path", cli_json_string(path),
				      "error", "code", "failed", "exit", CLI_EXIT_FAILED,
				      "message", cli_json_string(msg));
		char *line = e ? json_dumps(e, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

		printf("%s\n", line ? line : "{\"error\":{\"code\":\"failed\"}}");
		free(line);
		json_decref(e);
	} else {
		cli_errorf("%s", msg);
	}
}

static void flush_batch(struct run *run)
{
	if (!run->n)
		return;
	pool_run(run->nworkers, run->n, identify_one, run);
	for (size_t i = 0; i < run->n; i++) {
		struct item *it = &run->items[i];

		if (it->out)
			printf("%s\n", it->out);
		else
			unreadable(run, it->path, it->errmsg[0] ? it->errmsg : "internal error");
		free(it->path);
		free(it->out);
		memset(it, 0, sizeof(*it));
	}
	run->done += run->n;
	run->n = 0;
	if (run->progress)
		fprintf(stderr, "\ridentified %" PRIu64 " files", run->done);
}

static int add_path(struct run *run, char *path)
{
	if (!path) {
		cli_errorf("out of memory");
		return -1;
	}
	run->items[run->n++].path = path;
	if (run->n == IDENTIFY_BATCH)
		flush_batch(run);
	return 0;
}

struct walk_ctx {
	struct run *run;
	const char *root;
};

static int walk_cb(void *arg, const struct walk_entry *e, struct custos_err *err)
{
	struct walk_ctx *wc = arg;

	if (e->type != WALK_FILE)
		return 0;
	if (add_path(wc->run, fio_join(wc->root, e->relpath)))
		return err_nomem(err);
	return 0;
}

static int add_arg(struct run *run, const char *path)
{
	struct stat st;
	struct custos_err err;

	if (lstat(path, &st) < 0) {
		err_sys(&err, path, "cannot read '%s'", path);
		unreadable(run, path, err.msg);
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		struct walk_ctx wc = { run, path };

		if (walk_tree(path, "", walk_cb, &wc, &err))
			unreadable(run, path, err.msg);
		return 0;
	}
	return add_path(run, strdup(path));
}

struct opts {
	const char *sigs, *csigs;
	unsigned jobs;
};

static int identify_option(void *arg, int opt, char *value)
{
	struct opts *o = arg;

	switch (opt) {
	case 's': o->sigs = value; break;
	case 'c': o->csigs = value; break;
	default:
		if (cli_parse_jobs(&o->jobs, value) < 0)
			return CLI_EXIT_USAGE;
	}
	return 0;
}

static int parse_opts(struct cli_ctx *ctx, int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "signatures", required_argument, NULL, 's' },
		{ "container-signatures", required_argument, NULL, 'c' },
		{ "jobs", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int rc;

	if ((rc = cli_parse(ctx, argc, argv, NULL, longopts, identify_option, o)))
		return rc;
	if (optind >= argc)
		return cli_usage_error(cmd_identify_usage, "no PATH given");
	return 0;
}

static int run_all(struct run *run, char **paths, int npaths)
{
	for (int i = 0; i < npaths; i++)
		if (add_arg(run, paths[i]))
			return CLI_EXIT_FAILED;
	flush_batch(run);
	if (run->progress && run->done)
		fputc('\n', stderr);
	return run->failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cmd_identify(struct cli_ctx *ctx, int argc, char **argv)
{
	struct opts o = { 0 };
	struct fmt_identifier *id = NULL;
	struct run *run = NULL;
	struct custos_err err;
	char **paths;
	int npaths, rc;

	if ((rc = parse_opts(ctx, argc, argv, &o)))
		return rc;
	paths = argv + optind;
	npaths = argc - optind;
	if (fmt_identifier_load(&id, o.sigs, o.csigs, &err)) {
		cli_fail(&err);
		rc = err.code == CUSTOS_ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
		goto out;
	}
	run = calloc(1, sizeof(*run));
	rc = CLI_EXIT_FAILED;
	if (!run)
		goto out;
	run->id = id;
	run->json = ctx->json;
	/* a progress line only when it cannot mix with the results */
	run->progress = !ctx->json && cli_stderr_is_tty() && !isatty(STDOUT_FILENO);
	run->nworkers = o.jobs ? o.jobs : pool_default_workers();
	run->scans = calloc(run->nworkers, sizeof(*run->scans));
	if (!run->scans)
		goto out;
	for (unsigned w = 0; w < run->nworkers; w++)
		if (fmt_scan_new(&run->scans[w], id, &err)) {
			cli_errorf("%s", err.msg);
			goto out;
		}
	rc = run_all(run, paths, npaths);
out:
	if (run && run->scans)
		for (unsigned w = 0; w < run->nworkers; w++)
			fmt_scan_free(run->scans[w]);
	if (run)
		free(run->scans);
	free(run);
	fmt_identifier_free(id);
	return rc;
}
