/*
 * preserve/bagit/profile.h - BagIt Profiles 1.4.0 (with the 2023 Payload-Files
 * keys): load a profile JSON file and judge a bag's facts against it.
 * Never reads the bag itself: the validator hands over struct bag_facts.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_PROFILE_H
#define CUSTOS_PRESERVE_BAGIT_PROFILE_H

#include "core/err.h"
#include "preserve/bagit/bagfacts.h"
#include "preserve/bagit/problems.h"

#define PROFILE_MAX_BYTES (4u << 20)   /* larger profile files: ELIMIT */

/* Report codes. Every broken MUST is an error with PROFILE_CODE_VIOLATION;
 * SHOULD-level problems (identifier differing from the profile's, a
 * profile that contradicts itself) are warnings with PROFILE_CODE_WARNING. */
#define PROFILE_CODE_VIOLATION "profile-violation"
#define PROFILE_CODE_WARNING "profile-warning"

struct bag_profile;                    /* opaque; owns its strings */

/* Load the BagIt profile at PATH into *out (caller frees with
 * profile_free). Malformed JSON, a key of the wrong type, a missing
 * BagIt-Profile-Info/BagIt-Profile-Identifier, an unknown Serialization
 * value or Serialization "required" with no Accept-Serialization: -1 with
 * *err naming the file (and line/column or key). Duplicate keys are refused
 * (the profile would be ambiguous); unknown keys are ignored. PATH may be a
 * symlink (it is the user's configuration) but must reach a regular file.
 * Other missing BagIt-Profile-Info fields are not load errors: they become
 * PROFILE_CODE_WARNING items in every profile_check report. */
int profile_load(struct bag_profile **out, const char *path,
		 struct custos_err *err);

/* BagIt-Profile-Info/BagIt-Profile-Identifier; borrowed, never NULL. */
const char *profile_identifier(const struct bag_profile *p);

/* Judge FACTS against P, adding every problem to R (nothing stops at the
 * first). Accept-BagIt-Version and Serialization/Accept-Serialization are
 * checked first; their failures do not stop the other rules.
 * Paths in FACTS are relative to the bag root: payload files and dirs
 * start with "data/". Label matching and glob rules: see profile_check.c. */
void profile_check(const struct bag_profile *p, const struct bag_facts *facts,
		   struct problems *r);

void profile_free(struct bag_profile *p);           /* NULL ok */

#endif
