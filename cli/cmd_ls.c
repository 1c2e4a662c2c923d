/*
 * cli/cmd_ls.c - `custos ls`: every object with its latest version, size,
 * oldest verification of its copies and whether the policy's number of
 * verified copies is met.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/repo/repo.h"

const char cmd_ls_usage[] =
	"usage: custos ls [--json] [-r REPO]\n"
	"\n"
	"List the objects: id, versions, files, bytes, oldest last verification of\n"
	"the latest version's copies, and status (ok, or degraded when fewer\n"
	"verified copies exist than the policy requires).\n";

static const char ls_sql[] =
	"SELECT o.ident, v.number, v.files, v.bytes,"
	" (SELECT MIN(c.last_verified) FROM copies c WHERE c.version_id = v.id),"
	" (SELECT COUNT(*) FROM copies c WHERE c.version_id = v.id AND c.status = 'ok')"
	" FROM objects o JOIN versions v ON v.object_id = o.id"
	" WHERE v.number = (SELECT MAX(number) FROM versions WHERE object_id = o.id)"
	" ORDER BY o.ident";

struct ls_state {
	unsigned required;
	json_t *arr;
	size_t n;
};

static int row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct ls_state *st = arg;
	long copies = v[5] ? strtol(v[5], NULL, 10) : 0;
	const char *status = copies >= (long)st->required ? "ok" : "degraded";

	(void)names;
	if (n != 6)
		return 0;
	st->n++;
	if (st->arr) {
		json_array_append_new(st->arr, json_pack("{s:s, s:I, s:I, s:I, s:s?, s:I, s:s}",
			"id", v[0], "versions", (json_int_t)strtoll(v[1], NULL, 10),
			"files", (json_int_t)strtoll(v[2], NULL, 10),
			"bytes", (json_int_t)strtoll(v[3], NULL, 10),
			"last_verified", v[4], "copies", (json_int_t)copies,
			"status", status));
		return 0;
	}
	if (st->n == 1)
		printf("%-24s %8s %8s %14s %-20s %s\n", "ID", "VERSIONS", "FILES",
		       "BYTES", "LAST VERIFIED", "STATUS");
	printf("%-24s %8s %8s %14s %-20s %s (%ld/%u copies)\n", v[0], v[1], v[2], v[3],
	       v[4] ? v[4] : "never", status, copies, st->required);
	return 0;
}

int cmd_ls(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "repo", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct ls_state st = { 0 };
	const char *repo = NULL;
	struct custos_err err;
	struct repo *r;
	int c, json = 0, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:", longopts, NULL)) != -1) {
		if (c == 'J')
			json = 1;
		else if (c == 'r')
			repo = optarg;
		else
			return cli_usage_error(cmd_ls_usage, "bad option");
	}
	if (optind != argc)
		return cli_usage_error(cmd_ls_usage, "ls takes no arguments");
	if ((rc = cli_open_repo(&r, repo, 0)))
		return rc;
	st.required = repo_policy(r)->copies_required;
	st.arr = json ? json_array() : NULL;
	err_clear(&err);
	rc = catalog_query(repo_catalog(r), ls_sql, NULL, 0, row, &st, &err);
	repo_close(r);
	if (rc < 0) {
		json_decref(st.arr);
		return cli_fail(&err);
	}
	if (json)
		cli_print_json(json_pack("{s:o}", "objects", st.arr));
	else if (st.n == 0)
		printf("no objects yet; deposit with 'custos ingest'\n");
	return CLI_EXIT_OK;
}
