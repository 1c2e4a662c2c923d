/*
 * preserve/policy/policy_explain.c - a policy in plain words, and the NDSA Levels 2.0
 * (standards.md sec. 1) its declared facts allow at most, judged on the
 * cells of policy_ndsa.c. A policy alone
 * never evidences a level: only a running repository's records can.
 */
#include "preserve/policy/policy.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/duration.h"
#include "preserve/policy/policy_ndsa.h"

enum fact { FACT_REGION, FACT_THREAT, FACT_MEDIA, FACT_PLACE };

/* Locations with relative paths all live in the repository's directory:
 * for "separate locations" (S1a) they count as one place. */
#define IN_REPOSITORY "\001repository"

static const char *fact_of(const struct policy_location *l, enum fact f)
{
	if (f == FACT_PLACE)
		return l->type == POLICY_LOCATION_FILESYSTEM &&
		       l->path[0] != '/' ? IN_REPOSITORY : l->name;
	return f == FACT_REGION ? l->region : f == FACT_THREAT ? l->threat :
	       l->media;
}

static const char *const fact_words[] = { "region", "threat zone",
						 "media type", "place" };

/* The name of a location not declaring F, or NULL if all do. */
static const char *undeclared(const struct policy *p, enum fact f)
{
	for (size_t i = 0; i < p->nlocations; i++)
		if (!fact_of(&p->locations[i], f))
			return p->locations[i].name;
	return NULL;
}

static int cmp_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The fewest distinct values of F (case-insensitive) that any choice of
 * copies_required locations can have: the worst case of which locations
 * end up holding the required copies. 0 if a location leaves F out. */
static size_t min_distinct(const struct policy *p, enum fact f)
{
	size_t group[POLICY_MAX_LOCATIONS], sizes[POLICY_MAX_LOCATIONS] = { 0 };
	size_t ngroups = 0, covered = 0, used = 0;

	if (undeclared(p, f))
		return 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		size_t j = 0;

		while (j < i && strcasecmp(fact_of(&p->locations[j], f),
					   fact_of(&p->locations[i], f)))
			j++;
		group[i] = j < i ? group[j] : ngroups++;
		sizes[group[i]]++;
	}
	qsort(sizes, ngroups, sizeof(sizes[0]), cmp_desc);
	while (covered < p->copies_required && used < ngroups)
		covered += sizes[used++];
	return used;
}

#define NDSA_CELLS 12

struct cell {
	const char *id;    /* NDSA 2.0 cell ("S2a") */
	int level;
	const char *need;  /* what the cell requires (policy_ndsa.c) */
	bool met;
	char why[200];
};

static void put(struct cell *c, const char *id, bool met)
{
	const struct policy_ndsa_cell *d = policy_ndsa_cell(id);

	assert(d);
	c->id = d->id;
	c->level = d->level;
	c->need = d->requirement;
	c->met = met;
}

#define WHY(c, ...) snprintf((c)->why, sizeof((c)->why), __VA_ARGS__)

/* "copies span N region(s)", or which location leaves the fact out. */
static void span(struct cell *c, const struct policy *p, enum fact f,
		 const char *need)
{
	const char *missing = undeclared(p, f);
	size_t n = min_distinct(p, f);

	if (missing)
		WHY(c, "%s: location '%s' declares no %s", need, missing,
		    fact_words[f]);
	else
		WHY(c, "%s: %u required copies span at least %zu %s%s", need,
		    p->copies_required, n, fact_words[f],
		    n == 1 ? "" : "s");
}

