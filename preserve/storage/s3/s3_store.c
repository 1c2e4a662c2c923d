/*
 * preserve/storage/s3/s3_store.c - bucket operations on top of s3_client: single-key
 * requests, ListObjectsV2 pages followed by continuation token, DeleteObjects
 * in batches of S3_BATCH (with Content-MD5, as S3 requires), multipart
 * uploads listed and aborted, and the small XML reading S3 needs (libxml2,
 * no network access, local names only).
 */
#include "preserve/storage/s3/s3_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#define S3_BATCH 1000           /* keys per DeleteObjects */

int s3_store_ok(struct s3_client *c, const struct s3_request *rq,
		     const struct s3_response *resp, struct custos_err *err)
{
	if (resp->status >= 200 && resp->status < 300)
		return 0;
	return s3_client_fail(c, rq, resp, err);
}

/* 0 if the bucket answers, else -1 with the reason (a HEAD answers 404
 * without a body both for a missing key and a missing bucket: a missing
 * bucket is storage unavailable, never a missing file). */
int s3_store_check(struct s3_client *c, struct custos_err *err)
{
	struct s3_request rq = { .method = "HEAD", .key = NULL };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(c, &rq, &resp, err);

	if (rc == 0)
		rc = s3_store_ok(c, &rq, &resp, err);
	s3_buf_release(&resp.body);
	return rc;
}

/* HEAD KEY: 0 (and *SIZE), 1 if absent, -1. */
int s3_store_head(struct s3_client *c, const char *key, uint64_t *size,
		   struct custos_err *err)
{
	struct s3_request rq = { .method = "HEAD", .key = key };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(c, &rq, &resp, err);

	if (rc == 0 && resp.status == 404)
		rc = s3_store_check(c, err) < 0 ? -1 : 1;
	else if (rc == 0 && (rc = s3_store_ok(c, &rq, &resp, err)) == 0 && size)
		*size = resp.length;
	s3_buf_release(&resp.body);
	return rc;
}

int s3_store_etag_check(struct s3_client *c, const char *key,
			const struct s3_response *resp, const void *data,
			size_t len, struct custos_err *err)
{
	char md5[33];
	const char *e = resp->etag;

	if (strlen(e) != 34 || e[0] != '"' || e[33] != '"' ||
	    strspn(e + 1, "0123456789abcdef") != 32)
		return 0;
	s3_md5_hex(data ? data : "", len, md5);
	if (strncmp(e + 1, md5, 32))
		return err_set(err, CUSTOS_EIO, key, "location '%s': the server "
			       "stored other bytes for '%s' than were sent "
			       "(ETag %s, MD5 sent \"%s\")", s3_client_name(c),
			       key, e, md5);
	return 0;
}

int s3_store_put(struct s3_client *c, const char *key, const void *data,
		 size_t len, struct custos_err *err)
{
	struct s3_request rq = { .method = "PUT", .key = key, .body = data,
				 .body_len = len, .content_md5 = 1 };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(c, &rq, &resp, err);

	if (rc == 0)
		rc = s3_store_ok(c, &rq, &resp, err);
	if (rc == 0)
		rc = s3_store_etag_check(c, key, &resp, data, len, err);
	s3_buf_release(&resp.body);
	return rc;
}

int s3_store_delete(struct s3_client *c, const char *key,
		     struct custos_err *err)
{
	struct s3_request rq = { .method = "DELETE", .key = key };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(c, &rq, &resp, err);

	if (rc == 0 && resp.status != 404)
		rc = s3_store_ok(c, &rq, &resp, err);
	s3_buf_release(&resp.body);
	return rc;
}

/* GET a small object into OUT (NUL-terminated): 0, 1 if absent, -1. */
int s3_store_get_small(struct s3_client *c, const char *key, char **out,
			struct custos_err *err)
{
	struct s3_request rq = { .method = "GET", .key = key };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(c, &rq, &resp, err);

	if (rc == 0 && resp.status == 404)
		rc = 1;
	else if (rc == 0 && (rc = s3_store_ok(c, &rq, &resp, err)) == 0) {
		*out = strndup(resp.body.data ? (char *)resp.body.data : "",
			       resp.body.len);
		if (!*out)
			rc = err_nomem(err);
	}
	s3_buf_release(&resp.body);
	return rc;
}

