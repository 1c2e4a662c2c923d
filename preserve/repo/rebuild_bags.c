/*
 * preserve/repo/rebuild_bags.c - the versions of a rebuilt catalog, from
 * their bags. The ingestion events name each version, when it was made
 * and from what; the first location that holds the bag gives its files:
 * the audit digest's manifest names them, the other manifests add their
 * digests, the listing their sizes, metadata/formats.tsv their format
 * records, bag-info.txt the version's tags. Each line is written as it
 * is read, so no version is held in memory.
 */
#include "preserve/repo/rebuild_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/strbuf.h"
#include "preserve/bagit/bagpath.h"
#include "preserve/bagit/bagwrite.h"
#include "preserve/bagit/tagfile.h"
#include "preserve/catalog/catalog_rebuild.h"
#include "preserve/repo/lines.h"

struct version_ref {
	char *object, *created, *source;
	int number;
};

struct version_list {
	struct version_ref *v;
	size_t n, cap;
};

/* "ingested from the directory '/src' as ID/v1": the source. */
static char *source_of(const char *record)
{
	json_t *o = json_loads(record, 0, NULL);
	const char *d = json_string_value(json_object_get(o, "detail"));
	const char *open = d ? strchr(d, '\'') : NULL, *close = NULL;
	char *s = NULL;

	for (const char *p = open; p && (p = strstr(p + 1, "' as ")); )
		close = p;
	if (open && close)
		s = strndup(open + 1, (size_t)(close - open - 1));
	json_decref(o);
	return s;
}

static int take_version(void *arg, const char *object, int version,
			const char *datetime, const char *record)
{
	struct version_list *l = arg;
	struct version_ref *v;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct version_ref *g = realloc(l->v, cap * sizeof(*g));

		if (!g)
			return 1;
		l->v = g;
		l->cap = cap;
	}
	v = &l->v[l->n];
	v->number = version;
	v->object = strdup(object);
	v->created = strdup(datetime ? datetime : "");
	v->source = source_of(record);
	l->n++;
	return v->object && v->created ? 0 : 1;
}

static void versions_free(struct version_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].object);
		free(l->v[i].created);
		free(l->v[i].source);
	}
	free(l->v);
}

/* One version being read from location LOC into version row VID. */
struct bag_read {
	struct rebuild *b;
	struct location *loc;
	int64_t vid;
	char vpath[512];                /* "ID/vN" */
	enum digest_alg alg;            /* the manifest being read */
	uint64_t files, bytes;          /* listed */
	uint64_t named;                 /* in the first manifest */
	struct custos_err *err;
};

/* "HEX  PATH" of a manifest: PATH decoded. */
static int manifest_line(char *line, char **hex, char **path)
{
	char *sp = strpbrk(line, " \t");

	if (!sp)
		return -1;
	*sp++ = '\0';
	while (*sp == ' ' || *sp == '\t')
		sp++;
	*hex = line;
	return *sp ? bagpath_decode(path, sp) : -1;
}

static int first_manifest_line(void *arg, char *line, size_t len, struct custos_err *err)
{
	struct bag_read *br = arg;
	struct digest_result dig = { .mask = DIGEST_BIT(br->alg) };
	char *hex, *path = NULL;
	int rc;

	if (!len)
		return 0;
	if (manifest_line(line, &hex, &path) < 0)
		return err_set(err, CUSTOS_EFORMAT, br->vpath, "%s: a manifest line is "
			       "not 'digest path'", br->vpath);
	snprintf(dig.hex[br->alg], sizeof(dig.hex[br->alg]), "%s", hex);
	rc = catalog_file_add(br->b->r->cat, br->vid,
			      &(struct catalog_file){ .path = path, .dig = &dig }, err);
	free(path);
	br->named++;
	return rc;
}

static int other_manifest_line(void *arg, char *line, size_t len, struct custos_err *err)
{
	struct bag_read *br = arg;
	char *hex, *path = NULL;
	int rc;

	if (!len)
		return 0;
	if (manifest_line(line, &hex, &path) < 0)
		return err_set(err, CUSTOS_EFORMAT, br->vpath, "%s: a manifest line is "
			       "not 'digest path'", br->vpath);
	rc = catalog_file_set_digest(br->b->r->cat, br->vid, path, br->alg, hex, err);
	free(path);
	return rc;
}