/* Storage cells judged from declared facts; returns the count. */
static size_t storage_cells(const struct policy *p, struct cell *c)
{
	unsigned k = p->copies_required;
	const char *nm = undeclared(p, FACT_MEDIA);
	size_t places = min_distinct(p, FACT_PLACE);

	put(&c[0], "S1a", k >= 2 && places >= 2);
	if (k < 2)
		WHY(&c[0], "%s: only %u required", c[0].need, k);
	else if (places < 2)
		WHY(&c[0], "%s: the required copies may all lie inside the "
		    "repository's directory (relative paths); give a location "
		    "an absolute path on another disk, machine or site",
		    c[0].need);
	else
		WHY(&c[0], "%s: %u required, in at least %zu separate places",
		    c[0].need, k, places);
	put(&c[1], "S1b", !nm);
	if (nm)
		WHY(&c[1], "storage media recorded: location '%s' declares "
		    "no media", nm);
	else
		WHY(&c[1], "%s", c[1].need);
	put(&c[2], "S2a", k >= 3 && min_distinct(p, FACT_REGION) >= 2);
	span(&c[2], p, FACT_REGION, "three copies, one in another region");
	if (k < 3)
		WHY(&c[2], "three copies, one in another region: only %u "
		    "required", k);
	put(&c[3], "S3a", min_distinct(p, FACT_THREAT) >= 2);
	span(&c[3], p, FACT_THREAT, c[3].need);
	put(&c[4], "S3b", min_distinct(p, FACT_MEDIA) >= 2);
	span(&c[4], p, FACT_MEDIA, c[4].need);
	put(&c[5], "S4a", k >= 3 && min_distinct(p, FACT_THREAT) >= 3);
	span(&c[5], p, FACT_THREAT, c[5].need);
	if (k < 3)
		WHY(&c[5], "%s: only %u required", c[5].need, k);
	return 6;
}

/* Integrity cells custos performs, judged from the settings. */
static size_t integrity_cells(const struct policy *p, struct cell *c)
{
	char every[64];

	duration_format(every, sizeof(every), p->interval_seconds);
	put(&c[0], "I1a", true);
	WHY(&c[0], "digests that arrive with a "
		 "deposit (bag manifests) are verified at ingest");
	put(&c[1], "I1b", true);
	WHY(&c[1], "digests are computed at ingest "
		 "where none arrive");
	put(&c[2], "I2a", p->verify_after_write);
	if (p->verify_after_write)
		WHY(&c[2], "every write and copy is read back and verified");
	else
		WHY(&c[2], "verify_after_write = no: a written copy is not "
		    "re-read");
	put(&c[3], "I3a", true);
	WHY(&c[3], "every copy is verified at "
		 "least every %s", every);
	put(&c[4], "I3c", true);
	WHY(&c[4], "'custos audit --id' checks "
		 "any object on demand");
	put(&c[5], "I4b", true);
	if (p->repair == POLICY_REPAIR_AUTO)
		WHY(&c[5], "damaged copies are repaired at once from a "
		    "verified copy");
	else
		WHY(&c[5], "damaged copies are repaired from a verified copy "
		    "by 'custos audit --repair'");
	return 6;
}

static int level_of(const struct cell *c, size_t n)
{
	int level = 0;

	for (int l = 1; l <= 4; l++) {
		for (size_t i = 0; i < n; i++)
			if (c[i].level <= l && !c[i].met)
				return level;
		level = l;
	}
	return level;
}

int policy_ndsa_storage_max(const struct policy *p)
{
	struct cell c[NDSA_CELLS];

	return level_of(c, storage_cells(p, c));
}

int policy_ndsa_integrity_max(const struct policy *p)
{
	struct cell c[NDSA_CELLS];

	return level_of(c, integrity_cells(p, c));
}

#define WRAP 76

/* Print TEXT to TO wrapped at WRAP columns, the first line after LABEL
 * (padded to INDENT), the others indented by INDENT. */