/* ---- XML answers ---------------------------------------------------- */

xmlNode *s3_xml_root(const struct s3_buf *b, xmlDoc **doc)
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
char *s3_xml_text(const xmlNode *n, const char *name)
{
	const xmlNode *c = xml_child(n, name);
	xmlChar *t = c ? xmlNodeGetContent(c) : NULL;
	char *s = t ? strdup((const char *)t) : NULL;

	xmlFree(t);
	return s;
}

static int xml_true(const xmlNode *n, const char *name)
{
	char *t = s3_xml_text(n, name);
	int yes = t && !strcmp(t, "true");

	free(t);
	return yes;
}

void s3_xml_escape(struct strbuf *b, const char *s)
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

int s3_store_bad_answer(struct s3_client *c, const char *what,
		      struct custos_err *err)
{
	return err_set(err, CUSTOS_EFORMAT, NULL,
		       "location '%s': the S3 server's answer to %s is not "
		       "the XML S3 sends", s3_client_name(c), what);
}

/* ---- listing -------------------------------------------------------- */

/* One page of ListObjectsV2 into FN; *TOKEN becomes the next page's
 * continuation token or NULL. */
static int list_page(struct s3_client *c, const char *kprefix, char **token,
		     s3_key_fn fn, void *arg, struct custos_err *err)
{
	struct s3_kv q[4] = { { "list-type", "2" }, { "prefix", kprefix },
			      { "max-keys", "1000" },
			      { "continuation-token", *token } };
	struct s3_request rq = { .method = "GET", .query = q,
				 .nquery = *token ? 4 : 3 };
	struct s3_response resp = { .body.max = S3_XML_MAX };
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc = s3_client_do(c, &rq, &resp, err);

	free(*token);
	*token = NULL;
	if (rc < 0 || (rc = s3_store_ok(c, &rq, &resp, err)) < 0)
		goto out;
	if (!(root = s3_xml_root(&resp.body, &doc))) {
		rc = s3_store_bad_answer(c, "a listing", err);
		goto out;
	}
	for (const xmlNode *n = root->children; n && rc == 0; n = n->next) {
		char *key, *size;

		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "Contents"))
			continue;
		key = s3_xml_text(n, "Key");
		size = s3_xml_text(n, "Size");
		if (!key || !size)
			rc = s3_store_bad_answer(c, "a listing", err);
		else if (fn(arg, key, strtoull(size, NULL, 10)))
			rc = err_set(err, CUSTOS_ENOMEM, key,
				     "listing stopped at '%s'", key);
		free(key);
		free(size);
	}
	if (rc == 0 && xml_true(root, "IsTruncated") &&
	    !(*token = s3_xml_text(root, "NextContinuationToken")))
		rc = s3_store_bad_answer(c, "a listing", err);
out:
	xmlFreeDoc(doc);
	s3_buf_release(&resp.body);
	return rc;
}

/* Every key starting with KPREFIX, in S3's order. */
int s3_store_list(struct s3_client *c, const char *kprefix, s3_key_fn fn,
		    void *arg, struct custos_err *err)
{
	char *token = NULL;

	do {
		if (list_page(c, kprefix, &token, fn, arg, err) < 0)
			return -1;
	} while (token);
	return 0;
}

int s3_keyset_add(void *arg, const char *key, uint64_t size)
{
	struct s3_keyset *ks = arg;

	if (ks->n == ks->cap) {
		size_t ncap = ks->cap ? ks->cap * 2 : 64;
		char **g = reallocarray(ks->keys, ncap, sizeof(*g));
		uint64_t *gs;

		if (!g)
			return -1;
		ks->keys = g;
		if (!(gs = reallocarray(ks->sizes, ncap, sizeof(*gs))))
			return -1;
		ks->sizes = gs;
		ks->cap = ncap;
	}
	if (!(ks->keys[ks->n] = strdup(key)))
		return -1;
	ks->sizes[ks->n++] = size;
	return 0;
}

void s3_keyset_release(struct s3_keyset *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		free(ks->keys[i]);
	free(ks->keys);
	free(ks->sizes);
	memset(ks, 0, sizeof(*ks));
}

