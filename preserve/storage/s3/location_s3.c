/*
 * preserve/storage/s3/location_s3.c - a location in an S3 bucket (Ceph RADOS Gateway,
 * AWS S3, any S3-compatible store). Keys mirror the location's layout under
 * the prefix (PREFIX/ID/vN/data/...), so the bucket is a readable copy.
 *
 * Objects cannot be renamed, so a version is written to its final keys and
 * made visible by a completion marker, PREFIX/ID/vN/.custos-complete, put
 * last on commit, naming the transaction. begin records
 * PREFIX/.custos-staging/TXID (holding the version's path) first; commit
 * puts the marker, and the record goes when the transaction is freed
 * (the caller recorded the copy): until then discard_stage removes a
 * complete version whose marker names TXID, and only that one.
 * A crash therefore leaves either a version without marker (a stage: list
 * and exists ignore it; discard_stage, abort and remove delete its keys and
 * abort its multipart uploads) or a complete one. remove deletes the marker
 * first. open_read and stat address keys directly, like a path.
 * Streaming up and down: s3_stream.c; bucket operations: s3_store.c;
 * signing and sending: s3_client.c, s3_sigv4.c; keys: s3_creds.c.
 */
#include "preserve/storage/location_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/crashpoint.h"
#include "preserve/storage/s3/s3_client.h"
#include "preserve/storage/s3/s3_creds.h"
#include "preserve/storage/s3/s3_store.h"
#include "preserve/storage/s3/s3_stream.h"

#define QUARANTINE ".custos-quarantine"   /* the auditor keeps damaged files */
#define MARKER ".custos-complete"
#define STAGING ".custos-staging"

struct s3_location {
	struct s3_client *c;
	char *prefix;            /* "" or "some/prefix/" */
};

struct s3_txn {
	struct location_txn base;
	struct location *l;
	char *dest;              /* "ID/vN" */
	char *txid;
	bool committed;          /* the marker is ours: the record stays
				  * until the caller frees the transaction */
};

/* A file being written or read: one of W and R. */
struct s3_file {
	struct location_file base;
	struct s3_writer *w;
	struct s3_reader *r;
};

static const struct location_ops s3_ops;

static struct s3_location *loc_of(struct location *l)
{
	return l->impl;
}

static struct s3_client *cl(struct location *l)
{
	return loc_of(l)->c;
}

/* PREFIX + REL; REL "" gives the prefix without its final '/'. */
static char *key_of(const struct s3_location *sl, const char *rel)
{
	char *k = NULL;

	if (!*rel) {
		size_t n = strlen(sl->prefix);

		return strndup(sl->prefix, n ? n - 1 : 0);
	}
	if (asprintf(&k, "%s%s", sl->prefix, rel) < 0)
		return NULL;
	return k;
}

/* PREFIX + REL + "/" + LEAF, or PREFIX + LEAF when REL is "". */
static char *key_under(const struct s3_location *sl, const char *rel,
		       const char *leaf)
{
	char *k = NULL;

	if (asprintf(&k, "%s%s%s%s", sl->prefix, rel, *rel ? "/" : "", leaf) < 0)
		return NULL;
	return k;
}

/* ---- location ------------------------------------------------------- */

static int s3_check(struct location *l, struct custos_err *err)
{
	return s3_store_check(cl(l), err);
}

/* custos never creates buckets: an operator makes one with its policy. */
static int s3_create(struct location *l, struct custos_err *err)
{
	return s3_store_check(cl(l), err);
}

static int s3_begin(struct location *l, const char *dest, const char *txid,
		    struct location_txn **out, struct custos_err *err)
{
	struct s3_location *sl = loc_of(l);
	struct s3_txn *t = calloc(1, sizeof(*t));
	char *marker = key_under(sl, dest, MARKER);
	char *dir = key_under(sl, dest, "");
	char *rec = NULL;
	int rc = -1, there;

