/*
 * audit/auditor/tags.c - the copy's own bag metadata checked against the catalog
 * (authoritative) and the files: bagit.txt present, a payload manifest for
 * every algorithm the catalog holds listing exactly the catalog's files
 * with the catalog's digests, a tag manifest for each of those algorithms,
 * every tag manifest entry matching its tag file, and bag-info's
 * Payload-Oxum equal to the catalog's totals. One tag-invalid finding per
 * tag file, naming the first disagreement; a file among the tag files that
 * no tag manifest lists is unexpected.
 */
#include "audit/auditor/audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "preserve/bagit/manifest.h"
#include "preserve/bagit/tagfile.h"

struct tagcheck {
	struct audit_copy *c;
	struct strmap *reported;      /* tag files already found invalid */
	struct strmap *present;       /* relative path -> non-NULL */
	struct strmap *cat;           /* "data/..." -> catalog file */
	struct strmap *tagged;        /* tag files some tag manifest lists */
};

static int problem(struct tagcheck *t, const char *path, const char *expected,
		   const char *actual, const char *why)
{
	if (strmap_get(t->reported, path))
		return 0;
	if (strmap_put(t->reported, path, (void *)path) < 0)
		return -1;
	t->c->tags_ok = false;
	return audit_add_finding(t->c->a, t->c, path, AUDIT_TAG_INVALID, expected,
				 actual, why);
}

/* Read tag file NAME of the copy; 1 (and a finding) when unreadable. */
static int read_tag(struct tagcheck *t, const char *name, char **text,
		    size_t *len, struct custos_err *err)
{
	char *path = NULL;
	struct custos_err e;
	int rc;

	if (asprintf(&path, "%s/%s", t->c->vpath, name) < 0)
		return err_nomem(err);
	err_clear(&e);
	rc = audit_read_small(t->c->l, path, AUDIT_TAGFILE_MAX, text, len, &e);
	free(path);
	if (rc == 0)
		return 0;
	if (e.code == CUSTOS_ENOMEM)
		return err_nomem(err);
	return problem(t, name, NULL, NULL, rc == 1 ? "absent" : e.msg) < 0 ?
	       err_nomem(err) : 1;
}

static int check_manifest(struct tagcheck *t, enum digest_alg alg,
			  struct custos_err *err)
{
	char name[64], why[256], *text = NULL;
	struct manifest m = { 0 };
	struct problems rep;
	struct strmap *listed = NULL;
	size_t len;
	int rc;

	snprintf(name, sizeof(name), "manifest-%s.txt", digest_name(alg));
	if ((rc = read_tag(t, name, &text, &len, err)) != 0)
		return rc < 0 ? -1 : 0;
	problems_init(&rep);
	rc = manifest_parse(&m, name, alg, text, len, &rep) < 0 ||
	     !(listed = strmap_new()) ? -1 : 0;
	if (rc == 0 && rep.errors)
		rc = problem(t, name, NULL, NULL, rep.items[0].message);
	for (size_t i = 0; rc == 0 && i < m.count; i++) {
		const struct catalog_audit_file *f = strmap_get(t->cat, m.entries[i].path);

		if (strmap_put(listed, m.entries[i].path, &m.entries[i]) < 0)
			rc = -1;
		else if (!f) {
			snprintf(why, sizeof(why), "lists '%s', which the catalog does not have",
				 m.entries[i].path);
			rc = problem(t, name, NULL, NULL, why);
		} else if (f->hex[alg] && !manifest_digest_is(&m, &m.entries[i], f->hex[alg])) {
			char listed_hex[DIGEST_HEX_MAX];

			snprintf(why, sizeof(why), "gives another digest for '%s'", f->path);
			rc = problem(t, name, f->hex[alg],
				     manifest_hex(&m, &m.entries[i], listed_hex), why);
		}
	}
	for (size_t i = 0; rc == 0 && i < t->c->nfiles; i++) {
		if (!t->c->files[i].hex[alg] || strmap_get(listed, t->c->files[i].path))
			continue;
		snprintf(why, sizeof(why), "does not list '%s'", t->c->files[i].path);
		rc = problem(t, name, NULL, NULL, why);
	}
	strmap_free(listed);
	manifest_release(&m);
	problems_release(&rep);
	free(text);
	return rc < 0 ? err_nomem(err) : 0;
}

static int check_tagmanifest(struct tagcheck *t, const char *name,
			     enum digest_alg alg, struct custos_err *err)
{
	struct manifest m = { 0 };
	struct problems rep;
	char *text = NULL, why[256];
	size_t len;
	int rc;

	if ((rc = read_tag(t, name, &text, &len, err)) != 0)
		return rc < 0 ? -1 : 0;
	problems_init(&rep);
	rc = manifest_parse(&m, name, alg, text, len, &rep) < 0 ? -1 : 0;
	if (rc == 0 && rep.errors)
		rc = problem(t, name, NULL, NULL, rep.items[0].message);
	for (size_t i = 0; rc == 0 && i < m.count; i++) {
		const char *p = m.entries[i].path;
		char *body = NULL, hex[DIGEST_HEX_MAX];
		size_t blen;
		int got = strmap_put(t->tagged, p, t) < 0 ? -1 :
			  read_tag(t, p, &body, &blen, err);

		if (got < 0) {
			rc = -2;
			break;
		}
		if (got == 1)
			continue;            /* reported against the tag file */
		rc = digest_buffer(alg, body, blen, hex, err) < 0 ? -2 : 0;
		free(body);
		if (rc == 0 && !manifest_digest_is(&m, &m.entries[i], hex)) {
			char listed_hex[DIGEST_HEX_MAX];

			snprintf(why, sizeof(why), "'%s' does not match %s", p, name);
			rc = problem(t, p, manifest_hex(&m, &m.entries[i], listed_hex),
				     hex, why);
		}
	}
	manifest_release(&m);
	problems_release(&rep);
	free(text);
	if (rc == -1)
		return err_nomem(err);
	return rc;
}

