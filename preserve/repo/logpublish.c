/*
 * preserve/repo/logpublish.c - publishing the catalog's event log to every
 * storage location (logmirror.h): the segment of events a location lacks,
 * then the new head, then the policies it lacks, each a small tree
 * committed in one step. Also the guard that keeps a writer from going on
 * with a catalog that is behind, or not the same as, the published log.
 */
#include "preserve/repo/logmirror.h"
#include "preserve/repo/repo_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/crashpoint.h"
#include "core/merkle.h"
#include "preserve/catalog/catalog_rebuild.h"

#define PUBLISHED_KEY "log-published"

/* What one location holds, and whether the catalog may extend it. */
struct loc_head {
	struct repo_log_head head;
	bool available, has_head, usable;
};

/* Write one new item DEST/NAME (a tree committed at once); nothing if
 * it is there already (a retry after a crash). FILL writes its bytes. */
typedef int (*fill_fn)(void *arg, struct location_file *f, struct custos_err *err);

static int put_item(struct location *l, const char *dest, const char *name,
		    fill_fn fill, void *arg, struct custos_err *err)
{
	struct location_txn *t = NULL;
	struct location_file *f = NULL;
	char txid[256];
	int there;

	/* the same item always stages under the same name: a retry after a
	 * crash clears what the crash left, first, even when the item was
	 * committed and only its stage record stayed (the item, removed with
	 * it then, is written again below with the same bytes) */
	snprintf(txid, sizeof(txid), "log%s", dest + strlen(REPO_LOG_AREA));
	for (char *p = txid; *p; p++)
		if (*p == '/' || *p == '.')
			*p = '-';
	if (location_discard_stage(l, txid, err) < 0)
		return -1;
	if ((there = location_exists(l, dest, err)) != 0)
		return there < 0 ? -1 : 0;
	if (location_begin(l, dest, txid, &t, err) < 0)
		return -1;
	if (location_txn_create(t, name, &f, err) < 0 || fill(arg, f, err) < 0) {
		if (f)
			location_file_close(f, NULL);
		location_txn_abort(t);
		return -1;
	}
	if (location_file_close(f, err) < 0 || location_txn_commit(t, err) < 0) {
		location_txn_abort(t);
		return -1;
	}
	location_txn_free(t);
	return 0;
}

static int fill_text(void *arg, struct location_file *f, struct custos_err *err)
{
	const char *text = arg;

	return location_file_write(f, text, strlen(text), err);
}

struct segment_fill {
	struct catalog *cat;
	int64_t after, last;
	struct location_file *f;
	struct custos_err *err;
	int failed;
};

static int segment_line(void *arg, int64_t id, const char *record, const char *hash)
{
	struct segment_fill *s = arg;
	char pos[24];

	if (id > s->last)
		return 1;
	snprintf(pos, sizeof(pos), "%" PRId64 "\t", id);
	if (location_file_write(s->f, pos, strlen(pos), s->err) < 0 ||
	    location_file_write(s->f, hash, strlen(hash), s->err) < 0 ||
	    location_file_write(s->f, "\t", 1, s->err) < 0 ||
	    location_file_write(s->f, record, strlen(record), s->err) < 0 ||
	    location_file_write(s->f, "\n", 1, s->err) < 0)
		return s->failed = -1;
	return 0;
}

static int fill_segment(void *arg, struct location_file *f, struct custos_err *err)
{
	struct segment_fill *s = arg;

	s->f = f;
	s->err = err;
	if (catalog_log_since(s->cat, s->after, segment_line, s, err) < 0)
		return -1;
	return s->failed;
}

/* The head record of the catalog's log. */
static char *head_json(const char *repository, int64_t size, const char *root,
		       const char *hash)
{
	char now[32];
	json_t *o;
	char *s;

	catalog_now(now);
	o = json_pack("{s:s, s:I, s:s, s:s, s:s}", "repository", repository,
		      "size", (json_int_t)size, "root", root, "hash", hash, "time", now);
	s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return s;
}

struct policy_put {
	struct location *l;
	struct custos_err *err;
};

static int put_policy(void *arg, const struct catalog_policy_row *p)
{
	struct policy_put *pp = arg;
	char dest[256];
	json_t *o = json_pack("{s:s, s:s?, s:s?, s:s, s:s}", "sha256", p->sha256,
			      "name", p->name, "version", p->version,
			      "first_in_force", p->first_in_force, "text", p->text);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc;

	json_decref(o);
	if (!s)
		return err_nomem(pp->err);
	snprintf(dest, sizeof(dest), REPO_LOG_AREA "/policies/%s", p->sha256);
	rc = put_item(pp->l, dest, "policy.json", fill_text, s, pp->err);
	free(s);
	return rc;
}

