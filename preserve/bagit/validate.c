/*
 * preserve/bagit/validate.c - the flow of one bag check: inventory the files,
 * read the declaration and tag files, match manifests, compute digests,
 * then hand the facts to extra rules (profiles). Structure checks on the
 * files themselves (links, special files, data/) live here too.
 */
#include "preserve/bagit/validate_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pool.h"
#include "core/text.h"
#include "preserve/bagit/bagpath.h"

struct vfile vfile_ambiguous;

static void check_link(struct vstate *st, const struct bag_entry *e)
{
	const char *t = e->link_target ? e->link_target : "";
	char *joined = NULL, *canon = NULL;
	const char *slash = strrchr(e->path, '/');
	unsigned flags;
	int verdict;

	/* where would the link land, relative to the bag root? */
	if (t[0] != '/' && asprintf(&joined, "%.*s%s%s",
				    slash ? (int)(slash - e->path) : 0, e->path,
				    slash ? "/" : "", t) < 0)
		joined = NULL;
	verdict = joined ? relpath_normalize(&canon, joined, &flags) : RELPATH_ABSOLUTE;
	if (verdict != RELPATH_OK)
		problems_error(st->r, "path-outside-bag", e->path,
			     "'%s' is a symlink to '%s', outside the bag; it was not followed",
			     e->path, t);
	else
		problems_error(st->r, "symlink", e->path,
			     "'%s' is a symlink (to '%s'); a bag holds files, and links are not followed",
			     e->path, t);
	free(joined);
	free(canon);
}

static void index_fold(struct vstate *st, struct vfile *f)
{
	char *key = text_fold(f->e->path);
	struct vfile *prev;

	if (!key) {
		problems_warn(st->r, "bad-filename-encoding", f->e->path,
			    "the name '%s' is not valid UTF-8; manifests cannot name it reliably",
			    f->e->path);
		return;
	}
	prev = strmap_get(st->by_fold, key);
	if (prev && prev != &vfile_ambiguous) {
		problems_warn(st->r, "case-collision", f->e->path,
			    "'%s' and '%s' differ only in case or Unicode normalization; they collide on macOS and Windows",
			    prev->e->path, f->e->path);
		strmap_put(st->by_fold, key, &vfile_ambiguous);
	} else if (!prev) {
		strmap_put(st->by_fold, key, f);
	}
	free(key);
}

/* Index regular files; report links, special files and structure. */
static int index_entries(struct vstate *st)
{
	bool data_dir = false;

	st->files = calloc(st->nentries ? st->nentries : 1, sizeof(*st->files));
	st->by_path = strmap_new();
	st->by_fold = strmap_new();
	if (!st->files || !st->by_path || !st->by_fold)
		return -1;
	for (size_t i = 0; i < st->nentries; i++) {
		const struct bag_entry *e = &st->entries[i];
		struct vfile *f;

		if (!strcmp(e->path, "data"))
			data_dir = e->type == BAG_ENTRY_DIR;
		if (e->type == BAG_ENTRY_SYMLINK) {
			check_link(st, e);
			continue;
		}
		if (e->type == BAG_ENTRY_OTHER) {
			problems_error(st->r, "special-file", e->path,
				     "'%s' is not a regular file or directory (device, fifo, socket or hard link)",
				     e->path);
			continue;
		}
		if (e->type != BAG_ENTRY_FILE)
			continue;
		f = &st->files[st->nfiles++];
		f->e = e;
		f->job = SIZE_MAX;
		f->payload = strncmp(e->path, "data/", 5) == 0;
		if (strmap_put(st->by_path, e->path, f) < 0)
			return -1;
		index_fold(st, f);
		if (f->payload) {
			st->res->files++;
			st->res->bytes += e->size;
			if (bagpath_is_system_file(e->path))
				problems_warn(st->r, "system-file", e->path,
					    "'%s' is an operating-system file (Finder, Explorer), probably not meant as payload",
					    e->path);
		}
	}
	if (!data_dir)
		problems_error(st->r, "missing-data-dir", "data",
			     "the payload directory 'data/' is missing");
	return 0;
}

static void load_fetch(struct vstate *st)
{
	char *text = NULL;
	size_t len = 0;

	if (vtags_read_text(st, "fetch.txt", BAGSRC_TAG_MAX, &text, &len) != 0)
		return;
	st->has_fetch = true;
	if (fetch_parse(&st->fetch, text, len, st->r) < 0)
		problems_error(st->r, "internal", "fetch.txt", "out of memory");
	free(text);
}

