/*
 * preserve/catalog/catalog.h - the repository catalog: objects,
 * versions, files with digests and format records, storage locations,
 * copies, policy history, ingest intents, and the PREMIS event log. The
 * catalog is authoritative for what should exist. Events are append-only
 * (triggers refuse UPDATE and DELETE) and hash-chained:
 * h_i = SHA-256(0x02 || h_{i-1} || SHA-256(record_i)) over the exact
 * stored record bytes (standards.md 7.1). The catalog is an SQLite file
 * (WAL); which database holds it is the catalog's own business.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/digest.h"
#include "core/err.h"

#define CATALOG_SCHEMA_VERSION 1
#define CATALOG_BUSY_MS 60000    /* wait this long for another writer */

struct catalog;

/* Open (CREATE: make) the catalog at WHERE and bring its schema up to
 * date. WHERE is a file path (SQLite); a postgresql:// or postgres://
 * address is refused for now (CUSTOS_EUSAGE). */
int catalog_open(struct catalog **out, const char *where, bool create,
		 struct custos_err *err);
void catalog_close(struct catalog *c);                 /* NULL ok */

/* One write transaction (BEGIN IMMEDIATE: other writers wait). */
int catalog_begin(struct catalog *c, struct custos_err *err);
int catalog_commit(struct catalog *c, struct custos_err *err);
void catalog_rollback(struct catalog *c);

int catalog_meta_set(struct catalog *c, const char *key, const char *value,
		     struct custos_err *err);
/* *out (caller frees) or NULL when absent. */
int catalog_meta_get(struct catalog *c, const char *key, char **out,
		     struct custos_err *err);

/* Put the policy SHA256 on record as the one in force: its text kept,
 * and a policy assignment event unless it is the last one assigned
 * (*ASSIGNED then false). Going back to an earlier policy is assigned
 * anew. Inside a write transaction. */
int catalog_policy_assign(struct catalog *c, const char *sha256, const char *name,
			  const char *version, const char *text, bool *assigned,
			  struct custos_err *err);
/* The digest of the last policy assigned (SHA256, 65 bytes); *FOUND false
 * if none was. */
int catalog_policy_assigned(struct catalog *c, char sha256[65], bool *found,
			    struct custos_err *err);

struct catalog_location {
	const char *name, *type, *where, *region, *threat, *media;
};
int catalog_location_put(struct catalog *c, const struct catalog_location *l,
			 int64_t *id, struct custos_err *err);
/* Location row id by NAME: 0 found, 1 absent, -1 error. */
int catalog_location_id(struct catalog *c, const char *name, int64_t *id,
			struct custos_err *err);
/* *in_use: some copy, of any status, was ever recorded at location ID. */
int catalog_location_in_use(struct catalog *c, int64_t id, bool *in_use,
			    struct custos_err *err);

/* Object by identifier: 0 found (*id, *latest), 1 absent, -1 error. */
int catalog_object_find(struct catalog *c, const char *ident, int64_t *id,
			int *latest, struct custos_err *err);
int catalog_object_add(struct catalog *c, const char *ident, int64_t *id,
		       struct custos_err *err);

struct catalog_version {
	int64_t object_id;
	int number;
	const char *source;       /* what was deposited */
	uint64_t files, bytes;
	const char *bag_info;     /* JSON of the bag-info tags */
	const char *created;      /* ISO 8601 UTC; NULL: now */
};
int catalog_version_add(struct catalog *c, const struct catalog_version *v,
			int64_t *id, struct custos_err *err);

/* Version row id of IDENT version N: 0 found, 1 absent, -1 error. */
int catalog_version_id(struct catalog *c, const char *ident, int number,
		       int64_t *id, struct custos_err *err);

/* The ALG digest of every payload file of version VID: a new map
 * "data/..." -> hex string (free with catalog_digests_free). */
struct strmap;
int catalog_version_digests(struct catalog *c, int64_t vid, enum digest_alg alg,
			    struct strmap **out, struct custos_err *err);
void catalog_digests_free(struct strmap *m);   /* NULL ok */

struct catalog_file {
	const char *path;         /* "data/..." */
	uint64_t size;
	const struct digest_result *dig;
	const char *puid, *format_name, *format_version, *mime, *basis;
};
int catalog_file_add(struct catalog *c, int64_t version_id,
		     const struct catalog_file *f, struct custos_err *err);

/* Copy of a version at a location; STATUS "ok", "missing", ... */
int catalog_copy_put(struct catalog *c, int64_t version_id,
		     int64_t location_id, const char *status, bool verified_now,
		     struct custos_err *err);
/* *OK: version VERSION_ID has a copy with status "ok" at LOCATION_ID. */
int catalog_copy_ok(struct catalog *c, int64_t version_id, int64_t location_id,
		    bool *ok, struct custos_err *err);

/* A PREMIS event. TYPE and OUTCOME are LoC codes ("ing", "suc"). */
struct catalog_event {
	const char *type;
	const char *outcome;
	const char *detail;       /* free text, may be NULL */
	const char *object;       /* object identifier, may be NULL */
	int version;              /* 0 = none */
	const char *location;     /* may be NULL */
	const char *outcome_note; /* e.g. expected vs actual digests */
	const char *related;      /* identifier of a related event, may be NULL */
	const char *uuid;         /* NULL: a new one (catalog_new_uuid) */
	const char *datetime;     /* NULL: now (catalog_now) */
};

/* A new random (version 4) UUID, 36 characters and a NUL. */
void catalog_new_uuid(char out[37]);
/* Append E; UUID (37 bytes) receives its identifier (may be NULL). */
int catalog_event_add(struct catalog *c, const struct catalog_event *e,
		      char *uuid, struct custos_err *err);

/* What checking the event log found. */
struct catalog_log_check {
	int64_t events;           /* events checked */
	int64_t bad;              /* id of the first broken event; 0 if none */
	char why[256];            /* why it is broken; "" if intact */
	int64_t last_id;          /* id of the last intact event; 0 if none */
	char head[65];            /* its chain hash (64 zeros if none) */
};
/* Check the log: ids without gaps from 1, every record hashed into the
 * chain, and every column of every row equal to what its record says
 * (the columns are what queries count; the chain covers the record). */
int catalog_log_check(struct catalog *c, struct catalog_log_check *out,
		      struct custos_err *err);

/* Ingest intents: what recover must finish or roll back. */
int catalog_intent_add(struct catalog *c, const char *txid, const char *object,
		       int version, const char *state, struct custos_err *err);
int catalog_intent_set(struct catalog *c, const char *txid, const char *state,
		       struct custos_err *err);
int catalog_intent_remove(struct catalog *c, const char *txid,
			  struct custos_err *err);
struct catalog_intent {
	char *txid, *object, *state;
	int version;
};
/* Every intent, oldest first (free with catalog_intents_free). */
int catalog_intents(struct catalog *c, struct catalog_intent **out, size_t *n,
		    struct custos_err *err);
void catalog_intents_free(struct catalog_intent *v, size_t n);

/* ISO 8601 UTC now, "2026-11-25T12:00:00Z" (21 bytes). */
void catalog_now(char out[32]);

#endif
