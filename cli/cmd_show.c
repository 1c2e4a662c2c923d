/*
 * cli/cmd_show.c - `custos show ID`: one object's versions, the files of a
 * version with digests and format records, its copies, and its events.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/exit.h"
#include "preserve/catalog/catalog_listing.h"
#include "preserve/repo/repo.h"

const char cmd_show_usage[] =
	"usage: custos show ID [--version N] [--json] [-r REPO]\n"
	"\n"
	"Show one object: its versions; the files of the latest version (or N)\n"
	"with size, digests and format record; its copies in each location with\n"
	"their status and last verification; and its PREMIS events.\n";

/* Each row as a JSON object of strings keyed by column name, without the
 * columns that are NULL (what `show --json` has always printed). */
static void put(json_t *o, const char *key, const char *value)
{
	if (value)
		json_object_set_new(o, key, json_string(value));
}

static void put_number(json_t *o, const char *key, uint64_t value)
{
	char text[24];

	snprintf(text, sizeof(text), "%llu", (unsigned long long)value);
	put(o, key, text);
}

static int version_row(void *arg, const struct catalog_version_row *v)
{
	json_t *o = json_object();

	put_number(o, "number", (uint64_t)v->number);
	put(o, "created", v->created);
	put_number(o, "files", v->files);
	put_number(o, "bytes", v->bytes);
	put(o, "source", v->source);
	return json_array_append_new(arg, o);
}

struct files_arg {
	json_t *arr;
	enum digest_alg alg;       /* the policy's audit digest */
};

static int file_row(void *arg, const struct catalog_file_row *f)
{
	struct files_arg *fa = arg;
	json_t *o = json_object();

	put(o, "path", f->path);
	put_number(o, "size", f->size);
	put(o, "digest", f->hex[fa->alg]);
	put(o, "puid", f->puid);
	put(o, "format", f->format_name);
	put(o, "format_version", f->format_version);
	put(o, "mime", f->mime);
	put(o, "basis", f->basis);
	put(o, "md5", f->hex[DIGEST_MD5]);
	put(o, "sha1", f->hex[DIGEST_SHA1]);
	put(o, "sha256", f->hex[DIGEST_SHA256]);
	put(o, "sha512", f->hex[DIGEST_SHA512]);
	return json_array_append_new(fa->arr, o);
}

static int copy_row(void *arg, const struct catalog_copy_row *c)
{
	json_t *o = json_object();

	put(o, "location", c->location);
	put(o, "status", c->status);
	put(o, "last_verified", c->last_verified);
	return json_array_append_new(arg, o);
}

static int event_row(void *arg, const struct catalog_event_row *e)
{
	json_t *o = json_object(), *rec = json_loads(e->record, 0, NULL);

	put(o, "datetime", e->datetime);
	put(o, "type", e->type);
	put(o, "outcome", e->outcome);
	put(o, "location", e->location);
	put(o, "detail", json_string_value(json_object_get(rec, "detail")));
	put(o, "uuid", e->uuid);
	json_decref(rec);
	return json_array_append_new(arg, o);
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

/* VER as a version number; 0 (no version has it) if it is not one. */
static int version_number(const char *ver)
{
	char *end;
	long n = strtol(ver, &end, 10);

	return *end || n < 1 || n > INT_MAX ? 0 : (int)n;
}

static int show(struct repo *r, const char *ident, const char *ver, int json)
{
	static const char *const vcols[] = { "number", "created", "files", "bytes", "source", NULL };
	static const char *const fcols[] = { "path", "size", "digest", "puid", "format", NULL };
	static const char *const ccols[] = { "location", "status", "last_verified", NULL };
	static const char *const ecols[] = { "datetime", "type", "outcome", "location", "detail", NULL };
	struct catalog *cat = repo_catalog(r);
	int number = version_number(ver);
	json_t *v = json_array(), *f = json_array(), *c = json_array(), *e = json_array();
	struct files_arg fa = { .arr = f, .alg = repo_policy(r)->audit_alg };
	struct custos_err err;

	err_clear(&err);
	if (catalog_list_versions(cat, ident, version_row, v, &err) ||
	    catalog_list_files(cat, ident, number, file_row, &fa, &err) ||
	    catalog_list_copies(cat, ident, number, copy_row, c, &err) ||
	    catalog_list_events(cat, ident, NULL, event_row, e, &err)) {
		json_decref(v); json_decref(f); json_decref(c); json_decref(e);
		if (!err.msg[0])
			err_set(&err, CUSTOS_ENOMEM, NULL, "out of memory");
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

int cmd_show(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ver = NULL;
	struct custos_err err;
	int64_t oid;
	int rc, latest;
	char vbuf[16];

	if ((rc = cli_parse(ctx, argc, argv, NULL, longopts, cli_keep_value, &ver)))
		return rc;
	if (optind != argc - 1)
		return cli_usage_error(cmd_show_usage, "show takes exactly one ID");
	if ((rc = cli_open_under_policy(ctx)))
		return rc;
	err_clear(&err);
	rc = catalog_object_find(repo_catalog(ctx->repo), argv[optind], &oid, &latest, &err);
	if (rc != 0) {
		if (rc == 1)
			cli_errorf("no object '%s' in the repository", argv[optind]);
		else
			cli_fail(&err);
		return rc == 1 ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
	}
	if (!ver) {
		snprintf(vbuf, sizeof(vbuf), "%d", latest);
		ver = vbuf;
	} else if (!version_number(ver)) {
		return cli_usage_error(cmd_show_usage, "--version takes a version number, not '%s'",
				       ver);
	}
	return show(ctx->repo, argv[optind], ver, ctx->json);
}
