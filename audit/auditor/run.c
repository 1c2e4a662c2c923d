/*
 * audit/auditor/run.c - one audit run: record its start, take the selected copies
 * oldest verification first, one thread per location so that copies on
 * different devices are read at once, audit each (the catalog write for a copy
 * happens as soon as it is done, so an interrupted run keeps its
 * progress), stop when the byte or time budget is spent, repair when
 * asked or when the policy says auto (auditing the sibling copies a
 * repair needs first), and record the run's end.
 */
#include "audit/auditor/audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/pool.h"

static void iso_before(char out[32], int64_t seconds)
{
	time_t t = time(NULL) - (time_t)seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int loc_index(const struct repo *r, int64_t location_id, size_t *out)
{
	for (size_t i = 0; i < repo_location_count(r); i++)
		if (repo_location_id(r, i) == location_id) {
			*out = i;
			return 0;
		}
	return -1;
}

struct done_list {
	struct audit_done *v;
	size_t n, cap;
};

static bool was_done(const struct done_list *dl, int64_t copy_id)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->v[i].copy_id == copy_id)
			return true;
	return false;
}

/* Remember copy C as audited (under the run's lock). */
static int remember(struct audit_ctx *a, const struct audit_copy *c,
		    struct done_list *dl)
{
	struct audit_done d = { .copy_id = c->cp->copy_id,
				.version_id = c->cp->version_id,
				.version = c->cp->version, .loc = c->loc,
				.cycle = c->cp->cycle, .available = !c->unavailable,
				.tags_ok = c->tags_ok && !c->unavailable };
	int rc = -1;

	memcpy(d.fix_uuid, c->fix_uuid, sizeof(d.fix_uuid));
	if (!(d.ident = strdup(c->cp->ident)))
		return -1;
	pthread_mutex_lock(&a->lock);
	for (size_t i = c->first_finding; i < a->res->nfindings; i++)
		d.nfindings += audit_damage_of(&a->res->findings[i], c);
	if (dl->n == dl->cap) {
		size_t ncap = dl->cap ? 2 * dl->cap : 16;
		struct audit_done *g = realloc(dl->v, ncap * sizeof(*g));

		if (!g)
			goto out;
		dl->v = g;
		dl->cap = ncap;
	}
	dl->v[dl->n++] = d;
	rc = 0;
out:
	pthread_mutex_unlock(&a->lock);
	if (rc < 0)
		free(d.ident);
	return rc;
}

/* Audit one copy (only SAMPLE random files if > 0) and remember it. */
static int audit_one(struct audit_ctx *a, const struct catalog_audit_copy *cp,
		     size_t sample, struct done_list *dl, struct custos_err *err)
{
	struct audit_copy c = { .a = a, .cp = cp, .sample_only = sample };
	int rc;

	if (loc_index(a->r, cp->location_id, &c.loc) < 0)
		return 0;            /* a location the policy no longer has */
	rc = audit_copy_verify(&c, err);
	if (rc == 0)
		rc = audit_copy_record(&c, err);
	if (rc == 0 && remember(a, &c, dl) < 0)
		rc = err_nomem(err);
	audit_copy_release(&c);
	return rc;
}

static bool stopping(struct audit_ctx *a)
{
	bool stop;

	pthread_mutex_lock(&a->lock);
	stop = a->stop || a->res->budget_reached;
	pthread_mutex_unlock(&a->lock);
	return stop;
}

/* The copies of one location, audited in order on their own thread:
 * copies on different devices are read at the same time. */
struct lane {
	struct audit_ctx *a;
	const struct catalog_audit_copy *v;
	size_t *idx, n;
	struct done_list *dl;
	int rc;
	struct custos_err err;
};

static void *lane_main(void *arg)
{
	struct lane *ln = arg;

	for (size_t i = 0; i < ln->n && ln->rc == 0 && !stopping(ln->a); i++)
		ln->rc = audit_one(ln->a, &ln->v[ln->idx[i]], 0, ln->dl, &ln->err);
	return NULL;
}

static int run_lanes(struct audit_ctx *a, const struct catalog_audit_copy *v,
		     size_t n, struct done_list *dl, struct custos_err *err)
{
	size_t nl = repo_location_count(a->r);
	struct lane *ln = calloc(nl + 1, sizeof(*ln));
	pthread_t *th = calloc(nl + 1, sizeof(*th));
	bool *started = calloc(nl + 1, sizeof(*started));
	int rc = 0;

	for (size_t l = 0; ln && l < nl; l++)
		if (!(ln[l].idx = calloc(n + 1, sizeof(size_t))))
			rc = -1;
	if (!ln || !th || !started || rc < 0) {
		rc = err_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t l;

		if (loc_index(a->r, v[i].location_id, &l) == 0)
			ln[l].idx[ln[l].n++] = i;
	}
	for (size_t l = 0; l < nl; l++) {
		ln[l] = (struct lane){ .a = a, .v = v, .idx = ln[l].idx, .n = ln[l].n,
				       .dl = dl };
		if (ln[l].n && pthread_create(&th[l], NULL, lane_main, &ln[l]) == 0)
			started[l] = true;
		else if (ln[l].n)
			lane_main(&ln[l]);
	}
	for (size_t l = 0; l < nl; l++) {
		if (started[l])
			pthread_join(th[l], NULL);
		if (ln[l].rc < 0 && rc == 0) {
			*err = ln[l].err;
			rc = -1;
		}
	}
out:
	for (size_t l = 0; ln && l < nl; l++)
		free(ln[l].idx);
	free(ln);
	free(th);
	free(started);
	return rc;
}

