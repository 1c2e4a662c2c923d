/*
 * preserve/repo/backup.c - copies of the catalog (backup.h): the online
 * backup into a new file, fsync, digest, event; into the locations, that
 * file streamed into each as one small tree, older copies beyond
 * BACKUP_KEEP removed.
 */
#include "preserve/repo/backup.h"
#include "preserve/repo/logmirror.h"
#include "preserve/repo/repo_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fileio.h"
#include "preserve/catalog/catalog_log_read.h"
#include "preserve/catalog/catalog_rebuild.h"

#define BACKUPS REPO_LOG_AREA "/catalog"

static int digest_and_sync(const char *path, char *sha256, uint64_t *size,
			   struct custos_err *err)
{
	struct digest_set *ds = NULL;
	struct digest_result res;
	unsigned char *buf = malloc(FIO_BUFSIZE);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = -1;

	if (!buf)
		err_nomem(err);
	else if (fd < 0)
		err_sys(err, path, "cannot open '%s'", path);
	else if (fsync(fd) < 0)
		err_sys(err, path, "cannot make '%s' durable", path);
	else if (digest_set_new(&ds, DIGEST_BIT(DIGEST_SHA256), err) == 0 &&
		 fio_readpass(fd, path, buf, FIO_BUFSIZE, ds, NULL, size, err) == 0 &&
		 digest_set_final(ds, &res, err) == 0) {
		memcpy(sha256, res.hex[DIGEST_SHA256], 65);
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	digest_set_free(ds);
	free(buf);
	return rc;
}

static int record(struct repo *r, const char *where, const char *sha256,
		  uint64_t size, struct custos_err *err)
{
	char detail[4600];
	struct catalog_event e = { .type = "cre", .outcome = "suc", .detail = detail };

	snprintf(detail, sizeof(detail), "consistent copy of the catalog written to %s "
		 "(sha256 %s, %llu bytes)", where, sha256, (unsigned long long)size);
	if (catalog_begin(r->cat, err) < 0)
		return -1;
	if (catalog_event_add(r->cat, &e, NULL, err) < 0 || catalog_commit(r->cat, err) < 0) {
		catalog_rollback(r->cat);
		return -1;
	}
	return 0;
}

static int copy_to(struct repo *r, const char *dest, char *sha256, uint64_t *size,
		   struct custos_err *err)
{
	if (access(dest, F_OK) == 0)
		return err_set(err, CUSTOS_EUSAGE, dest, "'%s' exists: a backup goes to a "
			       "new file", dest);
	if (catalog_backup(r->cat, dest, err) < 0) {
		unlink(dest);
		return -1;
	}
	return digest_and_sync(dest, sha256, size, err);
}

int repo_backup_file(struct repo *r, const char *dest, char *sha256,
		     uint64_t *size, struct custos_err *err)
{
	char where[4200];

	if (copy_to(r, dest, sha256, size, err) < 0)
		return -1;
	snprintf(where, sizeof(where), "'%s'", dest);
	return record(r, where, sha256, *size, err);
}

/* The copy at PATH into location L as DIR/custos.db and its digest. */
static int put_copy(struct location *l, const char *dir, const char *path,
		    const char *sha256, struct custos_err *err)
{
	struct location_txn *t = NULL;
	struct location_file *f = NULL, *g = NULL;
	struct fio_sink sink;
	unsigned char *buf = malloc(FIO_BUFSIZE);
	char line[128], txid[160];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = -1;

	snprintf(txid, sizeof(txid), "custos-catalog-backup-%s", strrchr(dir, '/') + 1);
	snprintf(line, sizeof(line), "%s  custos.db\n", sha256);
	if (!buf || fd < 0) {
		rc = buf ? err_sys(err, path, "cannot open '%s'", path) : err_nomem(err);
		goto out;
	}
	if (location_begin(l, dir, txid, &t, err) < 0 ||
	    location_txn_create(t, "custos.db", &f, err) < 0)
		goto out;
	sink = (struct fio_sink){ location_sink_write, f };
	if (fio_readpass(fd, path, buf, FIO_BUFSIZE, NULL, &sink, NULL, err) < 0 ||
	    location_file_close(f, err) < 0)
		goto out;
	f = NULL;
	if (location_txn_create(t, "custos.db.sha256", &g, err) < 0 ||
	    location_file_write(g, line, strlen(line), err) < 0 ||
	    location_file_close(g, err) < 0)
		goto out;
	g = NULL;
	rc = location_txn_commit(t, err);
out:
	if (f)
		location_file_close(f, NULL);
	if (g)
		location_file_close(g, NULL);
	if (t) {
		if (rc == 0)
			location_txn_free(t);
		else
			location_txn_abort(t);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

struct old_copies {
	char *dirs[64];
	size_t n;
};

static int take_copy(void *arg, const char *relpath, uint64_t size)
{
	struct old_copies *o = arg;
	size_t n = strlen(relpath);

	(void)size;
	if (n < 10 || strcmp(relpath + n - 10, "/custos.db") || o->n == 64)
		return 0;
	return (o->dirs[o->n] = strndup(relpath, n - 10)) ? (o->n++, 0) : 1;
}

/* Older copies beyond BACKUP_KEEP go (a listing sorts them by time). */
static void prune(struct location *l)
{
	struct old_copies o = { .n = 0 };
	struct custos_err ignored;

	if (location_list(l, BACKUPS, take_copy, &o, &ignored) == 0)
		for (size_t i = 0; o.n > BACKUP_KEEP && i < o.n - BACKUP_KEEP; i++)
			location_remove(l, o.dirs[i], &ignored);
	for (size_t i = 0; i < o.n; i++)
		free(o.dirs[i]);
}

int repo_backup_locations(struct repo *r, struct custos_err *err)
{
	char *tmp = fio_join(r->root, REPO_CATALOG ".backup"), sha[65], now[32];
	char dir[128], where[256];
	struct catalog_log_head h;
	uint64_t size = 0;
	int rc = -1;

	if (!tmp)
		return err_nomem(err);
	unlink(tmp);
	catalog_now(now);
	if (catalog_log_head(r->cat, &h, err) < 0)
		goto out;
	/* TIME-EVENTS: a copy is named by when it was made and how far the
	 * log it holds goes */
	snprintf(dir, sizeof(dir), BACKUPS "/%s-%020lld", now, (long long)h.events);
	for (char *p = dir + sizeof(BACKUPS); *p; p++)
		if (*p == ':')
			*p = '-';
	if (copy_to(r, tmp, sha, &size, err) < 0)
		goto out;
	for (size_t i = 0; i < r->nlocs; i++) {
		if (location_exists(r->locs[i], dir, err) == 1)
			continue;                    /* this log's copy is there */
		if (location_check(r->locs[i], err) < 0 ||
		    put_copy(r->locs[i], dir, tmp, sha, err) < 0)
			goto out;
		prune(r->locs[i]);
	}
	snprintf(where, sizeof(where), "%s/custos.db in every storage location", dir);
	rc = record(r, where, sha, size, err);
out:
	unlink(tmp);
	free(tmp);
	return rc;
}