static int check_oxum(struct tagcheck *t, struct custos_err *err)
{
	struct tagfile tf = { 0 };
	struct problems rep;
	uint64_t bytes = 0;
	char *text = NULL, want[64], why[160];
	const char *oxum;
	size_t len;
	int rc;

	if ((rc = read_tag(t, "bag-info.txt", &text, &len, err)) != 0)
		return rc < 0 ? -1 : 0;
	for (size_t i = 0; i < t->c->nfiles; i++)
		bytes += t->c->files[i].size;
	snprintf(want, sizeof(want), "%llu.%zu", (unsigned long long)bytes, t->c->nfiles);
	problems_init(&rep);
	rc = tagfile_parse(&tf, text, len, "bag-info.txt", TAGFILE_BAG_INFO, &rep);
	oxum = rc == 0 ? tagfile_get(&tf, "Payload-Oxum") : NULL;
	if (rc == 0 && (!oxum || strcmp(oxum, want))) {
		snprintf(why, sizeof(why), "Payload-Oxum is %s, the catalog says %s",
			 oxum ? oxum : "absent", want);
		rc = problem(t, "bag-info.txt", NULL, NULL, why);
	}
	tagfile_release(&tf);
	problems_release(&rep);
	free(text);
	return rc < 0 ? err_nomem(err) : 0;
}

/* A file among the tag files that no tag manifest lists is not the bag's:
 * unexpected (custos's tag manifests cover every other tag file). */
static int check_untagged(struct tagcheck *t, const char *const *listing,
			  size_t n, struct custos_err *err)
{
	char name[32];

	for (size_t i = 0; i < n; i++) {
		const char *p = listing[i];

		if (!audit_is_tag_file(p) || strmap_get(t->tagged, p) ||
		    (!strchr(p, '/') &&
		     manifest_name_alg(p, "tagmanifest-", name, sizeof(name)) == 0))
			continue;
		if (audit_add_finding(t->c->a, t->c, p, AUDIT_UNEXPECTED, NULL, NULL,
				      "a tag file that no tag manifest lists") < 0)
			return err_nomem(err);
	}
	return 0;
}

static int run_checks(struct tagcheck *t, const char *const *listing,
		      size_t n, struct custos_err *err)
{
	digest_mask algs = 0;

	if (!strmap_get(t->present, "bagit.txt") &&
	    problem(t, "bagit.txt", NULL, NULL, "absent") < 0)
		return err_nomem(err);
	for (size_t i = 0; i < t->c->nfiles; i++)
		algs |= t->c->files[i].mask;
	for (int a = 0; a < DIGEST_COUNT; a++) {
		char tm[64];

		if (!(algs & DIGEST_BIT(a)))
			continue;
		if (check_manifest(t, (enum digest_alg)a, err) < 0)
			return -1;
		snprintf(tm, sizeof(tm), "tagmanifest-%s.txt", digest_name((enum digest_alg)a));
		if (!strmap_get(t->present, tm) && problem(t, tm, NULL, NULL, "absent") < 0)
			return err_nomem(err);
	}
	for (size_t i = 0; i < n; i++) {
		char name[32];
		enum digest_alg alg;

		if (strchr(listing[i], '/') ||
		    manifest_name_alg(listing[i], "tagmanifest-", name, sizeof(name)) < 0)
			continue;
		if (digest_from_name(&alg, name) < 0) {
			if (problem(t, listing[i], NULL, NULL, "unknown algorithm") < 0)
				return err_nomem(err);
			continue;
		}
		if (check_tagmanifest(t, listing[i], alg, err) < 0)
			return -1;
	}
	return check_oxum(t, err) < 0 ? -1 : check_untagged(t, listing, n, err);
}

int audit_copy_tags(struct audit_copy *c, const char *const *listing,
		    size_t nlisting, struct custos_err *err)
{
	struct tagcheck t = { .c = c, .reported = strmap_new(),
			      .present = strmap_new(), .cat = strmap_new(),
			      .tagged = strmap_new() };
	int rc = -1;

	c->tags_ok = true;
	if (!t.reported || !t.present || !t.cat || !t.tagged)
		goto nomem;
	for (size_t i = 0; i < nlisting; i++)
		if (strmap_put(t.present, listing[i], (void *)listing[i]) < 0)
			goto nomem;
	for (size_t i = 0; i < c->nfiles; i++)
		if (strmap_put(t.cat, c->files[i].path, &c->files[i]) < 0)
			goto nomem;
	rc = run_checks(&t, listing, nlisting, err);
	goto out;
nomem:
	err_nomem(err);
out:
	strmap_free(t.reported);
	strmap_free(t.present);
	strmap_free(t.cat);
	strmap_free(t.tagged);
	return rc;
}
