/*
 * preserve/repo/repo.h - a custos repository: a directory holding the catalog
 * (custos.db), the policy in force (policy.ini) and a lock; the copies
 * live in the storage locations the policy declares. Writers take an
 * exclusive lock (a second process waits); opening also finishes or rolls
 * back whatever an interrupted process left (recover).
 */
#ifndef CUSTOS_PRESERVE_REPO_REPO_H
#define CUSTOS_PRESERVE_REPO_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "preserve/policy/policy.h"
#include "formats/identify.h"
#include "preserve/catalog/catalog.h"
#include "preserve/storage/location.h"

#define REPO_CATALOG "custos.db"
#define REPO_POLICY "policy.ini"
#define REPO_LOCK "lock"

struct repo;                    /* opaque: use the accessors below */

enum repo_mode {
	REPO_READ,                  /* no lock, no recovery */
	REPO_WRITE,                 /* exclusive lock, recover first */
};

/* Create a repository at PATH with the policy file POLICY_FILE (NULL: the
 * built-in default policy). PATH must not exist or be empty. */
int repo_init(const char *path, const char *policy_file,
	      struct custos_err *err);

/* Open the repository at PATH. */
int repo_open(struct repo **out, const char *path, enum repo_mode mode,
	      struct custos_err *err);
void repo_close(struct repo *r);      /* NULL ok */

/* Accessors. The pointers are borrowed and live as long as R. */
const char *repo_root(const struct repo *r);            /* absolute */
const struct policy *repo_policy(const struct repo *r);  /* in force */
/* Is the policy in force the last one assigned in the event log? If
 * not: RECORD appends its assignment (a write transaction); otherwise
 * the error names the change (CUSTOS_EUSAGE), for a command that acts
 * under the policy but cannot write. Writing opens record it already. */
int repo_policy_on_record(struct repo *r, bool record, struct custos_err *err);
struct catalog *repo_catalog(const struct repo *r);
/* The storage locations in policy order; [0] is the primary. */
size_t repo_location_count(const struct repo *r);
struct location *repo_location(const struct repo *r, size_t i);
int64_t repo_location_id(const struct repo *r, size_t i);  /* catalog id */

/* Where the repository is: OPT (-r), else $CUSTOS_REPO, else ".". */
const char *repo_locate(const char *opt);

/* The format identifier of the policy ([formats] signatures, relative
 * to the repository; else the built-in set), loaded once. */
int repo_formats(struct repo *r, const struct fmt_identifier **out,
		 struct custos_err *err);

/* Finish or roll back interrupted ingests and replications. *fixed
 * counts what was done. Runs on every REPO_WRITE open. What cannot be
 * finished now (a location full or unreachable) is reported on stderr
 * and left for the next run, counted by repo_unrecovered; -1 only when
 * the catalog cannot be read. */
int repo_recover(struct repo *r, size_t *fixed, struct custos_err *err);
size_t repo_unrecovered(const struct repo *r);

/* The relative path of an object version in a location: "ID/vN". */
int repo_version_path(char *buf, size_t size, const char *ident, int version);

/* Check an object identifier a user gave: [A-Za-z0-9._-]{1,128}, not
 * starting with '.'. 0, or -1 with *err. */
int repo_check_ident(const char *ident, struct custos_err *err);

/* The built-in default policy (policies/default.ini). */
extern const char repo_default_policy[];

#endif
