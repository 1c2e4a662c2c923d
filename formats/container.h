/*
 * formats/container.h - container signatures (DROID container-signature
 * files): which ZIP- or OLE2-based format a file is, from the entries it
 * holds and the first/last bytes of those entries. Runs only after the
 * binary identification gave a trigger PUID (fmt/111, fmt/189, x-fmt/263).
 */
#ifndef CUSTOS_FORMATS_CONTAINER_H
#define CUSTOS_FORMATS_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

struct container_sigs;                 /* opaque; immutable once loaded */

/* One container answer: the PUID and why (NUL-terminated, truncated). */
struct container_match {
	char puid[32];
	char evidence[160];
};

/* Load a DROID container signature file. 0, or -1 with *err naming the
 * file and line. The result is read-only: share it between threads. */
int container_sigs_load(struct container_sigs **out, const char *path,
			struct custos_err *err);

/* The built-in set (OOXML, ODF, EPUB, OLE2 Office, Outlook MSG), parsed
 * from XML compiled into the library. 0, or -1 with *err. */
int container_sigs_builtin(struct container_sigs **out,
			   struct custos_err *err);

/* True if PUID (binary result) warrants a container check in CS. */
bool container_is_trigger(const struct container_sigs *cs, const char *puid);

/* Identify the seekable FD (read with pread; its offset is not used) whose
 * binary identification gave TRIGGER_PUID. Fills OUT[0..max) with one row
 * per distinct matching PUID, in signature-file order, and returns their
 * number (0 when none matched or TRIGGER_PUID is no trigger). Returns -1
 * with *err for a damaged or over-limit container: the caller keeps the
 * binary result and adds a warning. Time and memory are bounded (limits
 * in formats/container_int.h). Thread-safe for distinct FDs. */
int container_identify(const struct container_sigs *cs, int fd,
		       const char *trigger_puid, struct container_match *out,
		       size_t max, struct custos_err *err);

/* Number of container signatures in CS, and the i-th one's id and
 * mapped PUIDs (NULL-terminated list of borrowed strings), for listing. */
size_t container_sigs_count(const struct container_sigs *cs);
int container_sigs_id(const struct container_sigs *cs, size_t i);
const char *const *container_sigs_puids(const struct container_sigs *cs,
					size_t i);

/* The signature file's signatureVersion attribute ("" for none). */
const char *container_sigs_version(const struct container_sigs *cs);

void container_sigs_free(struct container_sigs *cs);   /* NULL ok */

#endif
