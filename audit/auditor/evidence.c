/*
 * audit/auditor/evidence.c - what an audit leaves behind: per copy, one PREMIS
 * fixity check event (outcome suc or fai, the failures with expected and
 * actual digests in the outcome note; war when the copy could not be
 * reached) with the file_checks rows and copy status in the same
 * transaction; per run, an audit_runs row.
 */
#include "audit/auditor/audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

static void note_finding(struct strbuf *b, const struct audit_finding *f)
{
	strbuf_addf(b, "%s: %s", *f->path ? f->path : "(copy)",
		    audit_state_name(f->state));
	if (f->expected[0])
		strbuf_addf(b, "; expected %s", f->expected);
	if (f->actual[0])
		strbuf_addf(b, "; actual %s", f->actual);
	if (f->moved_to)
		strbuf_addf(b, "; now at %s", f->moved_to);
	if (f->why)
		strbuf_addf(b, "; %s", f->why);
	strbuf_add(b, "\n", 1);
}

static int file_checks(struct audit_copy *c, struct custos_err *err)
{
	struct catalog_file_check *v = calloc(c->nfiles + 1, sizeof(*v));
	size_t n = 0;
	char now[32];
	int rc;

	if (!v)
		return err_nomem(err);
	for (size_t i = 0; i < c->nfiles; i++) {
		if (c->mark[i] == MARK_NONE)
			continue;
		v[n].file_id = c->files[i].id;
		v[n].state = c->mark[i] == MARK_VERIFIED ? "verified" :
			     audit_state_name((enum audit_state)c->mark[i]);
		v[n++].counts = !c->sampled[i];
	}
	catalog_now(now);
	rc = catalog_file_checks_put(repo_catalog(c->a->r), c->cp->copy_id, c->cp->cycle, now,
				     v, n, err);
	free(v);
	return rc;
}

static int count_read(const struct audit_copy *c)
{
	int n = 0;

	for (size_t i = 0; i < c->nfiles; i++)
		n += c->mark[i] != MARK_NONE && c->selected[i];
	return n;
}

static int transact(struct audit_copy *c, const struct catalog_event *e,
		    size_t nf, const char *now, struct custos_err *err);

int audit_copy_record(struct audit_copy *c, struct custos_err *err)
{
	struct audit_ctx *a = c->a;
	size_t nf = 0;
	struct catalog_event e = { .type = "fix", .object = c->cp->ident,
				   .version = c->cp->version,
				   .location = location_name(c->l) };
	struct strbuf note, detail;
	char now[32];
	int rc = -1;

	strbuf_init(&note, AUDIT_NOTE_MAX);
	strbuf_init(&detail, 4096);
	strbuf_addf(&detail, "audit run %lld (%s) of copy '%s' in location '%s': ",
		    (long long)a->res->run,
		    a->o->select == AUDIT_DUE ? "scheduled, due copies" :
		    a->o->select == AUDIT_ALL ? "on demand, all copies" :
		    "on demand, one object", c->vpath, location_name(c->l));
	if (c->unavailable)
		strbuf_addf(&detail, "storage unavailable, %zu files not checked",
			    c->nfiles);
	else
		strbuf_addf(&detail, "%s%d of %zu files read (%s and every other catalog"
			    " digest), completeness and tag files checked",
			    c->sample_only ? "random sample, " : "", count_read(c), c->nfiles,
			    digest_name(repo_policy(a->r)->audit_alg));
	pthread_mutex_lock(&a->lock);      /* other locations' copies append */
	for (size_t i = c->first_finding; i < a->res->nfindings; i++)
		if (audit_damage_of(&a->res->findings[i], c)) {
			note_finding(&note, &a->res->findings[i]);
			nf++;
		}
	pthread_mutex_unlock(&a->lock);
	if (strbuf_check(&note, err) < 0 || strbuf_check(&detail, err) < 0)
		goto out;
	e.outcome = c->unavailable ? "war" : nf ? "fai" : "suc";
	e.detail = detail.data;
	e.outcome_note = nf ? note.data : NULL;
	catalog_now(now);
	pthread_mutex_lock(&a->catlock);
	rc = transact(c, &e, nf, now, err);
	pthread_mutex_unlock(&a->catlock);
out:
	strbuf_release(&note);
	strbuf_release(&detail);
	return rc;
}

/* The copy's file checks, fixity event and status in one transaction. */
static int transact(struct audit_copy *c, const struct catalog_event *e,
		    size_t nf, const char *now, struct custos_err *err)
{
	struct audit_ctx *a = c->a;
	bool completed;

	if (catalog_begin(repo_catalog(a->r), err) < 0)
		return -1;
	if ((!c->unavailable && file_checks(c, err) < 0) ||
	    catalog_event_add(repo_catalog(a->r), e, c->fix_uuid, err) < 0 ||
	    (!c->unavailable &&
	     catalog_audit_copy_done(repo_catalog(a->r), c->cp->copy_id, nf ? "damaged" : "ok",
				     now, &completed, err) < 0) ||
	    catalog_commit(repo_catalog(a->r), err) < 0) {
		catalog_rollback(repo_catalog(a->r));
		return -1;
	}
	return 0;
}

int audit_run_record_start(struct audit_ctx *a, struct custos_err *err)
{
	/* the policy the audit acts under is on record before it acts */
	if (repo_policy_on_record(a->r, true, err) < 0)
		return -1;
	if (catalog_begin(repo_catalog(a->r), err) < 0)
		return -1;
	if (catalog_audit_run_add(repo_catalog(a->r), a->started, &a->res->run, err) < 0 ||
	    catalog_commit(repo_catalog(a->r), err) < 0) {
		catalog_rollback(repo_catalog(a->r));
		return -1;
	}
	return 0;
}

int audit_run_record_end(struct audit_ctx *a, struct custos_err *err)
{
	json_t *j = audit_result_json(a->r, a->res);
	char *summary = j ? json_dumps(j, JSON_COMPACT) : NULL;
	struct catalog_audit_run run = {
		.started = a->started, .files = a->res->files, .bytes = a->res->bytes,
		.findings = a->res->nfindings, .budget_reached = a->res->budget_reached,
		.summary = summary,
	};
	char now[32];
	int rc = -1;

	json_decref(j);
	if (!summary)
		return err_nomem(err);
	catalog_now(now);
	run.ended = now;
	if (catalog_begin(repo_catalog(a->r), err) == 0) {
		if (catalog_audit_run_end(repo_catalog(a->r), a->res->run, &run, err) < 0 ||
		    catalog_commit(repo_catalog(a->r), err) < 0)
			catalog_rollback(repo_catalog(a->r));
		else
			rc = 0;
	}
	free(summary);
	return rc;
}
