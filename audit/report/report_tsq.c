/*
 * audit/report/report_tsq.c - `--timestamp-request`: log-head.txt states the
 * event log's Merkle tree head, log-head.tsq is an RFC 3161 TimeStampReq
 * (SHA-256 imprint of log-head.txt, random nonce, certificate requested)
 * to send to a timestamp authority; the reply (`openssl ts -verify -data
 * log-head.txt -in log-head.tsr ...`, or `custos report verify --tsa-ca`)
 * proves the head existed then. The reply is added after the report was
 * signed, so it is outside the manifest and is checked on its own.
 */
#include "audit/report/report_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509_vfy.h>
#include "core/fileio.h"

static TS_REQ *make_req(const unsigned char *md, size_t mdlen)
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *imp = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	unsigned char nb[8];
	BIGNUM *bn = NULL;
	ASN1_INTEGER *nonce = NULL;
	int ok = req && imp && alg && RAND_bytes(nb, sizeof(nb)) == 1;

	ok = ok && TS_REQ_set_version(req, 1) &&
	     X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
	     TS_MSG_IMPRINT_set_algo(imp, alg) &&
	     TS_MSG_IMPRINT_set_msg(imp, (unsigned char *)md, (int)mdlen) &&
	     TS_REQ_set_msg_imprint(req, imp) &&
	     (bn = BN_bin2bn(nb, sizeof(nb), NULL)) && (nonce = BN_to_ASN1_INTEGER(bn, NULL)) &&
	     TS_REQ_set_nonce(req, nonce) && TS_REQ_set_cert_req(req, 1);
	BN_free(bn);
	ASN1_INTEGER_free(nonce);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(imp);
	if (!ok) {
		TS_REQ_free(req);
		return NULL;
	}
	return req;
}

int report_write_tsq(const char *dir, json_t *rep, struct custos_err *err)
{
	char head[512];
	unsigned char md[32], *der = NULL;
	int n, len;
	TS_REQ *req;

	n = snprintf(head, sizeof(head), "custos event log tree head (RFC 9162, SHA-256)\n"
		     "repository: %s\ntree size: %lld\nroot: %s\ngenerated: %s\n",
		     json_string_value(rjson_get(rep, "repository/path")),
		     (long long)rjson_int(rep, "log/merkle/tree_size"),
		     json_string_value(rjson_get(rep, "log/merkle/root")),
		     json_string_value(json_object_get(rep, "generated")));
	if (n < 0 || (size_t)n >= sizeof(head))
		return err_set(err, CUSTOS_ELIMIT, dir, "repository path too long for log-head.txt");
	if (!EVP_Digest(head, (size_t)n, md, NULL, EVP_sha256(), NULL) ||
	    !(req = make_req(md, sizeof(md))))
		return err_set(err, CUSTOS_EINTERNAL, dir, "cannot build a timestamp request");
	len = i2d_TS_REQ(req, &der);
	TS_REQ_free(req);
	if (len <= 0)
		return err_set(err, CUSTOS_EINTERNAL, dir, "cannot encode a timestamp request");
	int rc = report_put(dir, "log-head.txt", head, (size_t)n, err);
	if (rc == 0)
		rc = report_put(dir, "log-head.tsq", der, (size_t)len, err);
	OPENSSL_free(der);
	return rc;
}

static int read_in(const char *dir, const char *name, char **out, size_t *len,
		   struct custos_err *err)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return err_set(err, CUSTOS_ELIMIT, dir, "path too long: '%s'", dir);
	return fio_read_file(out, len, AT_FDCWD, path, 1u << 20, err);
}

/* The request's imprint must be SHA-256 of log-head.txt. */
static bool imprint_matches(TS_REQ *req, const char *head, size_t hlen)
{
	TS_MSG_IMPRINT *imp = TS_REQ_get_msg_imprint(req);
	ASN1_OCTET_STRING *msg = imp ? TS_MSG_IMPRINT_get_msg(imp) : NULL;
	unsigned char md[32];

	return msg && ASN1_STRING_length(msg) == 32 &&
	       EVP_Digest(head, hlen, md, NULL, EVP_sha256(), NULL) &&
	       !memcmp(ASN1_STRING_get0_data(msg), md, 32);
}

static bool token_ok(TS_REQ *req, TS_RESP *resp, const char *ca, char *when, size_t wsize)
{
	TS_VERIFY_CTX *ctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL);
	X509_STORE *store = X509_STORE_new();
	bool ok = false;

	if (ctx && store && X509_STORE_load_file(store, ca) == 1) {
		TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE);
		TS_VERIFY_CTX_set_store(ctx, store);   /* the context owns it now */
		store = NULL;
		ok = TS_RESP_verify_response(ctx, resp) == 1;
	}
	if (ok) {
		const ASN1_GENERALIZEDTIME *t =
			TS_TST_INFO_get_time(TS_RESP_get_tst_info(resp));

		snprintf(when, wsize, "%.*s", t ? ASN1_STRING_length(t) : 0,
			 t ? (const char *)ASN1_STRING_get0_data(t) : "");
	}
	X509_STORE_free(store);
	TS_VERIFY_CTX_free(ctx);
	return ok;
}

int report_verify_timestamp(const char *dir, const char *ca, FILE *to,
			    size_t *problems, struct custos_err *err)
{
	char *head = NULL, *tsq = NULL, *tsr = NULL, when[64] = "";
	size_t hlen, qlen, rlen;
	TS_REQ *req = NULL;
	TS_RESP *resp = NULL;
	bool ok;

	if (read_in(dir, "log-head.txt", &head, &hlen, err) < 0 ||
	    read_in(dir, "log-head.tsq", &tsq, &qlen, err) < 0 ||
	    read_in(dir, REPORT_TOKEN, &tsr, &rlen, err) < 0) {
		free(head);
		free(tsq);
		return -1;
	}
	const unsigned char *q = (unsigned char *)tsq, *s = (unsigned char *)tsr;
	req = d2i_TS_REQ(NULL, &q, (long)qlen);
	resp = d2i_TS_RESP(NULL, &s, (long)rlen);
	ok = req && resp && imprint_matches(req, head, hlen) &&
	     token_ok(req, resp, ca, when, sizeof(when));
	if (ok)
		fprintf(to, "timestamp ok: %s shows the log head in log-head.txt existed at %s"
			" (TSA certificate chain from '%s')\n", REPORT_TOKEN, when, ca);
	else
		fprintf(to, "BAD TIMESTAMP %s: does not verify for log-head.txt with the CA in"
			" '%s'\n", REPORT_TOKEN, ca);
	*problems += !ok;
	TS_REQ_free(req);
	TS_RESP_free(resp);
	free(head);
	free(tsq);
	free(tsr);
	return 0;
}
