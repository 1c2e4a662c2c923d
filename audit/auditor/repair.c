/*
 * audit/auditor/repair.c - repairing a damaged copy from another copy of the same
 * version audited in this run (never from an unaudited one): the good
 * bytes are staged in the damaged copy's location while every catalog
 * digest is computed, compared with the catalog, the damaged file is kept
 * under .custos-quarantine/, the staged file replaces it in one atomic
 * step and is read back. Unexpected files (and the stray paths of moved
 * ones) go to quarantine. Events: the copy's failed fixity check ->
 * quarantine (what was kept where) -> replication (related to the failed
 * check) -> fixity check of the result (related to the replication).
 */
#include "audit/auditor/audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crashpoint.h"
#include "core/fileio.h"
#include "core/strbuf.h"
#include "core/strmap.h"
#include "preserve/bagit/manifest.h"

#define QUARANTINE ".custos-quarantine"

struct fixjob {
	struct audit_ctx *a;
	struct audit_done *d;
	char vpath[200];
	struct catalog_audit_file *files;
	size_t nfiles;
	struct strmap *bypath;    /* "data/..." -> catalog file */
	unsigned seq;
	struct strbuf log;        /* what was done, for the events */
	struct strbuf kept;       /* what went to quarantine (qua event) */
	size_t repaired, failed;
	struct catalog_file_check *checks;   /* payload files now verified */
	size_t nchecks;
};

static bool repairable(enum audit_state s)
{
	return s != AUDIT_UNAVAILABLE && s != AUDIT_NOT_CHECKED;
}

static bool is_mine(const struct audit_finding *f, const struct audit_done *d)
{
	return f->loc == d->loc && f->version == d->version &&
	       !strcmp(f->object, d->ident);
}

/* True if copy E has a finding about PATH in this run. */
static bool has_finding(struct audit_ctx *a, const struct audit_done *e,
			const char *path)
{
	for (size_t i = 0; i < a->res->nfindings; i++) {
		const struct audit_finding *f = &a->res->findings[i];

		if (is_mine(f, e) && (!strcmp(f->path, path) || !*f->path))
			return true;
	}
	return false;
}

/* Copy FROM's REL into T's stage as "file", digesting MASK. */
static int stage(struct location *from, const char *src, struct location_txn *t,
		 digest_mask mask, struct digest_result *res, struct custos_err *err)
{
	struct location_file *out = NULL;
	struct location_sink sink = { location_sink_write, NULL };
	struct digest_set *ds = NULL;
	unsigned char *buf = malloc(FIO_BUFSIZE);
	int rc = -1, orc;

	if (!buf)
		return err_nomem(err);
	if (digest_set_new(&ds, mask, err) < 0 ||
	    location_txn_create(t, "file", &out, err) < 0)
		goto out;
	sink.arg = out;
	orc = location_read_through(from, src, buf, FIO_BUFSIZE, ds, &sink, NULL, err);
	if (orc == 1)
		err_set(err, CUSTOS_EIO, src, "'%s' is absent from location '%s'", src,
			location_name(from));
	if (orc == 0)
		rc = digest_set_final(ds, res, err);
out:
	if (out && location_file_close(out, rc < 0 ? NULL : err) < 0)
		rc = -1;
	digest_set_free(ds);
	free(buf);
	return rc;
}

static int same_digests(const struct digest_result *got, digest_mask mask,
			char *const *want, const struct digest_result *want2)
{
	for (int k = 0; k < DIGEST_COUNT; k++) {
		const char *w = want ? want[k] : want2->hex[k];

		if ((mask & DIGEST_BIT(k)) && w && !digest_hex_equal(w, got->hex[k]))
			return 0;
	}
	return 1;
}

/* Restore REL of the damaged copy from location index SRC. WANT: catalog
 * digests (NULL for tag files: the source copy's bytes as read). */
static int restore(struct fixjob *j, size_t src, const char *rel, digest_mask mask,
		   char *const *want, char *kept, size_t keptsize,
		   struct custos_err *err)
{
	struct repo *r = j->a->r;
	struct location *to = repo_location(r, j->d->loc);
	struct location_txn *t = NULL;
	struct digest_result staged, back;
	char txid[96], qdir[160], sdir[176], *path = NULL, *keep = NULL;
	uint64_t size;
	int rc = -1, k;

