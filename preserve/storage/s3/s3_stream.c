/*
 * preserve/storage/s3/s3_stream.c - one object streamed to or from S3 with bounded
 * memory. Up: bytes collect in a part buffer; a file that fits one part
 * goes up in one PUT, a larger one as a multipart upload of S3_PART parts,
 * each with Content-MD5 and its real SHA-256 (the server checks both),
 * completed in order or aborted on any failure. Down: ranged GETs of
 * S3_CHUNK bytes, the later ones If-Match the first's ETag, so an object
 * replaced mid-read is noticed; the ETag is never taken as fixity.
 */
#include "preserve/storage/s3/s3_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ckd.h"
#include "core/crashpoint.h"
#include "preserve/storage/s3/s3_store.h"

#define S3_PART (16u << 20)     /* multipart part size = single-PUT ceiling */
#define S3_MAX_PARTS 10000u     /* S3's limit: files up to 156 GiB */
#define S3_CHUNK (16u << 20)    /* one ranged GET */

/* ---- writing -------------------------------------------------------- */

struct s3_writer {
	struct s3_client *c;
	char *key;
	unsigned char *buf;      /* the part being filled */
	size_t len, cap;
	char *upload_id;         /* once a part went up */
	char **etags;
	unsigned nparts;
	int failed;
};

struct s3_reader {
	struct s3_client *c;
	char *key;
	struct s3_buf chunk;     /* the range being read */
	size_t pos;
	uint64_t next, total;
	char etag[130];          /* If-Match for the next ranges */
};

int s3_writer_open(struct s3_writer **out, struct s3_client *c,
		   const char *key, struct custos_err *err)
{
	struct s3_writer *f = calloc(1, sizeof(*f));

	if (!f || !(f->key = strdup(key))) {
		free(f);
		return err_nomem(err);
	}
	f->c = c;
	*out = f;
	return 0;
}

static int start_upload(struct s3_writer *f, struct custos_err *err)
{
	struct s3_kv q[] = { { "uploads", "" } };
	struct s3_request rq = { .method = "POST", .key = f->key, .query = q,
				 .nquery = 1 };
	struct s3_response resp = { .body.max = S3_XML_MAX };
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc = s3_client_do(f->c, &rq, &resp, err);

	if (rc == 0 && (rc = s3_store_ok(f->c, &rq, &resp, err)) == 0) {
		root = s3_xml_root(&resp.body, &doc);
		if (!(f->upload_id = s3_xml_text(root, "UploadId")))
			rc = s3_store_bad_answer(f->c, "starting an upload", err);
	}
	xmlFreeDoc(doc);
	s3_buf_release(&resp.body);
	return rc;
}

/* Upload the filled buffer as the next part. */
static int put_part(struct s3_writer *f, struct custos_err *err)
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
	if (!(g = reallocarray(f->etags, f->nparts + 1, sizeof(*g))))
		return err_nomem(err);
	f->etags = g;
	q[1].value = f->upload_id;
	snprintf(num, sizeof(num), "%u", f->nparts + 1);
	rc = s3_client_do(f->c, &rq, &resp, err);
	if (rc == 0 && (rc = s3_store_ok(f->c, &rq, &resp, err)) == 0) {
		if (!*resp.etag)
			rc = s3_store_bad_answer(f->c, "a part upload", err);
		else if (s3_store_etag_check(f->c, f->key, &resp, f->buf,
					     f->len, err) < 0)
			rc = -1;
		else if (!(f->etags[f->nparts] = strdup(resp.etag)))
			rc = err_nomem(err);
		else
			f->nparts++;
	}
	s3_buf_release(&resp.body);
	f->len = 0;
	return rc;
}

int s3_writer_write(struct s3_writer *f, const void *buf, size_t len,
		    struct custos_err *err)
{
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

static int complete_upload(struct s3_writer *f, struct custos_err *err)
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
		s3_xml_escape(&b, f->etags[i]);
		strbuf_addf(&b, "</ETag></Part>");
	}
	strbuf_addf(&b, "</CompleteMultipartUpload>");
	if (strbuf_check(&b, err) < 0) {
		strbuf_release(&b);
		return -1;
	}
	rq.body = b.data;
	rq.body_len = b.len;
	rc = s3_client_do(f->c, &rq, &resp, err);
	if (rc == 0)
		rc = s3_store_ok(f->c, &rq, &resp, err);
	/* S3 may answer 200 and report the failure in the body */
	if (rc == 0 && resp.body.data &&
	    memmem(resp.body.data, resp.body.len, "<Error>", 7))
		rc = err_set(err, CUSTOS_EIO, f->key, "location '%s': the upload "
			     "of '%s' did not complete", s3_client_name(f->c), f->key);
	strbuf_release(&b);
	s3_buf_release(&resp.body);
	return rc;
}