	if (!t || !marker || !dir || !(t->dest = strdup(dest)) ||
	    !(t->txid = strdup(txid)) || asprintf(&rec, "%s%s/%s", sl->prefix,
						 STAGING, txid) < 0) {
		rec = NULL;
		err_nomem(err);
		goto out;
	}
	t->base.ops = &s3_ops;
	t->l = l;
	if ((there = s3_store_head(cl(l), marker, NULL, err)) < 0)
		goto out;
	if (there == 0) {
		err_set(err, CUSTOS_EUSAGE, dest, "'%s' already exists in "
			"location '%s'", dest, l->name);
		goto out;
	}
	/* leftovers of an interrupted stage of DEST go first */
	if (s3_store_delete_tree(cl(l), dir, err) < 0 ||
	    s3_store_put(cl(l), rec, dest, strlen(dest), err) < 0)
		goto out;
	*out = &t->base;
	t = NULL;
	rc = 0;
out:
	if (t) {
		free(t->dest);
		free(t->txid);
		free(t);
	}
	free(marker);
	free(dir);
	free(rec);
	return rc;
}

static int s3_txn_create(struct location_txn *tb, const char *relpath,
			 struct location_file **out, struct custos_err *err)
{
	struct s3_txn *t = (struct s3_txn *)tb;
	struct s3_file *f = calloc(1, sizeof(*f));
	char *rel = NULL, *key = NULL;
	int rc;

	if (!f || asprintf(&rel, "%s/%s", t->dest, relpath) < 0 ||
	    !(key = key_of(loc_of(t->l), rel))) {
		free(f);
		free(rel);
		return err_nomem(err);
	}
	f->base.ops = &s3_ops;
	rc = s3_writer_open(&f->w, cl(t->l), key, err);
	free(rel);
	free(key);
	if (rc < 0) {
		free(f);
		return -1;
	}
	*out = &f->base;
	return 0;
}

static char *stage_record(const struct s3_txn *t)
{
	char *rec = NULL;

	if (asprintf(&rec, "%s%s/%s", loc_of(t->l)->prefix, STAGING,
		     t->txid) < 0)
		return NULL;
	return rec;
}

static int s3_txn_commit(struct location_txn *tb, struct custos_err *err)
{
	struct s3_txn *t = (struct s3_txn *)tb;
	char *marker = key_under(loc_of(t->l), t->dest, MARKER);
	char *rec = stage_record(t), *body = NULL;
	int rc = -1;

	if (!marker || !rec || asprintf(&body, "complete: %s\ntxid: %s\n",
					t->dest, t->txid) < 0) {
		body = NULL;
		err_nomem(err);
	} else if (s3_store_put(cl(t->l), marker, body, strlen(body), err) == 0) {
		crashpoint("s3-commit-marker-put");
		t->committed = true;
		rc = 0;
	}
	free(marker);
	free(rec);
	free(body);
	return rc;
}

static void s3_txn_release(struct s3_txn *t)
{
	free(t->dest);
	free(t->txid);
	free(t);
}

static void s3_txn_free(struct location_txn *tb)
{
	struct s3_txn *t = (struct s3_txn *)tb;
	char *rec = t->committed ? stage_record(t) : NULL;
	struct custos_err ignored;

	if (rec)              /* the copy is kept: no longer ours to drop */
		s3_store_delete(cl(t->l), rec, &ignored);
	free(rec);
	s3_txn_release(t);
}

static void s3_txn_abort(struct location_txn *tb)
{
	struct s3_txn *t = (struct s3_txn *)tb;
	struct s3_location *sl = loc_of(t->l);
	struct custos_err ignored;
	char *dir = key_under(sl, t->dest, "");
	char *marker = key_under(sl, t->dest, MARKER);
	char *rec = stage_record(t);

	/* best effort: what stays behind is a stage recover removes */
	if (dir && marker && rec &&
	    s3_store_delete(cl(t->l), marker, &ignored) == 0 &&
	    s3_store_delete_tree(cl(t->l), dir, &ignored) == 0)
		s3_store_delete(cl(t->l), rec, &ignored);
	free(dir);
	free(marker);
	free(rec);
	s3_txn_release(t);
}

