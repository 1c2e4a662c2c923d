/*
 * preserve/bagit/validate_rules.c - what tag manifests must list (RFC 8493
 * sec. 2.2.1) and the linter's warnings, the kind bagit-java's BagLinter
 * gives: weak algorithms only, tag files no tag manifest covers, tag
 * manifests that disagree. Runs after the manifests were matched to the
 * files, so each file knows which manifests list it.
 */
#include "preserve/bagit/validate_int.h"

#include <stdio.h>
#include <string.h>

static bool is_manifest(const char *path, const char *prefix)
{
	char alg[32];

	return manifest_name_alg(path, prefix, alg, sizeof(alg)) == 0;
}

/* 1.0: each tag manifest MUST list every payload manifest and MUST NOT
 * list a tag manifest. Before 1.0 these were not rules: warnings. */
static void check_tag_manifest_lists(struct vstate *st)
{
	enum problem_severity sev = vtags_is_v1(st) ? PROBLEM_ERROR : PROBLEM_WARNING;

	for (size_t i = 0; i < st->nfiles; i++) {
		const struct vfile *f = &st->files[i];
		const char *p = f->e->path;

		if (f->payload)
			continue;
		if (is_manifest(p, "tagmanifest-") && f->tag_listed)
			problems_add(st->r, sev, "tagmanifest-listed", p, NULL, NULL,
				     "'%s' is listed in a tag manifest; tag manifests must not list one another",
				     p);
		if (!is_manifest(p, "manifest-"))
			continue;
		for (int a = 0; a < DIGEST_COUNT; a++)
			if ((st->tag_mask & DIGEST_BIT(a)) && !(f->tag_listed & DIGEST_BIT(a)))
				problems_add(st->r, sev, "manifest-not-tagged", p, NULL, NULL,
					     "'%s' does not list the payload manifest '%s'; every tag manifest must",
					     st->tagman[a].name, p);
	}
}

/* Other tag files that no tag manifest lists, or only some do. */
static void check_tag_coverage(struct vstate *st)
{
	for (size_t i = 0; i < st->nfiles; i++) {
		const struct vfile *f = &st->files[i];
		const char *p = f->e->path;

		if (f->payload || is_manifest(p, "tagmanifest-") ||
		    is_manifest(p, "manifest-"))
			continue;               /* manifests: the rules above */
		if (!f->tag_listed)
			problems_warn(st->r, "untagged-file", p,
				    "'%s' is a tag file that no tag manifest lists; a change to it would go unnoticed",
				    p);
		else if (f->tag_listed != st->tag_mask)
			problems_warn(st->r, "tagmanifests-differ", p,
				    "'%s' is listed in some tag manifests but not all; they should list the same files",
				    p);
	}
}

/* md5 and sha1 are broken for deliberate changes; a bag with nothing
 * stronger can be altered without its manifests noticing. */
static void check_algorithms(struct vstate *st)
{
	digest_mask weak = DIGEST_BIT(DIGEST_MD5) | DIGEST_BIT(DIGEST_SHA1);

	if (st->payload_mask && !(st->payload_mask & ~weak))
		problems_warn(st->r, "weak-algorithm", "",
			    "every payload manifest uses %s; add sha256 or sha512 (custos bag writes both)",
			    st->payload_mask == DIGEST_BIT(DIGEST_MD5) ? "md5" :
			    st->payload_mask == DIGEST_BIT(DIGEST_SHA1) ? "sha1" :
			    "md5 or sha1");
}

void vrules_check(struct vstate *st)
{
	check_algorithms(st);
	if (!st->tag_mask)
		return;
	check_tag_manifest_lists(st);
	check_tag_coverage(st);
}