/* path puid format version mime basis; "UNKNOWN": no record. */
static int format_line(void *arg, char *line, size_t len, struct custos_err *err)
{
	struct bag_read *br = arg;
	char *field[6] = { 0 }, *p = line, *path = NULL;
	int n = 0, rc;

	if (!len || line[0] == '#' || !strncmp(line, "path\t", 5))
		return 0;
	while (n < 6) {
		field[n++] = p;
		if (!(p = strchr(p, '\t')))
			break;
		*p++ = '\0';
	}
	if (n < 6 || !strcmp(field[1], "UNKNOWN"))
		return 0;
	if (bagpath_decode(&path, field[0]) < 0)
		return err_nomem(err);
	rc = catalog_file_set_format(br->b->r->cat, br->vid, path, &(struct catalog_file){
		.puid = field[1], .format_name = field[2], .format_version = field[3],
		.mime = field[4], .basis = field[5] }, err);
	free(path);
	return rc;
}

static int listed_file(void *arg, const char *relpath, uint64_t size)
{
	struct bag_read *br = arg;
	const char *path = relpath + strlen(br->vpath) + 1;
	struct custos_err e;

	err_clear(&e);
	if (catalog_file_set_size(br->b->r->cat, br->vid, path, size, &e) < 0) {
		if (e.code != CUSTOS_EFORMAT) {
			*br->err = e;
			return 1;
		}
		rebuild_gap(br->b, "location '%s': %s/%s is in no manifest",
			    location_name(br->loc), br->vpath, path);
		return 0;
	}
	br->files++;
	br->bytes += size;
	progress_add(br->b->o->progress, 1, size);
	return 0;
}

/* bag-info.txt as the catalog keeps it: the tags custos did not write. */
static char *bag_info_of(struct bag_read *br, struct custos_err *err)
{
	char rel[600];
	struct strbuf text;
	struct tagfile tf = { 0 };
	struct problems probs;
	json_t *arr = json_array();
	char *s = NULL;

	snprintf(rel, sizeof(rel), "%s/bag-info.txt", br->vpath);
	strbuf_init(&text, (size_t)1 << 24);
	problems_init(&probs);
	if (lines_read(br->loc, rel, lines_keep, &text, err) == 0 && text.data &&
	    tagfile_parse(&tf, text.data, text.len, rel, TAGFILE_BAG_INFO, &probs) == 0)
		for (size_t i = 0; arr && i < tf.count; i++)
			if (!bagwrite_is_reserved_tag(tf.tags[i].label))
				json_array_append_new(arr, json_pack("[ss]", tf.tags[i].label,
								     tf.tags[i].value));
	s = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	tagfile_release(&tf);
	problems_release(&probs);
	strbuf_release(&text);
	return s;
}

static int read_manifests(struct bag_read *br, struct custos_err *err)
{
	enum digest_alg first = br->b->r->policy->audit_alg;
	char rel[600];
	int rc;

	br->alg = first;
	snprintf(rel, sizeof(rel), "%s/manifest-%s.txt", br->vpath, digest_name(first));
	if ((rc = lines_read(br->loc, rel, first_manifest_line, br, err)) != 0)
		return rc < 0 ? -1 : err_set(err, CUSTOS_EFORMAT, rel, "location '%s' "
					     "has no %s", location_name(br->loc), rel);
	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (a == (int)first)
			continue;
		br->alg = (enum digest_alg)a;
		snprintf(rel, sizeof(rel), "%s/manifest-%s.txt", br->vpath,
			 digest_name(br->alg));
		if (lines_read(br->loc, rel, other_manifest_line, br, err) < 0)
			return -1;
	}
	return 0;
}

static int read_bag(struct bag_read *br, struct custos_err *err)
{
	char rel[600];

	br->err = err;
	if (read_manifests(br, err) < 0)
		return -1;
	snprintf(rel, sizeof(rel), "%s/data", br->vpath);
	err_clear(err);
	if (location_list(br->loc, rel, listed_file, br, err) < 0 && err->code != CUSTOS_OK &&
	    err->sys_errno != ENOENT)
		return -1;
	if (br->files < br->named)
		rebuild_gap(br->b, "location '%s': %" PRIu64 " of the %" PRIu64 " files of %s "
			    "are missing (their sizes are not known)", location_name(br->loc),
			    br->named - br->files, br->named, br->vpath);
	snprintf(rel, sizeof(rel), "%s/metadata/formats.tsv", br->vpath);
	if (lines_read(br->loc, rel, format_line, br, err) < 0)
		return -1;
	return catalog_version_set_totals(br->b->r->cat, br->vid, br->named, br->bytes, err);
}

/* The fast way, when the bag is as custos writes it: the listing, every
 * manifest and formats.tsv name the same files in the same order, so
 * each file is one row written once, its lines read in step. Anything
 * else (a file missing or extra, another order) stops it: 1, and the
 * version is read again line by line (read_bag). */
