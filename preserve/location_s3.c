/*
 * preserve/location_s3.c - a location in an S3 bucket (Ceph RADOS Gateway,
 * AWS S3, any S3-compatible store). Keys mirror the location's layout under
 * the prefix (PREFIX/ID/vN/data/...), so the bucket is a readable copy.
 *
 * Objects cannot be renamed, so a version is written to its final keys and
 * made visible by a completion marker, PREFIX/ID/vN/.custos-complete, put
 * last on commit. begin records PREFIX/.custos-staging/TXID (holding the
 * version's path) first; commit puts the marker, then deletes that record.
 * A crash therefore leaves either a version without marker (a stage: list
 * and exists ignore it; discard_stage, abort and remove delete its keys and
 * abort its multipart uploads) or a complete one. Files up to S3_PART bytes
 * go up in one PUT, larger ones as a multipart upload of S3_PART parts,
 * each sent with Content-MD5 and its real SHA-256 (never UNSIGNED-PAYLOAD),
 * aborted on any failure. Reads are ranged GETs of S3_CHUNK bytes, so
 * memory stays flat; the ETag is only used (If-Match) to notice an object
 * replaced between two ranges, never as fixity.
 */
#include "preserve/location_internal.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/crashpoint.h"
#include "core/fileio.h"
#include "core/strbuf.h"
#include "preserve/s3_client.h"

#define MARKER ".custos-complete"
#define STAGING ".custos-staging"
#define S3_PART (16u << 20)     /* multipart part size = single-PUT ceiling */
#define S3_MAX_PARTS 10000u     /* S3's limit: files up to 156 GiB */
#define S3_CHUNK (16u << 20)    /* one ranged GET */
#define S3_XML_MAX (32u << 20)  /* one listing answer */
#define S3_SMALL_MAX 4096u      /* a stage record */
#define S3_BATCH 1000           /* keys per DeleteObjects */
#define CRED_MAX 65536u         /* credentials file */

struct s3_location {
	struct s3_client *c;
	char *prefix;            /* "" or "some/prefix/" */
};

struct s3_txn {
	struct location_txn base;
	struct location *l;
	char *dest;              /* "ID/vN" */
	char *txid;
};

struct s3_file {
	struct location_file base;
	struct location *l;
	char *key;
	int writing;
	/* writing: the part being filled, and the upload so far */
	unsigned char *buf;
	size_t len, cap;
	char *upload_id;
	char **etags;
	unsigned nparts;
	int failed;
	/* reading: one range at a time */
	struct s3_buf chunk;
	size_t pos;
	uint64_t next, total;
	char etag[130];
};

static const struct location_ops s3_ops;

static struct s3_location *loc_of(struct location *l)
{
	return l->impl;
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

static int expect_ok(struct location *l, const struct s3_request *rq,
		     const struct s3_response *resp, struct custos_err *err)
{
	if (resp->status >= 200 && resp->status < 300)
		return 0;
	return s3_client_fail(loc_of(l)->c, rq, resp, err);
}

/* 0 if the bucket answers, else -1 with the reason (a HEAD answers 404
 * without a body both for a missing key and a missing bucket: a missing
 * bucket is storage unavailable, never a missing file). */
static int bucket_there(struct location *l, struct custos_err *err)
{
	struct s3_request rq = { .method = "HEAD", .key = NULL };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(loc_of(l)->c, &rq, &resp, err);

	if (rc == 0)
		rc = expect_ok(l, &rq, &resp, err);
	s3_buf_release(&resp.body);
	return rc;
}

/* HEAD KEY: 0 (and *SIZE), 1 if absent, -1. */
static int s3_head(struct location *l, const char *key, uint64_t *size,
		   struct custos_err *err)
{
	struct s3_request rq = { .method = "HEAD", .key = key };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(loc_of(l)->c, &rq, &resp, err);