/* The catalog's log streamed once: its root at each location's head
 * size must be that head's root; *ROOT gets the whole log's. */
struct root_walk {
	struct merkle_stream ms;
	struct loc_head *heads;
	size_t n;
	const char *last_hash;
	char hash[65];
	int failed;
};

static int root_step(void *arg, int64_t id, const char *record, const char *hash)
{
	struct root_walk *w = arg;

	(void)id;
	if (merkle_stream_push(&w->ms, record, strlen(record)) < 0)
		return w->failed = -1;
	snprintf(w->hash, sizeof(w->hash), "%s", hash);
	for (size_t i = 0; i < w->n; i++) {
		struct loc_head *h = &w->heads[i];
		struct merkle_hash root;
		char hex[65];

		if (!h->has_head || h->head.size != (int64_t)w->ms.size)
			continue;
		if (merkle_stream_root(&w->ms, &root) < 0)
			return w->failed = -1;
		merkle_hex(hex, &root);
		h->usable = !strcmp(hex, h->head.root) && !strcmp(hash, h->head.hash);
	}
	return 0;
}

static int found_one(void *arg, const char *relpath, uint64_t size)
{
	(void)relpath;
	(void)size;
	*(bool *)arg = true;
	return 1;                        /* enough: stop the listing */
}

/* An empty root where a used location should be is an unmounted disk:
 * writing the log there would fill the mount point, not the disk. */
static int empty_location(struct location *l, bool *empty, struct custos_err *err)
{
	struct custos_err e;
	bool any = false;

	err_clear(&e);
	if (location_list(l, "", found_one, &any, &e) < 0 && !any) {
		*err = e;
		return -1;
	}
	*empty = !any;
	return 0;
}

/* Each location's newest head, checked against the catalog's log. A
 * location that cannot be reached, or is empty when it should hold the
 * log (not NEW), is left out (*UNAVAIL says why). */
static int read_heads(struct repo *r, struct loc_head *lh, const char *id,
		      bool new, struct root_walk *w, struct custos_err *unavail,
		      struct custos_err *err)
{
	for (size_t i = 0; i < r->nlocs; i++) {
		bool empty = false;
		int rc;

		lh[i].usable = true;
		if (location_check(r->locs[i], unavail) < 0)
			continue;
		if ((rc = repo_log_newest_head(r->locs[i], &lh[i].head, err)) < 0)
			return -1;
		lh[i].has_head = rc == 0;
		if (!lh[i].has_head && !new) {
			if (empty_location(r->locs[i], &empty, err) < 0)
				return -1;
			if (empty) {
				err_set(unavail, CUSTOS_EIO, location_where(r->locs[i]),
					"storage location '%s' is empty (is it mounted?): "
					"'%s'", location_name(r->locs[i]),
					location_where(r->locs[i]));
				continue;
			}
		}
		lh[i].available = true;
		lh[i].usable = !lh[i].has_head || lh[i].head.size == 0;
		if (lh[i].has_head && strcmp(lh[i].head.repository, id))
			return err_set(err, CUSTOS_EUSAGE, location_where(r->locs[i]),
				       "location '%s' holds the event log of another "
				       "repository (%s, this catalog is %s): see 'custos log verify'",
				       location_name(r->locs[i]), lh[i].head.repository, id);
	}
	memset(w, 0, sizeof(*w));
	merkle_stream_init(&w->ms);
	w->heads = lh;
	w->n = r->nlocs;
	if (catalog_log_since(r->cat, 0, root_step, w, err) < 0 || w->failed)
		return w->failed ? err_set(err, CUSTOS_EINTERNAL, NULL, "cannot hash the log") : -1;
	for (size_t i = 0; i < r->nlocs; i++)
		if (!lh[i].usable)
			return err_set(err, CUSTOS_EUSAGE, location_where(r->locs[i]),
				       lh[i].head.size > (int64_t)w->ms.size ?
				       "location '%s' holds a log of %" PRId64 " events but the "
				       "catalog only %zu: the catalog is behind; see 'custos log verify'" :
				       "location '%s' holds a log of %" PRId64 " events that the "
				       "catalog's (%zu events) does not begin with; see 'custos log verify'",
				       location_name(r->locs[i]), lh[i].head.size, w->ms.size);
	return 0;
}