/* A complete version whose marker names TXID was committed by it and
 * never kept (the record is still there): removed, marker first. */
static int drop_if_ours(struct location *l, const char *marker, const char *dir,
			const char *txid, struct custos_err *err)
{
	char *body = NULL, want[300];
	int rc = s3_store_get_small(cl(l), marker, &body, err);

	snprintf(want, sizeof(want), "\ntxid: %s\n", txid);
	if (rc == 0 && strstr(body, want) &&
	    (rc = s3_store_delete(cl(l), marker, err)) == 0)
		rc = s3_store_delete_tree(cl(l), dir, err);
	free(body);
	return rc < 0 ? -1 : 0;
}

static int s3_discard_stage(struct location *l, const char *txid,
			    struct custos_err *err)
{
	struct s3_location *sl = loc_of(l);
	char *rec = NULL, *dest = NULL, *marker = NULL, *dir = NULL;
	int rc;

	if (asprintf(&rec, "%s%s/%s", sl->prefix, STAGING, txid) < 0)
		return err_nomem(err);
	rc = s3_store_get_small(cl(l), rec, &dest, err);
	if (rc != 0) {
		free(rec);
		return rc < 0 ? -1 : 0;      /* no stage */
	}
	if (!location_path_ok(dest)) {
		rc = err_set(err, CUSTOS_EFORMAT, rec, "stage record '%s' in "
			     "location '%s' names no object version", rec,
			     l->name);
	} else if (!(marker = key_under(sl, dest, MARKER)) ||
		   !(dir = key_under(sl, dest, ""))) {
		rc = err_nomem(err);
	} else if ((rc = s3_store_head(cl(l), marker, NULL, err)) == 1) {
		rc = s3_store_delete_tree(cl(l), dir, err);   /* never completed */
	} else if (rc == 0) {
		rc = drop_if_ours(l, marker, dir, txid, err);
	}
	if (rc == 0)
		rc = s3_store_delete(cl(l), rec, err);
	free(rec);
	free(dest);
	free(marker);
	free(dir);
	return rc;
}

static int s3_file_write(struct location_file *fb, const void *buf, size_t len,
			 struct custos_err *err)
{
	return s3_writer_write(((struct s3_file *)fb)->w, buf, len, err);
}

static long long s3_file_read(struct location_file *fb, void *buf, size_t len,
			      struct custos_err *err)
{
	return s3_reader_read(((struct s3_file *)fb)->r, buf, len, err);
}

static int s3_file_close(struct location_file *fb, struct custos_err *err)
{
	struct s3_file *f = (struct s3_file *)fb;
	int rc = f->w ? s3_writer_close(f->w, err) : 0;

	s3_reader_free(f->r);
	free(f);
	return rc;
}

static int s3_open_read(struct location *l, const char *relpath,
			struct location_file **out, struct custos_err *err)
{
	struct s3_file *f = calloc(1, sizeof(*f));
	char *key = key_of(loc_of(l), relpath);
	int rc;

	if (!f || !key) {
		free(f);
		free(key);
		return err_nomem(err);
	}
	f->base.ops = &s3_ops;
	rc = s3_reader_open(&f->r, cl(l), key, err);
	free(key);
	if (rc != 0) {
		free(f);
		return rc;
	}
	*out = &f->base;
	return 0;
}

static int s3_stat(struct location *l, const char *relpath, uint64_t *size,
		   struct custos_err *err)
{
	char *key = key_of(loc_of(l), relpath);
	int rc;

	if (!key)
		return err_nomem(err);
	rc = s3_store_head(cl(l), key, size, err);
	free(key);
	return rc;
}

/* ---- listing what is complete --------------------------------------- */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Path order of the filesystem walk: '/' before every other byte. */
static int path_cmp(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a;
	const unsigned char *y = *(const unsigned char *const *)b;

	for (; *x && *x == *y; x++, y++)
		;
	return (*x == '/' ? 1 : *x + 1) - (*y == '/' ? 1 : *y + 1);
}