	if (rc == 0 && resp.status == 404)
		rc = bucket_there(l, err) < 0 ? -1 : 1;
	else if (rc == 0 && (rc = expect_ok(l, &rq, &resp, err)) == 0 && size)
		*size = resp.length;
	s3_buf_release(&resp.body);
	return rc;
}

static int s3_put(struct location *l, const char *key, const void *data,
		  size_t len, struct custos_err *err)
{
	struct s3_request rq = { .method = "PUT", .key = key, .body = data,
				 .body_len = len, .content_md5 = 1 };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(loc_of(l)->c, &rq, &resp, err);

	if (rc == 0)
		rc = expect_ok(l, &rq, &resp, err);
	s3_buf_release(&resp.body);
	return rc;
}

static int s3_delete(struct location *l, const char *key,
		     struct custos_err *err)
{
	struct s3_request rq = { .method = "DELETE", .key = key };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(loc_of(l)->c, &rq, &resp, err);

	if (rc == 0 && resp.status != 404)
		rc = expect_ok(l, &rq, &resp, err);
	s3_buf_release(&resp.body);
	return rc;
}

/* GET a small object into OUT (NUL-terminated): 0, 1 if absent, -1. */
static int s3_get_small(struct location *l, const char *key, char **out,
			struct custos_err *err)
{
	struct s3_request rq = { .method = "GET", .key = key };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(loc_of(l)->c, &rq, &resp, err);

	if (rc == 0 && resp.status == 404)
		rc = 1;
	else if (rc == 0 && (rc = expect_ok(l, &rq, &resp, err)) == 0) {
		*out = strndup(resp.body.data ? (char *)resp.body.data : "",
			       resp.body.len);
		if (!*out)
			rc = err_nomem(err);
	}
	s3_buf_release(&resp.body);
	return rc;
}

/* ---- XML answers ---------------------------------------------------- */

static xmlNode *xml_root(const struct s3_buf *b, xmlDoc **doc)
{
	*doc = b->data ? xmlReadMemory((const char *)b->data, (int)b->len,
				       NULL, NULL, XML_PARSE_NONET) : NULL;
	return *doc ? xmlDocGetRootElement(*doc) : NULL;
}

static const xmlNode *xml_child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

/* The text of N's child NAME, malloc'ed; NULL if absent or OOM. */
static char *xml_text(const xmlNode *n, const char *name)
{
	const xmlNode *c = xml_child(n, name);
	xmlChar *t = c ? xmlNodeGetContent(c) : NULL;
	char *s = t ? strdup((const char *)t) : NULL;

	xmlFree(t);
	return s;
}

static int xml_true(const xmlNode *n, const char *name)
{
	char *t = xml_text(n, name);
	int yes = t && !strcmp(t, "true");

	free(t);
	return yes;
}

static void xml_escape(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_addf(b, "&amp;"); break;
		case '<': strbuf_addf(b, "&lt;"); break;
		case '>': strbuf_addf(b, "&gt;"); break;
		case '"': strbuf_addf(b, "&quot;"); break;
		case '\'': strbuf_addf(b, "&apos;"); break;
		default: strbuf_add(b, s, 1);
		}
	}
}

static int bad_answer(struct location *l, const char *what,
		      struct custos_err *err)
{
	return err_set(err, CUSTOS_EFORMAT, NULL,
		       "location '%s': the S3 server's answer to %s is not "
		       "the XML S3 sends", l->name, what);
}

/* ---- listing -------------------------------------------------------- */

typedef int (*raw_fn)(void *arg, const char *key, uint64_t size);

/* One page of ListObjectsV2 into FN; *TOKEN becomes the next page's
 * continuation token or NULL. */
static int list_page(struct location *l, const char *kprefix, char **token,
		     raw_fn fn, void *arg, struct custos_err *err)
{
	struct s3_kv q[4] = { { "list-type", "2" }, { "prefix", kprefix },
			      { "max-keys", "1000" },
			      { "continuation-token", *token } };
	struct s3_request rq = { .method = "GET", .query = q,
				 .nquery = *token ? 4 : 3 };
	struct s3_response resp = { .body.max = S3_XML_MAX };
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc = s3_client_do(loc_of(l)->c, &rq, &resp, err);

	free(*token);
	*token = NULL;
	if (rc < 0 || (rc = expect_ok(l, &rq, &resp, err)) < 0)
		goto out;
	if (!(root = xml_root(&resp.body, &doc))) {
		rc = bad_answer(l, "a listing", err);
		goto out;
	}
	for (const xmlNode *c = root->children; c && rc == 0; c = c->next) {
		char *key, *size;

		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "Contents"))
			continue;
		key = xml_text(c, "Key");
		size = xml_text(c, "Size");
		if (!key || !size)
			rc = bad_answer(l, "a listing", err);
		else if (fn(arg, key, strtoull(size, NULL, 10)))
			rc = err_set(err, CUSTOS_ENOMEM, key,
				     "listing stopped at '%s'", key);
		free(key);
		free(size);
	}
	if (rc == 0 && xml_true(root, "IsTruncated") &&
	    !(*token = xml_text(root, "NextContinuationToken")))
		rc = bad_answer(l, "a listing", err);
