/*
 * preserve/storage/s3/s3_sigv4.h - AWS Signature Version 4 for S3 requests: the
 * canonical request, the string to sign and the Authorization header, plus
 * the percent-encoding and digests S3 wants. Pure functions, no I/O, so the
 * published AWS examples can test them.
 */
#ifndef CUSTOS_PRESERVE_STORAGE_S3_S3_SIGV4_H
#define CUSTOS_PRESERVE_STORAGE_S3_S3_SIGV4_H

#include <stddef.h>

struct s3_kv {
	const char *name;
	const char *value;
};

struct s3_sigv4_input {
	const char *method;            /* "GET" */
	const char *canonical_uri;     /* already percent-encoded: "/b/k%20x" */
	const struct s3_kv *query;     /* raw names/values; encoded and sorted here */
	size_t nquery;
	const struct s3_kv *headers;   /* every signed header, any case/order */
	size_t nheaders;
	const char *payload_hash;      /* lower-case hex SHA-256 of the body */
	const char *amz_date;          /* "20130524T000000Z" */
	const char *region;            /* "us-east-1" */
	const char *service;           /* "s3" */
	const char *access_key;
	const char *secret_key;
};

/* Percent-encode S the way SigV4 wants (RFC 3986 unreserved kept, upper-case
 * hex); '/' kept when KEEP_SLASH. NULL on out of memory. */
char *s3_uri_encode(const char *s, int keep_slash);
/* "a=1&b=2": encoded, sorted by name then value. NULL on out of memory. */
char *s3_sigv4_query(const struct s3_kv *q, size_t n);
/* The canonical request text (for tests and debugging). NULL on OOM. */
char *s3_sigv4_canonical_request(const struct s3_sigv4_input *in);
/* The Authorization header value. NULL on OOM. */
char *s3_sigv4_authorization(const struct s3_sigv4_input *in);

/* Digests of a body: lower-case hex SHA-256, base64 MD5 (Content-MD5),
 * lower-case hex MD5 (a plain upload's ETag). */
void s3_sha256_hex(const void *data, size_t len, char out[65]);
void s3_md5_base64(const void *data, size_t len, char out[25]);
void s3_md5_hex(const void *data, size_t len, char out[33]);

#endif