/* The head record of the catalog's log, the same for every location. */
static char *new_head(struct root_walk *w, const char *id, struct custos_err *err)
{
	struct merkle_hash root;
	char hex[65], *head;

	if (merkle_stream_root(&w->ms, &root) < 0) {
		err_set(err, CUSTOS_EINTERNAL, NULL, "cannot hash the log");
		return NULL;
	}
	merkle_hex(hex, &root);
	if (!(head = head_json(id, (int64_t)w->ms.size, hex, w->hash)))
		err_nomem(err);
	return head;
}

/* Bring one location up to the catalog's head (HEAD, its record). */
static int publish_one(struct repo *r, size_t i, const struct loc_head *lh,
		       int64_t size, const char *head, struct custos_err *err)
{
	struct location *l = r->locs[i];
	int64_t from = lh->has_head ? lh->head.size : 0;
	struct segment_fill sf = { r->cat, from, size, NULL, NULL, 0 };
	struct policy_put pp = { l, err };
	char dest[128];

	if (size > from) {
		snprintf(dest, sizeof(dest), REPO_LOG_AREA "/events/%020" PRId64 "-%020" PRId64,
			 from + 1, size);
		if (put_item(l, dest, "events.tsv", fill_segment, &sf, err) < 0)
			return -1;
		crashpoint("log: segment mirrored");
		snprintf(dest, sizeof(dest), REPO_LOG_AREA "/heads/%020" PRId64, size);
		if (put_item(l, dest, "head.json", fill_text, (void *)head, err) < 0)
			return -1;
		crashpoint("log: head published");
	} else if (size > 0) {
		/* up to date; a crash between committing this head and freeing
		 * its transaction left a stage record, which put_item clears */
		snprintf(dest, sizeof(dest), REPO_LOG_AREA "/heads/%020" PRId64, size);
		if (put_item(l, dest, "head.json", fill_text, (void *)head, err) < 0)
			return -1;
	}
	return catalog_each_policy(r->cat, put_policy, &pp, err) < 0 ? -1 : 0;
}

static int published(struct repo *r, int64_t *n, struct custos_err *err)
{
	char *v = NULL;

	*n = -1;
	if (catalog_meta_get(r->cat, PUBLISHED_KEY, &v, err) < 0)
		return -1;
	if (v)
		*n = strtoll(v, NULL, 10);
	free(v);
	return 0;
}

int repo_log_publish(struct repo *r, unsigned how, struct custos_err *err)
{
	struct catalog_log_head ch;
	struct loc_head *lh = calloc(r->nlocs ? r->nlocs : 1, sizeof(*lh));
	struct root_walk *w = malloc(sizeof(*w));
	struct custos_err first;
	int64_t done;
	char id[64], n[24], *head = NULL;
	int rc = -1;

	err_clear(&first);
	if (!lh || !w) {
		err_nomem(err);
		goto out;
	}
	if (catalog_log_head(r->cat, &ch, err) < 0 || published(r, &done, err) < 0)
		goto out;
	if (!(how & REPO_PUBLISH_FORCE) && done == ch.events) {
		rc = 0;
		goto out;
	}
	if (repo_identity(r, id, true, err) < 0 ||
	    read_heads(r, lh, id, how & REPO_PUBLISH_NEW, w, &first, err) < 0 ||
	    !(head = new_head(w, id, err)))
		goto out;
	rc = 0;
	for (size_t i = 0; i < r->nlocs; i++) {
		if (!lh[i].available) {
			if (rc == 0)
				*err = first;
			rc = -1;
		} else if (publish_one(r, i, &lh[i], (int64_t)w->ms.size, head,
				       rc < 0 ? &first : err) < 0) {
			rc = -1;
		}
	}
	if (rc == 0) {
		snprintf(n, sizeof(n), "%zu", w->ms.size);
		rc = catalog_meta_set(r->cat, PUBLISHED_KEY, n, err);
	}
out:
	free(head);
	free(lh);
	free(w);
	return rc;
}

int repo_log_guard(struct repo *r, struct custos_err *err)
{
	struct loc_head *lh = calloc(r->nlocs ? r->nlocs : 1, sizeof(*lh));
	struct root_walk *w = malloc(sizeof(*w));
	struct custos_err e;   /* an unavailable location is the audit's finding */
	char id[64];
	int rc = -1;

	err_clear(&e);
	if (!lh || !w) {
		err_nomem(err);
	} else if (repo_identity(r, id, true, err) == 0) {
		/* an unavailable location is the audit's finding, not the guard's */
		rc = read_heads(r, lh, id, false, w, &e, err);
	}
	free(lh);
	free(w);
	return rc;
}
