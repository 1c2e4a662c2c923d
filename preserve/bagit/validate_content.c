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

#include "core/fileio.h"
#include "core/text.h"
#include "preserve/bagit/bagpath.h"

struct manifest_feed {
	struct manifest_stream *ms;
	int state;                   /* 0, 1 a line is not UTF-8, -1 OOM */
	bool first;
	bool bom;
};

static int feed_block(void *arg, const unsigned char *buf, size_t len,
		      struct custos_err *err)
{
	struct manifest_feed *f = arg;

	if (f->first && len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		f->bom = true;
	f->first = false;
	f->state = manifest_stream_feed(f->ms, (const char *)buf, len);
	if (f->state)
		return err_set(err, CUSTOS_EFORMAT, NULL, "stopped");
	return 0;
}

/* Parse manifest NAME as it is read, never holding its text whole.
 * 0 parsed, 1 reported and not used, -1 OOM. */
static int stream_manifest(struct vstate *st, const char *name,
			   enum digest_alg alg, struct manifest *out)
{
	struct manifest_feed f = { .first = true };
	struct fio_sink sink = { feed_block, &f };
	struct custos_err err;
	size_t bad_line;
	int rc, end;

	if (manifest_stream_begin(&f.ms, out, name, alg, st->r) < 0)
		return -1;
	err_clear(&err);
	rc = bagsrc_stream_tag(st->src, name, BAGSRC_TAG_MAX, &sink, &err);
	end = manifest_stream_end(f.ms, &bad_line);
	if (f.state < 0 || end < 0 || err.code == CUSTOS_ENOMEM) {
		manifest_release(out);
		return -1;
	}
	if (rc == 1 || (rc < 0 && !f.state)) {  /* absent (raced), or unreadable */
		if (rc < 0)
			problems_error(st->r, err.code == CUSTOS_ELIMIT ? "too-large" :
				     "unreadable-file", name, "%s", err.msg);
		manifest_release(out);
		return 1;
	}
	if (f.bom)
		vtags_report_bom(st, name);
	if (end > 0) {
		problems_error(st->r, "bad-encoding", name,
			     "'%s' is not valid UTF-8 text (line %zu)", name, bad_line);
		return 1;                    /* released by manifest_stream_end */
	}
	return 0;
}

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
	if (text_is_utf8_name(st->encoding ? st->encoding : "UTF-8")) {
		rc = stream_manifest(st, name, alg, &slots[alg]);
	} else {                     /* converted whole, then parsed */
		rc = vtags_read_text(st, name, BAGSRC_TAG_MAX, &text, &len);
		if (rc != 0)
			return 0;
		rc = manifest_parse(&slots[alg], name, alg, text, len, st->r);
		free(text);
	}
	if (rc < 0)
		return -1;
	if (rc == 0)
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
static bool folds_equal(const char *a, const char *b);

static struct vfile *resolve(struct vstate *st, const char *path,
			     bool *variant)
{
	struct vfile *f = strmap_get(st->by_path, path);
	char *key, *literal = NULL;

	*variant = false;
	if (f)
		return f;
	/* bagit-python, bagit-java and DART write "a%25b" for a file named
	 * "a%25b": decoded it is "a%b"; the file on disk is the literal name */
	if (strchr(path, '%') && bagpath_encode(&literal, path) == 0 &&
	    (f = strmap_get(st->by_path, literal))) {
		free(literal);
		*variant = true;
		return f;
	}
	free(literal);
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

static int cmp_by_path(const void *a, const void *b)
{
	const struct manifest_entry *x = *(const struct manifest_entry *const *)a;
	const struct manifest_entry *y = *(const struct manifest_entry *const *)b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

struct folded {
	uint64_t hash;                   /* of the NFC + case-folded name */
	const struct manifest_entry *e;
};

static int cmp_folded(const void *a, const void *b)
{
	const struct folded *x = a, *y = b;

	if (x->hash != y->hash)
		return (x->hash > y->hash) - (x->hash < y->hash);
	return (x->e->line > y->e->line) - (x->e->line < y->e->line);
}

static uint64_t fold_hash(const char *path)
{
	char *key = text_fold(path);
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */

	for (const char *p = key ? key : path; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	free(key);
	return h;
}

static bool folds_equal(const char *a, const char *b)
{
	char *ka = text_fold(a), *kb = text_fold(b);
	bool same = ka && kb && !strcmp(ka, kb);

	free(ka);
	free(kb);
	return same;
}

static void report_repeat(struct vstate *st, const struct manifest *m,
			  const struct manifest_entry *prev,
			  const struct manifest_entry *e)
{
	bool same = !memcmp(prev->digest, e->digest, sizeof(e->digest));
	char want[DIGEST_HEX_MAX], got[DIGEST_HEX_MAX];

	problems_add(st->r, same && !vtags_is_v1(st) ? PROBLEM_WARNING :
		     PROBLEM_ERROR, same ? "duplicate-entry" : "conflicting-entry",
		     e->path, same ? NULL : manifest_hex(m, prev, want),
		     same ? NULL : manifest_hex(m, e, got),
		     "'%s' lists '%s' twice (lines %lu and %lu)%s",
		     m->name, e->path, (unsigned long)prev->line,
		     (unsigned long)e->line, same ? "" : " with different digests");
}

/* Names that collide once NFC-normalized and case-folded: sorted by a
 * hash of the folded name (16 bytes an entry, no map of millions). */
static void check_folds(struct vstate *st, const struct manifest *m,
			struct folded *fo, size_t n)
{
	qsort(fo, n, sizeof(*fo), cmp_folded);
	for (size_t i = 0; i < n; ) {
		size_t j = i + 1;

		while (j < n && fo[j].hash == fo[i].hash)
			j++;
		for (size_t k = i + 1; k < j; k++) {
			const struct manifest_entry *prev = fo[i].e, *e = fo[k].e;

			if (!folds_equal(prev->path, e->path))
				continue;            /* a hash collision */
			problems_warn(st->r, "name-collision", e->path,
				    "'%s' lists '%s' (line %lu) and '%s' (line %lu), names that differ only in case or Unicode normalization",
				    m->name, prev->path, (unsigned long)prev->line,
				    e->path, (unsigned long)e->line);
		}
		i = j;
	}
}

/* Duplicates inside one manifest: same path, or same name up to case and
 * normalization. RFC 8493 1.0 forbids listing a file twice. Sorting
 * pointers costs 8 bytes an entry where a map of paths cost ~100. */
static void check_duplicates(struct vstate *st, const struct manifest *m)
{
	const struct manifest_entry **by = malloc((m->count + 1) * sizeof(*by));
	struct folded *fo = malloc((m->count + 1) * sizeof(*fo));
	size_t nfo = 0;

	if (!by || !fo) {
		problems_error(st->r, "internal", m->name, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < m->count; i++)
		by[i] = &m->entries[i];
	qsort(by, m->count, sizeof(*by), cmp_by_path);
	for (size_t i = 0; i < m->count; ) {
		size_t j = i + 1;

		for (; j < m->count && !strcmp(by[j]->path, by[i]->path); j++)
			report_repeat(st, m, by[i], by[j]);
		fo[nfo].e = by[i];
		fo[nfo++].hash = fold_hash(by[i]->path);
		i = j;
	}
	check_folds(st, m, fo, nfo);
out:
	free(by);
	free(fo);
}

/* Manifest entries that name no file: 16 bytes each, sorted by path when
 * reported (a map of millions of absent paths cost ~100 bytes each). */
struct absent {
	const char *path;            /* borrowed from the manifest entry */
	digest_mask algs;
};

struct absent_list {
	struct absent *items;
	size_t count, cap;
	bool oom;
};

static void note_missing(const struct manifest *m,
			 const struct manifest_entry *e, struct absent_list *l)
{
	if (l->count == l->cap) {
		size_t ncap = l->cap ? l->cap + l->cap / 2 : 64;
		struct absent *g = realloc(l->items, ncap * sizeof(*g));

		if (!g) {
			l->oom = true;
			return;
		}
		l->items = g;
		l->cap = ncap;
	}
	l->items[l->count++] = (struct absent){ e->path, DIGEST_BIT(m->alg) };
}

static int cmp_absent(const void *a, const void *b)
{
	return strcmp(((const struct absent *)a)->path,
		      ((const struct absent *)b)->path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
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
			   struct absent_list *missing)
{
	check_duplicates(st, m);
	for (size_t i = 0; i < m->count; i++) {
		struct manifest_entry *e = &m->entries[i];
		bool in_data = strncmp(e->path, "data/", 5) == 0, variant;
		struct vfile *f;

		if (payload != in_data) {
			problems_error(st->r, payload ? "path-outside-payload" :
				     "payload-in-tag-manifest", e->path,
				     "'%s' line %lu lists '%s', which is %s",
				     m->name, (unsigned long)e->line, e->path, payload ?
				     "not in the payload directory data/" :
				     "a payload file (tag manifests list tag files only)");
			continue;
		}
		f = resolve(st, e->path, &variant);
		if (!f) {
			note_missing(m, e, missing);
			continue;
		}
		if (variant && strchr(e->path, '%') && !folds_equal(f->e->path, e->path))
			problems_warn(st->r, "unencoded-percent", f->e->path,
				    "'%s' line %lu names '%s' with a literal '%%' (a %%25, %%0A or %%0D is meant encoded); it was taken as the file '%s', as bagit-python and bagit-java write it",
				    m->name, (unsigned long)e->line, f->e->path, f->e->path);
		else if (variant)
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

/* fetch.txt's paths, sorted, for the note on a missing file (NULL if none). */
static const char **sorted_fetch_paths(const struct vstate *st)
{
	const char **p;

	if (!st->fetch.count || !(p = malloc(st->fetch.count * sizeof(*p))))
		return NULL;
	for (size_t i = 0; i < st->fetch.count; i++)
		p[i] = st->fetch.entries[i].path;
	qsort(p, st->fetch.count, sizeof(*p), cmp_str);
	return p;
}

static void report_missing(struct vstate *st, struct absent_list *l,
			   bool payload)
{
	struct manifest *slots = payload ? st->payload : st->tagman;
	const char **fetched = payload ? sorted_fetch_paths(st) : NULL;
	char names[512];

	if (l->oom)
		problems_error(st->r, "internal", "", "out of memory");
	if (l->count)
		qsort(l->items, l->count, sizeof(*l->items), cmp_absent);
	for (size_t i = 0; i < l->count; ) {
		const char *path = l->items[i].path;
		digest_mask algs = 0;
		bool in_fetch;

		for (; i < l->count && !strcmp(l->items[i].path, path); i++)
			algs |= l->items[i].algs;
		list_manifests(names, sizeof(names), slots, algs);
		if (payload && bagpath_is_system_file(path)) {
			st->excused_files++;
			problems_warn(st->r, "missing-system-file", path,
				    "'%s' (an operating-system file that copy tools often drop) is listed in %s but is not in the bag",
				    path, names);
			continue;
		}
		in_fetch = fetched && bsearch(&path, fetched, st->fetch.count,
					      sizeof(*fetched), cmp_str);
		problems_error(st->r, "missing-file", path,
			     "'%s' is listed in %s but is not in the bag%s",
			     path, names, in_fetch ?
			     " (it is in fetch.txt: custos never downloads)" : "");
	}
	free(fetched);
	free(l->items);
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
		/* before 1.0 one payload manifest listing a file was enough */
		if (f->listed && !vtags_is_v1(st))
			problems_warn(st->r, "partial-manifest", f->e->path,
				    "'%s' is not listed in %s (BagIt %s needs it in one payload manifest only; 1.0 in every one)",
				    f->e->path, names, st->res->version);
		else
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
	struct absent_list missing = { 0 }, tmissing = { 0 };

	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (st->payload_mask & DIGEST_BIT(a))
			match_manifest(st, &st->payload[a], true, &missing);
		if (st->tag_mask & DIGEST_BIT(a))
			match_manifest(st, &st->tagman[a], false, &tmissing);
	}
	report_missing(st, &missing, true);
	report_missing(st, &tmissing, false);
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
		char want[DIGEST_HEX_MAX];

		if (!f || f->job == SIZE_MAX)
			continue;
		job = &st->jobs[f->job];
		if (job->failed)
			continue;             /* reported once per file */
		got = job->hex[m->alg];
		if (!got)
			continue;
		if (!manifest_digest_is(m, e, got))
			problems_add(st->r, PROBLEM_ERROR, "digest-mismatch", e->path,
				   manifest_hex(m, e, want), got,
				   "'%s': %s digest differs from %s (line %lu)",
				   e->path, digest_name(m->alg), m->name,
				   (unsigned long)e->line);
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
