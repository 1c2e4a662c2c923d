/*
 * preserve/repo/recover.c - finishing or rolling back what an interrupted
 * process left, from the ingest intents in the catalog: a version still
 * "staging" was never registered, so its stages and any half-moved copy
 * are removed; a version "stored" is registered in the primary location,
 * so its missing copies are made. Either way the event log says so.
 */
#include "preserve/repo/repo_int.h"
#include "core/crashpoint.h"
#include "preserve/repo/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void log_event(struct repo *r, const struct catalog_intent *it,
		      const char *type, const char *outcome, const char *detail)
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
static int roll_back(struct repo *r, const struct catalog_intent *it,
		     struct custos_err *err)
{
	char vpath[200];

	repo_version_path(vpath, sizeof(vpath), it->object, it->version);
	for (size_t i = 0; i < r->nlocs; i++) {
		if (location_check(r->locs[i], err) < 0 ||
		    location_discard_stage(r->locs[i], it->txid, err) < 0 ||
		    location_remove(r->locs[i], vpath, err) < 0)
			return -1;
	}
	log_event(r, it, "ing", "fai",
		  "interrupted ingest rolled back by recover; nothing was stored");
	return drop_intent(r, it->txid, err);
}

/* Registered in the primary: make the copies that are missing. */
static int finish(struct repo *r, const struct catalog_intent *it,
		  struct custos_err *err)
{
	int64_t vid;
	char vpath[200], txid[240];

	if (catalog_version_id(r->cat, it->object, it->version, &vid, err) != 0)
		return err->code ? -1 : drop_intent(r, it->txid, err);
	repo_version_path(vpath, sizeof(vpath), it->object, it->version);
	snprintf(txid, sizeof(txid), "rep-%s-v%d", it->object, it->version);
	for (size_t i = 1; i < r->nlocs; i++) {
		bool present = false;

		if (catalog_copy_ok(r->cat, vid, r->loc_ids[i], &present, err) < 0)
			return -1;
		if (present)
			continue;
		if (location_check(r->locs[i], err) < 0 ||
		    location_discard_stage(r->locs[i], txid, err) < 0 ||
		    location_remove(r->locs[i], vpath, err) < 0 ||
		    repo_replicate(r, it->object, it->version, vid, i, err) < 0)
			return -1;
	}
	return drop_intent(r, it->txid, err);
}

int repo_recover(struct repo *r, size_t *fixed, struct custos_err *err)
{
	struct { struct catalog_intent *v; size_t n; } in = { 0 };
	int rc = 0;

	*fixed = 0;
	if (catalog_intents(r->cat, &in.v, &in.n, err) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < in.n; i++) {
		const struct catalog_intent *it = &in.v[i];

		if (!it->txid || !it->object || !it->state) {
			rc = err_nomem(err);
			break;
		}
		crashpoint("recover: intent");
		rc = strcmp(it->state, "stored") == 0 ? finish(r, it, err) :
							roll_back(r, it, err);
		if (rc == 0)
			(*fixed)++;
	}
	catalog_intents_free(in.v, in.n);
	return rc;
}