struct in_step {
	struct bag_read *br;
	struct line_reader *man[DIGEST_COUNT];   /* NULL: no such manifest */
	struct line_reader *fmt;                 /* NULL: no formats.tsv */
	bool off;                                /* out of step: give up */
	struct custos_err *err;
	int failed;
};

/* The next line of R names PATH: its first field in *VAL (or, for
 * formats, the fields after the path in F). */
static bool next_names(struct line_reader *r, const char *path, char **hex,
		       struct custos_err *err, int *failed)
{
	char *line, *p = NULL;
	size_t len;
	bool same;

	if (line_reader_next(r, &line, &len, err) != 1) {
		*failed = err->code != CUSTOS_OK;
		return false;
	}
	if (manifest_line(line, hex, &p) < 0)
		return false;
	same = !strcmp(p, path);
	free(p);
	return same;
}

static int format_fields(struct line_reader *r, const char *path, char **field,
			 struct custos_err *err)
{
	char *line, *p;
	size_t len;
	int n = 0, rc;

	do {
		if ((rc = line_reader_next(r, &line, &len, err)) != 1)
			return rc < 0 ? -1 : 1;
	} while (!len || line[0] == '#' || !strncmp(line, "path\t", 5));
	for (p = line; n < 6; n++) {
		field[n] = p;
		if (!(p = strchr(p, '\t')))
			break;
		*p++ = '\0';
	}
	if (n < 5)
		return 1;
	if (!strcmp(field[1], "UNKNOWN"))
		field[1] = NULL;
	/* custos writes no %-escapes in plain names; anything else goes slow */
	return strchr(field[0], '%') || strcmp(field[0], path) ? 1 : 0;
}

static int in_step_file(void *arg, const char *relpath, uint64_t size)
{
	struct in_step *is = arg;
	struct bag_read *br = is->br;
	const char *path = relpath + strlen(br->vpath) + 1;
	struct digest_result dig = { .mask = 0 };
	struct catalog_file f = { .path = path, .size = size, .dig = &dig };
	char *field[6] = { 0 };

	if (strchr(path, '%') || strchr(path, '\n') || strchr(path, '\r'))
		return is->off = true;
	for (int a = 0; a < DIGEST_COUNT; a++) {
		char *hex;

		if (!is->man[a])
			continue;
		if (!next_names(is->man[a], path, &hex, is->err, &is->failed))
			return is->off = true;
		dig.mask |= DIGEST_BIT(a);
		snprintf(dig.hex[a], sizeof(dig.hex[a]), "%s", hex);
	}
	if (is->fmt) {
		int rc = format_fields(is->fmt, path, field, is->err);

		if (rc != 0) {
			is->failed = rc < 0;
			return is->off = true;
		}
		if (field[1]) {
			f.puid = field[1];
			f.format_name = field[2];
			f.format_version = field[3];
			f.mime = field[4];
			f.basis = field[5];
		}
	}
	if (catalog_file_add(br->b->r->cat, br->vid, &f, is->err) < 0) {
		is->failed = 1;
		return 1;
	}
	br->files++;
	br->named++;
	br->bytes += size;
	return 0;
}

/* Every reader at its end (nothing named that the listing lacks). */
static bool all_done(struct in_step *is, struct custos_err *err)
{
	char *line;
	size_t len;

	for (int a = 0; a < DIGEST_COUNT; a++)
		if (is->man[a] && line_reader_next(is->man[a], &line, &len, err) != 0)
			return false;
	while (is->fmt && line_reader_next(is->fmt, &line, &len, err) == 1)
		if (len && line[0] != '#')
			return false;
	return true;
}

static int read_bag_in_step(struct bag_read *br, struct custos_err *err)
{
	struct in_step is = { .br = br, .err = err };
	char rel[600];
	int rc = 0;

	for (int a = 0; a < DIGEST_COUNT && rc >= 0; a++) {
		snprintf(rel, sizeof(rel), "%s/manifest-%s.txt", br->vpath,
			 digest_name((enum digest_alg)a));
		rc = line_reader_open(&is.man[a], br->loc, rel, err);
		if (rc == 1) {
			is.man[a] = NULL;
			rc = a == (int)br->b->r->policy->audit_alg ? 1 : 0;
			if (rc)
				break;
		}
	}
	snprintf(rel, sizeof(rel), "%s/metadata/formats.tsv", br->vpath);
	if (rc == 0 && line_reader_open(&is.fmt, br->loc, rel, err) != 0)
		is.fmt = NULL;
	if (rc == 0) {
		snprintf(rel, sizeof(rel), "%s/data", br->vpath);
		err_clear(err);
		if (location_list(br->loc, rel, in_step_file, &is, err) < 0 && !is.off &&
		    !is.failed && err->sys_errno != ENOENT)
			is.failed = 1;
		if (is.failed)
			rc = -1;
		else if (is.off || !all_done(&is, err))
			rc = 1;
		else
			rc = catalog_version_set_totals(br->b->r->cat, br->vid, br->named,
							br->bytes, err);
	}
	for (int a = 0; a < DIGEST_COUNT; a++)
		line_reader_close(is.man[a]);
	line_reader_close(is.fmt);
	if (rc == 0)
		progress_add(br->b->o->progress, br->files, br->bytes);
	return rc;
}