/* True if the directory REL (or one above it) is in the sorted DIRS. */
static int under_complete(const char *rel, char **dirs, size_t n)
{
	char *d = strdup(rel), *slash;
	int yes = 0;

	while (d && !yes && (slash = strrchr(d, '/'))) {
		*slash = '\0';
		yes = bsearch(&d, dirs, n, sizeof(*dirs), str_cmp) != NULL;
	}
	free(d);
	return yes;
}

/* 1 if PREFIX or a directory above it holds a marker, 0, -1. */
static int prefix_complete(struct location *l, const char *prefix,
			   struct custos_err *err)
{
	char *d = strdup(prefix), *k;
	int rc = 1;

	if (!d)
		return err_nomem(err);
	while (rc == 1 && *d) {
		char *slash = strrchr(d, '/');

		if (!(k = key_under(loc_of(l), d, MARKER))) {
			rc = err_nomem(err);
			break;
		}
		rc = s3_store_head(cl(l), k, NULL, err);
		free(k);
		if (slash)
			*slash = '\0';
		else
			*d = '\0';
	}
	free(d);
	return rc < 0 ? -1 : rc == 0;
}

struct entry {
	const char *rel;
	uint64_t size;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return path_cmp(&x->rel, &y->rel);
}

/* The complete files among KS (keys under the location), relative and in
 * path order, into *OUT; markers, stage records and stages left out.
 * Marker keys are cut to their directory in place. */
static int visible_files(struct location *l, struct s3_keyset *ks, int all,
			 struct entry **out, size_t *nout,
			 struct custos_err *err)
{
	size_t plen = strlen(loc_of(l)->prefix), nd = 0, nf = 0;
	size_t mlen = strlen(MARKER);
	char **dirs = calloc(ks->n + 1, sizeof(*dirs));
	struct entry *f = calloc(ks->n + 1, sizeof(*f));

	if (!dirs || !f) {
		free(dirs);
		free(f);
		return err_nomem(err);
	}
	for (size_t i = 0; i < ks->n; i++) {
		char *rel = ks->keys[i] + plen;
		size_t n = strlen(rel);

		if (n > mlen && !strcmp(rel + n - mlen, MARKER) &&
		    rel[n - mlen - 1] == '/') {
			rel[n - mlen - 1] = '\0';
			dirs[nd++] = rel;
		}
	}
	qsort(dirs, nd, sizeof(*dirs), str_cmp);
	for (size_t i = 0; i < ks->n; i++) {
		char *rel = ks->keys[i] + plen;

		if (!strcmp(rel, MARKER) ||
		    !strncmp(rel, STAGING "/", sizeof(STAGING)) ||
		    !strncmp(rel, QUARANTINE "/", sizeof(QUARANTINE)) ||
		    bsearch(&rel, dirs, nd, sizeof(*dirs), str_cmp))
			continue;            /* a marker (cut above) or a record */
		if (all || under_complete(rel, dirs, nd)) {
			f[nf].rel = rel;
			f[nf++].size = ks->sizes[i];
		}
	}
	free(dirs);
	qsort(f, nf, sizeof(*f), entry_cmp);
	*out = f;
	*nout = nf;
	return 0;
}

static int has_key(const struct s3_keyset *ks, const char *dir, const char *leaf)
{
	size_t n = strlen(dir);

	for (size_t i = 0; i < ks->n; i++)
		if (!strncmp(ks->keys[i], dir, n) &&
		    !strcmp(ks->keys[i] + n, leaf))
			return 1;
	return 0;
}

