/*
 * preserve/catalog/catalog_export.h - every object version and every file
 * the catalog records, by object, version number and path: what the
 * PREMIS export describes and what a location is expected to hold.
 * Walks work as in catalog_report.h.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_EXPORT_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_EXPORT_H

#include <stdint.h>
#include "core/err.h"
#include "preserve/catalog/catalog.h"

typedef int (*catalog_version_fn)(void *arg, const char *object, int64_t version);
int catalog_each_version(struct catalog *c, catalog_version_fn fn, void *arg,
			 struct custos_err *err);

struct catalog_file_record {
	const char *object;
	int64_t version;
	const char *path;
	int64_t size;
	const char *sha256;       /* NULL if not computed */
	const char *puid;         /* NULL if unidentified */
	const char *format_name;  /* NULL if unknown */
};
typedef int (*catalog_file_fn)(void *arg, const struct catalog_file_record *f);
int catalog_each_file(struct catalog *c, catalog_file_fn fn, void *arg,
		      struct custos_err *err);

#endif