out:
	xmlFreeDoc(doc);
	s3_buf_release(&resp.body);
	return rc;
}

/* Every key starting with KPREFIX, in S3's order. */
static int list_raw(struct location *l, const char *kprefix, raw_fn fn,
		    void *arg, struct custos_err *err)
{
	char *token = NULL;

	do {
		if (list_page(l, kprefix, &token, fn, arg, err) < 0)
			return -1;
	} while (token);
	return 0;
}

struct keyset {
	char **keys;
	uint64_t *sizes;
	size_t n, cap;
};

static int keyset_add(void *arg, const char *key, uint64_t size)
{
	struct keyset *ks = arg;

	if (ks->n == ks->cap) {
		size_t ncap = ks->cap ? ks->cap * 2 : 64;
		char **g = realloc(ks->keys, ncap * sizeof(*g));
		uint64_t *gs;

		if (!g)
			return -1;
		ks->keys = g;
		if (!(gs = realloc(ks->sizes, ncap * sizeof(*gs))))
			return -1;
		ks->sizes = gs;
		ks->cap = ncap;
	}
	if (!(ks->keys[ks->n] = strdup(key)))
		return -1;
	ks->sizes[ks->n++] = size;
	return 0;
}

static void keyset_release(struct keyset *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		free(ks->keys[i]);
	free(ks->keys);
	free(ks->sizes);
	memset(ks, 0, sizeof(*ks));
}

/* ---- deleting ------------------------------------------------------- */

/* DeleteObjects for KEYS[0..N) (N <= S3_BATCH). */
static int delete_batch(struct location *l, char **keys, size_t n,
			struct custos_err *err)
{
	struct s3_kv q[] = { { "delete", "" } };
	struct s3_request rq = { .method = "POST", .query = q, .nquery = 1,
				 .content_md5 = 1 };
	struct s3_response resp = { .body.max = S3_XML_MAX };
	struct strbuf b;
	int rc;

	strbuf_init(&b, S3_XML_MAX);
	strbuf_addf(&b, "<Delete><Quiet>true</Quiet>");
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(&b, "<Object><Key>");
		xml_escape(&b, keys[i]);
		strbuf_addf(&b, "</Key></Object>");
	}
	strbuf_addf(&b, "</Delete>");
	if (strbuf_check(&b, err) < 0) {
		strbuf_release(&b);
		return -1;
	}
	rq.body = b.data;
	rq.body_len = b.len;
	rc = s3_client_do(loc_of(l)->c, &rq, &resp, err);
	if (rc == 0)
		rc = expect_ok(l, &rq, &resp, err);
	if (rc == 0 && resp.body.data &&
	    memmem(resp.body.data, resp.body.len, "<Error>", 7))
		rc = err_set(err, CUSTOS_EIO, keys[0],
			     "location '%s': the S3 server did not delete "
			     "every key under '%s'", l->name, keys[0]);
	strbuf_release(&b);
	s3_buf_release(&resp.body);
	return rc;
}

static int delete_keys(struct location *l, struct keyset *ks,
		       struct custos_err *err)
{
	for (size_t i = 0; i < ks->n; i += S3_BATCH) {
		size_t n = ks->n - i < S3_BATCH ? ks->n - i : S3_BATCH;

		if (delete_batch(l, ks->keys + i, n, err) < 0)
			return -1;
	}
	return 0;
}

static int abort_upload(struct location *l, const char *key, const char *id,
			struct custos_err *err)
{
	struct s3_kv q[] = { { "uploadId", id } };
	struct s3_request rq = { .method = "DELETE", .key = key, .query = q,
				 .nquery = 1 };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(loc_of(l)->c, &rq, &resp, err);

