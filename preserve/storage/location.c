/*
 * preserve/storage/location.c - dispatch to the backend a location's type names.
 * Test seam (like core/crashpoint.h): with CUSTOS_FAULT_READ=SUBSTRING in
 * the environment, every file opened for reading whose relative path
 * contains SUBSTRING fails its first read with EIO, as a bad disk sector
 * would. Without the variable this does nothing.
 */
#include "preserve/storage/location_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/relpath.h"

int location_path_ok(const char *relpath)
{
	char *canon = NULL;
	unsigned flags;
	int ok = relpath_normalize(&canon, relpath, &flags) == RELPATH_OK &&
		 flags == 0 && strcmp(canon, relpath) == 0;

	free(canon);
	return ok;
}

int location_open(struct location **out, const struct location_config *cfg,
		  struct custos_err *err)
{
	struct location *l = calloc(1, sizeof(*l));
	int rc;

	if (!l || !(l->name = strdup(cfg->name))) {
		free(l);
		return err_nomem(err);
	}
	if (!cfg->type || !strcmp(cfg->type, "filesystem")) {
		rc = location_fs_open(l, cfg, err);
	} else if (!strcmp(cfg->type, "s3")) {
		rc = location_s3_open(l, cfg, err);
	} else {
		rc = err_set(err, CUSTOS_EUSAGE, NULL,
			     "location '%s' has type '%s', which this custos cannot use",
			     cfg->name, cfg->type);
	}
	if (rc < 0) {
		free(l->name);
		free(l);
		return -1;
	}
	*out = l;
	return 0;
}

const char *location_name(const struct location *l) { return l->name; }
const char *location_where(const struct location *l) { return l->where; }

int location_create(struct location *l, struct custos_err *err)
{
	return l->ops->create(l, err);
}

int location_check(struct location *l, struct custos_err *err)
{
	return l->ops->check(l, err);
}

int location_begin(struct location *l, const char *dest, const char *txid,
		   struct location_txn **out, struct custos_err *err)
{
	if (!location_path_ok(dest))
		return err_set(err, CUSTOS_EUSAGE, dest, "bad object path '%s'", dest);
	return l->ops->begin(l, dest, txid, out, err);
}

int location_txn_create(struct location_txn *t, const char *relpath,
			struct location_file **out, struct custos_err *err)
{
	if (!location_path_ok(relpath))
		return err_set(err, CUSTOS_EFORMAT, relpath,
			       "refusing path '%s' that is not canonical", relpath);
	return t->ops->txn_create(t, relpath, out, err);
}

int location_txn_commit(struct location_txn *t, struct custos_err *err)
{
	return t->ops->txn_commit(t, err);
}

void location_txn_abort(struct location_txn *t)
{
	if (t)
		t->ops->txn_abort(t);
}

void location_txn_free(struct location_txn *t)
{
	if (t)
		t->ops->txn_free(t);
}

int location_discard_stage(struct location *l, const char *txid,
			   struct custos_err *err)
{
	return l->ops->discard_stage(l, txid, err);
}

int location_file_write(struct location_file *f, const void *buf, size_t len,
			struct custos_err *err)
{
	return f->ops->file_write(f, buf, len, err);
}

long long location_file_read(struct location_file *f, void *buf, size_t len,
			     struct custos_err *err)
{
	return f->ops->file_read(f, buf, len, err);
}

int location_file_close(struct location_file *f, struct custos_err *err)
{
	return f ? f->ops->file_close(f, err) : 0;
}

/* The read-fault seam: a file whose reads fail with EIO. */
struct fault_file {
	struct location_file base;
	struct location_file *inner;
	char *shown;
};

static long long fault_read(struct location_file *f, void *buf, size_t len,
			    struct custos_err *err)
{
	struct fault_file *ff = (struct fault_file *)f;

	(void)buf;
	(void)len;
	errno = EIO;
	return err_sys(err, ff->shown, "cannot read '%s' (injected fault)", ff->shown);
}

static int fault_close(struct location_file *f, struct custos_err *err)
{
	struct fault_file *ff = (struct fault_file *)f;
	int rc = location_file_close(ff->inner, err);

	free(ff->shown);
	free(ff);
	return rc;
}

static const struct location_ops fault_ops = {
	.file_read = fault_read, .file_close = fault_close,
};

static int fault_wrap(struct location_file **f, const char *relpath,
		      struct custos_err *err)
{
	const char *pat = getenv("CUSTOS_FAULT_READ");
	struct fault_file *ff;

	if (!pat || !*pat || !strstr(relpath, pat))
		return 0;
	if (!(ff = calloc(1, sizeof(*ff))) || !(ff->shown = strdup(relpath))) {
		free(ff);
		location_file_close(*f, NULL);
		return err_nomem(err);
	}
	ff->base.ops = &fault_ops;
	ff->inner = *f;
	*f = &ff->base;
	return 0;
}

int location_open_read(struct location *l, const char *relpath,
		       struct location_file **out, struct custos_err *err)
{
	int rc;

	if (!location_path_ok(relpath))
		return err_set(err, CUSTOS_EFORMAT, relpath,
			       "refusing path '%s' that is not canonical", relpath);
	rc = l->ops->open_read(l, relpath, out, err);
	if (rc == 0 && fault_wrap(out, relpath, err) < 0)
		return -1;
	return rc;
}

