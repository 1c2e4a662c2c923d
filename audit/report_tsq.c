/*
 * audit/report_tsq.c - `--timestamp-request`: log-head.txt states the
 * event log's Merkle tree head, log-head.tsq is an RFC 3161 TimeStampReq
 * (SHA-256 imprint of log-head.txt, random nonce, certificate requested)
 * to send to a timestamp authority; the reply (`openssl ts -verify -data
 * log-head.txt -in log-head.tsr ...`) proves the head existed then.
 */
#include "audit/report_int.h"

#include <stdio.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/ts.h>

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
