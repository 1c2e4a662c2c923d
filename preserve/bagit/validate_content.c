/*
 * preserve/bagit/validate_content.c - manifests against the files: every payload
 * file in every payload manifest, every listed file present, every digest
 * right (RFC 8493 sec. 3). Names that differ from the disk only by case or
 * Unicode normalization are matched with a warning, never silently.
 */
#include "preserve/bagit/validate_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "preserve/bagit/bagpath.h"

/* Manifest entries already seen in one manifest: path -> entry. */
static int load_one(struct vstate *st, const char *name, const char *prefix,
		    struct manifest *slots, digest_mask *mask)
{
	char algname[32];
	enum digest_alg alg;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (manifest_name_alg(name, prefix, algname, sizeof(algname)) < 0)
		return 0;
	if (digest_from_name(&alg, algname) < 0) {
		problems_warn(st->r, "unsupported-algorithm", name,
			    "'%s' uses algorithm '%s' which custos does not know; it was not verified",
			    name, algname);
		return 0;
	}
	if (*mask & DIGEST_BIT(alg)) {
		problems_error(st->r, "duplicate-manifest", name,
			     "'%s' repeats algorithm %s of another manifest", name,
			     digest_name(alg));
		return 0;
	}
	rc = vtags_read_text(st, name, BAGSRC_TAG_MAX, &text, &len);
	if (rc != 0)
		return 0;
	rc = manifest_parse(&slots[alg], name, alg, text, len, st->r);
	free(text);
	if (rc < 0)
		return -1;
	*mask |= DIGEST_BIT(alg);
	return 0;
}

int vcontent_load_manifests(struct vstate *st)
{
	for (size_t i = 0; i < st->nentries; i++) {
		const struct bag_entry *e = &st->entries[i];

		if (e->type != BAG_ENTRY_FILE || strchr(e->path, '/'))
			continue;
		if (load_one(st, e->path, "manifest-", st->payload,
			     &st->payload_mask) < 0 ||
		    load_one(st, e->path, "tagmanifest-", st->tagman,
			     &st->tag_mask) < 0)
			return -1;
	}
	if (!st->payload_mask)
		problems_error(st->r, "missing-manifest", "",
			     "the bag has no payload manifest (manifest-ALGORITHM.txt) custos can verify");
	return 0;
}

/* The file a manifest path names: exact, or the one file whose NFC +
 * case-folded name is the same (reported as a warning by the caller). */
static struct vfile *resolve(struct vstate *st, const char *path,
			     bool *variant)
{
	struct vfile *f = strmap_get(st->by_path, path);
	char *key;

	*variant = false;
	if (f)
		return f;
	key = text_fold(path);
	if (!key)
		return NULL;
	f = strmap_get(st->by_fold, key);
	free(key);
	if (!f || f == &vfile_ambiguous)
		return NULL;
	*variant = true;
	return f;
}

static bool in_fetch(const struct vstate *st, const char *path)
{
	for (size_t i = 0; i < st->fetch.count; i++)
		if (!strcmp(st->fetch.entries[i].path, path))
			return true;
	return false;
}

/* Duplicates inside one manifest: same path, or same name up to case and
 * normalization. RFC 8493 1.0 forbids listing a file twice. */
static void check_duplicates(struct vstate *st, const struct manifest *m)
{
	struct strmap *seen = strmap_new(), *folded = strmap_new();

	if (!seen || !folded)
		goto out;
	for (size_t i = 0; i < m->count; i++) {
		struct manifest_entry *e = &m->entries[i], *prev;
		char *key;

		if ((prev = strmap_get(seen, e->path))) {
			bool same = digest_hex_equal(prev->digest, e->digest);

			problems_add(st->r, same && !vtags_is_v1(st) ? PROBLEM_WARNING :
				   PROBLEM_ERROR, same ? "duplicate-entry" :
				   "conflicting-entry", e->path,
				   same ? NULL : prev->digest, same ? NULL : e->digest,
				   "'%s' lists '%s' twice (lines %zu and %zu)%s",
				   m->name, e->path, prev->line, e->line,
				   same ? "" : " with different digests");
			continue;
		}
		strmap_put(seen, e->path, e);
		key = text_fold(e->path);
		if (key && (prev = strmap_get(folded, key)))
			problems_warn(st->r, "name-collision", e->path,
				    "'%s' lists '%s' (line %zu) and '%s' (line %zu), names that differ only in case or Unicode normalization",
				    m->name, prev->path, prev->line, e->path, e->line);
		else if (key)
			strmap_put(folded, key, e);
		free(key);
	}
out:
	strmap_free(seen);
	strmap_free(folded);
}