	if (rc == 0 && resp.status != 404)
		rc = expect_ok(l, &rq, &resp, err);
	s3_buf_release(&resp.body);
	return rc;
}

/* Abort every multipart upload whose key starts with KPREFIX (the parts
 * of a crashed upload are invisible but still stored). */
static int abort_uploads(struct location *l, const char *kprefix,
			 struct custos_err *err)
{
	struct s3_kv q[] = { { "uploads", "" }, { "prefix", kprefix } };
	struct s3_request rq = { .method = "GET", .query = q, .nquery = 2 };
	struct s3_response resp = { .body.max = S3_XML_MAX };
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc = s3_client_do(loc_of(l)->c, &rq, &resp, err), rounds = 0;

	while (rc == 0 && (rc = expect_ok(l, &rq, &resp, err)) == 0) {
		if (!(root = xml_root(&resp.body, &doc))) {
			rc = bad_answer(l, "a list of uploads", err);
			break;
		}
		for (const xmlNode *c = root->children; c && rc == 0; c = c->next) {
			char *key, *id;

			if (c->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)c->name, "Upload"))
				continue;
			key = xml_text(c, "Key");
			id = xml_text(c, "UploadId");
			rc = key && id ? abort_upload(l, key, id, err) :
				bad_answer(l, "a list of uploads", err);
			free(key);
			free(id);
		}
		/* aborted uploads leave the list: ask again while truncated */
		if (rc < 0 || !xml_true(root, "IsTruncated") || ++rounds > 1000)
			break;
		xmlFreeDoc(doc);
		doc = NULL;
		rc = s3_client_do(loc_of(l)->c, &rq, &resp, err);
	}
	xmlFreeDoc(doc);
	s3_buf_release(&resp.body);
	return rc;
}

/* Delete every key under KPREFIX ("PREFIX/ID/vN/") and its uploads. */
static int delete_tree(struct location *l, const char *kprefix,
		       struct custos_err *err)
{
	struct keyset ks = { 0 };
	int rc = abort_uploads(l, kprefix, err);

	if (rc == 0)
		rc = list_raw(l, kprefix, keyset_add, &ks, err);
	if (rc == 0)
		rc = delete_keys(l, &ks, err);
	keyset_release(&ks);
	return rc;
}

/* ---- location ------------------------------------------------------- */

static int s3_check(struct location *l, struct custos_err *err)
{
	return bucket_there(l, err);
}

/* custos never creates buckets: an operator makes one with its policy. */
static int s3_create(struct location *l, struct custos_err *err)
{
	return bucket_there(l, err);
}

static int s3_begin(struct location *l, const char *dest, const char *txid,
		    struct location_txn **out, struct custos_err *err)
{
	struct s3_location *sl = loc_of(l);
	struct s3_txn *t = calloc(1, sizeof(*t));
	char *marker = key_under(sl, dest, MARKER), *dir = key_under(sl, dest, "");
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
	if ((there = s3_head(l, marker, NULL, err)) < 0)
		goto out;
	if (there == 0) {
		err_set(err, CUSTOS_EUSAGE, dest, "'%s' already exists in "
			"location '%s'", dest, l->name);
		goto out;
	}
	/* leftovers of an interrupted stage of DEST go first */
	if (delete_tree(l, dir, err) < 0 ||
	    s3_put(l, rec, dest, strlen(dest), err) < 0)
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
	char *rel = NULL;

	if (!f || asprintf(&rel, "%s/%s", t->dest, relpath) < 0 ||
	    !(f->key = key_of(loc_of(t->l), rel))) {
		free(f);
		free(rel);
		return err_nomem(err);
	}
	free(rel);
	f->base.ops = &s3_ops;
	f->l = t->l;
	f->writing = 1;
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
	} else if (s3_put(t->l, marker, body, strlen(body), err) == 0) {
		crashpoint("s3-commit-marker-put");
		rc = s3_delete(t->l, rec, err);
	}
	free(marker);
	free(rec);
	free(body);
	return rc;
}

static void s3_txn_free(struct location_txn *tb)
{
	struct s3_txn *t = (struct s3_txn *)tb;

	free(t->dest);
	free(t->txid);
	free(t);
}