/* ---- deleting ------------------------------------------------------- */

/* DeleteObjects for KEYS[0..N) (N <= S3_BATCH). */
static int delete_batch(struct s3_client *c, char **keys, size_t n,
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
		s3_xml_escape(&b, keys[i]);
		strbuf_addf(&b, "</Key></Object>");
	}
	strbuf_addf(&b, "</Delete>");
	if (strbuf_check(&b, err) < 0) {
		strbuf_release(&b);
		return -1;
	}
	rq.body = b.data;
	rq.body_len = b.len;
	rc = s3_client_do(c, &rq, &resp, err);
	if (rc == 0)
		rc = s3_store_ok(c, &rq, &resp, err);
	if (rc == 0 && resp.body.data &&
	    memmem(resp.body.data, resp.body.len, "<Error>", 7))
		rc = err_set(err, CUSTOS_EIO, keys[0],
			     "location '%s': the S3 server did not delete "
			     "every key under '%s'", s3_client_name(c), keys[0]);
	strbuf_release(&b);
	s3_buf_release(&resp.body);
	return rc;
}

static int delete_keys(struct s3_client *c, struct s3_keyset *ks,
		       struct custos_err *err)
{
	for (size_t i = 0; i < ks->n; i += S3_BATCH) {
		size_t n = ks->n - i < S3_BATCH ? ks->n - i : S3_BATCH;

		if (delete_batch(c, ks->keys + i, n, err) < 0)
			return -1;
	}
	return 0;
}

int s3_store_abort_upload(struct s3_client *c, const char *key, const char *id,
			struct custos_err *err)
{
	struct s3_kv q[] = { { "uploadId", id } };
	struct s3_request rq = { .method = "DELETE", .key = key, .query = q,
				 .nquery = 1 };
	struct s3_response resp = { .body.max = S3_SMALL_MAX };
	int rc = s3_client_do(c, &rq, &resp, err);

	if (rc == 0 && resp.status != 404)
		rc = s3_store_ok(c, &rq, &resp, err);
	s3_buf_release(&resp.body);
	return rc;
}

/* Abort every multipart upload whose key starts with KPREFIX (the parts
 * of a crashed upload are invisible but still stored). */
static int abort_uploads(struct s3_client *c, const char *kprefix,
			 struct custos_err *err)
{
	struct s3_kv q[] = { { "uploads", "" }, { "prefix", kprefix } };
	struct s3_request rq = { .method = "GET", .query = q, .nquery = 2 };
	struct s3_response resp = { .body.max = S3_XML_MAX };
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc = s3_client_do(c, &rq, &resp, err), rounds = 0;

	while (rc == 0 && (rc = s3_store_ok(c, &rq, &resp, err)) == 0) {
		if (!(root = s3_xml_root(&resp.body, &doc))) {
			rc = s3_store_bad_answer(c, "a list of uploads", err);
			break;
		}
		for (const xmlNode *n = root->children; n && rc == 0; n = n->next) {
			char *key, *id;

			if (n->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)n->name, "Upload"))
				continue;
			key = s3_xml_text(n, "Key");
			id = s3_xml_text(n, "UploadId");
			rc = key && id ? s3_store_abort_upload(c, key, id, err) :
				s3_store_bad_answer(c, "a list of uploads", err);
			free(key);
			free(id);
		}
		/* aborted uploads leave the list: ask again while truncated */
		if (rc < 0 || !xml_true(root, "IsTruncated") || ++rounds > 1000)
			break;
		xmlFreeDoc(doc);
		doc = NULL;
		rc = s3_client_do(c, &rq, &resp, err);
	}
	xmlFreeDoc(doc);
	s3_buf_release(&resp.body);
	return rc;
}

/* Delete every key under KPREFIX ("PREFIX/ID/vN/") and its uploads. */
int s3_store_delete_tree(struct s3_client *c, const char *kprefix,
		       struct custos_err *err)
{
	struct s3_keyset ks = { 0 };
	int rc = abort_uploads(c, kprefix, err);

	if (rc == 0)
		rc = s3_store_list(c, kprefix, s3_keyset_add, &ks, err);
	if (rc == 0)
		rc = delete_keys(c, &ks, err);
	s3_keyset_release(&ks);
	return rc;
}

