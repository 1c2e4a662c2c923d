/*
 * audit/report/report.h - the evidence report for auditors (docs/cli.md `custos
 * report`): a folder with index.html, report.json, findings.csv,
 * events.xml (PREMIS 3), MANIFEST-sha256.txt and optionally an Ed25519
 * signature over the manifest; its verification; and the Merkle proofs
 * over the event log (`custos log prove`, `custos log consistency`).
 */
#ifndef CUSTOS_AUDIT_REPORT_REPORT_H
#define CUSTOS_AUDIT_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "core/merkle.h"
#include "core/err.h"

struct repo;

#define REPORT_MANIFEST "MANIFEST-sha256.txt"
#define REPORT_SIGNATURE "MANIFEST-sha256.txt.sig"
#define REPORT_TOKEN "log-head.tsr"   /* RFC 3161 reply, added later */
#define REPORT_MAX_FILE (256u << 20)  /* a report file is at most 256 MiB */
#define REPORT_MAX_LISTED 1000        /* rows listed per section; totals stay exact */

struct report_options {
	const char *out;        /* folder: must not exist or be empty */
	const char *sign_key;   /* private key PEM, or NULL */
	const char *since;      /* ISO 8601 UTC start of the period, or NULL */
	const char *now;        /* generated-at time, NULL: the clock */
	bool timestamp_request; /* also write log-head.tsq (RFC 3161) */
};

/* The whole report as JSON (report.json's content) for R. */
int report_collect(struct repo *r, const struct report_options *o, json_t **out,
		   struct custos_err *err);

/* Write the report folder; with OUT (may be NULL) also hand back the
 * report's JSON (caller json_decref's it). */
int report_write(struct repo *r, const struct report_options *o, json_t **out,
		 struct custos_err *err);

/* Check the folder DIR: every file listed in the manifest has its digest,
 * no file is unlisted, and with PUBKEY the signature verifies. Each
 * problem is printed to TO naming the file; *problems counts them. */
int report_verify(const char *dir, const char *pubkey, FILE *to,
		  size_t *problems, struct custos_err *err);

/* Recompute from DIR/events.jsonl the hash chain head, the Merkle tree
 * head and the figures resting on events (event count, findings,
 * repairs, findings per day, policy history); print each figure of
 * report.json that does not follow to TO and count it in *problems. */
int report_verify_proof(const char *dir, FILE *to, size_t *problems,
			struct custos_err *err);

/* Check the RFC 3161 reply DIR/log-head.tsr against the request
 * log-head.tsq (imprint = SHA-256 of log-head.txt, nonce) and the TSA
 * certificate chain in CA (PEM). A bad token is printed and counted. */
int report_verify_timestamp(const char *dir, const char *ca, FILE *to,
			    size_t *problems, struct custos_err *err);

/* The Merkle leaf hashes of the event log, in event order (*out: caller
 * frees). */
int report_log_leaves(struct repo *r, struct merkle_hash **out, size_t *n,
		      struct custos_err *err);

/* Print (to TO) and check the inclusion proof of the event EVENT (its
 * identifier or row number) in the current log. *ok: it verified. */
int report_log_prove(struct repo *r, const char *event, FILE *to, bool *ok,
		     struct custos_err *err);

/* Print and check the consistency proof from the log head recorded in
 * the earlier report folder DIR (report.json log.merkle) to the current
 * log. *ok: the old log is a prefix of the current one. */
int report_log_consistency(struct repo *r, const char *dir, FILE *to, bool *ok,
			   struct custos_err *err);

#endif