	/* one stage per copy at a time: a stage an interrupted repair left is
	 * dropped here, by the next repair of the same copy */
	snprintf(txid, sizeof(txid), "audit-repair-%lld", (long long)j->d->copy_id);
	snprintf(qdir, sizeof(qdir), QUARANTINE "/audit-%lld-%lld-%u",
		 (long long)j->a->res->run, (long long)j->d->copy_id, j->seq++);
	/* staged beside, not inside, what is kept: dropping the stage (which
	 * on object stores deletes its keys) must leave the kept file */
	snprintf(sdir, sizeof(sdir), "%s/.stage", qdir);
	location_discard_stage(to, txid, NULL);
	if (asprintf(&path, "%s/%s", j->vpath, rel) < 0 ||
	    asprintf(&keep, "%s/%s/%s", qdir, j->vpath, rel) < 0) {
		path = keep = NULL;
		err_nomem(err);
		goto out;
	}
	if (location_begin(to, sdir, txid, &t, err) < 0 ||
	    stage(repo_location(r, src), path, t, mask, &staged, err) < 0)
		goto out;
	if (want && !same_digests(&staged, mask, want, NULL)) {
		err_set(err, CUSTOS_EIO, path, "'%s' in location '%s' does not match the"
			" catalog either", path, location_name(repo_location(r, src)));
		goto out;
	}
	crashpoint("audit repair: staged");
	if ((k = location_keep(to, path, keep, err)) < 0 ||
	    location_txn_place(t, "file", path, err) < 0)
		goto out;
	crashpoint("audit repair: placed");
	snprintf(kept, keptsize, "%s", k == 0 ? keep : "");
	if (audit_read_file(j->a, to, path, mask, &back, &size, err) != 0 ||
	    !same_digests(&back, mask, NULL, &staged)) {
		err_set(err, CUSTOS_EIO, path, "'%s' reads back wrong in location '%s'"
			" after repair", path, location_name(to));
		goto out;
	}
	rc = 0;
out:
	location_txn_abort(t);
	free(path);
	free(keep);
	return rc;
}

/* Move the stray REL of the damaged copy to quarantine. */
static int quarantine(struct fixjob *j, const char *rel, char *kept,
		      size_t keptsize, struct custos_err *err)
{
	struct location *l = repo_location(j->a->r, j->d->loc);
	char *path = NULL, *keep = NULL;
	int rc = -1;

	if (asprintf(&path, "%s/%s", j->vpath, rel) < 0 ||
	    asprintf(&keep, QUARANTINE "/audit-%lld-%lld-%u/%s",
		     (long long)j->a->res->run, (long long)j->d->copy_id, j->seq++,
		     path) < 0) {
		free(path);
		return err_nomem(err);
	}
	if (location_keep(l, path, keep, err) >= 0 && location_remove(l, path, err) == 0) {
		snprintf(kept, keptsize, "%s", keep);
		rc = 0;
	}
	free(path);
	free(keep);
	return rc;
}

static int add_repair(struct fixjob *j, const char *path, size_t from,
		      const char *kept)
{
	struct audit_result *res = j->a->res;
	struct audit_repair *p;

	if (res->nrepairs == res->caprepairs) {
		size_t ncap = res->caprepairs ? 2 * res->caprepairs : 8;
		struct audit_repair *g = realloc(res->repairs, ncap * sizeof(*g));

		if (!g)
			return -1;
		res->repairs = g;
		res->caprepairs = ncap;
	}
	p = &res->repairs[res->nrepairs];
	p->object = strdup(j->d->ident);
	p->path = strdup(path);
	p->kept_as = *kept ? strdup(kept) : NULL;
	p->version = j->d->version;
	p->loc = j->d->loc;
	p->from = from;
	if (*kept)
		strbuf_addf(&j->kept, "%s: kept at %s\n", path, kept);
	if (!p->object || !p->path || (*kept && !p->kept_as)) {
		free(p->object);
		free(p->path);
		free(p->kept_as);
		return -1;
	}
	res->nrepairs++;
	return 0;
}

/* After tag manifest NAME was restored from SRC: the tag files it lists
 * that are absent from the damaged copy (a lost version folder) come from
 * SRC too. Their bytes are checked against NAME. */
static int restore_listed(struct fixjob *j, const char *name, size_t src,
			  struct custos_err *err)
{
	struct location *l = repo_location(j->a->r, j->d->loc);
	struct manifest m = { 0 };
	struct problems rep;
	enum digest_alg alg;
	char algname[32], *path = NULL, *text = NULL;
	size_t len;
	int rc = 0;