/* Audit the not yet audited copies of the version of D (repair sources). */
static int audit_siblings(struct audit_ctx *a, size_t di, struct done_list *dl,
			  struct custos_err *err)
{
	struct catalog_audit_copy *v = NULL;
	size_t n = 0;
	char *ident = strdup(dl->v[di].ident);
	int64_t vid = dl->v[di].version_id;
	int rc = 0;

	if (!ident)
		return err_nomem(err);
	if (catalog_audit_copies(repo_catalog(a->r), ident, NULL, &v, &n, err) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (v[i].version_id == vid && !was_done(dl, v[i].copy_id))
			rc = audit_one(a, &v[i], 0, dl, err);
	catalog_audit_copies_free(v, n);
	free(ident);
	return rc;
}

static int repair_all(struct audit_ctx *a, struct done_list *dl,
		      struct custos_err *err)
{
	size_t n = dl->n;
	char txid[64];

	/* a stage an interrupted repair of an audited copy left behind */
	for (size_t i = 0; i < n; i++) {
		snprintf(txid, sizeof(txid), "audit-repair-%lld",
			 (long long)dl->v[i].copy_id);
		if (dl->v[i].available)
			location_discard_stage(repo_location(a->r, dl->v[i].loc), txid, NULL);
	}

	for (size_t i = 0; i < n; i++)
		if (dl->v[i].nfindings && dl->v[i].available &&
		    audit_siblings(a, i, dl, err) < 0)
			return -1;
	for (size_t i = 0; i < dl->n; i++)
		if (dl->v[i].nfindings && dl->v[i].available &&
		    audit_copy_repair(a, &dl->v[i], dl->v, dl->n, err) < 0)
			return -1;
	return 0;
}

/* --all: files outside every version, in each location that answered. */
static int strays_all(struct audit_ctx *a, const struct done_list *dl,
		      struct custos_err *err)
{
	for (size_t l = 0; l < repo_location_count(a->r); l++) {
		bool up = false;

		for (size_t i = 0; i < dl->n; i++)
			up |= dl->v[i].loc == l && dl->v[i].available;
		if (up && audit_strays(a, l, err) < 0)
			return -1;
	}
	return 0;
}

/* The policy's random sample from the copies that were not due. */
static int sample_rest(struct audit_ctx *a, struct done_list *dl,
		       struct custos_err *err)
{
	struct catalog_audit_copy *v = NULL;
	size_t n = 0;
	int rc = 0;

	if (repo_policy(a->r)->sample <= 0 || a->stop || a->res->budget_reached)
		return 0;
	if (catalog_audit_copies(repo_catalog(a->r), NULL, NULL, &v, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0 && !stopping(a); i++) {
		size_t k;

		if (was_done(dl, v[i].copy_id) ||
		    !(k = audit_sample_count(a, v[i].files)))
			continue;
		rc = audit_one(a, &v[i], k, dl, err);
	}
	catalog_audit_copies_free(v, n);
	return rc;
}

static int run_copies(struct audit_ctx *a, struct done_list *dl,
		      struct custos_err *err)
{
	const struct audit_opts *o = a->o;
	struct catalog_audit_copy *v = NULL;
	char due[32];
	size_t n = 0;
	int rc = 0;

	iso_before(due, repo_policy(a->r)->interval_seconds);
	if (catalog_audit_copies(repo_catalog(a->r), o->select == AUDIT_ID ? o->id : NULL,
				 o->select == AUDIT_DUE ? due : NULL, &v, &n, err) < 0)
		return -1;
	if (o->select == AUDIT_ID && n == 0) {
		rc = err_set(err, CUSTOS_EUSAGE, NULL, "no object '%s' in the repository",
			     o->id);
		goto out;
	}
	rc = run_lanes(a, v, n, dl, err);
	if (rc == 0 && o->select == AUDIT_ALL && !stopping(a))
		rc = strays_all(a, dl, err);
	if (rc == 0 && o->select == AUDIT_DUE)
		rc = sample_rest(a, dl, err);
	if (rc == 0 && (o->repair || repo_policy(a->r)->repair == POLICY_REPAIR_AUTO)) {
		a->deadline = 0;   /* a repair, once found needed, is finished */
		rc = repair_all(a, dl, err);
	}
out:
	catalog_audit_copies_free(v, n);
	return rc;
}

int audit_run(struct repo *r, const struct audit_opts *o,
	      struct audit_result *res, struct custos_err *err)
{
	struct audit_ctx a = { .r = r, .o = o, .res = res };
	struct done_list dl = { 0 };
	int rc;

	memset(res, 0, sizeof(*res));
	pthread_mutex_init(&a.lock, NULL);
	pthread_mutex_init(&a.catlock, NULL);
	catalog_now(a.started);
	a.t0 = audit_clock();
	a.deadline = o->budget_seconds > 0 ? a.t0 + (double)o->budget_seconds : 0;
	a.budget_left = o->budget_bytes ? o->budget_bytes : UINT64_MAX;
	a.rng = o->seed ? o->seed : (uint64_t)time(NULL) * 2654435761u + 1;
	a.workers = o->jobs ? o->jobs : pool_default_workers();
	rc = audit_run_record_start(&a, err);
	if (rc == 0)
		rc = run_copies(&a, &dl, err);
	res->seconds = audit_clock() - a.t0;
	if (res->run && audit_run_record_end(&a, rc < 0 ? NULL : err) < 0 && rc == 0)
		rc = -1;
	for (size_t i = 0; i < dl.n; i++)
		free(dl.v[i].ident);
	free(dl.v);
	pthread_mutex_destroy(&a.lock);
	pthread_mutex_destroy(&a.catlock);
	return rc;
}
