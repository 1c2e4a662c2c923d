/*
 * preserve/policy/policy.h - the preservation policy a repository runs under
 * (docs/policy.md; every key documented in policies/README.md), read from
 * an INI file with inih. Unknown sections and keys are errors naming the
 * file and line: a typo must never silently weaken a policy. Every value
 * is checked and every optional key has a default.
 */
#ifndef CUSTOS_PRESERVE_POLICY_POLICY_H
#define CUSTOS_PRESERVE_POLICY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/digest.h"
#include "core/err.h"

#define POLICY_MAX_BYTES     (64 * 1024) /* a policy file is at most this */
#define POLICY_MAX_LOCATIONS 64          /* [location.NAME] sections */
#define POLICY_MAX_LIST      256         /* items in one list value */
#define POLICY_MAX_NAME      40          /* bytes in a location NAME (inih
					 * keeps 49 of "location.NAME") */

enum policy_repair {
	POLICY_REPAIR_MANUAL, /* report; repair only on `audit --repair` */
	POLICY_REPAIR_AUTO,   /* repair from a verified copy at once */
};

enum policy_location_type {
	POLICY_LOCATION_FILESYSTEM, /* `path` (the default type) */
	POLICY_LOCATION_S3,         /* `endpoint` + `bucket` (+ prefix ...) */
};

/* One [location.NAME] section. Strings are NULL when not given. */
struct policy_location {
	char *name;                     /* NAME: [a-z0-9_-]+ */
	enum policy_location_type type;
	char *path;        /* filesystem: as written; relative = to the repo */
	char *endpoint;    /* s3: "https://host[:port]" */
	char *bucket;      /* s3: bucket name */
	char *prefix;      /* s3: key prefix, no leading '/' */
	char *s3_region;   /* s3: the service region ("us-east-1") */
	char *credentials; /* s3: path of a credentials file (not read here) */
	char *region;      /* declared: geographic region ("Campus A") */
	char *threat;      /* declared: disaster-threat zone */
	char *media;       /* declared: storage media type ("disk", "tape") */
	unsigned line;     /* line of the section header */
};

/* A loaded policy; owns everything it points to. */
struct policy {
	char *name;              /* [policy] name; default: the file name */
	char *version;           /* NULL if not given */
	char *approved;          /* NULL if not given */
	int64_t review_seconds;  /* review period; 0 = none given */
	digest_mask algorithms;  /* computed at ingest; default sha256,sha512 */
	enum digest_alg audit_alg; /* the first listed: the one audits use */
	int64_t interval_seconds;  /* each copy verified this often; 90 days */
	bool verify_after_write; /* re-read what was written; default yes */
	bool catalog_backup;     /* [catalog] backup: a copy of the catalog into
				  * every location after each writing command */
	double sample;           /* extra random share per audit run; 0 */
	unsigned copies_required; /* default: every declared location */
	struct policy_location *locations; /* in file order, >= 1 */
	size_t nlocations;
	char *deposit_profile;   /* BagIt profile path; NULL = none */
	char **required_info;    /* bag-info labels deposits must carry */
	size_t nrequired_info;
	char **preferred_puids;  /* "fmt/95", "x-fmt/111", ... */
	size_t npreferred;
	char **at_risk_puids;
	size_t nat_risk;
	char *signatures;        /* DROID signature file; NULL = built-in */
	enum policy_repair repair; /* default manual */
	char *source_path;       /* the path (or name) it was loaded from */
	char sha256[DIGEST_HEX_MAX]; /* lower-case hex of the file's bytes */
	char *bytes;             /* the exact bytes loaded (NUL-terminated) */
	size_t nbytes;
};

/* Load the policy file PATH (symlinks followed, regular files only, at
 * most POLICY_MAX_BYTES) into a new *out. 0, or -1 with *err naming the
 * file and, for content errors, the line. Every error but out-of-memory
 * is CUSTOS_EUSAGE (a configuration error: exit 2). */
int policy_load(struct policy **out, const char *path, struct custos_err *err);

/* Like policy_load, from LEN bytes at DATA; SHOWN names it in messages
 * and becomes source_path. */
int policy_load_buffer(struct policy **out, const void *data, size_t len,
		       const char *shown, struct custos_err *err);

void policy_free(struct policy *p); /* NULL ok */

/* The location called NAME, or NULL. */
const struct policy_location *policy_location_find(const struct policy *p,
						   const char *name);

/* "filesystem" or "s3". */
const char *policy_location_type_name(enum policy_location_type t);

/* Explain P in plain words to TO (what `custos policy check` prints),
 * with the NDSA Levels 2.0 the declared facts allow at most. 0, or -1 if
 * writing failed (errno set). */
int policy_explain(const struct policy *p, FILE *to);

/* The NDSA storage / integrity level (0-4) P's declarations allow at
 * most; only a running repository's records can evidence a level. */
int policy_ndsa_storage_max(const struct policy *p);
int policy_ndsa_integrity_max(const struct policy *p);

#endif
