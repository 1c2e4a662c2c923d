/*
 * preserve/repo/recover.c - finishing or rolling back what an interrupted
 * process left, from the ingest intents in the catalog: a version still
 * "staging" was never registered, so its stages and any copy they placed
 * are removed; a version "stored" is registered in the primary location,
 * so its missing copies are made. Either way the event log says so.
 * Each intent stands alone: one that cannot be finished now (a location
 * full or unreachable) is reported, kept for the next run, and the rest
 * go ahead, so commands on other objects are not blocked by it.
 */
#include "preserve/repo/repo_int.h"
#include "core/crashpoint.h"
#include "preserve/repo/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct intent {
	char *txid, *object, *state;
	int version;
};

struct intents {
	struct intent *v;
	size_t n;
	int oom;
};

static int take_row(void *arg, int n, const char *const *vals,
		    const char *const *names)
{
	struct intents *in = arg;
	struct intent *g;

	(void)names;
	if (n != 4 || !vals[0] || !vals[1] || !vals[2] || !vals[3])
		return 0;
	g = realloc(in->v, (in->n + 1) * sizeof(*g));
	if (!g)
		return in->oom = 1;
	in->v = g;
	g[in->n].txid = strdup(vals[0]);
	g[in->n].object = strdup(vals[1]);
	g[in->n].version = (int)strtol(vals[2], NULL, 10);
	g[in->n].state = strdup(vals[3]);
	in->n++;
	return 0;
}

static void log_event(struct repo *r, const struct intent *it, const char *type,
		      const char *outcome, const char *detail)
{
	struct catalog_event e = { .type = type, .outcome = outcome, .detail = detail,
				   .object = it->object, .version = it->version };
	struct custos_err ignored;

	if (catalog_begin(r->cat, &ignored) == 0) {
		if (catalog_event_add(r->cat, &e, NULL, &ignored) < 0 ||
		    catalog_commit(r->cat, &ignored) < 0)
			catalog_rollback(r->cat);
	}
}

static int drop_intent(struct repo *r, const char *txid, struct custos_err *err)
{
	if (catalog_begin(r->cat, err) < 0)
		return -1;
	if (catalog_intent_remove(r->cat, txid, err) < 0 ||
	    catalog_commit(r->cat, err) < 0) {
		catalog_rollback(r->cat);
		return -1;
	}
	return 0;
}

/* Never registered: remove every trace in every location. */
static int roll_back(struct repo *r, const struct intent *it,
		     struct custos_err *err)
{
	for (size_t i = 0; i < r->nlocs; i++) {
		/* the stage knows whether it placed VPATH: a VPATH it did
		 * not place (a stray, another store's) is left alone */
		if (location_check(r->locs[i], err) < 0 ||
		    location_discard_stage(r->locs[i], it->txid, err) < 0)
			return -1;
	}
	log_event(r, it, "ing", "fai",
		  "interrupted ingest rolled back by recover; nothing was stored");
	return drop_intent(r, it->txid, err);
}

static int has_copy(void *arg, int n, const char *const *vals,
		    const char *const *names)
{
	(void)n;
	(void)vals;
	(void)names;
	*(int *)arg = 1;
	return 1;
}

/* Registered in the primary: make the copies that are missing. */
static int finish(struct repo *r, const struct intent *it,
		  struct custos_err *err)
{
	int64_t vid;
	char txid[240];

	if (catalog_version_id(r->cat, it->object, it->version, &vid, err) != 0)
		return err->code ? -1 : drop_intent(r, it->txid, err);
	snprintf(txid, sizeof(txid), "rep-%s-v%d", it->object, it->version);
	for (size_t i = 1; i < r->nlocs; i++) {
		char id[32], lid[32];
		const char *params[2] = { id, lid };
		int present = 0;

		snprintf(id, sizeof(id), "%lld", (long long)vid);
		snprintf(lid, sizeof(lid), "%lld", (long long)r->loc_ids[i]);
		if (catalog_query(r->cat, "SELECT 1 FROM copies WHERE version_id = ?1"
				  " AND location_id = ?2 AND status = 'ok'", params, 2,
				  has_copy, &present, err) < 0)
			return -1;
		if (present)
			continue;
		if (location_check(r->locs[i], err) < 0 ||
		    location_discard_stage(r->locs[i], txid, err) < 0 ||
		    repo_replicate(r, it->object, it->version, vid, i, err) < 0)
			return -1;
	}
	return drop_intent(r, it->txid, err);
}

int repo_recover(struct repo *r, size_t *fixed, struct custos_err *err)
{
	struct intents in = { 0 };
	struct custos_err why;
	int rc = 0;

	*fixed = 0;
	r->unrecovered = 0;
	if (catalog_query(r->cat, "SELECT txid, object, version, state FROM ingests"
			  " ORDER BY started", NULL, 0, take_row, &in, err) < 0)
		return -1;
	if (in.oom)
		rc = err_nomem(err);
	for (size_t i = 0; rc == 0 && i < in.n; i++) {
		const struct intent *it = &in.v[i];

		if (!it->txid || !it->object || !it->state) {
			rc = err_nomem(err);
			break;
		}
		crashpoint("recover: intent");
		err_clear(&why);
		if ((strcmp(it->state, "stored") == 0 ? finish(r, it, &why) :
							 roll_back(r, it, &why)) == 0) {
			(*fixed)++;
			continue;
		}
		if (why.code == CUSTOS_ENOMEM) {
			*err = why;
			rc = -1;
			break;
		}
		r->unrecovered++;
		fprintf(stderr, "custos: cannot finish the interrupted ingest of '%s' v%d yet: "
			"%s; left for the next run\n", it->object, it->version, why.msg);
	}
	for (size_t i = 0; i < in.n; i++) {
		free(in.v[i].txid);
		free(in.v[i].object);
		free(in.v[i].state);
	}
	free(in.v);
	return rc;
}
