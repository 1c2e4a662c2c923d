/*
 * preserve/repo/premis.h - PREMIS 3.0 XML (http://www.loc.gov/premis/v3) for a
 * stored object version: the intellectual entity, one file object per
 * payload file (fixity, size, PRONOM format), the events that made the
 * version and custos as the agent. Event types and outcomes carry the
 * Library of Congress vocabulary URIs. Written with libxml2.
 */
#ifndef CUSTOS_PRESERVE_REPO_PREMIS_H
#define CUSTOS_PRESERVE_REPO_PREMIS_H

#include <stddef.h>
#include <stdint.h>
#include "core/digest.h"
#include "core/err.h"

struct premis_file {
	const char *path;                 /* "data/..." */
	uint64_t size;
	const struct digest_result *dig;
	const char *puid;                 /* NULL if unidentified */
	const char *format_name, *format_version;
};

struct premis_event {
	const char *uuid, *type, *datetime, *outcome, *detail;  /* LoC codes */
};

/* The PREMIS document of version IDENT/vVERSION as a new NUL-terminated
 * string (*out, caller frees; *len its length). */
int premis_version_xml(char **out, size_t *len, const char *ident, int version,
		       const struct premis_file *files, size_t nfiles,
		       const struct premis_event *events, size_t nevents,
		       struct custos_err *err);

#endif
