/*
 * preserve/repo/ingest_source.c - what a deposit is (directory, file, archive,
 * bag, serialized bag), whether it may be stored (bags must validate,
 * against the policy's deposit profile too; required bag-info fields must
 * be present), and which files it holds. Nothing is written here: every
 * refusal happens before the first byte is stored.
 */
#include "preserve/repo/repo_int.h"
#include "preserve/repo/ingest_int.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/text.h"
#include "core/walk.h"
#include "preserve/bagit/bagpath.h"
#include "preserve/bagit/bagwrite.h"
#include "preserve/bagit/manifest.h"
#include "preserve/bagit/profile.h"
#include "preserve/bagit/validate.h"

int ingest_add_item(struct ingest_ctx *cx, const char *src,
		    const char *bagpath, uint64_t size)
{
	struct ingest_item *it;

	if (cx->nitems == cx->cap) {
		size_t ncap = cx->cap ? cx->cap * 2 : 256;
		struct ingest_item *g = realloc(cx->items, ncap * sizeof(*g));

		if (!g)
			return -1;
		cx->items = g;
		cx->cap = ncap;
	}
	it = &cx->items[cx->nitems];
	memset(it, 0, sizeof(*it));
	it->size = size;
	it->src = src ? strdup(src) : NULL;
	it->bagpath = strdup(bagpath);
	if ((src && !it->src) || !it->bagpath) {
		free(it->src);
		free(it->bagpath);
		return -1;
	}
	cx->nitems++;
	return 0;
}

static int add_tag(struct ingest_ctx *cx, const char *label, const char *value)
{
	struct bag_tag *g = realloc(cx->tags, (cx->ntags + 1) * sizeof(*g));

	if (!g)
		return -1;
	cx->tags = g;
	g[cx->ntags].label = strdup(label);
	g[cx->ntags].value = strdup(value);
	g[cx->ntags].line = 0;
	if (!g[cx->ntags].label || !g[cx->ntags].value)
		return -1;
	cx->ntags++;
	return 0;
}

static bool has_tag(const struct bag_tag *t, size_t n, const char *label)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(t[i].label, label) && t[i].value[0])
			return true;
	return false;
}

/* The policy's required bag-info fields, from the deposit or --info. */
static void check_required(struct ingest_ctx *cx, struct problems *r)
{
	const struct policy *p = cx->r->policy;

	for (size_t i = 0; i < p->nrequired_info; i++)
		if (!has_tag(cx->tags, cx->ntags, p->required_info[i]))
			problems_error(r, "missing-required-info", "bag-info.txt",
				     "the policy requires bag-info field '%s'%s",
				     p->required_info[i], cx->kind == INGEST_BAG_DIR ||
				     cx->kind == INGEST_BAG_ARCHIVE ? "" :
				     " (give it with --info KEY=VALUE)");
}

struct bag_check {
	struct ingest_ctx *cx;
	struct bag_profile *profiles[2];
	int oom;
};

/* Keep a deposit manifest's digests, by path and by folded path. */
static int keep_manifest(struct ingest_ctx *cx, const struct manifest *m)
{
	enum digest_alg a = m->alg;

	if (!(cx->expect[a] = strmap_new()) || !(cx->expect_fold[a] = strmap_new()))
		return -1;
	cx->deposit_algs |= DIGEST_BIT(a);
	for (size_t i = 0; i < m->count; i++) {
		char *key = text_fold(m->entries[i].path);
		char buf[DIGEST_HEX_MAX];
		char *hex = strdup(manifest_hex(m, &m->entries[i], buf));

		if (!hex || strmap_put(cx->expect[a], m->entries[i].path, hex) < 0 ||
		    (key && strmap_put(cx->expect_fold[a], key, hex) < 0)) {
			free(key);
			free(hex);
			return -1;
		}
		free(key);
	}
	return 0;
}

/* Validation hook: profiles, the deposit's bag-info tags and manifests. */
static void on_facts(void *arg, const struct bag_facts *f, struct problems *r)
{
	struct bag_check *bc = arg;

	for (int a = 0; a < DIGEST_COUNT; a++)
		if (f->payload_manifest[a] && keep_manifest(bc->cx, f->payload_manifest[a]) < 0)
			bc->oom = 1;

	for (int i = 0; i < 2; i++)
		if (bc->profiles[i])
			profile_check(bc->profiles[i], f, r);
	for (size_t i = 0; i < f->ninfo; i++)
		if (!bagwrite_is_reserved_tag(f->info[i].label) &&
		    add_tag(bc->cx, f->info[i].label, f->info[i].value) < 0)
			bc->oom = 1;
}

