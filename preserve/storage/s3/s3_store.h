/*
 * preserve/storage/s3/s3_store.h - the bucket operations an S3 location is built
 * from: one key's HEAD, PUT, GET and DELETE, every key under a prefix
 * (ListObjectsV2), a tree deleted with its multipart uploads, and the bits
 * of XML S3 answers in. Keys are full keys (prefix included).
 */
#ifndef CUSTOS_PRESERVE_STORAGE_S3_S3_STORE_H
#define CUSTOS_PRESERVE_STORAGE_S3_S3_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "preserve/storage/s3/s3_client.h"

#define S3_XML_MAX (32u << 20)  /* one XML answer (a listing page) */
#define S3_SMALL_MAX 4096u      /* a small object (a stage record) */

/* 0 for a 2xx RESP, else -1 with the reason (s3_client_fail). */
int s3_store_ok(struct s3_client *c, const struct s3_request *rq,
		const struct s3_response *resp, struct custos_err *err);
/* An answer that is not the XML S3 sends: -1 with a message. */
int s3_store_bad_answer(struct s3_client *c, const char *what,
			struct custos_err *err);

/* 0 if the bucket answers; a missing bucket or refused credentials is
 * -1 with a clear message (storage unavailable). */
int s3_store_check(struct s3_client *c, struct custos_err *err);
/* HEAD KEY: 0 (and *SIZE if given), 1 if absent (the bucket being
 * there), -1. */
int s3_store_head(struct s3_client *c, const char *key, uint64_t *size,
		  struct custos_err *err);
/* A plain upload's ETag is the MD5 of what the server stored: -1 if RESP
 * has such an ETag and it is not DATA's (a transfer check on top of the
 * server's Content-MD5 check; ETags that are not a plain MD5, as with
 * server-side encryption, are not judged; never used as fixity). */
int s3_store_etag_check(struct s3_client *c, const char *key,
			const struct s3_response *resp, const void *data,
			size_t len, struct custos_err *err);
/* PUT a small body with Content-MD5 and its SHA-256. */
int s3_store_put(struct s3_client *c, const char *key, const void *data,
		 size_t len, struct custos_err *err);
/* DELETE KEY (absent is fine). */
int s3_store_delete(struct s3_client *c, const char *key,
		    struct custos_err *err);
/* GET a small object (<= S3_SMALL_MAX) into *OUT, NUL-terminated: 0, 1 if
 * absent, -1. */
int s3_store_get_small(struct s3_client *c, const char *key, char **out,
		       struct custos_err *err);

/* Every key starting with KPREFIX, in S3's order; FN returns non-zero to
 * stop as out of memory. */
typedef int (*s3_key_fn)(void *arg, const char *key, uint64_t size);
int s3_store_list(struct s3_client *c, const char *kprefix, s3_key_fn fn,
		  void *arg, struct custos_err *err);

struct s3_keyset {
	char **keys;
	uint64_t *sizes;
	size_t n, cap;
};
int s3_keyset_add(void *arg, const char *key, uint64_t size);  /* s3_key_fn */
void s3_keyset_release(struct s3_keyset *ks);

/* Abort the multipart upload ID of KEY. */
int s3_store_abort_upload(struct s3_client *c, const char *key,
			  const char *id, struct custos_err *err);
/* Delete every key under KPREFIX ("PREFIX/ID/vN/") and abort its
 * multipart uploads. */
int s3_store_delete_tree(struct s3_client *c, const char *kprefix,
			 struct custos_err *err);

/* XML: the root of B (*DOC to xmlFreeDoc), a child's text (malloc'ed,
 * NULL if absent), text escaped into B. */
xmlNode *s3_xml_root(const struct s3_buf *b, xmlDoc **doc);
char *s3_xml_text(const xmlNode *n, const char *name);
void s3_xml_escape(struct strbuf *b, const char *s);

#endif
