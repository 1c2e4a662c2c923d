/*
 * cli/cmd_show.c - `custos show ID`: one object's versions, the files of a
 * version with digests and format records, its copies, and its events.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/repo/repo.h"

const char cmd_show_usage[] =
	"usage: custos show ID [--version N] [--json] [-r REPO]\n"
	"\n"
	"Show one object: its versions; the files of the latest version (or N)\n"
	"with size, digests and format record; its copies in each location with\n"
	"their status and last verification; and its PREMIS events.\n";

/* Collect rows as JSON objects keyed by column name. */
static int to_json(void *arg, int n, const char *const *v, const char *const *names)
{
	json_t *o = json_object();

	for (int i = 0; i < n; i++)
		if (v[i])
			json_object_set_new(o, names[i], json_string(v[i]));
	json_array_append_new(arg, o);
	return 0;
}

static json_t *query(struct repo *r, const char *sql, const char *ident,
		     const char *ver, struct custos_err *err)
{
	json_t *arr = json_array();
	const char *params[2] = { ident, ver };

	if (catalog_query(repo_catalog(r), sql, params, 2, to_json, arr, err) < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static void print_section(const char *title, json_t *arr, const char *const *cols)
{
	size_t i;
	json_t *o;

	printf("%s:\n", title);
	json_array_foreach(arr, i, o) {
		printf(" ");
		for (const char *const *c = cols; *c; c++) {
			const char *s = json_string_value(json_object_get(o, *c));

			printf(" %s", s ? s : "-");
		}
		printf("\n");
	}
}

static int show(struct repo *r, const char *ident, const char *ver, int json)
{
	static const char *const vcols[] = { "number", "created", "files", "bytes", "source", NULL };
	static const char *const fcols[] = { "path", "size", "digest", "puid", "format", NULL };
	static const char *const ccols[] = { "location", "status", "last_verified", NULL };
	static const char *const ecols[] = { "datetime", "type", "outcome", "location", "detail", NULL };
	char vsql[200], fsql[600];
	struct custos_err err;
	json_t *v, *f, *c, *e;

	snprintf(vsql, sizeof(vsql), "SELECT v.number, v.created, v.files, v.bytes, v.source"
		 " FROM versions v JOIN objects o ON o.id = v.object_id"
		 " WHERE o.ident = ?1 AND ?2 IS NOT NULL ORDER BY v.number");
	snprintf(fsql, sizeof(fsql), "SELECT f.path, f.size, f.%s AS digest, f.puid,"
		 " f.format_name AS format, f.format_version, f.mime, f.basis, f.md5, f.sha1,"
		 " f.sha256, f.sha512 FROM files f JOIN versions v ON v.id = f.version_id"
		 " JOIN objects o ON o.id = v.object_id WHERE o.ident = ?1 AND v.number = ?2"
		 " ORDER BY f.path", digest_name(repo_policy(r)->audit_alg));
	err_clear(&err);
	v = query(r, vsql, ident, ver, &err);
	f = query(r, fsql, ident, ver, &err);
	c = query(r, "SELECT l.name AS location, c.status, c.last_verified FROM copies c"
		  " JOIN locations l ON l.id = c.location_id JOIN versions v ON v.id = c.version_id"
		  " JOIN objects o ON o.id = v.object_id WHERE o.ident = ?1 AND v.number = ?2"
		  " ORDER BY l.id", ident, ver, &err);
	e = query(r, "SELECT datetime, type, outcome, location, json_extract(record, '$.detail')"
		  " AS detail, uuid FROM events WHERE object = ?1 AND ?2 IS NOT NULL ORDER BY id",
		  ident, ver, &err);
	if (!v || !f || !c || !e) {
		json_decref(v); json_decref(f); json_decref(c); json_decref(e);
		return cli_fail(&err);
	}
	if (json) {
		cli_print_json(json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "id", ident,
					 "version", ver, "versions", v, "files", f,
					 "copies", c, "events", e));
		return CLI_EXIT_OK;
	}
	printf("object %s (showing version %s)\n", ident, ver);
	print_section("versions", v, vcols);
	print_section("files (path, size, digest, PUID, format)", f, fcols);
	print_section("copies", c, ccols);
	print_section("events", e, ecols);
	json_decref(v); json_decref(f); json_decref(c); json_decref(e);
	return CLI_EXIT_OK;
}

int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'J' },
		{ "repo", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *repo = NULL, *ver = NULL;
	struct custos_err err;
	struct repo *r;
	int64_t oid;
	int c, json = 0, rc, latest;
	char vbuf[16];

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': ver = optarg; break;
		case 'J': json = 1; break;
		case 'r': repo = optarg; break;
		default: return cli_usage_error(cmd_show_usage, "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(cmd_show_usage, "show takes exactly one ID");
	if ((rc = cli_open_repo(&r, repo, 0)))
		return rc;
	err_clear(&err);
	rc = catalog_object_find(repo_catalog(r), argv[optind], &oid, &latest, &err);
	if (rc != 0) {
		if (rc == 1)
			cli_errorf("no object '%s' in the repository", argv[optind]);
		else
			cli_fail(&err);
		repo_close(r);
		return rc == 1 ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
	}
	if (!ver) {
		snprintf(vbuf, sizeof(vbuf), "%d", latest);
		ver = vbuf;
	}
	rc = show(r, argv[optind], ver, json);
	repo_close(r);
	return rc;
}