static int s3_list(struct location *l, const char *prefix, location_list_fn fn,
		   void *arg, struct custos_err *err)
{
	struct s3_location *sl = loc_of(l);
	struct s3_keyset ks = { 0 };
	struct entry *f = NULL;
	size_t nf = 0;
	char *kprefix = *prefix ? key_under(sl, prefix, "") : strdup(sl->prefix);
	int all = 0, rc;

	if (!kprefix)
		return err_nomem(err);
	rc = s3_store_list(cl(l), kprefix, s3_keyset_add, &ks, err);
	/* a version's own marker is in its listing; ask above only if not */
	if (rc == 0 && *prefix && !has_key(&ks, kprefix, MARKER) &&
	    (all = prefix_complete(l, prefix, err)) < 0)
		rc = -1;
	if (rc == 0)
		rc = visible_files(l, &ks, all, &f, &nf, err);
	for (size_t i = 0; rc == 0 && i < nf; i++)
		if (fn(arg, f[i].rel, f[i].size))
			rc = err_set(err, CUSTOS_ENOMEM, f[i].rel, "listing "
				     "stopped at '%s': out of memory", f[i].rel);
	free(f);
	free(kprefix);
	s3_keyset_release(&ks);
	return rc;
}

/* Remove RELPATH: the marker first (the version stops looking complete),
 * then every key under it, its uploads, and RELPATH itself as a key. */
static int s3_remove(struct location *l, const char *relpath,
		     struct custos_err *err)
{
	struct s3_location *sl = loc_of(l);
	char *marker = key_under(sl, relpath, MARKER);
	char *dir = key_under(sl, relpath, ""), *key = key_of(sl, relpath);
	int rc = -1;

	if (!marker || !dir || !key)
		err_nomem(err);
	else if (s3_store_delete(cl(l), marker, err) == 0 &&
		 s3_store_delete_tree(cl(l), dir, err) == 0)
		rc = s3_store_delete(cl(l), key, err);
	free(marker);
	free(dir);
	free(key);
	return rc;
}

static int stop_at_first(void *arg, const char *relpath, uint64_t size)
{
	(void)relpath;
	(void)size;
	*(int *)arg = 1;
	return 0;
}

/* A complete version, or a file of one. */
static int s3_exists(struct location *l, const char *relpath,
		     struct custos_err *err)
{
	char *marker = key_under(loc_of(l), relpath, MARKER);
	int rc, found = 0;

	if (!marker)
		return err_nomem(err);
	rc = s3_store_head(cl(l), marker, NULL, err);
	free(marker);
	if (rc <= 0)
		return rc < 0 ? -1 : 1;
	if (s3_list(l, relpath, stop_at_first, &found, err) < 0)
		return -1;
	if (found)
		return 1;
	if ((rc = s3_stat(l, relpath, &(uint64_t){ 0 }, err)) != 0)
		return rc < 0 ? -1 : 0;
	return strchr(relpath, '/') ? prefix_complete(l, relpath, err) : 0;
}

static void s3_free(struct location *l)
{
	struct s3_location *sl = l->impl;

	if (!sl)
		return;
	s3_client_free(sl->c);
	free(sl->prefix);
	free(sl);
}

/* Copy object SRC to DST through this process: S3 has no rename, and the
 * bytes stay under custos's eyes. 0, 1 if SRC is absent, -1. */
static int copy_key(struct location *l, const char *src, const char *dst,
		    struct custos_err *err)
{
	struct s3_reader *r = NULL;
	struct s3_writer *w = NULL;
	unsigned char *buf = malloc(1u << 20);
	int rc;

	if (!buf)
		return err_nomem(err);
	rc = s3_reader_open(&r, cl(l), src, err);
	if (rc == 0 && s3_writer_open(&w, cl(l), dst, err) < 0)
		rc = -1;
	while (rc == 0) {
		long long n = s3_reader_read(r, buf, 1u << 20, err);

		if (n <= 0) {
			rc = n < 0 ? -1 : 0;
			break;
		}
		if (s3_writer_write(w, buf, (size_t)n, err) < 0)
			rc = -1;
	}
	if (w && rc == 0)
		rc = s3_writer_close(w, err);
	else
		s3_writer_abort(w);
	s3_reader_free(r);
	free(buf);
	return rc;
}

