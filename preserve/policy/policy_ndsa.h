/*
 * preserve/policy/policy_ndsa.h - the NDSA Levels of Digital Preservation
 * 2.0 cell list: what each cell requires, in which area and at which
 * level. Judging a cell is the caller's: from a policy's declarations
 * (policy_explain.c) or from a repository's records (the report).
 */
#ifndef CUSTOS_PRESERVE_POLICY_POLICY_NDSA_H
#define CUSTOS_PRESERVE_POLICY_POLICY_NDSA_H

#include <stddef.h>

enum policy_ndsa_area {
	POLICY_NDSA_STORAGE, POLICY_NDSA_INTEGRITY, POLICY_NDSA_CONTROL,
	POLICY_NDSA_METADATA, POLICY_NDSA_CONTENT,
	POLICY_NDSA_AREAS
};

struct policy_ndsa_cell {
	const char *id;               /* "S2a": area letter, level, letter */
	enum policy_ndsa_area area;
	int level;                    /* 1-4 */
	const char *kind;             /* "M" machine-checkable, "H" hybrid
				       * (computed on declared facts), "A"
				       * needs a person's attestation */
	const char *requirement;      /* what the cell asks, in a few words */
};

/* "storage", "integrity", ...; NULL for an unknown area. */
const char *policy_ndsa_area_name(enum policy_ndsa_area area);
/* Every cell, by area and level; *N receives the count. */
const struct policy_ndsa_cell *policy_ndsa_cells(size_t *n);
/* The cell named ID ("S1a"), or NULL. */
const struct policy_ndsa_cell *policy_ndsa_cell(const char *id);

#endif
