/*
 * preserve/repo/rebuild.c - custos rebuild (rebuild.h). The log first: from
 * a location whose newest head is the newest of all, imported event by
 * event (each chain hash checked) and its RFC 9162 root compared with that
 * head; a location whose log is short or does not verify is a gap and the
 * next one is tried. Then the policies kept in every location, then each
 * version the ingestion events name, from the first location that holds
 * it. The catalog is written beside the old one and moved into place last.
 */
#include "preserve/repo/rebuild.h"
#include "preserve/repo/logmirror.h"
#include "preserve/repo/repo_int.h"
#include "preserve/repo/rebuild_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/merkle.h"
#include "preserve/catalog/catalog_rebuild.h"

void rebuild_gap(struct rebuild *b, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	b->res->gaps++;
	if (b->o->gap)
		b->o->gap(b->o->gap_arg, msg);
}

/* ---- the log ---- */

struct log_import {
	struct catalog *cat;
	struct merkle_stream ms;
	int64_t head_size;
	char root_at_head[65];
	struct custos_err *err;
	int failed;
};

static int import_one(void *arg, int64_t id, const char *record, const char *hash)
{
	struct log_import *li = arg;
	struct merkle_hash root;

	if (catalog_event_import(li->cat, id, record, hash, li->err) < 0 ||
	    merkle_stream_push(&li->ms, record, strlen(record)) < 0)
		return li->failed = -1;
	if ((int64_t)li->ms.size == li->head_size) {
		if (merkle_stream_root(&li->ms, &root) < 0)
			return li->failed = -1;
		merkle_hex(li->root_at_head, &root);
	}
	return 0;
}

/* Import the log of location I, which must reach HEAD. 0, 1 (a gap:
 * reported, nothing kept), -1. */
static int import_log(struct rebuild *b, size_t i, const struct repo_log_head *head,
		      struct custos_err *err)
{
	struct log_import li = { .cat = b->r->cat, .head_size = head->size };
	struct custos_err e;
	const char *name = location_name(b->r->locs[i]);
	int rc;

	err_clear(&e);
	li.err = &e;
	merkle_stream_init(&li.ms);
	if (catalog_begin(b->r->cat, err) < 0)
		return -1;
	rc = repo_log_mirrored(b->r->locs[i], import_one, &li, &e);
	if (rc == 0 && !li.failed && (int64_t)li.ms.size >= head->size &&
	    !strcmp(li.root_at_head, head->root)) {
		b->res->events = (int64_t)li.ms.size;
		return catalog_commit(b->r->cat, err);
	}
	catalog_rollback(b->r->cat);
	if (rc < 0 || li.failed)
		rebuild_gap(b, "the event log in location '%s' is damaged: %s", name, e.msg);
	else if ((int64_t)li.ms.size < head->size)
		rebuild_gap(b, "the event log in location '%s' ends at event %zu, before "
			    "its head (%" PRId64 ")", name, li.ms.size, head->size);
	else
		rebuild_gap(b, "the event log in location '%s' does not have the root its "
			    "head publishes", name);
	return 1;
}

static int restore_log(struct rebuild *b, struct custos_err *err)
{
	struct repo_log_head *heads = calloc(b->r->nlocs, sizeof(*heads));
	bool *has = calloc(b->r->nlocs, sizeof(*has));
	int64_t newest = -1;
	int rc = 1;

	if (!heads || !has) {
		free(heads);
		free(has);
		return err_nomem(err);
	}
	for (size_t i = 0; i < b->r->nlocs; i++) {
		struct custos_err e;
		int got;

		err_clear(&e);
		b->avail[i] = location_check(b->r->locs[i], &e) == 0;
		got = b->avail[i] ? repo_log_newest_head(b->r->locs[i], &heads[i], &e) : -1;
		if (got < 0)
			rebuild_gap(b, "location '%s' cannot be read: %s",
				    location_name(b->r->locs[i]), e.msg);
		else if (got == 1)
			rebuild_gap(b, "location '%s' holds no event log",
				    location_name(b->r->locs[i]));
		has[i] = got == 0;
		if (has[i] && heads[i].size > newest)
			newest = heads[i].size;
	}
	for (size_t i = 0; i < b->r->nlocs; i++)
		if (has[i] && heads[i].size < newest)
			rebuild_gap(b, "the log in location '%s' stops at head %" PRId64
				    ", the newest is %" PRId64, location_name(b->r->locs[i]),
				    heads[i].size, newest);
	for (size_t i = 0; rc == 1 && i < b->r->nlocs; i++) {
		if (!has[i] || heads[i].size != newest)
			continue;
		if ((rc = import_log(b, i, &heads[i], err)) == 0) {
			b->res->head_size = newest;
			snprintf(b->res->head_location, sizeof(b->res->head_location), "%s",
				 location_name(b->r->locs[i]));
			snprintf(b->repository, sizeof(b->repository), "%s",
				 heads[i].repository);
		}
	}
	free(heads);
	free(has);
	if (rc == 1)
		return err_set(err, CUSTOS_EFORMAT, b->r->root, newest < 0 ?
			       "no storage location holds an event log to rebuild from" :
			       "no storage location holds a whole event log that reaches "
			       "the newest head");
	return rc;
}

