/*
 * preserve/repo/logcheck.h - the catalog's event log checked against the
 * newest head the storage locations hold (logmirror.h): whoever can write
 * custos.db can cut its tail, put back an older copy, empty it or swap in
 * another catalog, and each leaves the catalog short of, or apart from,
 * the log published beside the objects.
 */
#ifndef CUSTOS_PRESERVE_REPO_LOGCHECK_H
#define CUSTOS_PRESERVE_REPO_LOGCHECK_H

#include <stdint.h>
#include "core/err.h"
#include "preserve/repo/repo.h"

enum repo_log_verdict {
	REPO_LOG_MATCHES,       /* the catalog's log is the newest head's */
	REPO_LOG_UNPUBLISHED,   /* it goes on past it: events not mirrored yet */
	REPO_LOG_NO_HEAD,       /* no location holds a head (made before heads) */
	REPO_LOG_CUT_TAIL,      /* its last events were deleted */
	REPO_LOG_ROLLED_BACK,   /* it is an older copy of itself */
	REPO_LOG_EMPTY,         /* 0 bytes, or no events, where a log was published */
	REPO_LOG_REPLACED,      /* another catalog: not the published log at all */
};

struct repo_log_check {
	enum repo_log_verdict verdict;
	int64_t catalog_events;
	int64_t head_size;          /* the newest head's; 0 if none */
	char head_location[128];    /* where it was found */
	char why[768];              /* one sentence for the operator */
	char gaps[512];             /* locations whose head could not be read */
};

/* Compare the catalog of R with the newest head of its locations. */
int repo_log_check(struct repo *r, struct repo_log_check *out,
		   struct custos_err *err);

/* True for the verdicts that are findings (log verify exits 1). */
int repo_log_verdict_bad(enum repo_log_verdict v);

#endif
