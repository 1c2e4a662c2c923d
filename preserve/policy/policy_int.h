/*
 * preserve/policy/policy_int.h - shared between the policy loader's files only
 * (policy_load.c reads lines and runs cross-checks, policy_keys.c knows
 * the sections and keys). Not part of the public API.
 */
#ifndef CUSTOS_PRESERVE_POLICY_POLICY_INT_H
#define CUSTOS_PRESERVE_POLICY_POLICY_INT_H

#include <stdbool.h>
#include "preserve/policy/policy.h"

#define POLICY_KEY_SLOTS 32 /* >= the number of rows in the key table */

/* Where policy_keys.c records the line each key was given on. */
enum policy_key_id {
	PK_NAME, PK_VERSION, PK_APPROVED, PK_REVIEW,
	PK_ALGORITHMS, PK_INTERVAL, PK_VERIFY, PK_SAMPLE,
	PK_REQUIRED,
	PK_TYPE, PK_PATH, PK_ENDPOINT, PK_BUCKET, PK_PREFIX, PK_S3_REGION,
	PK_CREDENTIALS, PK_REGION, PK_THREAT, PK_MEDIA,
	PK_PROFILE, PK_REQUIRED_INFO,
	PK_PREFERRED, PK_AT_RISK, PK_SIGNATURES,
	PK_MODE,
	PK_BACKUP,
	PK_COUNT
};

struct policy_ctx {
	struct policy *p;
	const char *shown;          /* file name in messages */
	unsigned line;              /* line being read, from 1 */
	unsigned key_line[PK_COUNT]; /* global keys: line given, 0 = not */
	unsigned loc_line[POLICY_MAX_LOCATIONS][PK_COUNT]; /* per location */
	unsigned section_line[8];   /* fixed sections: line of the header */
	struct custos_err *err;
	bool failed;                /* first error kept in *err */
	unsigned err_line;
	const char *buf;            /* the file, being handed to inih */
	size_t len, pos;
};

/* Record an error at line LINE (0: none) unless one is kept; -1. */
int policy_fail_at(struct policy_ctx *c, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A [NAME] header on line c->line. 0, or -1 (unknown, repeated). */
int policy_section_open(struct policy_ctx *c, const char *name);

/* KEY = VALUE inside [SECTION] on line c->line. 0, or -1. */
int policy_key_set(struct policy_ctx *c, const char *section, const char *key,
		   const char *value);

/* The key's name as written in a policy ("endpoint"). */
const char *policy_key_name(enum policy_key_id id);

/* True if S is a PRONOM identifier: fmt/N or x-fmt/N. */
bool policy_puid_valid(const char *s);

#endif
