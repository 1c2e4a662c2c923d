/*
 * preserve/storage/s3/s3_client.h - one S3 request at a time over libcurl: sign it
 * (s3_sigv4.h), send it, retry with backoff on 5xx and network failures,
 * collect the status, a few headers and a bounded body. Thread-safe: easy
 * handles come from a small pool so connections are reused.
 */
#ifndef CUSTOS_PRESERVE_STORAGE_S3_S3_CLIENT_H
#define CUSTOS_PRESERVE_STORAGE_S3_S3_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "preserve/storage/s3/s3_sigv4.h"

struct s3_client;

struct s3_client_config {
	const char *name;          /* the location's name, for messages */
	const char *endpoint;      /* "http://127.0.0.1:7480" */
	const char *bucket;
	const char *region;        /* NULL = us-east-1 */
	const char *access_key;    /* NULL: requests fail with a clear message */
	const char *secret_key;
	const char *session_token; /* NULL unless temporary credentials */
};

/* A response body: grows up to MAX, or fills a caller's buffer. */
struct s3_buf {
	unsigned char *data;
	size_t len, cap, max;
	int overflow;
};

struct s3_request {
	const char *method;             /* "GET", "PUT", "HEAD", ... */
	const char *key;                /* object key; NULL = the bucket */
	const struct s3_kv *query;
	size_t nquery;
	const struct s3_kv *headers;    /* extra signed headers */
	size_t nheaders;
	const void *body;               /* request body (PUT/POST) */
	size_t body_len;
	int content_md5;                /* send Content-MD5 of the body */
};

struct s3_response {
	long status;
	char etag[130];
	uint64_t length;                /* Content-Length */
	uint64_t total;                 /* from Content-Range, else length */
	int have_total;
	char code[64];                  /* S3 error code ("NoSuchKey") */
	struct s3_buf body;             /* set max (or data+cap) before */
};

int s3_client_new(struct s3_client **out, const struct s3_client_config *cfg,
		  struct custos_err *err);
void s3_client_free(struct s3_client *c);
/* The URL of KEY (NULL = the bucket), as requests use it: path style
 * ("ENDPOINT/BUCKET/KEY") or virtual-host style ("ENDPOINT/KEY" when the
 * endpoint's host starts with "BUCKET."). NULL on out of memory. */
char *s3_client_url(const struct s3_client *c, const char *key);
/* The location's name, for messages. */
const char *s3_client_name(const struct s3_client *c);
/* "s3://bucket at http://host:port" */
const char *s3_client_where(const struct s3_client *c);

/* Perform RQ; on return RESP holds the final status (any status, 2xx or
 * not) and 0 is returned. -1 only when no HTTP answer came after the
 * retries (storage unavailable), or out of memory. 5xx are retried and
 * a last 5xx is returned as a status. */
int s3_client_do(struct s3_client *c, const struct s3_request *rq,
		 struct s3_response *resp, struct custos_err *err);

/* Fill ERR for a non-2xx RESP to RQ ("... 'KEY': NoSuchBucket ..."). */
int s3_client_fail(struct s3_client *c, const struct s3_request *rq,
		   const struct s3_response *resp, struct custos_err *err);

void s3_buf_release(struct s3_buf *b);

#endif