static int load_profiles(struct bag_check *bc, struct custos_err *err)
{
	const char *paths[2] = { bc->cx->r->policy->deposit_profile, bc->cx->o->profile };

	for (int i = 0; i < 2; i++) {
		char *resolved = NULL;
		int rc;

		if (!paths[i])
			continue;
		if (paths[i][0] != '/' && i == 0 &&
		    asprintf(&resolved, "%s/%s", bc->cx->r->root, paths[i]) < 0)
			return err_nomem(err);
		rc = profile_load(&bc->profiles[i], resolved ? resolved : paths[i], err);
		free(resolved);
		if (rc < 0 && err->code != CUSTOS_ENOMEM)
			err->code = CUSTOS_EUSAGE;    /* configuration: exit 2 */
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A deposit that is a bag: validate it fully before anything is stored. */
static int validate_bag(struct ingest_ctx *cx, struct custos_err *err)
{
	struct bag_check bc = { .cx = cx };
	struct validate_opts vo = { .mode = VALIDATE_DEFER_PAYLOAD, .jobs = cx->o->jobs,
				    .facts_hook = on_facts, .facts_arg = &bc };
	struct validate_result vr;
	int rc = -1;

	if (load_profiles(&bc, err) < 0)
		goto out;
	if ((cx->bag ? bag_validate_source(cx->bag, &vo, &vr, err) :
		       bag_validate(cx->src, &vo, &vr, err)) < 0)
		goto out;
	problems_copy(&cx->res->refusal, &vr.problems);
	validate_result_release(&vr);
	rc = bc.oom ? err_nomem(err) : 0;
out:
	profile_free(bc.profiles[0]);
	profile_free(bc.profiles[1]);
	return rc;
}

static int survey_entry(void *arg, const struct walk_entry *e,
			struct custos_err *err)
{
	struct ingest_ctx *cx = arg;
	struct problems *r = &cx->res->refusal;
	char *bagpath = NULL;
	int rc;

	if (!text_utf8_valid(e->relpath, strlen(e->relpath))) {
		problems_error(r, "bad-filename-encoding", e->relpath,
			     "the name '%s' is not valid UTF-8", e->relpath);
		return e->type == WALK_DIR ? 1 : 0;
	}
	/* a directory deposit leaves out what the operating system made */
	if (cx->kind == INGEST_DIR && !cx->o->keep_system_files &&
	    bagpath_is_system_file(e->relpath)) {
		cx->res->system_files_left_out++;
		return e->type == WALK_DIR ? 1 : 0;
	}
	if (e->type == WALK_SYMLINK || e->type == WALK_OTHER) {
		problems_error(r, e->type == WALK_SYMLINK ? "symlink" : "special-file",
			     e->relpath, "'%s' is %s; only regular files can be deposited",
			     e->relpath, e->type == WALK_SYMLINK ? "a symlink" :
			     "a device, fifo or socket");
		return 0;
	}
	if (e->type != WALK_FILE)
		return 0;
	if (cx->kind == INGEST_BAG_DIR)
		rc = ingest_add_item(cx, e->relpath, e->relpath, e->size);
	else if (asprintf(&bagpath, "data/%s", e->relpath) < 0)
		rc = -1;
	else
		rc = ingest_add_item(cx, e->relpath, bagpath, e->size);
	free(bagpath);
	return rc < 0 ? err_nomem(err) : 0;
}

/* Walk the deposit's tree below SUB. A tree nested beyond the walk's
 * limit is an invalid deposit (exit 1), not a failure to finish. */
static int survey_tree(struct ingest_ctx *cx, const char *sub,
		       struct custos_err *err)
{
	if (walk_tree(cx->root, sub, survey_entry, cx, err) == 0)
		return 0;
	if (err->code != CUSTOS_ELIMIT)
		return -1;
	problems_error(&cx->res->refusal, "too-deep", err->path, "%s", err->msg);
	err_clear(err);
	return 0;
}

/* An archive that is not a bag: refuse links and escaping entries. */
static int survey_archive(struct ingest_ctx *cx, const struct bag_entry *ents,
			  size_t n)
{
	struct problems *r = &cx->res->refusal;

	for (size_t i = 0; i < n; i++) {
		if (ents[i].type == BAG_ENTRY_SYMLINK || ents[i].type == BAG_ENTRY_OTHER)
			problems_error(r, ents[i].type == BAG_ENTRY_SYMLINK ? "symlink" :
				     "special-file", ents[i].path,
				     "archive entry '%s' is a link or special file; only regular files can be deposited",
				     ents[i].path);
		else if (!text_utf8_valid(ents[i].path, strlen(ents[i].path)))
			problems_error(r, "bad-filename-encoding", ents[i].path,
				     "archive entry name '%s' is not valid UTF-8",
				     ents[i].path);
	}
	return 0;
}

static int classify(struct ingest_ctx *cx, struct custos_err *err)
{
	enum bagsrc_kind kind;

	if (bagsrc_classify(cx->src, &kind, &cx->bag, &cx->res->refusal, err) < 0)
		return -1;
	switch (kind) {
	case BAGSRC_PLAIN_DIR:
	case BAGSRC_BAG_DIR:
		cx->kind = kind == BAGSRC_BAG_DIR ? INGEST_BAG_DIR : INGEST_DIR;
		return (cx->root = strdup(cx->src)) ? 0 : err_nomem(err);
	case BAGSRC_PLAIN_FILE:
		cx->kind = INGEST_FILE;
		return 0;
	case BAGSRC_BAG_ARCHIVE:
		cx->kind = INGEST_BAG_ARCHIVE;
		return 0;
	case BAGSRC_PLAIN_ARCHIVE:
		break;
	}
	cx->kind = INGEST_ARCHIVE;
	{
		const struct bag_entry *ents;
		size_t n;

		if (bagsrc_inventory(cx->bag, &ents, &n, &cx->res->refusal, err) < 0)
			return -1;
		return survey_archive(cx, ents, n);
	}
}

static int survey_single_file(struct ingest_ctx *cx, struct custos_err *err)
{
	char *copy1 = strdup(cx->src), *copy2 = strdup(cx->src), *bagpath = NULL;
	const char *base;
	int rc = -1;
	struct stat st;

	if (!copy1 || !copy2 || stat(cx->src, &st) < 0)
		goto out;
	base = basename(copy1);
	if (!text_utf8_valid(base, strlen(base))) {
		problems_error(&cx->res->refusal, "bad-filename-encoding", base,
			     "the name '%s' is not valid UTF-8", base);
		rc = 0;
		goto out;
	}
	if (!(cx->root = strdup(dirname(copy2))) ||
	    asprintf(&bagpath, "data/%s", base) < 0)
		goto out;
	rc = ingest_add_item(cx, base, bagpath, (uint64_t)st.st_size);
out:
	free(copy1);
	free(copy2);
	free(bagpath);
	return rc < 0 ? err_sys(err, cx->src, "cannot read deposit '%s'", cx->src) : 0;
}

int ingest_survey(struct ingest_ctx *cx, struct custos_err *err)
{
	int rc = 0;

	if (classify(cx, err) < 0)
		return -1;
	if (cx->o->profile && cx->kind != INGEST_BAG_DIR &&
	    cx->kind != INGEST_BAG_ARCHIVE)
		return err_set(err, CUSTOS_EUSAGE, cx->src,
			       "--profile checks a bag, and '%s' is not one (no bagit.txt); custos makes the bag itself",
			       cx->src);
	if (cx->kind == INGEST_BAG_DIR || cx->kind == INGEST_BAG_ARCHIVE)
		rc = validate_bag(cx, err);
	if (rc == 0 && cx->kind == INGEST_DIR)
		rc = survey_tree(cx, "", err);
	else if (rc == 0 && cx->kind == INGEST_BAG_DIR && cx->res->refusal.errors == 0)
		rc = survey_tree(cx, "data", err);
	else if (rc == 0 && cx->kind == INGEST_FILE)
		rc = survey_single_file(cx, err);
	for (size_t i = 0; rc == 0 && i < cx->o->ninfo; i++)
		if (add_tag(cx, cx->o->info[i].label, cx->o->info[i].value) < 0)
			rc = err_nomem(err);
	if (rc < 0)
		return -1;
	check_required(cx, &cx->res->refusal);
	return cx->res->refusal.errors ? 1 : 0;
}

size_t ingest_check_deposit_digests(struct ingest_ctx *cx)
{
	size_t bad = 0;

	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (!(cx->deposit_algs & DIGEST_BIT(a)))
			continue;
		for (size_t i = 0; i < cx->nitems; i++) {
			const struct ingest_item *it = &cx->items[i];
			const char *want = strmap_get(cx->expect[a], it->bagpath);
			char *key;

			if (!want && (key = text_fold(it->bagpath))) {
				want = strmap_get(cx->expect_fold[a], key);
				free(key);
			}
			if (!want || digest_hex_equal(want, it->dig.hex[a]))
				continue;
			problems_add(&cx->res->refusal, PROBLEM_ERROR, "digest-mismatch",
				   it->bagpath, want, it->dig.hex[a],
				   "'%s': %s digest differs from the deposit's manifest-%s.txt",
				   it->bagpath, digest_name((enum digest_alg)a),
				   digest_name((enum digest_alg)a));
			bad++;
		}
	}
	return bad;
}

static void free_values(struct strmap *m)
{
	size_t pos = 0;
	const char *k;
	void *v;

	while (m && strmap_next(m, &pos, &k, &v))
		free(v);
	strmap_free(m);
}

void ingest_ctx_release(struct ingest_ctx *cx)
{
	for (int a = 0; a < DIGEST_COUNT; a++) {
		free_values(cx->expect[a]);
		strmap_free(cx->expect_fold[a]);   /* values shared with expect */
	}
	for (size_t i = 0; i < cx->nitems; i++) {
		free(cx->items[i].src);
		free(cx->items[i].bagpath);
	}
	free(cx->items);
	for (size_t i = 0; i < cx->ntags; i++) {
		free(cx->tags[i].label);
		free(cx->tags[i].value);
	}
	free(cx->tags);
	free(cx->root);
	bagsrc_close(cx->bag);
}
