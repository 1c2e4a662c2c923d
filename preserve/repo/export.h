/*
 * preserve/repo/export.h - hand an object version out as a bag: a directory,
 * or a zip / tar / tar.gz written with libarchive. Files come from a copy
 * whose payload matches the catalog as it streams (a damaged copy is never
 * handed out); a directory export appears at DEST only when complete.
 */
#ifndef CUSTOS_PRESERVE_REPO_EXPORT_H
#define CUSTOS_PRESERVE_REPO_EXPORT_H

#include "preserve/repo/repo.h"

enum export_format { EXPORT_DIR, EXPORT_ZIP, EXPORT_TAR, EXPORT_TAR_GZ };

/* "dir", "zip", "tar", "tar.gz"/"tgz" -> format. 0, or -1. */
int export_format_parse(enum export_format *out, const char *name);

/* Export IDENT version VERSION (0 = latest) to DEST. *used_location gets
 * the name of the location read (borrowed). 0, or -1 with *err. */
int repo_export(struct repo *r, const char *ident, int version,
		const char *dest, enum export_format fmt,
		const char **used_location, struct custos_err *err);

#endif
