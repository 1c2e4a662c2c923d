/*
 * preserve/policy/policy_ndsa.c - the cells of the NDSA Levels of Digital
 * Preservation 2.0 (2019, standards.md 1.2), each with its area, level,
 * kind and requirement: the one list `custos policy check` and the
 * evidence report judge.
 */
#include "preserve/policy/policy_ndsa.h"

#include <string.h>

static const char *const area_names[POLICY_NDSA_AREAS] = {
	"storage", "integrity", "control", "metadata", "content",
};

static const struct policy_ndsa_cell cells[] = {
	{ "S1a", POLICY_NDSA_STORAGE, 1, "H",
	  "two complete copies in separate locations" },
	{ "S1b", POLICY_NDSA_STORAGE, 1, "H",
	  "storage media recorded for every location" },
	{ "S1c", POLICY_NDSA_STORAGE, 1, "A", "content in stable storage" },
	{ "S2a", POLICY_NDSA_STORAGE, 2, "H",
	  "three complete copies, one in another geographic region" },
	{ "S2b", POLICY_NDSA_STORAGE, 2, "A", "storage and its dependencies documented" },
	{ "S3a", POLICY_NDSA_STORAGE, 3, "H",
	  "a copy under a different disaster threat" },
	{ "S3b", POLICY_NDSA_STORAGE, 3, "H", "a copy on another media type" },
	{ "S3c", POLICY_NDSA_STORAGE, 3, "A",
	  "obsolescence of storage and media tracked" },
	{ "S4a", POLICY_NDSA_STORAGE, 4, "H",
	  "three copies under three different disaster threats" },
	{ "S4b", POLICY_NDSA_STORAGE, 4, "A",
	  "storage diversified against single points of failure" },
	{ "S4c", POLICY_NDSA_STORAGE, 4, "A",
	  "plan against storage obsolescence executed" },

	{ "I1a", POLICY_NDSA_INTEGRITY, 1, "M",
	  "integrity information arriving with content verified" },
	{ "I1b", POLICY_NDSA_INTEGRITY, 1, "M",
	  "integrity information generated where none arrives" },
	{ "I1c", POLICY_NDSA_INTEGRITY, 1, "M", "all content virus-checked" },
	{ "I2a", POLICY_NDSA_INTEGRITY, 2, "M",
	  "integrity verified whenever content is written or copied" },
	{ "I2b", POLICY_NDSA_INTEGRITY, 2, "A",
	  "write-blockers used with original media" },
	{ "I2c", POLICY_NDSA_INTEGRITY, 2, "M",
	  "integrity information backed up apart from the content" },
	{ "I3a", POLICY_NDSA_INTEGRITY, 3, "M", "integrity verified at fixed intervals" },
	{ "I3b", POLICY_NDSA_INTEGRITY, 3, "H",
	  "verification processes and outcomes documented" },
	{ "I3c", POLICY_NDSA_INTEGRITY, 3, "M", "integrity auditable on demand" },
	{ "I4a", POLICY_NDSA_INTEGRITY, 4, "M",
	  "integrity verified in response to specific events" },
	{ "I4b", POLICY_NDSA_INTEGRITY, 4, "M",
	  "corrupted content replaced or repaired" },

	{ "C1a", POLICY_NDSA_CONTROL, 1, "A",
	  "who may read, write, move and delete content decided" },
	{ "C2a", POLICY_NDSA_CONTROL, 2, "H",
	  "authorised agents documented and enforced" },
	{ "C3a", POLICY_NDSA_CONTROL, 3, "M",
	  "actions on content logged with the agent that performed them" },
	{ "C4a", POLICY_NDSA_CONTROL, 4, "M",
	  "action and access logs reviewed periodically" },

	{ "M1a", POLICY_NDSA_METADATA, 1, "M",
	  "inventory of content with its storage locations" },
	{ "M1b", POLICY_NDSA_METADATA, 1, "M",
	  "inventory backed up apart from the content" },
	{ "M2a", POLICY_NDSA_METADATA, 2, "H",
	  "enough metadata kept to know what the content is" },
	{ "M3a", POLICY_NDSA_METADATA, 3, "A", "metadata standards chosen" },
	{ "M3b", POLICY_NDSA_METADATA, 3, "H",
	  "gaps against the chosen standards found and filled" },
	{ "M4a", POLICY_NDSA_METADATA, 4, "M",
	  "preservation actions recorded with their dates" },
	{ "M4b", POLICY_NDSA_METADATA, 4, "M",
	  "chosen metadata standards implemented (records validate)" },

	{ "N1a", POLICY_NDSA_CONTENT, 1, "M",
	  "file formats documented with how and when identified" },
	{ "N2a", POLICY_NDSA_CONTENT, 2, "M", "file formats verified (validated)" },
	{ "N2b", POLICY_NDSA_CONTENT, 2, "A", "relationships with content creators" },
	{ "N3a", POLICY_NDSA_CONTENT, 3, "H", "obsolescence monitored" },
	{ "N4a", POLICY_NDSA_CONTENT, 4, "M",
	  "migration, normalisation or emulation as needed" },
};

const char *policy_ndsa_area_name(enum policy_ndsa_area area)
{
	return area < POLICY_NDSA_AREAS ? area_names[area] : NULL;
}

const struct policy_ndsa_cell *policy_ndsa_cells(size_t *n)
{
	*n = sizeof(cells) / sizeof(cells[0]);
	return cells;
}

const struct policy_ndsa_cell *policy_ndsa_cell(const char *id)
{
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		if (!strcmp(cells[i].id, id))
			return &cells[i];
	return NULL;
}