	if (manifest_name_alg(name, "tagmanifest-", algname, sizeof(algname)) < 0 ||
	    digest_from_name(&alg, algname) < 0 || asprintf(&path, "%s/%s", j->vpath, name) < 0)
		return 0;
	problems_init(&rep);
	if (audit_read_small(l, path, AUDIT_TAGFILE_MAX, &text, &len, NULL) == 0 &&
	    manifest_parse(&m, name, alg, text, len, &rep) < 0)
		rc = err_nomem(err);
	for (size_t i = 0; rc == 0 && i < m.count; i++) {
		char *p = NULL, kept[8] = "";
		char *want[DIGEST_COUNT] = { 0 }, hex[DIGEST_HEX_MAX];
		struct custos_err why;

		if (asprintf(&p, "%s/%s", j->vpath, m.entries[i].path) < 0)
			return err_nomem(err);
		want[alg] = manifest_hex(&m, &m.entries[i], hex);
		if (location_exists(l, p, NULL) == 0) {
			if (restore(j, src, m.entries[i].path, DIGEST_BIT(alg), want, kept,
				    sizeof(kept), &why) == 0) {
				strbuf_addf(&j->log, "%s (absent): restored from %s\n",
					    m.entries[i].path, location_name(repo_location(j->a->r, src)));
				if (add_repair(j, m.entries[i].path, src, kept) < 0)
					rc = err_nomem(err);
			} else {
				strbuf_addf(&j->log, "%s (absent): NOT REPAIRED: %s\n",
					    m.entries[i].path, why.msg);
			}
		}
		free(p);
	}
	manifest_release(&m);
	problems_release(&rep);
	free(text);
	free(path);
	return rc;
}

/* Restore F from the first copy of the version audited in this run that
 * has no finding about it. *FROM gets the source; *TRIED if one qualified. */
static bool from_copies(struct fixjob *j, struct audit_finding *f,
			const struct catalog_audit_file *cf, struct audit_done *done,
			size_t n, size_t *from, bool *tried, char *kept,
			size_t keptsize, struct custos_err *why)
{
	for (size_t i = 0; i < n; i++) {
		struct audit_done *e = &done[i];

		if (e->version_id != j->d->version_id || e->loc == j->d->loc ||
		    !e->available || has_finding(j->a, e, f->path) ||
		    (f->state == AUDIT_TAG_INVALID && !e->tags_ok))
			continue;
		*tried = true;
		if (restore(j, e->loc, f->path, cf ? cf->mask : DIGEST_BIT(DIGEST_SHA256),
			    cf ? cf->hex : NULL, kept, keptsize, why) == 0) {
			*from = e->loc;
			return true;
		}
	}
	return false;
}

/* After F's file was restored: the tag files a restored tag manifest
 * lists, the file check, and the stray paths of a move. */
static int after_restore(struct fixjob *j, struct audit_finding *f,
			 const struct catalog_audit_file *cf, size_t from,
			 struct custos_err *err)
{
	struct custos_err why;

	if (!strncmp(f->path, "tagmanifest-", 12) && restore_listed(j, f->path, from, err) < 0)
		return -1;
	if (cf) {
		j->checks[j->nchecks].file_id = cf->id;
		j->checks[j->nchecks].state = "verified";
		j->checks[j->nchecks++].counts = true;
	}
	for (size_t k = 0; f->state == AUDIT_MOVED &&
	     k < (f->ncandidates ? f->ncandidates : 1); k++) {
		char strays[512];

		if (quarantine(j, f->ncandidates ? f->candidates[k] : f->moved_to,
			       strays, sizeof(strays), &why) < 0)
			strbuf_addf(&j->log, "%s: the stray copy stays (%s)\n", f->path, why.msg);
	}
	return 0;
}

/* Repair one finding: quarantine a stray, or restore from a good copy. */
static int fix_one(struct fixjob *j, struct audit_finding *f, struct audit_done *done,
		   size_t n, struct custos_err *err)
{
	const struct catalog_audit_file *cf = strmap_get(j->bypath, f->path);
	const char *reason = "no copy verified in this run holds it intact";
	bool stray = f->state == AUDIT_UNEXPECTED, tried = stray;
	char kept[512] = "";
	struct custos_err why;
	size_t from = j->d->loc;

	err_clear(&why);
	if (stray ? quarantine(j, f->path, kept, sizeof(kept), &why) < 0 :
	    !from_copies(j, f, cf, done, n, &from, &tried, kept, sizeof(kept), &why)) {
		j->failed++;
		j->a->res->unrepaired++;
		strbuf_addf(&j->log, "%s (%s): NOT REPAIRED: %s\n", f->path,
			    audit_state_name(f->state), tried ? why.msg : reason);
		free(f->why);
		f->why = strdup(tried ? why.msg : reason);
		return 0;
	}
	if (!stray && after_restore(j, f, cf, from, err) < 0)
		return -1;
	f->repaired = true;
	j->repaired++;
	strbuf_addf(&j->log, "%s (%s): %s%s%s%s\n", f->path, audit_state_name(f->state),
		    stray ? "moved to quarantine" : "restored from ",
		    stray ? "" : location_name(repo_location(j->a->r, from)),
		    *kept ? ", the old file kept at " : "", kept);
	return add_repair(j, f->path, from, kept) < 0 ? err_nomem(err) : 0;
}