int location_txn_place(struct location_txn *t, const char *staged,
		       const char *relpath, struct custos_err *err)
{
	if (!location_path_ok(staged) || !location_path_ok(relpath))
		return err_set(err, CUSTOS_EFORMAT, relpath,
			       "refusing to place '%s' at '%s'", staged, relpath);
	if (!t->ops->txn_place)
		return err_set(err, CUSTOS_EUSAGE, relpath,
			       "this kind of location cannot replace '%s' in place", relpath);
	return t->ops->txn_place(t, staged, relpath, err);
}

int location_keep(struct location *l, const char *relpath,
		  const char *keep_as, struct custos_err *err)
{
	if (!location_path_ok(relpath) || !location_path_ok(keep_as))
		return err_set(err, CUSTOS_EFORMAT, relpath,
			       "refusing to keep '%s' as '%s'", relpath, keep_as);
	if (!l->ops->keep)
		return err_set(err, CUSTOS_EUSAGE, relpath,
			       "location '%s' cannot keep '%s' in quarantine", l->name,
			       relpath);
	return l->ops->keep(l, relpath, keep_as, err);
}

int location_stat(struct location *l, const char *relpath, uint64_t *size,
		  struct custos_err *err)
{
	if (!location_path_ok(relpath))
		return err_set(err, CUSTOS_EFORMAT, relpath,
			       "refusing path '%s' that is not canonical", relpath);
	return l->ops->stat(l, relpath, size, err);
}

int location_list(struct location *l, const char *prefix, location_list_fn fn,
		  void *arg, struct custos_err *err)
{
	if (*prefix && !location_path_ok(prefix))
		return err_set(err, CUSTOS_EFORMAT, prefix, "bad prefix '%s'", prefix);
	return l->ops->list(l, prefix, fn, arg, err);
}

int location_remove(struct location *l, const char *relpath,
		    struct custos_err *err)
{
	if (!location_path_ok(relpath))
		return err_set(err, CUSTOS_EFORMAT, relpath,
			       "refusing to remove '%s'", relpath);
	return l->ops->remove(l, relpath, err);
}

int location_exists(struct location *l, const char *relpath,
		    struct custos_err *err)
{
	if (!location_path_ok(relpath))
		return err_set(err, CUSTOS_EFORMAT, relpath, "bad path '%s'", relpath);
	return l->ops->exists(l, relpath, err);
}

void location_free(struct location *l)
{
	if (!l)
		return;
	if (l->ops)
		l->ops->free(l);
	free(l->name);
	free(l->where);
	free(l);
}

static int collect_one(void *arg, const char *relpath, uint64_t size)
{
	struct location_listing *ls = arg;

	if (ls->n == ls->cap) {
		size_t ncap = ls->cap ? ls->cap * 2 : 64;
		char **g = realloc(ls->paths, ncap * sizeof(*g));
		uint64_t *gs;

		if (!g)
			return -1;
		ls->paths = g;
		gs = realloc(ls->sizes, ncap * sizeof(*gs));
		if (!gs)
			return -1;
		ls->sizes = gs;
		ls->cap = ncap;
	}
	if (!(ls->paths[ls->n] = strdup(relpath)))
		return -1;
	ls->sizes[ls->n++] = size;
	return 0;
}

int location_list_collect(struct location *l, const char *prefix,
			  struct location_listing *out, struct custos_err *err)
{
	memset(out, 0, sizeof(*out));
	if (location_list(l, prefix, collect_one, out, err) < 0) {
		location_listing_release(out);
		return -1;
	}
	return 0;
}

void location_listing_release(struct location_listing *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		free(ls->paths[i]);
	free(ls->paths);
	free(ls->sizes);
	memset(ls, 0, sizeof(*ls));
}

int location_read_through(struct location *l, const char *relpath,
			  unsigned char *buf, size_t bufsz,
			  struct digest_set *ds, const struct location_sink *sink,
			  uint64_t *size, struct custos_err *err)
{
	struct location_file *f = NULL;
	uint64_t total = 0;
	int rc = location_open_read(l, relpath, &f, err);

	if (rc != 0)
		return rc;
	for (;;) {
		long long n = location_file_read(f, buf, bufsz, err);

		if (n < 0 || (n > 0 && ds &&
			      digest_set_update(ds, buf, (size_t)n, err) < 0)) {
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (sink && (rc = sink->block(sink->arg, buf, (size_t)n, err)) != 0) {
			rc = rc > 0 ? 2 : -1;
			break;
		}
	}
	location_file_close(f, NULL);
	if (size)
		*size = total;
	return rc;
}

int location_digest(struct location *l, const char *relpath, digest_mask mask,
		    unsigned char *buf, size_t bufsz, struct digest_result *res,
		    uint64_t *size, struct custos_err *err)
{
	struct digest_set *ds = NULL;
	int rc;

	if (digest_set_new(&ds, mask, err) < 0)
		return -1;
	rc = location_read_through(l, relpath, buf, bufsz, ds, NULL, size, err);
	if (rc == 0 && digest_set_final(ds, res, err) < 0)
		rc = -1;
	digest_set_free(ds);
	return rc;
}

int location_sink_write(void *arg, const unsigned char *buf, size_t len,
			struct custos_err *err)
{
	return location_file_write(arg, buf, len, err);
}