/* Which locations hold VPATH as a bag (its bagit.txt). */
static int holders(struct rebuild *b, const char *vpath, bool *has, size_t *first)
{
	char rel[600];

	*first = b->r->nlocs;
	snprintf(rel, sizeof(rel), "%s/bagit.txt", vpath);
	for (size_t i = 0; i < b->r->nlocs; i++) {
		struct custos_err e;
		uint64_t size;

		has[i] = b->avail[i] && location_stat(b->r->locs[i], rel, &size, &e) == 0;
		if (has[i] && *first == b->r->nlocs)
			*first = i;
	}
	return 0;
}

/* The object and version rows and the files of V from BR's location, in
 * one transaction; IN_STEP: the fast way (1: not possible, undone). */
static int fill_version(struct rebuild *b, const struct version_ref *v,
			struct bag_read *br, struct catalog_version *cv, bool in_step,
			bool *new_object, struct custos_err *err)
{
	struct catalog *c = b->r->cat;
	int latest, rc;

	br->files = br->bytes = br->named = 0;
	if (catalog_begin(c, err) < 0)
		return -1;
	*new_object = false;
	if ((rc = catalog_object_find(c, v->object, &cv->object_id, &latest, err)) == 1) {
		rc = catalog_object_import(c, v->object, v->created, &cv->object_id, err);
		*new_object = rc == 0;
	}
	if (rc == 0)
		rc = catalog_version_add(c, cv, &br->vid, err);
	if (rc == 0)
		rc = in_step ? read_bag_in_step(br, err) : read_bag(br, err);
	if (rc != 0)
		catalog_rollback(c);
	return rc;
}

static int one_version(struct rebuild *b, const struct version_ref *v, bool *has,
		       struct custos_err *err)
{
	struct catalog *c = b->r->cat;
	struct bag_read br = { .b = b };
	struct catalog_version cv = { .number = v->number, .source = v->source,
				      .created = v->created };
	size_t src;
	char *info = NULL;
	bool new_object = false;
	int rc;

	repo_version_path(br.vpath, sizeof(br.vpath), v->object, v->number);
	holders(b, br.vpath, has, &src);
	for (size_t i = 0; i < b->r->nlocs; i++)
		if (!has[i] && b->avail[i])
			rebuild_gap(b, "location '%s' lacks %s", location_name(b->r->locs[i]),
				    br.vpath);
	if (src == b->r->nlocs) {
		rebuild_gap(b, "no location holds %s: it is not in the new catalog", br.vpath);
		return 0;
	}
	br.loc = b->r->locs[src];
	if (!(info = bag_info_of(&br, err)))
		return err->code ? -1 : err_nomem(err);
	cv.bag_info = info;
	rc = fill_version(b, v, &br, &cv, true, &new_object, err);
	if (rc == 1)
		rc = fill_version(b, v, &br, &cv, false, &new_object, err);
	for (size_t i = 0; rc == 0 && i < b->r->nlocs; i++) {
		rc = catalog_copy_put(c, br.vid, b->r->loc_ids[i], has[i] ? "ok" : "missing",
				      false, err);
		b->res->copies += has[i];
		b->res->copies_missing += !has[i];
	}
	if (rc == 0 && (rc = catalog_commit(c, err)) == 0) {
		b->res->objects += new_object;
		b->res->versions++;
		b->res->files += br.files;
	}
	if (rc < 0)
		catalog_rollback(c);
	free(info);
	return rc < 0 ? -1 : 0;
}

int rebuild_versions(struct rebuild *b, struct custos_err *err)
{
	struct version_list l = { 0 };
	bool *has = calloc(b->r->nlocs + 1, sizeof(*has));
	int rc;

	if (!has)
		return err_nomem(err);
	rc = catalog_each_ingestion(b->r->cat, take_version, &l, err);
	if (rc > 0)
		rc = err_nomem(err);
	for (size_t i = 0; rc == 0 && i < l.n; i++)
		rc = one_version(b, &l.v[i], has, err);
	versions_free(&l);
	free(has);
	return rc;
}
