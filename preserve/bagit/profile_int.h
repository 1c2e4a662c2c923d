/*
 * preserve/bagit/profile_int.h - the loaded form of a BagIt profile, shared by
 * profile.c (loading) and profile_check.c (rules). Not a public header:
 * only those two files include it.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_PROFILE_INT_H
#define CUSTOS_PRESERVE_BAGIT_PROFILE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* A JSON list of strings; the strings belong to bag_profile.root. */
struct profile_list {
	bool present;              /* the key was in the profile */
	const char **items;        /* NULL when n == 0 */
	size_t n;
};

/* One entry of the Bag-Info section. */
struct profile_tag {
	const char *label;         /* as written in the profile */
	bool required;             /* default false */
	bool repeatable;           /* default true */
	struct profile_list values; /* empty or absent: any value */
};

enum profile_serialization {
	PROFILE_SER_OPTIONAL,      /* default */
	PROFILE_SER_FORBIDDEN,
	PROFILE_SER_REQUIRED,
};

struct bag_profile {
	json_t *root;              /* owns every string below */
	char *path;                /* the profile file, for messages */
	/* BagIt-Profile-Info; NULL when absent (identifier never is) */
	const char *identifier;
	const char *source_org;
	const char *description;
	const char *version;
	const char *spec_version;  /* absent means 1.1.0 */
	struct profile_tag *tags;  /* Bag-Info, in profile order */
	size_t ntags;
	bool bag_info_alias;       /* section was spelled "Bagit-Info" */
	struct profile_list manifests_required, manifests_allowed;
	struct profile_list tag_manifests_required, tag_manifests_allowed;
	struct profile_list tag_files_required, tag_files_allowed;
	struct profile_list payload_files_required, payload_files_allowed;
	struct profile_list accept_serialization, accept_version;
	bool allow_fetch;          /* default true */
	bool fetch_required;       /* default false */
	bool data_empty;           /* default false */
	enum profile_serialization serialization;
};

#endif
