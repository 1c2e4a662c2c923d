/*
 * formats/container.h - TEMPORARY copy of the container API agreed with the
 * container helper (ZIP via libarchive, OLE2, container signature file),
 * so the binary engine builds before that work lands. Replace at merge.
 */
#ifndef CUSTOS_FORMATS_CONTAINER_H
#define CUSTOS_FORMATS_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct container_sigs;
int container_sigs_load(struct container_sigs **out, const char *path, struct custos_err *err);
int container_sigs_builtin(struct container_sigs **out, struct custos_err *err); /* built-in OOXML/ODF/EPUB/OLE2-office set */
bool container_is_trigger(const struct container_sigs *cs, const char *puid); /* binary PUID that warrants a container check, e.g. x-fmt/263 ZIP, fmt/111 OLE2 */
struct container_match { char puid[32]; char evidence[160]; };
/* Identify seekable FD whose binary identification gave TRIGGER_PUID. Returns number of matches (0..max), or -1 with *err for a damaged container (caller keeps the binary result and adds a warning). Bounded time/memory. */
int container_identify(const struct container_sigs *cs, int fd, const char *trigger_puid, struct container_match *out, size_t max, struct custos_err *err);
void container_sigs_free(struct container_sigs *cs); /* NULL ok */

#endif
