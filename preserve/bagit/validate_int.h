/*
 * preserve/bagit/validate_int.h - the state one bag check shares between
 * validate.c (flow, structure), validate_tags.c (bagit.txt, bag-info,
 * Payload-Oxum) and validate_content.c (manifests, completeness, digests).
 */
#ifndef CUSTOS_PRESERVE_BAGIT_VALIDATE_INT_H
#define CUSTOS_PRESERVE_BAGIT_VALIDATE_INT_H

#include "core/strmap.h"
#include "preserve/bagit/bagsrc.h"
#include "preserve/bagit/fetch.h"
#include "preserve/bagit/manifest.h"
#include "preserve/bagit/tagfile.h"
#include "preserve/bagit/validate.h"

#define BAGIT_TXT_MAX BAGSRC_DECLARATION_MAX
#define BAG_INFO_MAX BAGSRC_INFO_MAX

struct vfile {
	const struct bag_entry *e;
	bool payload;                 /* under data/ */
	digest_mask listed;           /* manifests (by algorithm) listing it */
	digest_mask tag_listed;       /* tag manifests listing it */
	digest_mask want;             /* digests to compute */
	size_t job;                   /* index in jobs, or SIZE_MAX */
};

struct vstate {
	const struct validate_opts *o;
	struct validate_result *res;
	struct problems *r;
	struct bagsrc *src;
	const struct bag_entry *entries;
	size_t nentries;
	struct vfile *files;
	size_t nfiles;
	struct strmap *by_path;       /* path -> struct vfile */
	struct strmap *by_fold;       /* NFC+casefold(path) -> vfile or AMBIGUOUS */
	int major, minor;             /* -1 if unknown */
	char *encoding;               /* declared tag file encoding */
	struct tagfile info;
	bool has_info;
	bool info_refused;            /* bag-info.txt there but unreadable */
	struct manifest payload[DIGEST_COUNT];
	digest_mask payload_mask;
	struct manifest tagman[DIGEST_COUNT];
	digest_mask tag_mask;
	struct fetch_list fetch;
	bool has_fetch;
	uint64_t excused_files;       /* listed system files that are absent */
	struct bagsrc_job *jobs;
	size_t njobs;
};

extern struct vfile vfile_ambiguous;   /* marker in by_fold */

/* validate_tags.c */
int vtags_read_text(struct vstate *st, const char *relpath, size_t max,
		    char **out, size_t *len);  /* 0, 1 absent, -1 reported */
void vtags_report_bom(struct vstate *st, const char *relpath);
void vtags_check_declaration(struct vstate *st);
void vtags_check_bag_info(struct vstate *st);
void vtags_check_oxum(struct vstate *st);
bool vtags_is_v1(const struct vstate *st);

/* validate_content.c */
int vcontent_load_manifests(struct vstate *st);   /* -1 on OOM */
void vcontent_check_completeness(struct vstate *st);
int vcontent_check_digests(struct vstate *st, struct custos_err *err);
void vcontent_release(struct vstate *st);

/* validate_rules.c: tag manifest rules (RFC 8493 2.2.1) and lint */
void vrules_check(struct vstate *st);

#endif
