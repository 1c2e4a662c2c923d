/*
 * audit/auditor/verify.c - auditing one copy: is the location there (else every
 * file is not checked, never missing; an empty root, as an unmounted
 * mount point leaves, counts as not there); completeness from one listing
 * (missing, unexpected, moved); then the selected files read once each
 * through the worker pool, every catalog digest compared; then the bag's
 * own tag files.
 */
#include "audit/auditor/audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pool.h"
#include "core/strmap.h"

/* The digest moves are matched on: the audit algorithm, else any. */
static enum digest_alg move_alg(const struct audit_copy *c,
				const struct catalog_audit_file *f)
{
	enum digest_alg alg = repo_policy(c->a->r)->audit_alg;

	if (f->hex[alg])
		return alg;
	for (int k = 0; k < DIGEST_COUNT; k++)
		if (f->hex[k])
			return (enum digest_alg)k;
	return alg;
}

static char *join(const char *vpath, const char *rel)
{
	char *p = NULL;

	return asprintf(&p, "%s/%s", vpath, rel) < 0 ? NULL : p;
}

static int unavailable(struct audit_copy *c, const struct custos_err *why)
{
	c->unavailable = true;
	pthread_mutex_lock(&c->a->lock);
	c->a->res->not_checked += c->nfiles;
	c->a->res->unavailable = true;
	pthread_mutex_unlock(&c->a->lock);
	return audit_add_finding(c->a, c, "", AUDIT_UNAVAILABLE, NULL, NULL, why->msg);
}

/* Compare what was read with the catalog: 0 verified, else changed. */
static int compare(struct audit_copy *c, const struct catalog_audit_file *f,
		   const struct digest_result *got, uint64_t size)
{
	enum digest_alg first = move_alg(c, f);
	char why[160];

	if (f->hex[first] && !digest_hex_equal(f->hex[first], got->hex[first])) {
		snprintf(why, sizeof(why), "%s differs (%llu bytes, catalog %llu)",
			 digest_name(first), (unsigned long long)size,
			 (unsigned long long)f->size);
		return audit_add_finding(c->a, c, f->path, AUDIT_CHANGED, f->hex[first],
					 got->hex[first], why) < 0 ? -1 : 1;
	}
	for (int k = 0; k < DIGEST_COUNT; k++) {
		if (!f->hex[k] || digest_hex_equal(f->hex[k], got->hex[k]))
			continue;
		snprintf(why, sizeof(why), "%s differs", digest_name((enum digest_alg)k));
		return audit_add_finding(c->a, c, f->path, AUDIT_CHANGED, f->hex[k],
					 got->hex[k], why) < 0 ? -1 : 1;
	}
	if (size != f->size) {
		snprintf(why, sizeof(why), "%llu bytes, catalog %llu",
			 (unsigned long long)size, (unsigned long long)f->size);
		return audit_add_finding(c->a, c, f->path, AUDIT_CHANGED, NULL, NULL,
					 why) < 0 ? -1 : 1;
	}
	return 0;
}

/* True if a file of SIZE bytes cannot be read at --rate within
 * --budget-time: reading it would always overrun the budget. */
static bool never_fits(const struct audit_ctx *a, uint64_t size)
{
	return a->o->rate && a->o->budget_seconds > 0 && a->deadline > 0 &&
	       (double)size / (double)a->o->rate > (double)a->o->budget_seconds;
}