static void s3_txn_abort(struct location_txn *tb)
{
	struct s3_txn *t = (struct s3_txn *)tb;
	struct s3_location *sl = loc_of(t->l);
	struct custos_err ignored;
	char *dir = key_under(sl, t->dest, ""), *marker = key_under(sl, t->dest, MARKER);
	char *rec = stage_record(t);

	/* best effort: what stays behind is a stage recover removes */
	if (dir && marker && rec && s3_delete(t->l, marker, &ignored) == 0 &&
	    delete_tree(t->l, dir, &ignored) == 0)
		s3_delete(t->l, rec, &ignored);
	free(dir);
	free(marker);
	free(rec);
	s3_txn_free(tb);
}

static int s3_discard_stage(struct location *l, const char *txid,
			    struct custos_err *err)
{
	struct s3_location *sl = loc_of(l);
	char *rec = NULL, *dest = NULL, *marker = NULL, *dir = NULL;
	int rc;

	if (asprintf(&rec, "%s%s/%s", sl->prefix, STAGING, txid) < 0)
		return err_nomem(err);
	rc = s3_get_small(l, rec, &dest, err);
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
	} else if ((rc = s3_head(l, marker, NULL, err)) == 1) {
		rc = delete_tree(l, dir, err);   /* never completed */
	}
	if (rc == 0)
		rc = s3_delete(l, rec, err);
	free(rec);
	free(dest);
	free(marker);
	free(dir);
	return rc;
}

/* ---- writing -------------------------------------------------------- */

static int start_upload(struct s3_file *f, struct custos_err *err)
{
	struct s3_kv q[] = { { "uploads", "" } };
	struct s3_request rq = { .method = "POST", .key = f->key, .query = q,
				 .nquery = 1 };
	struct s3_response resp = { .body.max = S3_XML_MAX };
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc = s3_client_do(loc_of(f->l)->c, &rq, &resp, err);

	if (rc == 0 && (rc = expect_ok(f->l, &rq, &resp, err)) == 0) {
		root = xml_root(&resp.body, &doc);
		if (!(f->upload_id = xml_text(root, "UploadId")))
			rc = bad_answer(f->l, "starting an upload", err);
	}
	xmlFreeDoc(doc);
	s3_buf_release(&resp.body);
	return rc;
}

/* Upload the filled buffer as the next part. */
static int put_part(struct s3_file *f, struct custos_err *err)
{
	char num[16];
	struct s3_kv q[] = { { "partNumber", num }, { "uploadId", NULL } };
	struct s3_request rq = { .method = "PUT", .key = f->key, .query = q,
				 .nquery = 2, .body = f->buf,
				 .body_len = f->len, .content_md5 = 1 };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	char **g;
	int rc;

	if (!f->upload_id && start_upload(f, err) < 0)
		return -1;
	if (f->nparts == S3_MAX_PARTS)
		return err_set(err, CUSTOS_ELIMIT, f->key, "'%s' is larger than "
			       "S3 multipart uploads allow (%u parts of %u bytes)",
			       f->key, S3_MAX_PARTS, S3_PART);
	if (!(g = realloc(f->etags, (f->nparts + 1) * sizeof(*g))))
		return err_nomem(err);
	f->etags = g;
	q[1].value = f->upload_id;
	snprintf(num, sizeof(num), "%u", f->nparts + 1);
	rc = s3_client_do(loc_of(f->l)->c, &rq, &resp, err);
	if (rc == 0 && (rc = expect_ok(f->l, &rq, &resp, err)) == 0) {
		if (!*resp.etag)
			rc = bad_answer(f->l, "a part upload", err);
		else if (!(f->etags[f->nparts] = strdup(resp.etag)))
			rc = err_nomem(err);
		else
			f->nparts++;
	}
	s3_buf_release(&resp.body);
	f->len = 0;
	return rc;
}

static int s3_file_write(struct location_file *fb, const void *buf, size_t len,
			 struct custos_err *err)
{
	struct s3_file *f = (struct s3_file *)fb;
	const unsigned char *p = buf;