static void wrap(FILE *to, const char *label, int indent, const char *text)
{
	int col = fprintf(to, "%-*s", indent, label);

	while (*text) {
		size_t n = strcspn(text, " ");

		if (col > indent && col + 1 + (int)n > WRAP) {
			fprintf(to, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', to);
			col++;
		}
		col += fprintf(to, "%.*s", (int)n, text);
		text += n;
		text += strspn(text, " ");
	}
	fputc('\n', to);
}

/* One location as words: "primary (store/primary in the repository;
 * Campus A, disk, threat zone x)", naming the facts it leaves out. */
static void put_location(FILE *f, const struct policy_location *l)
{
	const char *missing[3];
	size_t nmissing = 0;

	fprintf(f, "%s (", l->name);
	if (l->type == POLICY_LOCATION_S3)
		fprintf(f, "S3 bucket %s%s%s at %s", l->bucket,
			l->prefix ? "/" : "", l->prefix ? l->prefix : "",
			l->endpoint);
	else
		fprintf(f, "%s%s", l->path, l->path[0] == '/' ? "" :
			" in the repository");
	fputs(";", f);
	if (l->region)
		fprintf(f, " %s,", l->region);
	else
		missing[nmissing++] = "region";
	if (l->media)
		fprintf(f, " %s%s", l->media, l->threat || nmissing ? "," : "");
	else
		missing[nmissing++] = "media";
	if (l->threat)
		fprintf(f, " threat zone %s%s", l->threat, nmissing ? "," : "");
	else
		missing[nmissing++] = "threat zone";
	for (size_t i = 0; i < nmissing; i++)
		fprintf(f, "%s%s", i == 0 ? " no " : i + 1 == nmissing ?
			" or " : ", ", missing[i]);
	if (nmissing)
		fputs(" declared", f);
	fputs(")", f);
}

static void put_list(FILE *f, char *const *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ",
			items[i]);
}

typedef void para_fn(FILE *f, const struct policy *p);

/* Run FN into memory, then print it wrapped under LABEL. */
static int para(FILE *to, const char *label, para_fn *fn,
		const struct policy *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return -1;
	fn(f, p);
	if (fclose(f) != 0) {
		free(text);
		return -1;
	}
	wrap(to, label, 11, text);
	free(text);
	return 0;
}

static void say_copies(FILE *f, const struct policy *p)
{
	if (p->copies_required == p->nlocations)
		fprintf(f, "Every object must have %u complete, verified "
			"cop%s, in: ", p->copies_required,
			p->copies_required == 1 ? "y" : "ies");
	else
		fprintf(f, "Every object is stored in all %zu locations and "
			"must have at least %u complete, verified copies "
			"among them: ", p->nlocations, p->copies_required);
	for (size_t i = 0; i < p->nlocations; i++) {
		fputs(i == 0 ? "" : i + 1 == p->nlocations ? " and " : ", ", f);
		put_location(f, &p->locations[i]);
	}
	fputs(".", f);
}

static void say_fixity(FILE *f, const struct policy *p)
{
	char every[64];
	bool others = false;

	duration_format(every, sizeof(every), p->interval_seconds);
	fprintf(f, "Each copy is re-verified at least every %s using %s",
		every, digest_name(p->audit_alg));
	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (a == (int)p->audit_alg || !(p->algorithms & DIGEST_BIT(a)))
			continue;
		fprintf(f, "%s%s", others ? ", " : " (ingest also records ",
			digest_name((enum digest_alg)a));
		others = true;
	}
	fputs(others ? "). " : ". ", f);
	fputs(p->verify_after_write ? "What is written is read back and "
	      "verified before it counts as stored." : "What is written is "
	      "not read back before it counts as stored "
	      "(verify_after_write = no).", f);
	if (p->sample > 0)
		fprintf(f, " Each audit run also checks a random %g%% of the "
			"files that are not yet due.", p->sample * 100);
}

static void say_repair(FILE *f, const struct policy *p)
{
	if (p->repair == POLICY_REPAIR_AUTO)
		fputs("auto: a damaged or missing copy is repaired at once "
		      "from a verified copy, and both are recorded.", f);
	else
		fputs("manual: a damaged or missing copy is reported, and "
		      "repaired from a verified copy only when someone runs "
		      "'custos audit --repair'.", f);
}

