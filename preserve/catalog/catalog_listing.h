/*
 * preserve/catalog/catalog_listing.h - what the catalog shows a person:
 * every object with the status of its latest version (custos ls), one
 * object's versions, files and copies (custos show), and the event log
 * filtered by object and date (custos log, custos show).
 *
 * Each listing calls FN once per row, in order, with a row that lives only
 * during the call. FN returns 0 to go on; anything else stops the listing,
 * which then returns that value. Otherwise 0, or -1 with ERR.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_LISTING_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_LISTING_H

#include <stdint.h>
#include "core/digest.h"
#include "core/err.h"

struct catalog;

/* An object and its latest version's copies. */
struct catalog_object_row {
	const char *ident;
	int latest;                  /* number of the latest version */
	uint64_t files, bytes;       /* of the latest version */
	const char *oldest_verified; /* oldest last verification of its copies;
					NULL when none was verified */
	int64_t copies_ok;           /* its copies with status "ok" */
	/* of the latest version, for a label; each may be NULL */
	const char *title;           /* bag-info Title */
	const char *external_id;     /* bag-info External-Identifier */
	const char *source;          /* what was deposited */
};
typedef int (*catalog_object_row_fn)(void *arg, const struct catalog_object_row *row);

/* Every object, by identifier. */
int catalog_list_objects(struct catalog *c, catalog_object_row_fn fn, void *arg,
			 struct custos_err *err);

struct catalog_version_row {
	int number;
	const char *created;
	uint64_t files, bytes;
	const char *source;          /* what was deposited; may be NULL */
};
typedef int (*catalog_version_row_fn)(void *arg, const struct catalog_version_row *row);

/* The versions of object IDENT, oldest first (none if it is absent). */
int catalog_list_versions(struct catalog *c, const char *ident,
			  catalog_version_row_fn fn, void *arg, struct custos_err *err);

struct catalog_file_row {
	const char *path;            /* "data/..." */
	uint64_t size;
	const char *hex[DIGEST_COUNT];  /* digests held; NULL when absent */
	const char *puid, *format_name, *format_version, *mime, *basis;  /* may be NULL */
};
typedef int (*catalog_file_row_fn)(void *arg, const struct catalog_file_row *row);

/* The files of version NUMBER of object IDENT, by path. */
int catalog_list_files(struct catalog *c, const char *ident, int number,
		       catalog_file_row_fn fn, void *arg, struct custos_err *err);

struct catalog_copy_row {
	const char *location;        /* the location's name */
	const char *status;          /* "ok", "missing", ... */
	const char *last_verified;   /* NULL if never */
};
typedef int (*catalog_copy_row_fn)(void *arg, const struct catalog_copy_row *row);

/* The copies of version NUMBER of object IDENT, in location order. */
int catalog_list_copies(struct catalog *c, const char *ident, int number,
			catalog_copy_row_fn fn, void *arg, struct custos_err *err);

struct catalog_event_row {
	int64_t id;                  /* position in the log, from 1 */
	const char *uuid, *datetime;
	const char *type, *outcome;  /* LoC codes ("ing", "suc") */
	const char *object;          /* may be NULL */
	int version;                 /* 0 = none */
	const char *location;        /* may be NULL */
	const char *record;          /* the stored JSON record */
	const char *hash;            /* the chain hash after this event */
};
typedef int (*catalog_event_row_fn)(void *arg, const struct catalog_event_row *row);

/* The events of OBJECT (NULL: every event) at or after SINCE (ISO 8601
 * UTC, compared as text; NULL: from the first), oldest first. */
int catalog_list_events(struct catalog *c, const char *object, const char *since,
			catalog_event_row_fn fn, void *arg, struct custos_err *err);

#endif