static void note_missing(struct vstate *st, const struct manifest *m,
			 const struct manifest_entry *e, struct strmap *missing)
{
	digest_mask *mask = strmap_get(missing, e->path);

	if (!mask) {
		mask = calloc(1, sizeof(*mask));
		if (!mask || strmap_put(missing, e->path, mask) < 0) {
			free(mask);
			return;
		}
	}
	*mask |= DIGEST_BIT(m->alg);
	(void)st;
}

static void list_manifests(char *buf, size_t size, const struct manifest *slots,
			   digest_mask mask)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (!(mask & DIGEST_BIT(a)) || !slots[a].name)
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
				 slots[a].name);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* Match one manifest's entries to files; remember what is missing. */
static void match_manifest(struct vstate *st, struct manifest *m, bool payload,
			   struct strmap *missing)
{
	check_duplicates(st, m);
	for (size_t i = 0; i < m->count; i++) {
		struct manifest_entry *e = &m->entries[i];
		bool in_data = strncmp(e->path, "data/", 5) == 0, variant;
		struct vfile *f;

		if (payload != in_data) {
			problems_error(st->r, payload ? "path-outside-payload" :
				     "payload-in-tag-manifest", e->path,
				     "'%s' line %zu lists '%s', which is %s",
				     m->name, e->line, e->path, payload ?
				     "not in the payload directory data/" :
				     "a payload file (tag manifests list tag files only)");
			continue;
		}
		f = resolve(st, e->path, &variant);
		if (!f) {
			note_missing(st, m, e, missing);
			continue;
		}
		if (variant)
			problems_warn(st->r, "name-variant", e->path,
				    "'%s' lists '%s', which is not in the bag; '%s' differs only in case or Unicode normalization and was checked instead",
				    m->name, e->path, f->e->path);
		if (payload)
			f->listed |= DIGEST_BIT(m->alg);
		else
			f->tag_listed |= DIGEST_BIT(m->alg);
		f->want |= DIGEST_BIT(m->alg);
	}
}

static void report_missing(struct vstate *st, struct strmap *missing,
			   bool payload)
{
	struct manifest *slots = payload ? st->payload : st->tagman;
	size_t pos = 0;
	const char *path;
	void *val;
	char names[512];

	while (strmap_next(missing, &pos, &path, &val)) {
		list_manifests(names, sizeof(names), slots, *(digest_mask *)val);
		if (payload && bagpath_is_system_file(path)) {
			st->excused_files++;
			problems_warn(st->r, "missing-system-file", path,
				    "'%s' (an operating-system file that copy tools often drop) is listed in %s but is not in the bag",
				    path, names);
		} else {
			problems_error(st->r, "missing-file", path,
				     "'%s' is listed in %s but is not in the bag%s",
				     path, names, in_fetch(st, path) ?
				     " (it is in fetch.txt: custos never downloads)" : "");
		}
		free(val);
	}
}

static void check_unlisted(struct vstate *st)
{
	char names[512];

	for (size_t i = 0; i < st->nfiles; i++) {
		struct vfile *f = &st->files[i];
		digest_mask absent = st->payload_mask & ~f->listed;

		if (!f->payload || !absent)
			continue;
		list_manifests(names, sizeof(names), st->payload, absent);
		problems_error(st->r, "unexpected-file", f->e->path,
			     "'%s' is in the payload but not listed in %s",
			     f->e->path, names);
	}
}

static void check_fetch(struct vstate *st)
{
	struct strmap *listed;

	if (!st->fetch.count || !(listed = strmap_new()))
		return;
	for (int a = 0; a < DIGEST_COUNT; a++)
		for (size_t k = 0; (st->payload_mask & DIGEST_BIT(a)) &&
		     k < st->payload[a].count; k++)
			strmap_put(listed, st->payload[a].entries[k].path, listed);
	for (size_t i = 0; i < st->fetch.count; i++) {
		const struct fetch_entry *fe = &st->fetch.entries[i];
		struct vfile *f = strmap_get(st->by_path, fe->path);

		if (!strmap_get(listed, fe->path))
			problems_error(st->r, "fetch-not-in-manifest", fe->path,
				     "'fetch.txt' line %zu names '%s', which no payload manifest lists",
				     fe->line, fe->path);
		if (f && fe->has_length && f->e->size != fe->length)
			problems_warn(st->r, "fetch-length", fe->path,
				    "'fetch.txt' line %zu gives %llu bytes for '%s'; the file has %llu",
				    fe->line, (unsigned long long)fe->length, fe->path,
				    (unsigned long long)f->e->size);
	}
	strmap_free(listed);
}