/* Keep RELPATH as KEEP_AS (the auditor's quarantine). */
static int s3_keep(struct location *l, const char *relpath, const char *keep_as,
		   struct custos_err *err)
{
	char *src = key_of(loc_of(l), relpath), *dst = key_of(loc_of(l), keep_as);
	int rc = src && dst ? copy_key(l, src, dst, err) : err_nomem(err);

	free(src);
	free(dst);
	return rc;
}

/* Put the staged file STAGED at RELPATH: a PUT replaces an object in one
 * step, so readers see the old bytes or the new, never a mix. */
static int s3_txn_place(struct location_txn *tb, const char *staged,
			const char *relpath, struct custos_err *err)
{
	struct s3_txn *t = (struct s3_txn *)tb;
	char *rel = NULL, *src = NULL, *dst = key_of(loc_of(t->l), relpath);
	int rc;

	if (!dst || asprintf(&rel, "%s/%s", t->dest, staged) < 0 ||
	    !(src = key_of(loc_of(t->l), rel))) {
		free(dst);
		free(rel);
		return err_nomem(err);
	}
	rc = copy_key(t->l, src, dst, err);
	if (rc == 1)
		rc = err_set(err, CUSTOS_EIO, rel, "staged '%s' vanished", rel);
	if (rc == 0)
		rc = s3_store_delete(cl(t->l), src, err);
	free(rel);
	free(src);
	free(dst);
	return rc;
}

static const struct location_ops s3_ops = {
	.create = s3_create, .check = s3_check, .begin = s3_begin,
	.txn_create = s3_txn_create, .txn_commit = s3_txn_commit,
	.txn_abort = s3_txn_abort, .txn_free = s3_txn_free,
	.discard_stage = s3_discard_stage, .file_write = s3_file_write,
	.file_read = s3_file_read, .file_close = s3_file_close,
	.open_read = s3_open_read, .stat = s3_stat, .list = s3_list,
	.remove = s3_remove, .exists = s3_exists, .free = s3_free,
	.txn_place = s3_txn_place, .keep = s3_keep,
};

static char *norm_prefix(const char *p)
{
	char *out = NULL;
	size_t n;

	while (p && *p == '/')
		p++;
	n = p ? strlen(p) : 0;
	while (n && p[n - 1] == '/')
		n--;
	if (asprintf(&out, "%.*s%s", (int)n, n ? p : "", n ? "/" : "") < 0)
		return NULL;
	return out;
}

int location_s3_open(struct location *l, const struct location_config *cfg,
		     struct custos_err *err)
{
	struct s3_location *sl = calloc(1, sizeof(*sl));
	struct s3_creds cr = { 0 };
	int rc = -1;

	xmlInitParser();      /* once, before any thread parses */
	if (!cfg->endpoint || !cfg->bucket)
		rc = err_set(err, CUSTOS_EUSAGE, NULL, "s3 location '%s' needs "
			     "an endpoint and a bucket", cfg->name);
	else if (!sl || !(sl->prefix = norm_prefix(cfg->prefix)))
		rc = err_nomem(err);
	else if (s3_creds_load(&cr, cfg->credentials, cfg->name, err) == 0) {
		struct s3_client_config cc = {
			cfg->name, cfg->endpoint, cfg->bucket, cfg->region,
			cr.access, cr.secret, cr.token,
		};

		rc = s3_client_new(&sl->c, &cc, err);
	}
	s3_creds_release(&cr);
	if (rc == 0 && asprintf(&l->where, "%s%s%s", s3_client_where(sl->c),
				*sl->prefix ? " prefix " : "", sl->prefix) < 0) {
		l->where = NULL;
		rc = err_nomem(err);
	}
	if (rc < 0) {
		if (sl)
			s3_client_free(sl->c);
		free(sl ? sl->prefix : NULL);
		free(sl);
		return -1;
	}
	l->impl = sl;
	l->ops = &s3_ops;
	return 0;
}
