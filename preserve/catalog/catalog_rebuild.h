/*
 * preserve/catalog/catalog_rebuild.h - what making a catalog anew from the
 * storage locations needs (custos rebuild), and what those locations keep
 * of it: events appended as they were recorded (record and chain hash,
 * checked), the policy history, objects and versions with their recorded
 * times, each file's digests and format record filled in one at a time
 * (so a version is streamed, never held), and copies whose last
 * verification is read back from the fixity events. Also the online
 * backup of the catalog itself.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_REBUILD_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_REBUILD_H

#include <stdbool.h>
#include <stdint.h>
#include "core/digest.h"
#include "core/err.h"
#include "preserve/catalog/catalog.h"

/* Append the event ID (one past the last) with its stored RECORD and
 * chain HASH as they were: the hash must follow from the last event's
 * hash and RECORD (CUSTOS_EFORMAT if not). */
int catalog_event_import(struct catalog *c, int64_t id, const char *record,
			 const char *hash, struct custos_err *err);

/* A policy of the history, with when it was first in force. */
struct catalog_policy_row {
	const char *sha256, *name, *version, *text, *first_in_force;
};
int catalog_policy_import(struct catalog *c, const struct catalog_policy_row *p,
			  struct custos_err *err);
/* FN once per policy of the history, oldest first; non-zero stops. */
typedef int (*catalog_policy_fn)(void *arg, const struct catalog_policy_row *p);
int catalog_each_policy(struct catalog *c, catalog_policy_fn fn, void *arg,
			struct custos_err *err);

/* An object created at CREATED (ISO 8601 UTC). */
int catalog_object_import(struct catalog *c, const char *ident,
			  const char *created, int64_t *id, struct custos_err *err);

/* Set the ALG digest of file PATH of version VID (which must exist). */
int catalog_file_set_digest(struct catalog *c, int64_t vid, const char *path,
			    enum digest_alg alg, const char *hex,
			    struct custos_err *err);
/* Set the format record of file PATH of version VID. */
int catalog_file_set_format(struct catalog *c, int64_t vid, const char *path,
			    const struct catalog_file *f, struct custos_err *err);

/* Set the size of file PATH of version VID. */
int catalog_file_set_size(struct catalog *c, int64_t vid, const char *path,
			  uint64_t size, struct custos_err *err);
/* Set the file count and payload bytes of version VID. */
int catalog_version_set_totals(struct catalog *c, int64_t vid, uint64_t files,
			       uint64_t bytes, struct custos_err *err);

/* FN once per successful ingestion event (log order): the version it made,
 * when, and its stored record. Non-zero from FN stops and is returned. */
typedef int (*catalog_ingest_fn)(void *arg, const char *object, int version,
				 const char *datetime, const char *record);
int catalog_each_ingestion(struct catalog *c, catalog_ingest_fn fn, void *arg,
			   struct custos_err *err);

/* Every copy's last verification: the newest successful fixity event of
 * its object version in its location. */
int catalog_copies_verified_from_events(struct catalog *c,
					struct custos_err *err);

/* ON: the catalog is new and filled by one writer nobody reads yet, so
 * commits need not be durable one by one (rebuild); OFF: durable again
 * (sync the file before it counts). */
int catalog_bulk(struct catalog *c, bool on, struct custos_err *err);

/* A consistent copy of the whole catalog at DEST (a new file), taken
 * while others may write (the database's online backup). */
int catalog_backup(struct catalog *c, const char *dest, struct custos_err *err);

#endif