static int verify_one(void *ctx, size_t item, unsigned worker)
{
	struct audit_copy *c = ctx;
	struct audit_ctx *a = c->a;
	size_t i = c->slice[item];
	const struct catalog_audit_file *f = &c->files[i];
	struct digest_result got;
	struct custos_err e;
	uint64_t size = 0;
	char *path;
	int rc;

	(void)worker;
	if (never_fits(a, f->size)) {
		char why[200];

		snprintf(why, sizeof(why), "%llu bytes at --rate %llu bytes/s take longer"
			 " than the --budget-time of %lld s: never checked with this budget",
			 (unsigned long long)f->size, (unsigned long long)a->o->rate,
			 (long long)a->o->budget_seconds);
		pthread_mutex_lock(&a->lock);
		a->res->not_checked++;
		pthread_mutex_unlock(&a->lock);
		return audit_add_finding(a, c, f->path, AUDIT_NOT_CHECKED, NULL, NULL,
					 why) < 0 ? -1 : 0;
	}
	if (a->deadline > 0 && audit_clock() > a->deadline) {
		pthread_mutex_lock(&a->lock);
		a->stop = true;
		a->res->budget_reached = true;
		pthread_mutex_unlock(&a->lock);
		return 1;
	}
	if (!(path = join(c->vpath, f->path)))
		return -1;
	err_clear(&e);
	rc = audit_read_file(a, c->l, path, f->mask, &got, &size, &e);
	free(path);
	if (rc == 2)
		return 1;         /* out of time: the file stays unchecked */
	pthread_mutex_lock(&a->lock);
	a->res->files++;
	a->res->bytes += size;
	pthread_mutex_unlock(&a->lock);
	if (rc == 1) {
		c->mark[i] = AUDIT_MISSING;
		return audit_add_finding(a, c, f->path, AUDIT_MISSING, f->hex[move_alg(c, f)],
					 NULL, "vanished during the audit") < 0 ? -1 : 0;
	}
	if (rc < 0) {
		if (e.code == CUSTOS_ENOMEM)
			return -1;
		c->mark[i] = AUDIT_UNREADABLE;
		return audit_add_finding(a, c, f->path, AUDIT_UNREADABLE, NULL, NULL,
					 e.msg) < 0 ? -1 : 0;
	}
	rc = compare(c, f, &got, size);
	if (rc < 0)
		return -1;
	c->mark[i] = rc ? AUDIT_CHANGED : MARK_VERIFIED;
	return 0;
}

/* Record missing file F as moved to the extra M->match (and the others
 * holding its content when ambiguous). */
static int add_move(struct audit_copy *c, const struct catalog_audit_file *f,
		    const struct audit_missing *m, const struct audit_extra *x)
{
	bool amb = audit_move_ambiguous(m);
	const char **cands = NULL;
	int rc;

	if (amb && !(cands = calloc(m->ncand, sizeof(*cands))))
		return -1;
	for (size_t j = 0; amb && j < m->ncand; j++)
		cands[j] = x[(size_t)m->match + j].path;
	rc = audit_add_move(c->a, c, f->path, m->hex,
			    amb ? "ambiguous: the same content is at several paths"
				  " or belonged to several files" : NULL,
			    x[m->match].path, cands, amb ? m->ncand : 0);
	free(cands);
	return rc;
}

/* Record the moves (or plain absence) of the missing files, then the
 * extra files no move explains. */