static void say_deposits(FILE *f, const struct policy *p)
{
	if (!p->deposit_profile && !p->nrequired_info) {
		fputs("Any deposit is accepted; no bag-info fields or BagIt "
		      "profile are required.", f);
		return;
	}
	if (p->deposit_profile)
		fprintf(f, "Bag deposits must meet the BagIt profile %s. ",
			p->deposit_profile);
	if (p->nrequired_info) {
		fputs("Every deposit must carry the bag-info field", f);
		fputs(p->nrequired_info == 1 ? " " : "s ", f);
		put_list(f, p->required_info, p->nrequired_info);
		fputs(" (with --info KEY=VALUE when it is not a bag).", f);
	}
}

static void say_formats(FILE *f, const struct policy *p)
{
	fprintf(f, "Identified with %s%s.", p->signatures ?
		"the PRONOM signature file " : "the built-in signatures",
		p->signatures ? p->signatures : "");
	if (p->npreferred) {
		fputs(" Preferred: ", f);
		put_list(f, p->preferred_puids, p->npreferred);
		fputs(".", f);
	}
	if (p->nat_risk) {
		fputs(" At risk (reported): ", f);
		put_list(f, p->at_risk_puids, p->nat_risk);
		fputs(".", f);
	}
}

static void say_header(FILE *to, const struct policy *p)
{
	char review[64];

	fprintf(to, "policy:    %s\n", p->name);
	if (p->version)
		fprintf(to, "version:   %s\n", p->version);
	if (p->approved)
		fprintf(to, "approved:  %s\n", p->approved);
	if (p->review_seconds) {
		duration_format(review, sizeof(review), p->review_seconds);
		fprintf(to, "review:    every %s\n", review);
	}
	fprintf(to, "file:      %s\nsha256:    %s\n\n", p->source_path,
		p->sha256);
}

static void say_cells(FILE *to, const char *area, const struct cell *c,
		      size_t n)
{
	fprintf(to, "  %s: level %d at most\n", area, level_of(c, n));
	for (size_t i = 0; i < n; i++) {
		char label[16];

		snprintf(label, sizeof(label), "    %-3s %s", c[i].met ? "yes" :
			 "no", c[i].id);
		wrap(to, label, 12, c[i].why);
	}
}

static void say_ndsa(FILE *to, const struct policy *p)
{
	struct cell c[NDSA_CELLS];

	fputs("\nNDSA Levels of Digital Preservation 2.0: what this policy's "
	      "declarations allow\nat most (only a running repository's "
	      "records can evidence a level):\n", to);
	say_cells(to, "storage", c, storage_cells(p, c));
	say_cells(to, "integrity", c, integrity_cells(p, c));
	wrap(to, "  not judged from a policy:", 4, "S1c, S2b, S3c, S4b and "
	     "S4c (storage documents and records); I1c virus checks and I2b "
	     "write blockers (done outside custos); I2c, I3b and I4a "
	     "(evidenced by the running repository); the control, metadata "
	     "and content areas (evidenced by the repository's records).");
	if (p->nrequired_info || p->deposit_profile)
		wrap(to, "", 4, "The required deposit metadata supports M2a.");
	if (p->nat_risk)
		wrap(to, "", 4, "The list of at-risk formats supports N3a.");
}

int policy_explain(const struct policy *p, FILE *to)
{
	say_header(to, p);
	if (para(to, "copies:", say_copies, p) < 0 ||
	    para(to, "fixity:", say_fixity, p) < 0 ||
	    para(to, "repair:", say_repair, p) < 0 ||
	    para(to, "deposits:", say_deposits, p) < 0 ||
	    para(to, "formats:", say_formats, p) < 0)
		return -1;
	say_ndsa(to, p);
	return ferror(to) ? -1 : 0;
}