	if (f->failed)
		return err_set(err, CUSTOS_EIO, f->key, "'%s': an earlier write "
			       "failed", f->key);
	while (len) {
		size_t room, k;

		if (f->len == f->cap && f->cap < S3_PART) {
			size_t ncap = f->cap ? f->cap * 4 : 65536;
			unsigned char *g;

			if (ncap > S3_PART)
				ncap = S3_PART;
			if (!(g = realloc(f->buf, ncap))) {
				f->failed = 1;
				return err_nomem(err);
			}
			f->buf = g;
			f->cap = ncap;
		}
		room = f->cap - f->len;
		k = len < room ? len : room;
		memcpy(f->buf + f->len, p, k);
		f->len += k;
		p += k;
		len -= k;
		if (f->len == S3_PART && put_part(f, err) < 0) {
			f->failed = 1;
			return -1;
		}
	}
	return 0;
}

static int complete_upload(struct s3_file *f, struct custos_err *err)
{
	struct s3_kv q[] = { { "uploadId", f->upload_id } };
	struct s3_request rq = { .method = "POST", .key = f->key, .query = q,
				 .nquery = 1 };
	struct s3_response resp = { .body.max = S3_XML_MAX };
	struct strbuf b;
	int rc;

	strbuf_init(&b, S3_XML_MAX);
	strbuf_addf(&b, "<CompleteMultipartUpload>");
	for (unsigned i = 0; i < f->nparts; i++) {
		strbuf_addf(&b, "<Part><PartNumber>%u</PartNumber><ETag>", i + 1);
		xml_escape(&b, f->etags[i]);
		strbuf_addf(&b, "</ETag></Part>");
	}
	strbuf_addf(&b, "</CompleteMultipartUpload>");
	if (strbuf_check(&b, err) < 0) {
		strbuf_release(&b);
		return -1;
	}
	rq.body = b.data;
	rq.body_len = b.len;
	rc = s3_client_do(loc_of(f->l)->c, &rq, &resp, err);
	if (rc == 0)
		rc = expect_ok(f->l, &rq, &resp, err);
	/* S3 may answer 200 and report the failure in the body */
	if (rc == 0 && resp.body.data &&
	    memmem(resp.body.data, resp.body.len, "<Error>", 7))
		rc = err_set(err, CUSTOS_EIO, f->key, "location '%s': the upload "
			     "of '%s' did not complete", f->l->name, f->key);
	strbuf_release(&b);
	s3_buf_release(&resp.body);
	return rc;
}

/* Finish the upload: one PUT, or the last part and CompleteMultipartUpload;
 * on failure abort a multipart upload so no parts stay stored. */
static int close_writer(struct s3_file *f, struct custos_err *err)
{
	struct custos_err ignored;
	int rc = f->failed ? err_set(err, CUSTOS_EIO, f->key, "'%s' was not "
				     "stored: a write failed", f->key) : 0;

	if (rc == 0 && !f->upload_id)
		rc = s3_put(f->l, f->key, f->buf ? f->buf : (void *)"", f->len, err);
	else if (rc == 0 && (f->len == 0 || put_part(f, err) == 0))
		rc = complete_upload(f, err);
	else if (rc == 0)
		rc = -1;
	if (rc < 0 && f->upload_id)
		abort_upload(f->l, f->key, f->upload_id, &ignored);
	if (rc == 0)
		crashpoint("s3-object-put");
	return rc;
}

/* ---- reading -------------------------------------------------------- */

