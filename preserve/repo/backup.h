/*
 * preserve/repo/backup.h - consistent copies of the catalog itself (custos
 * backup, and the policy's [catalog] backup = yes): the database's online
 * backup, taken while others may write, made durable, its SHA-256 taken,
 * and the copy recorded as a PREMIS creation event ("cre") naming where it
 * went and its digest. Into the storage locations, a copy goes to
 *   .custos-log/catalog/TIME-EVENTS/custos.db (+ custos.db.sha256), EVENTS
 * the number of events the copy holds,
 * through the location interface; the newest BACKUP_KEEP are kept.
 */
#ifndef CUSTOS_PRESERVE_REPO_BACKUP_H
#define CUSTOS_PRESERVE_REPO_BACKUP_H

#include <stdint.h>
#include "core/err.h"
#include "preserve/repo/repo.h"

#define BACKUP_KEEP 3

/* A copy of R's catalog at DEST (a new file); SHA256 (65 bytes) gets its
 * digest and *SIZE its length. */
int repo_backup_file(struct repo *r, const char *dest, char *sha256,
		     uint64_t *size, struct custos_err *err);

/* A copy of R's catalog into every storage location. */
int repo_backup_locations(struct repo *r, struct custos_err *err);

#endif
