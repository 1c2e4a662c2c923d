/*
 * preserve/catalog/catalog_compliance.h - the counts the compliance sections
 * of the evidence report (NDSA Levels, ISO 16363, CoreTrustSeal) judge:
 * how the copies of each version spread over the declared regions,
 * threat zones and media, versions lacking a kind of event or a bag-info
 * value, and tallies of the event log.
 */
#ifndef CUSTOS_PRESERVE_CATALOG_CATALOG_COMPLIANCE_H
#define CUSTOS_PRESERVE_CATALOG_CATALOG_COMPLIANCE_H

#include <stdint.h>
#include "core/err.h"
#include "preserve/catalog/catalog.h"

/* Versions by their copies in status "ok" and those copies' locations. */
struct catalog_copy_spread {
	int64_t with_2_copies;
	int64_t with_3_copies_2_regions;
	int64_t spanning_2_threats;
	int64_t spanning_2_media;
	int64_t with_3_copies_3_threats;
	int64_t without_copy;     /* versions with no copy record at all */
	int64_t locations;
	int64_t locations_without_media;
};
int catalog_copy_spread(struct catalog *c, struct catalog_copy_spread *out,
			struct custos_err *err);

/* Versions without a successful event of TYPE ("fix", "ing", ...). */
int catalog_versions_lacking_event(struct catalog *c, const char *type, int64_t *out,
				   struct custos_err *err);
/* Versions whose bag-info has no non-blank value for LABEL (any case). */
int catalog_versions_lacking_info(struct catalog *c, const char *label, int64_t *out,
				  struct custos_err *err);

/* Tallies of the event log and the audit runs. */
struct catalog_event_tally {
	int64_t deposits_validated;   /* successful val events */
	int64_t ingests;              /* successful ing events */
	int64_t virus_checks;         /* vir events */
	int64_t fixity_checks;        /* fix events */
	int64_t fixity_failed;        /* ... that failed */
	int64_t fixity_unresolved;    /* ... not followed by a successful repair
				       * naming it or a passing check of the same
				       * object version and location */
	int64_t without_agent;        /* events whose record names no agent */
	int64_t migrations;           /* mig and nor events */
	int64_t audit_runs_completed;
};
int catalog_event_tally(struct catalog *c, struct catalog_event_tally *out,
			struct custos_err *err);

/* Catalog backups (successful "cre" events) and the versions whose
 * ingestion came after the newest of them (all of them when there is none):
 * whose digests no backup holds yet. */
struct catalog_backup_facts {
	int64_t backups;
	int64_t versions_after_last;
};
int catalog_backup_facts(struct catalog *c, struct catalog_backup_facts *out,
			 struct custos_err *err);

#endif