/* GET the next range into f->chunk: 0, 1 if the key is absent, -1. */
static int fetch_chunk(struct s3_file *f, struct custos_err *err)
{
	char range[64];
	struct s3_kv h[2] = { { "range", range }, { "if-match", f->etag } };
	struct s3_request rq = { .method = "GET", .key = f->key, .headers = h,
				 .nheaders = f->next && *f->etag ? 2 : 1 };
	struct s3_response resp = { .body = f->chunk };
	int rc;

	snprintf(range, sizeof(range), "bytes=%llu-%llu",
		 (unsigned long long)f->next,
		 (unsigned long long)(f->next + S3_CHUNK - 1));
	rc = s3_client_do(loc_of(f->l)->c, &rq, &resp, err);
	f->chunk = resp.body;
	f->pos = 0;
	if (rc < 0)
		return -1;
	if (resp.status == 404 && f->next == 0 && strcmp(resp.code, "NoSuchBucket"))
		return 1;
	if (resp.status == 416 && f->next == 0) {      /* an empty object */
		f->chunk.len = 0;
		f->total = 0;
		return 0;
	}
	if (resp.status == 412)
		return err_set(err, CUSTOS_EIO, f->key, "'%s' in location '%s' "
			       "was replaced while being read", f->key, f->l->name);
	if (resp.status != 206 && !(resp.status == 200 && f->next == 0))
		return expect_ok(f->l, &rq, &resp, err) < 0 ? -1 :
		       err_set(err, CUSTOS_EIO, f->key, "'%s': unexpected HTTP %ld",
			       f->key, resp.status);
	if (f->next == 0) {
		f->total = resp.status == 200 ? f->chunk.len : resp.total;
		memcpy(f->etag, resp.etag, sizeof(f->etag));
	}
	if (f->chunk.len == 0 && f->next < f->total)
		return err_set(err, CUSTOS_EIO, f->key, "'%s' in location '%s' "
			       "ended early", f->key, f->l->name);
	f->next += f->chunk.len;
	return 0;
}

static int s3_open_read(struct location *l, const char *relpath,
			struct location_file **out, struct custos_err *err)
{
	struct s3_file *f = calloc(1, sizeof(*f));
	int rc;

	if (!f || !(f->key = key_of(loc_of(l), relpath))) {
		free(f);
		return err_nomem(err);
	}
	f->base.ops = &s3_ops;
	f->l = l;
	f->chunk.max = S3_CHUNK;
	rc = fetch_chunk(f, err);
	if (rc != 0) {
		s3_buf_release(&f->chunk);
		free(f->key);
		free(f);
		return rc;
	}
	*out = &f->base;
	return 0;
}

static long long s3_file_read(struct location_file *fb, void *buf, size_t len,
			      struct custos_err *err)
{
	struct s3_file *f = (struct s3_file *)fb;
	size_t k;

	if (f->pos == f->chunk.len) {
		if (f->next >= f->total)
			return 0;
		if (fetch_chunk(f, err) != 0)
			return -1;
	}
	k = f->chunk.len - f->pos;
	if (k > len)
		k = len;
	memcpy(buf, f->chunk.data + f->pos, k);
	f->pos += k;
	return (long long)k;
}

static int s3_file_close(struct location_file *fb, struct custos_err *err)
{
	struct s3_file *f = (struct s3_file *)fb;
	int rc = f->writing ? close_writer(f, err) : 0;

	for (unsigned i = 0; i < f->nparts; i++)
		free(f->etags[i]);
	free(f->etags);
	free(f->upload_id);
	free(f->buf);
	s3_buf_release(&f->chunk);
	free(f->key);
	free(f);
	return rc;
}

static int s3_stat(struct location *l, const char *relpath, uint64_t *size,
		   struct custos_err *err)
{
	char *key = key_of(loc_of(l), relpath);
	int rc;

