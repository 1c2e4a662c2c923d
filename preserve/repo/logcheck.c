/*
 * preserve/repo/logcheck.c - the catalog against the newest published head
 * (logcheck.h). The catalog's log streams once: its RFC 9162 root at the
 * head's size must be the head's root. A catalog shorter than the head
 * must end in the chain hash the mirrored log has at that position; then
 * what the catalog says it published tells a cut tail (it published more
 * than it now holds) from an older copy of itself (it did not).
 */
#include "preserve/repo/logcheck.h"
#include "preserve/repo/logmirror.h"
#include "preserve/repo/repo_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/merkle.h"

int repo_log_verdict_bad(enum repo_log_verdict v)
{
	return v == REPO_LOG_CUT_TAIL || v == REPO_LOG_ROLLED_BACK ||
	       v == REPO_LOG_EMPTY || v == REPO_LOG_REPLACED;
}

/* The newest head of all locations; unreadable ones go to GAPS. A
 * location that refuses the catalog as another repository's (its mark
 * names another id: CUSTOS_EUSAGE from location_check) is kept in
 * *FOREIGN: no head can be read there, and that itself is the finding. */
static int newest_head(struct repo *r, struct repo_log_head *best, size_t *where,
		       struct repo_log_check *out, struct custos_err *foreign)
{
	bool found = false;

	for (size_t i = 0; i < r->nlocs; i++) {
		struct repo_log_head h;
		struct custos_err e;
		int rc;

		err_clear(&e);
		if (location_check(r->locs[i], &e) < 0) {
			rc = -1;
			if (e.code == CUSTOS_EUSAGE && !foreign->msg[0])
				*foreign = e;
		} else {
			rc = repo_log_newest_head(r->locs[i], &h, &e);
		}
		if (rc < 0) {
			size_t n = strlen(out->gaps);

			snprintf(out->gaps + n, sizeof(out->gaps) - n, "%s%s: %s",
				 n ? "; " : "", location_name(r->locs[i]), e.msg);
			continue;
		}
		if (rc == 0 && (!found || h.size > best->size)) {
			*best = h;
			*where = i;
			found = true;
		}
	}
	return found ? 0 : 1;
}

struct walk {
	struct merkle_stream ms;
	int64_t head_size;
	char root_at_head[65];
	char last_hash[65];
	int failed;
};

static int step(void *arg, int64_t id, const char *record, const char *hash)
{
	struct walk *w = arg;
	struct merkle_hash root;

	(void)id;
	if (merkle_stream_push(&w->ms, record, strlen(record)) < 0)
		return w->failed = -1;
	snprintf(w->last_hash, sizeof(w->last_hash), "%s", hash);
	if ((int64_t)w->ms.size == w->head_size) {
		if (merkle_stream_root(&w->ms, &root) < 0)
			return w->failed = -1;
		merkle_hex(w->root_at_head, &root);
	}
	return 0;
}

struct mirror_at {
	int64_t pos;
	char hash[65];
};

static int hash_at(void *arg, int64_t id, const char *record, const char *hash)
{
	struct mirror_at *m = arg;

	(void)record;
	if (id < m->pos)
		return 0;
	snprintf(m->hash, sizeof(m->hash), "%s", hash);
	return 1;
}