/* rep (related to the failed fix) then fix of the result. */
static int record(struct fixjob *j, struct custos_err *err)
{
	struct audit_done *d = j->d;
	struct location *l = repo_location(j->a->r, d->loc);
	char rep_uuid[40], detail[512];
	struct catalog_event rep = { .type = "rep", .object = d->ident,
				     .version = d->version, .location = location_name(l),
				     .related = d->fix_uuid };
	struct catalog_event fix = rep, qua = rep;
	bool completed;
	char now[32];

	if (strbuf_check(&j->log, err) < 0 || strbuf_check(&j->kept, err) < 0)
		return -1;
	qua.type = "qua";
	qua.outcome = "suc";
	qua.detail = "damaged and stray files moved out of the copy, kept in"
		     " " QUARANTINE "/ of the location";
	qua.outcome_note = j->kept.data;
	snprintf(detail, sizeof(detail), "audit run %lld: repair of copy '%s' in"
		 " location '%s' from copies verified in this run",
		 (long long)j->a->res->run, j->vpath, location_name(l));
	rep.outcome = j->failed ? "fai" : "suc";
	rep.detail = detail;
	rep.outcome_note = j->log.data;
	fix.type = "fix";
	fix.outcome = "suc";
	fix.detail = "the repaired files were read back and verified";
	fix.related = rep_uuid;
	catalog_now(now);
	if (catalog_begin(repo_catalog(j->a->r), err) < 0)
		return -1;
	if (catalog_file_checks_put(repo_catalog(j->a->r), d->copy_id, d->cycle, now,
				    j->checks, j->nchecks, err) < 0 ||
	    (j->kept.len && catalog_event_add(repo_catalog(j->a->r), &qua, NULL, err) < 0) ||
	    catalog_event_add(repo_catalog(j->a->r), &rep, rep_uuid, err) < 0 ||
	    (j->repaired && catalog_event_add(repo_catalog(j->a->r), &fix, NULL, err) < 0) ||
	    (!j->failed && catalog_audit_copy_done(repo_catalog(j->a->r), d->copy_id, "ok", now,
						   &completed, err) < 0) ||
	    catalog_commit(repo_catalog(j->a->r), err) < 0) {
		catalog_rollback(repo_catalog(j->a->r));
		return -1;
	}
	return 0;
}

int audit_copy_repair(struct audit_ctx *a, struct audit_done *d,
		      struct audit_done *done, size_t n, struct custos_err *err)
{
	struct fixjob j = { .a = a, .d = d };
	size_t todo = 0;
	int rc = -1;

	for (size_t i = 0; i < a->res->nfindings; i++)
		todo += is_mine(&a->res->findings[i], d) &&
			repairable(a->res->findings[i].state) &&
			!a->res->findings[i].repaired;
	if (!todo || !d->available)
		return 0;
	repo_version_path(j.vpath, sizeof(j.vpath), d->ident, d->version);
	strbuf_init(&j.log, AUDIT_NOTE_MAX);
	strbuf_init(&j.kept, AUDIT_NOTE_MAX);
	if (catalog_audit_files(repo_catalog(a->r), d->copy_id, &j.files, &j.nfiles, err) < 0)
		goto out;
	if (!(j.bypath = strmap_new()) ||
	    !(j.checks = calloc(todo, sizeof(*j.checks)))) {
		err_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < j.nfiles; i++)
		if (strmap_put(j.bypath, j.files[i].path, &j.files[i]) < 0) {
			err_nomem(err);
			goto out;
		}
	/* strays first: a directory in the way of a file goes before the file */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < a->res->nfindings; i++) {
			struct audit_finding *f = &a->res->findings[i];

			if (is_mine(f, d) && repairable(f->state) && !f->repaired &&
			    (f->state == AUDIT_UNEXPECTED) == (pass == 0) &&
			    fix_one(&j, f, done, n, err) < 0)
				goto out;
		}
	rc = record(&j, err);
out:
	strbuf_release(&j.log);
	strbuf_release(&j.kept);
	strmap_free(j.bypath);
	free(j.checks);
	catalog_audit_files_free(j.files, j.nfiles);
	return rc;
}