/* Hand what was learned to the extra rules (profile, policy). */
static int run_facts_hook(struct vstate *st, struct custos_err *err)
{
	struct bag_facts f = { 0 };
	const char **tags, **payload, **dirs;
	size_t nt = 0, np = 0, nd = 0;

	if (!st->o->facts_hook)
		return 0;
	tags = calloc(st->nentries + 1, sizeof(*tags));
	payload = calloc(st->nentries + 1, sizeof(*payload));
	dirs = calloc(st->nentries + 1, sizeof(*dirs));
	if (!tags || !payload || !dirs) {
		free(tags);
		free(payload);
		free(dirs);
		return err_nomem(err);
	}
	for (size_t i = 0; i < st->nentries; i++) {
		const struct bag_entry *e = &st->entries[i];
		bool in_data = strncmp(e->path, "data/", 5) == 0;

		if (e->type == BAG_ENTRY_FILE)
			*(in_data ? &payload[np++] : &tags[nt++]) = e->path;
		else if (e->type == BAG_ENTRY_DIR && in_data)
			dirs[nd++] = e->path;
	}
	f.version = st->res->version[0] ? st->res->version : NULL;
	f.serialization = bagsrc_serialization(st->src);
	f.info = st->info.tags;
	f.ninfo = st->info.count;
	f.has_bag_info = st->has_info;
	f.payload_manifests = st->payload_mask;
	f.tag_manifests = st->tag_mask;
	f.has_fetch = st->has_fetch;
	f.tag_files = tags;
	f.ntag_files = nt;
	f.payload_files = payload;
	f.npayload_files = np;
	f.payload_dirs = dirs;
	f.npayload_dirs = nd;
	for (int a = 0; a < DIGEST_COUNT; a++)
		f.payload_manifest[a] = (st->payload_mask & DIGEST_BIT(a)) ?
					&st->payload[a] : NULL;
	st->o->facts_hook(st->o->facts_arg, &f, st->r);
	free(tags);
	free(payload);
	free(dirs);
	return 0;
}

static int run_checks(struct vstate *st, struct custos_err *err)
{
	struct custos_err ierr;

	err_clear(&ierr);
	if (bagsrc_inventory(st->src, &st->entries, &st->nentries, st->r,
			     &ierr) < 0) {
		if (ierr.code == CUSTOS_ENOMEM)
			return err_nomem(err);
		problems_error(st->r, "unreadable-bag", ierr.path, "%s", ierr.msg);
		if (ierr.code == CUSTOS_EIO)
			st->res->io_errors++;
		return 0;
	}
	if (index_entries(st) < 0)
		return err_nomem(err);
	vtags_check_declaration(st);
	vtags_check_bag_info(st);
	if (vcontent_load_manifests(st) < 0)
		return err_nomem(err);
	load_fetch(st);
	if (st->o->mode != VALIDATE_FAST) {
		vcontent_check_completeness(st);
		vrules_check(st);
	}
	vtags_check_oxum(st);
	if ((st->o->mode == VALIDATE_FULL || st->o->mode == VALIDATE_DEFER_PAYLOAD) &&
	    vcontent_check_digests(st, err) < 0) {
		if (err->code == CUSTOS_ENOMEM)
			return -1;
		problems_error(st->r, "unreadable-bag", err->path, "%s", err->msg);
		st->res->io_errors++;
	}
	return run_facts_hook(st, err);
}

int bag_validate_source(struct bagsrc *src, const struct validate_opts *opts,
			struct validate_result *res, struct custos_err *err)
{
	struct vstate st = { .o = opts, .res = res, .major = -1, .minor = -1,
			     .src = src };
	struct validate_opts defaults = { .mode = VALIDATE_FULL };
	int rc;

	memset(res, 0, sizeof(*res));
	problems_init(&res->problems);
	st.r = &res->problems;
	if (!opts)
		st.o = &defaults;
	if (st.o->jobs == 0) {
		defaults = *st.o;
		defaults.jobs = pool_default_workers();
		st.o = &defaults;
	}
	rc = run_checks(&st, err);
	res->serialization = bagsrc_serialization(src);
	res->valid = res->problems.errors == 0;
	vcontent_release(&st);
	tagfile_release(&st.info);
	free(st.encoding);
	free(st.files);
	strmap_free(st.by_path);
	strmap_free(st.by_fold);
	return rc;
}

int bag_validate(const char *path, const struct validate_opts *opts,
		 struct validate_result *res, struct custos_err *err)
{
	struct bagsrc *src;
	int rc;

	if (bagsrc_open(&src, path, err) < 0) {
		memset(res, 0, sizeof(*res));
		problems_init(&res->problems);
		return -1;
	}
	rc = bag_validate_source(src, opts, res, err);
	bagsrc_close(src);
	return rc;
}

void validate_result_release(struct validate_result *res)
{
	problems_release(&res->problems);
}
