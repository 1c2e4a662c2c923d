/*
 * preserve/repo/logmirror.h - the event log kept in every storage location
 * beside the objects, so that losing the catalog loses nothing. Written
 * only through the location interface, every item once and never changed
 * (each is a small tree committed in one step, like a version):
 *
 *   .custos-log/events/FIRST-LAST/events.tsv  events FIRST..LAST, one per
 *                                  line: position TAB chain hash TAB record
 *   .custos-log/heads/SIZE/head.json           the log's head once it held
 *                                  SIZE events: {"repository", "size",
 *                                  "root" (RFC 9162 tree head), "hash" (the
 *                                  last chain hash), "time"}
 *   .custos-log/policies/SHA256/policy.json    a policy of the history:
 *                                  {"sha256", "name", "version",
 *                                  "first_in_force", "text"}
 *
 * Numbers are 20 zero-padded digits, so a listing sorts them. The newest
 * head is the one with the largest SIZE. Segments may overlap (a crash
 * between a segment and its head); readers take each position once.
 */
#ifndef CUSTOS_PRESERVE_REPO_LOGMIRROR_H
#define CUSTOS_PRESERVE_REPO_LOGMIRROR_H

#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "preserve/catalog/catalog_log_read.h"
#include "preserve/repo/repo.h"

#define REPO_LOG_AREA ".custos-log"

struct repo_log_head {
	int64_t size;
	char root[65];            /* hex */
	char hash[65];            /* hex; the chain hash of event SIZE */
	char repository[64];
	char time[32];
};

/* Mirror every event the locations do not have yet, then publish the new
 * head and any policy they lack, to every location; durable when this
 * returns 0. Without REPO_PUBLISH_FORCE nothing is read from storage when
 * the catalog says all its events were published. A location whose log is
 * ahead of or differs from the catalog's is refused (CUSTOS_EUSAGE, naming
 * it). An unreachable location, or one found empty (unless
 * REPO_PUBLISH_NEW: init), is not written and fails the call once the
 * others are done. */
#define REPO_PUBLISH_FORCE 1u
#define REPO_PUBLISH_NEW 2u
int repo_log_publish(struct repo *r, unsigned how, struct custos_err *err);

/* Refuse (CUSTOS_EUSAGE) to write with a catalog that is behind, or not
 * the same log as, the head some location holds. */
int repo_log_guard(struct repo *r, struct custos_err *err);

/* The newest head in L: 0, 1 when L holds none, -1 error. */
int repo_log_newest_head(struct location *l, struct repo_log_head *out,
			 struct custos_err *err);

/* FN for every mirrored event of L in order, each position once, until
 * FN returns non-zero (returned). Positions must follow one another:
 * a gap is CUSTOS_EFORMAT naming the segment. */
int repo_log_mirrored(struct location *l, catalog_since_fn fn, void *arg,
		      struct custos_err *err);

/* FN for every policy kept in L (as parsed from policy.json). */
struct catalog_policy_row;
typedef int (*repo_policy_fn)(void *arg, const struct catalog_policy_row *p);
int repo_log_policies(struct location *l, repo_policy_fn fn, void *arg,
		      struct custos_err *err);

/* The catalog's repository identifier (made on first use when WRITE). */
int repo_identity(struct repo *r, char out[64], bool write, struct custos_err *err);

#endif