void vcontent_check_completeness(struct vstate *st)
{
	struct strmap *missing = strmap_new(), *tmissing = strmap_new();

	if (!missing || !tmissing) {
		strmap_free(missing);
		strmap_free(tmissing);
		problems_error(st->r, "internal", "", "out of memory");
		return;
	}
	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (st->payload_mask & DIGEST_BIT(a))
			match_manifest(st, &st->payload[a], true, missing);
		if (st->tag_mask & DIGEST_BIT(a))
			match_manifest(st, &st->tagman[a], false, tmissing);
	}
	report_missing(st, missing, true);
	report_missing(st, tmissing, false);
	strmap_free(missing);
	strmap_free(tmissing);
	check_unlisted(st);
	check_fetch(st);
}

/* Compare one manifest's digests with what was computed. */
static void compare_manifest(struct vstate *st, const struct manifest *m)
{
	for (size_t i = 0; i < m->count; i++) {
		const struct manifest_entry *e = &m->entries[i];
		bool variant;
		struct vfile *f = resolve(st, e->path, &variant);
		const struct bagsrc_job *job;
		const char *got;

		if (!f || f->job == SIZE_MAX)
			continue;
		job = &st->jobs[f->job];
		if (job->failed)
			continue;             /* reported once per file */
		got = job->hex[m->alg];
		if (!got)
			continue;
		if (!digest_hex_equal(got, e->digest))
			problems_add(st->r, PROBLEM_ERROR, "digest-mismatch", e->path,
				   e->digest, got,
				   "'%s': %s digest differs from %s (line %zu)",
				   e->path, digest_name(m->alg), m->name, e->line);
	}
}

int vcontent_check_digests(struct vstate *st, struct custos_err *err)
{
	size_t n = 0;

	bool defer = st->o->mode == VALIDATE_DEFER_PAYLOAD;

	for (size_t i = 0; i < st->nfiles; i++)
		n += st->files[i].want && !(defer && st->files[i].payload) ? 1 : 0;
	st->jobs = calloc(n ? n : 1, sizeof(*st->jobs));
	if (!st->jobs)
		return err_nomem(err);
	for (size_t i = 0; i < st->nfiles; i++) {
		struct vfile *f = &st->files[i];

		if (!f->want || (defer && f->payload))
			continue;
		f->job = st->njobs;
		st->jobs[st->njobs].path = f->e->path;
		st->jobs[st->njobs++].want = f->want;
	}
	{
		uint64_t total = 0;

		for (size_t i = 0; i < st->nfiles; i++)
			if (st->files[i].job != SIZE_MAX)
				total += st->files[i].e->size;
		progress_total(st->o->progress, st->njobs, total);
	}
	bagsrc_set_progress(st->src, st->o->progress);
	if (bagsrc_digest(st->src, st->jobs, st->njobs, st->o->jobs, err) < 0)
		return -1;
	for (size_t i = 0; i < st->njobs; i++) {
		if (!st->jobs[i].failed)
			continue;
		st->res->io_errors++;
		problems_error(st->r, "unreadable-file", st->jobs[i].path, "%s",
			     st->jobs[i].error ? st->jobs[i].error : "read failed");
	}
	for (int a = 0; a < DIGEST_COUNT; a++) {
		if ((st->payload_mask & DIGEST_BIT(a)) && !defer)
			compare_manifest(st, &st->payload[a]);
		if (st->tag_mask & DIGEST_BIT(a))
			compare_manifest(st, &st->tagman[a]);
	}
	return 0;
}

void vcontent_release(struct vstate *st)
{
	for (int a = 0; a < DIGEST_COUNT; a++) {
		manifest_release(&st->payload[a]);
		manifest_release(&st->tagman[a]);
	}
	for (size_t i = 0; i < st->njobs; i++)
		bagsrc_job_release(&st->jobs[i]);
	free(st->jobs);
	fetch_release(&st->fetch);
}