/* Finish the upload: one PUT, or the last part and CompleteMultipartUpload;
 * on failure abort a multipart upload so no parts stay stored. */
int s3_writer_close(struct s3_writer *f, struct custos_err *err)
{
	struct custos_err ignored;
	int rc = f->failed ? err_set(err, CUSTOS_EIO, f->key, "'%s' was not "
				     "stored: a write failed", f->key) : 0;

	if (rc == 0 && !f->upload_id)
		rc = s3_store_put(f->c, f->key, f->buf ? f->buf : (void *)"", f->len, err);
	else if (rc == 0 && (f->len == 0 || put_part(f, err) == 0))
		rc = complete_upload(f, err);
	else if (rc == 0)
		rc = -1;
	if (rc < 0 && f->upload_id)
		s3_store_abort_upload(f->c, f->key, f->upload_id, &ignored);
	if (rc == 0)
		crashpoint("s3-object-put");
	for (unsigned i = 0; i < f->nparts; i++)
		free(f->etags[i]);
	free(f->etags);
	free(f->upload_id);
	free(f->buf);
	free(f->key);
	free(f);
	return rc;
}

void s3_writer_abort(struct s3_writer *w)
{
	struct custos_err ignored;

	if (!w)
		return;
	w->failed = 1;
	s3_writer_close(w, &ignored);
}

/* ---- reading -------------------------------------------------------- */

/* GET the next range into f->chunk: 0, 1 if the key is absent, -1. */
static int fetch_chunk(struct s3_reader *f, struct custos_err *err)
{
	char range[64];
	struct s3_kv h[2] = { { "range", range }, { "if-match", f->etag } };
	struct s3_request rq = { .method = "GET", .key = f->key, .headers = h,
				 .nheaders = f->next && *f->etag ? 2 : 1 };
	struct s3_response resp = { .body = f->chunk };
	uint64_t last = 0;
	int rc;

	if (ckd_add_u64(&last, f->next, S3_CHUNK - 1))
		return err_set(err, CUSTOS_ELIMIT, f->key, "'%s' is too large "
			       "to read", f->key);
	snprintf(range, sizeof(range), "bytes=%llu-%llu",
		 (unsigned long long)f->next, (unsigned long long)last);
	rc = s3_client_do(f->c, &rq, &resp, err);
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
			       "was replaced while being read", f->key, s3_client_name(f->c));
	if (resp.status != 206 && !(resp.status == 200 && f->next == 0))
		return s3_store_ok(f->c, &rq, &resp, err) < 0 ? -1 :
		       err_set(err, CUSTOS_EIO, f->key, "'%s': unexpected HTTP %ld",
			       f->key, resp.status);
	if (f->next == 0) {
		f->total = resp.status == 200 ? f->chunk.len : resp.total;
		memcpy(f->etag, resp.etag, sizeof(f->etag));
	}
	if (f->chunk.len == 0 && f->next < f->total)
		return err_set(err, CUSTOS_EIO, f->key, "'%s' in location '%s' "
			       "ended early", f->key, s3_client_name(f->c));
	f->next += f->chunk.len;
	return 0;
}

int s3_reader_open(struct s3_reader **out, struct s3_client *c,
		   const char *key, struct custos_err *err)
{
	struct s3_reader *f = calloc(1, sizeof(*f));
	int rc;

	if (!f || !(f->key = strdup(key))) {
		free(f);
		return err_nomem(err);
	}
	f->c = c;
	f->chunk.max = S3_CHUNK;
	rc = fetch_chunk(f, err);
	if (rc != 0) {
		s3_reader_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

long long s3_reader_read(struct s3_reader *f, void *buf, size_t len,
			 struct custos_err *err)
{
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

void s3_reader_free(struct s3_reader *f)
{
	if (!f)
		return;
	s3_buf_release(&f->chunk);
	free(f->key);
	free(f);
}