static int report_missing(struct audit_copy *c, struct audit_missing *m,
			  size_t nm, const size_t *midx, struct audit_extra *x,
			  size_t nx)
{
	if (audit_classify_moves(m, nm, x, nx) < 0)
		return -1;
	for (size_t k = 0; k < nm; k++) {
		const struct catalog_audit_file *f = &c->files[midx[k]];
		int rc;

		c->mark[midx[k]] = m[k].match < 0 ? AUDIT_MISSING : AUDIT_MOVED;
		rc = m[k].match < 0 ?
		     audit_add_move(c->a, c, f->path, m[k].hex, NULL, NULL, NULL, 0) :
		     add_move(c, f, &m[k], x);
		if (rc < 0)
			return -1;
	}
	for (size_t k = 0; k < nx; k++)
		if (!x[k].claimed &&
		    audit_add_finding(c->a, c, x[k].path, AUDIT_UNEXPECTED, NULL, x[k].hex,
				      NULL) < 0)
			return -1;
	return 0;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

struct completeness {
	struct audit_missing *m;
	size_t nm, *midx;
	struct audit_extra *x;
	size_t nx;
	char (*xhex)[DIGEST_HEX_MAX];
	uint64_t *sizes;          /* of the missing files, sorted */
};

/* Digest an extra file if a missing file of its size could be it. */
static void digest_extra(struct audit_copy *c, struct completeness *k,
			 size_t j, enum digest_alg alg)
{
	struct digest_result got;
	struct custos_err e;
	uint64_t size;
	char *path;

	if (k->x[j].size == 0 ||
	    !bsearch(&k->x[j].size, k->sizes, k->nm, sizeof(uint64_t), cmp_u64))
		return;
	if (!(path = join(c->vpath, k->x[j].path)))
		return;
	if (audit_read_file(c->a, c->l, path, DIGEST_BIT(alg), &got, &size, &e) == 0 &&
	    size == k->x[j].size) {
		memcpy(k->xhex[j], got.hex[alg], DIGEST_HEX_MAX);
		k->x[j].hex = k->xhex[j];
	}
	free(path);
}

/* Split the listing: extra files (not in the catalog CAT, not tag files)
 * into K->x, catalog files not listed into K->m. 0, or -1 on OOM. */
static int sort_out(struct audit_copy *c, struct completeness *k,
		    const struct strmap *cat, const struct location_listing *ls)
{
	struct strmap *seen = strmap_new();
	size_t skip = strlen(c->vpath) + 1;

	if (!seen)
		return -1;
	for (size_t j = 0; j < ls->n; j++) {
		const char *rel = ls->paths[j] + skip;

		if (strmap_get(cat, rel)) {
			if (strmap_put(seen, rel, ls->paths[j]) < 0) {
				strmap_free(seen);
				return -1;
			}
		} else if (!audit_is_tag_file(rel)) {
			k->x[k->nx].path = rel;
			k->x[k->nx++].size = ls->sizes[j];
		}
	}
	for (size_t i = 0; i < c->nfiles; i++) {
		if (strmap_get(seen, c->files[i].path))
			continue;
		k->midx[k->nm] = i;
		k->m[k->nm].path = c->files[i].path;
		k->m[k->nm].size = c->files[i].size;
		k->m[k->nm].hex = c->files[i].hex[move_alg(c, &c->files[i])];
		k->sizes[k->nm++] = c->files[i].size;
	}
	strmap_free(seen);
	return 0;
}

static int completeness(struct audit_copy *c, struct location_listing *ls,
			struct custos_err *err)
{
	struct completeness k = { 0 };
	struct strmap *cat = strmap_new();
	enum digest_alg alg = repo_policy(c->a->r)->audit_alg;
	int rc = -1;

	k.m = calloc(c->nfiles + 1, sizeof(*k.m));
	k.midx = calloc(c->nfiles + 1, sizeof(*k.midx));
	k.sizes = calloc(c->nfiles + 1, sizeof(*k.sizes));
	k.x = calloc(ls->n + 1, sizeof(*k.x));
	k.xhex = calloc(ls->n + 1, sizeof(*k.xhex));
	if (!cat || !k.m || !k.midx || !k.sizes || !k.x || !k.xhex)
		goto out;
	for (size_t i = 0; i < c->nfiles; i++)
		if (strmap_put(cat, c->files[i].path, &c->files[i]) < 0)
			goto out;
	if (sort_out(c, &k, cat, ls) < 0)
		goto out;
	qsort(k.sizes, k.nm, sizeof(uint64_t), cmp_u64);
	for (size_t j = 0; j < k.nx && k.nm; j++)
		digest_extra(c, &k, j, alg);
	rc = report_missing(c, k.m, k.nm, k.midx, k.x, k.nx);
out:
	if (rc < 0)
		err_nomem(err);
	strmap_free(cat);
	free(k.m);
	free(k.midx);
	free(k.sizes);
	free(k.x);
	free(k.xhex);
	return rc;
}

static int any_file(void *arg, const char *relpath, uint64_t size)
{
	(void)relpath;
	(void)size;
	*(bool *)arg = true;
	return 1;                 /* one is enough: stop the listing */
}

/* A version folder is absent: is the whole location empty, as an
 * unmounted mount point is? Then nothing there can be judged missing. */
static bool looks_unmounted(struct audit_copy *c, struct custos_err *why)
{
	struct custos_err e;
	bool found = false;

	if (location_list(c->l, "", any_file, &found, &e) < 0 && !found)
		return false;     /* cannot tell: judge the files */
	if (found)
		return false;
	err_set(why, CUSTOS_EIO, location_where(c->l),
		"storage location '%s' is unavailable: '%s' holds no files at all"
		" (not mounted?)", location_name(c->l), location_where(c->l));
	return true;
}

static int setup(struct audit_copy *c, struct custos_err *err)
{
	struct repo *r = c->a->r;
	int rc;

	c->l = repo_location(r, c->loc);
	repo_version_path(c->vpath, sizeof(c->vpath), c->cp->ident, c->cp->version);
	pthread_mutex_lock(&c->a->lock);
	c->first_finding = c->a->res->nfindings;
	c->a->res->copies++;
	pthread_mutex_unlock(&c->a->lock);
	pthread_mutex_lock(&c->a->catlock);
	rc = catalog_audit_files(repo_catalog(r), c->cp->copy_id, &c->files, &c->nfiles, err);
	pthread_mutex_unlock(&c->a->catlock);
	if (rc < 0)
		return -1;
	c->mark = malloc(c->nfiles + 1);
	c->sampled = calloc(c->nfiles + 1, sizeof(bool));
	c->selected = calloc(c->nfiles + 1, sizeof(bool));
	c->slice = calloc(c->nfiles + 1, sizeof(size_t));
	if (!c->mark || !c->sampled || !c->selected || !c->slice)
		return err_nomem(err);
	memset(c->mark, MARK_NONE, c->nfiles + 1);
	return 0;
}

int audit_copy_verify(struct audit_copy *c, struct custos_err *err)
{
	struct location_listing ls = { 0 };
	struct custos_err why;
	int rc = -1, there;

	if (setup(c, err) < 0)
		return -1;
	err_clear(&why);
	if (location_check(c->l, &why) < 0)
		return unavailable(c, &why) < 0 ? err_nomem(err) : 0;
	there = location_exists(c->l, c->vpath, &why);
	if (there == 0 && c->nfiles && looks_unmounted(c, &why))
		return unavailable(c, &why) < 0 ? err_nomem(err) : 0;
	if (there == 1 && location_list_collect(c->l, c->vpath, &ls, &why) < 0)
		there = -1;
	/* a symlink in place of the version (or on its way): nothing is read
	 * through it, its files are findings, and repair refuses it */
	if (there < 0 && why.code == CUSTOS_EFORMAT)
		location_listing_release(&ls);
	else if (there < 0) {
		if (why.code == CUSTOS_ENOMEM)
			return err_nomem(err);
		return unavailable(c, &why) < 0 ? err_nomem(err) : 0;
	}
	if (completeness(c, &ls, err) < 0)
		goto out;
	pthread_mutex_lock(&c->a->lock);       /* the budget is the run's */
	rc = audit_copy_select(c, err);
	pthread_mutex_unlock(&c->a->lock);
	if (rc < 0)
		goto out;
	rc = -1;
	if (pool_run(c->a->workers, c->nslice, verify_one, c) < 0) {
		err_nomem(err);
		goto out;
	}
	{
		size_t skip = strlen(c->vpath) + 1;
		const char **rel = calloc(ls.n + 1, sizeof(*rel));

		if (!rel) {
			err_nomem(err);
			goto out;
		}
		for (size_t j = 0; j < ls.n; j++)
			rel[j] = ls.paths[j] + skip;
		rc = audit_copy_tags(c, rel, ls.n, err);
		free(rel);
	}
out:
	location_listing_release(&ls);
	return rc;
}

void audit_copy_release(struct audit_copy *c)
{
	catalog_audit_files_free(c->files, c->nfiles);
	free(c->mark);
	free(c->sampled);
	free(c->selected);
	free(c->slice);
	c->files = NULL;
	c->mark = NULL;
	c->sampled = c->selected = NULL;
	c->slice = NULL;
}