/* ---- the policy history ---- */

static int take_policy(void *arg, const struct catalog_policy_row *p)
{
	struct rebuild *b = arg;

	return catalog_policy_import(b->r->cat, p, b->err);
}

static int restore_policies(struct rebuild *b, struct custos_err *err)
{
	b->err = err;
	if (catalog_begin(b->r->cat, err) < 0)
		return -1;
	for (size_t i = 0; i < b->r->nlocs; i++) {
		struct custos_err e;

		err_clear(&e);
		b->err = &e;
		if (b->avail[i] && repo_log_policies(b->r->locs[i], take_policy, b, &e) < 0)
			rebuild_gap(b, "the policies kept in location '%s' cannot be read: %s",
				    location_name(b->r->locs[i]), e.msg);
	}
	b->err = err;
	if (repo_sync_locations(b->r, err) < 0) {
		catalog_rollback(b->r->cat);
		return -1;
	}
	return catalog_commit(b->r->cat, err);
}

/* ---- the catalog file ---- */

static int meta(struct rebuild *b, struct custos_err *err)
{
	char n[24], now[32];

	snprintf(n, sizeof(n), "%" PRId64, b->res->events);
	catalog_now(now);
	return catalog_meta_set(b->r->cat, "repository-id", b->repository, err) < 0 ||
	       catalog_meta_set(b->r->cat, "log-published", n, err) < 0 ||
	       catalog_meta_set(b->r->cat, "created-by", "custos " CUSTOS_VERSION, err) < 0 ||
	       catalog_meta_set(b->r->cat, "rebuilt", now, err) < 0 ? -1 : 0;
}

static void remove_db(const char *path)
{
	char side[4200];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static int sync_file(const char *path, struct custos_err *err)
{
	int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC), rc;

	if (fd < 0)
		return err_sys(err, path, "cannot open '%s'", path);
	rc = fsync(fd) < 0 ? err_sys(err, path, "cannot make '%s' durable", path) : 0;
	close(fd);
	return rc;
}

/* The old catalog (and its WAL) to DB.replaced-TIME; the new one in. */
static int swap_in(struct rebuild *b, const char *db, const char *fresh,
		   struct custos_err *err)
{
	char now[32], aside[4200], from[4200], to[4200];
	static const char *const sides[] = { "", "-wal", "-shm" };

	catalog_now(now);
	snprintf(aside, sizeof(aside), "%s.replaced-%s", db, now);
	for (int n = 2; access(aside, F_OK) == 0 && n < 1000; n++)   /* never over one */
		snprintf(aside, sizeof(aside), "%s.replaced-%s.%d", db, now, n);
	if (access(db, F_OK) == 0) {
		for (size_t i = 0; i < 3; i++) {
			snprintf(from, sizeof(from), "%s%s", db, sides[i]);
			snprintf(to, sizeof(to), "%s%s", aside, sides[i]);
			if (rename(from, to) < 0 && errno != ENOENT)
				return err_sys(err, from, "cannot move '%s' aside", from);
		}
		snprintf(b->res->moved_aside, sizeof(b->res->moved_aside), "%s", aside);
	}
	if (rename(fresh, db) < 0)
		return err_sys(err, db, "cannot move the new catalog into place at '%s'", db);
	return fio_fsync_dir(b->r->root, 1, err);
}

int repo_rebuild(const char *path, const struct rebuild_opts *o,
		 struct rebuild_result *res, struct custos_err *err)
{
	struct rebuild b = { .o = o, .res = res };
	char *db = NULL, *fresh = NULL;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (repo_open_storage(&b.r, path, err) < 0)
		return -1;
	if (!(db = fio_join(b.r->root, REPO_CATALOG)) ||
	    asprintf(&fresh, "%s.rebuilding", db) < 0 ||
	    !(b.avail = calloc(b.r->nlocs + 1, sizeof(*b.avail)))) {
		fresh = NULL;
		err_nomem(err);
		goto out;
	}
	if (!o->force && access(db, F_OK) == 0) {
		err_set(err, CUSTOS_EUSAGE, db, "'%s' exists: rebuild replaces a catalog "
			"only with --force (which moves it aside)", db);
		goto out;
	}
	remove_db(fresh);
	/* nobody reads the new file before it is complete and synced */
	if (catalog_open(&b.r->cat, fresh, true, err) < 0 ||
	    catalog_bulk(b.r->cat, true, err) < 0 ||
	    restore_log(&b, err) < 0 || restore_policies(&b, err) < 0 ||
	    rebuild_versions(&b, err) < 0 || meta(&b, err) < 0 ||
	    catalog_copies_verified_from_events(b.r->cat, err) < 0 ||
	    catalog_bulk(b.r->cat, false, err) < 0)
		goto out;
	catalog_close(b.r->cat);
	b.r->cat = NULL;
	rc = sync_file(fresh, err) < 0 ? -1 : swap_in(&b, db, fresh, err);
out:
	if (rc < 0 && fresh) {
		catalog_close(b.r->cat);
		b.r->cat = NULL;
		remove_db(fresh);
	}
	free(b.avail);
	free(db);
	free(fresh);
	repo_close(b.r);
	return rc;
}