	if (!key)
		return err_nomem(err);
	rc = s3_head(l, key, size, err);
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
		rc = s3_head(l, k, NULL, err);
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
static int visible_files(struct location *l, struct keyset *ks, int all,
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

static int has_key(const struct keyset *ks, const char *dir, const char *leaf)
{
	size_t n = strlen(dir);

	for (size_t i = 0; i < ks->n; i++)
		if (!strncmp(ks->keys[i], dir, n) && !strcmp(ks->keys[i] + n, leaf))
			return 1;
	return 0;
}

static int s3_list(struct location *l, const char *prefix, location_list_fn fn,
		   void *arg, struct custos_err *err)
{
	struct s3_location *sl = loc_of(l);
	struct keyset ks = { 0 };
	struct entry *f = NULL;
	size_t nf = 0;
	char *kprefix = *prefix ? key_under(sl, prefix, "") : strdup(sl->prefix);
	int all = 0, rc;

	if (!kprefix)
		return err_nomem(err);
	rc = list_raw(l, kprefix, keyset_add, &ks, err);
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
	keyset_release(&ks);
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
	else if (s3_delete(l, marker, err) == 0 && delete_tree(l, dir, err) == 0)
		rc = s3_delete(l, key, err);
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
	rc = s3_head(l, marker, NULL, err);
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

/* ---- opening -------------------------------------------------------- */

struct creds {
	char *access, *secret, *token;
};

static void creds_release(struct creds *c)
{
	free(c->access);
	if (c->secret)
		memset(c->secret, 0, strlen(c->secret));
	free(c->secret);
	if (c->token)
		memset(c->token, 0, strlen(c->token));
	free(c->token);
}

static char *trimmed(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* One "key = value" line of a credentials file. */
static int cred_line(struct creds *c, char *line)
{
	char *eq = strchr(line, '='), *k, *v, **slot = NULL;

	if (!eq)
		return 0;
	*eq = '\0';
	k = trimmed(line);
	v = trimmed(eq + 1);
	if (!strcmp(k, "aws_access_key_id") || !strcmp(k, "access_key"))
		slot = &c->access;
	else if (!strcmp(k, "aws_secret_access_key") || !strcmp(k, "secret_key"))
		slot = &c->secret;
	else if (!strcmp(k, "aws_session_token"))
		slot = &c->token;
	if (!slot || *slot)
		return 0;           /* unknown key, or a later section's */
	return (*slot = strdup(v)) ? 0 : -1;
}

/* A credentials file: INI or plain key = value lines (the AWS CLI's
 * ~/.aws/credentials works: its first section's keys are used). */
static int creds_from_file(struct creds *c, const char *path, const char *name,
			   struct custos_err *err)
{
	char *text = NULL, *line, *next;
	size_t len;
	int rc = 0;

	if (fio_read_file(&text, &len, AT_FDCWD, path, CRED_MAX, err) < 0)
		return err_set(err, CUSTOS_EUSAGE, path, "location '%s': cannot "
			       "read the credentials file '%s'", name, path);
	for (line = text; line && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*trimmed(line) != '#' && *trimmed(line) != ';')
			rc = cred_line(c, line);
	}
	memset(text, 0, len);
	free(text);
	if (rc < 0)
		return err_nomem(err);
	if (!c->access || !c->secret)
		return err_set(err, CUSTOS_EUSAGE, path, "location '%s': the "
			       "credentials file '%s' has no aws_access_key_id "
			       "and aws_secret_access_key", name, path);
	return 0;
}

static int creds_load(struct creds *c, const struct location_config *cfg,
		      struct custos_err *err)
{
	const char *a = getenv("AWS_ACCESS_KEY_ID");
	const char *s = getenv("AWS_SECRET_ACCESS_KEY");
	const char *t = getenv("AWS_SESSION_TOKEN");

	if (cfg->credentials)
		return creds_from_file(c, cfg->credentials, cfg->name, err);
	if (!a || !s || !*a || !*s)
		return 0;         /* requests will say what is missing */
	if (!(c->access = strdup(a)) || !(c->secret = strdup(s)) ||
	    (t && *t && !(c->token = strdup(t))))
		return err_nomem(err);
	return 0;
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

static const struct location_ops s3_ops = {
	.create = s3_create, .check = s3_check, .begin = s3_begin,
	.txn_create = s3_txn_create, .txn_commit = s3_txn_commit,
	.txn_abort = s3_txn_abort, .txn_free = s3_txn_free,
	.discard_stage = s3_discard_stage, .file_write = s3_file_write,
	.file_read = s3_file_read, .file_close = s3_file_close,
	.open_read = s3_open_read, .stat = s3_stat, .list = s3_list,
	.remove = s3_remove, .exists = s3_exists, .free = s3_free,
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
	struct creds cr = { 0 };
	int rc = -1;

	xmlInitParser();      /* once, before any thread parses */
	if (!cfg->endpoint || !cfg->bucket)
		rc = err_set(err, CUSTOS_EUSAGE, NULL, "s3 location '%s' needs "
			     "an endpoint and a bucket", cfg->name);
	else if (!sl || !(sl->prefix = norm_prefix(cfg->prefix)))
		rc = err_nomem(err);
	else if (creds_load(&cr, cfg, err) == 0) {
		struct s3_client_config cc = {
			cfg->name, cfg->endpoint, cfg->bucket, cfg->region,
			cr.access, cr.secret, cr.token,
		};

		rc = s3_client_new(&sl->c, &cc, err);
	}
	creds_release(&cr);
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