static int64_t published(struct repo *r)
{
	struct custos_err ignored;
	char *v = NULL;
	int64_t n = -1;

	if (catalog_meta_get(r->cat, "log-published", &v, &ignored) == 0 && v)
		n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

/* The catalog is shorter than the head: a prefix of it, or not. */
static int judge_short(struct repo *r, size_t loc, const struct repo_log_head *h,
		       const struct walk *w, struct repo_log_check *out,
		       struct custos_err *err)
{
	struct mirror_at m = { out->catalog_events, "" };
	int64_t pub = published(r);
	int rc = repo_log_mirrored(r->locs[loc], hash_at, &m, err);

	if (rc < 0)
		return -1;
	if (strcmp(m.hash, w->last_hash)) {
		out->verdict = REPO_LOG_REPLACED;
		snprintf(out->why, sizeof(out->why), "the catalog's %" PRId64 " events are "
			 "not the first %" PRId64 " of the log published in location '%s' "
			 "(%" PRId64 " events): it was replaced", out->catalog_events,
			 out->catalog_events, location_name(r->locs[loc]), h->size);
	} else if (pub > out->catalog_events) {
		out->verdict = REPO_LOG_CUT_TAIL;
		snprintf(out->why, sizeof(out->why), "its tail was cut: events %" PRId64
			 " to %" PRId64 " are missing from the catalog, which had published "
			 "%" PRId64 " (the head in location '%s' is at %" PRId64 ", %s)",
			 out->catalog_events + 1, h->size, pub, location_name(r->locs[loc]),
			 h->size, h->time);
	} else {
		out->verdict = REPO_LOG_ROLLED_BACK;
		snprintf(out->why, sizeof(out->why), "the catalog is an older copy of itself: "
			 "it ends at event %" PRId64 ", the log published in location '%s' at "
			 "%" PRId64 " (%s)", out->catalog_events, location_name(r->locs[loc]),
			 h->size, h->time);
	}
	return 0;
}

int repo_log_check(struct repo *r, struct repo_log_check *out,
		   struct custos_err *err)
{
	struct repo_log_head h;
	struct catalog_log_head ch;
	struct custos_err foreign;
	struct walk w;
	size_t loc = 0;
	char id[64];

	memset(out, 0, sizeof(*out));
	if (catalog_log_head(r->cat, &ch, err) < 0 || repo_identity(r, id, false, err) < 0)
		return -1;
	out->catalog_events = ch.events;
	err_clear(&foreign);
	if (newest_head(r, &h, &loc, out, &foreign) == 1) {
		out->verdict = foreign.msg[0] ? REPO_LOG_REPLACED : REPO_LOG_NO_HEAD;
		if (foreign.msg[0])
			snprintf(out->why, sizeof(out->why), "the catalog is not this "
				 "repository's: %.600s", foreign.msg);
		else
			snprintf(out->why, sizeof(out->why),
				 "no storage location holds a published head");
		return 0;
	}
	out->head_size = h.size;
	snprintf(out->head_location, sizeof(out->head_location), "%s",
		 location_name(r->locs[loc]));
	if (r->catalog_was_empty || ch.events == 0) {
		out->verdict = REPO_LOG_EMPTY;
		snprintf(out->why, sizeof(out->why), "the catalog is empty (%s) but location "
			 "'%s' holds the head of a log of %" PRId64 " events (%s): custos.db was "
			 "emptied or replaced by a new one; see 'custos rebuild'",
			 r->catalog_was_empty ? "custos.db was 0 bytes" : "no events",
			 out->head_location, h.size, h.time);
		return 0;
	}
	if (strcmp(id, h.repository)) {
		out->verdict = REPO_LOG_REPLACED;
		snprintf(out->why, sizeof(out->why), "the catalog is not this repository's: "
			 "it is %s, the log published in location '%s' is repository %s's",
			 id[0] ? id : "(no identifier)", out->head_location, h.repository);
		return 0;
	}
	memset(&w, 0, sizeof(w));
	merkle_stream_init(&w.ms);
	w.head_size = h.size;
	if (catalog_log_since(r->cat, 0, step, &w, err) < 0)
		return -1;
	if (w.failed)
		return err_set(err, CUSTOS_EINTERNAL, NULL, "cannot hash the log");
	if (ch.events < h.size)
		return judge_short(r, loc, &h, &w, out, err);
	if (strcmp(w.root_at_head, h.root)) {
		out->verdict = REPO_LOG_REPLACED;
		snprintf(out->why, sizeof(out->why), "the catalog's first %" PRId64 " events "
			 "do not have the root published in location '%s' (%s): the catalog "
			 "was replaced or rewritten", h.size, out->head_location, h.time);
		return 0;
	}
	out->verdict = ch.events == h.size ? REPO_LOG_MATCHES : REPO_LOG_UNPUBLISHED;
	snprintf(out->why, sizeof(out->why), ch.events == h.size ?
		 "it reaches the newest head, in location '%s' (%" PRId64 " events, %s)" :
		 "it begins with the newest head, in location '%s' (%" PRId64 " events, %s); "
		 "the events after it are not mirrored yet (any writing command or "
		 "'custos recover' mirrors them)", out->head_location, h.size, h.time);
	return 0;
}
