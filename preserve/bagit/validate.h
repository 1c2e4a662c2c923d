/*
 * preserve/bagit/validate.h - check a bag against RFC 8493 (BagIt 1.0, and 0.93
 * to 0.97 as they were written). Every problem is reported with the file
 * it concerns; MUST violations are errors, SHOULD violations warnings.
 * Nothing outside the bag is ever opened, and nothing is written.
 */
#ifndef CUSTOS_PRESERVE_BAGIT_VALIDATE_H
#define CUSTOS_PRESERVE_BAGIT_VALIDATE_H

#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "core/progress.h"
#include "preserve/bagit/bagfacts.h"
#include "preserve/bagit/problems.h"

enum validate_mode {
	VALIDATE_FULL,          /* structure, completeness, every digest */
	VALIDATE_COMPLETENESS,  /* files vs manifests, no digests */
	VALIDATE_FAST,          /* structure and Payload-Oxum only */
	VALIDATE_DEFER_PAYLOAD, /* FULL, but payload digests are left to the
				 * caller (ingest checks them in its own read
				 * through bag_facts.payload_manifest) */
};

/* Extra rules judged on what the validator learned (a BagIt profile, an
 * ingest policy). Adds its findings to R. */
typedef void (*validate_facts_fn)(void *arg, const struct bag_facts *facts,
				  struct problems *r);

struct validate_opts {
	enum validate_mode mode;
	unsigned jobs;                  /* reads in flight; 0 = default */
	validate_facts_fn facts_hook;   /* may be NULL */
	void *facts_arg;
	struct progress *progress;      /* digests done; may be NULL */
};

struct validate_result {
	struct problems problems;
	char version[16];               /* "1.0", "" if unknown */
	enum bag_serialization serialization;
	uint64_t files;                 /* payload files */
	uint64_t bytes;                 /* payload bytes */
	size_t io_errors;               /* files that could not be read */
	bool valid;                     /* no error in report */
};

/* Validate the bag at PATH (directory or serialized). Findings go to
 * RES (caller releases with validate_result_release). Returns 0 when the
 * check ran to the end (valid or not); -1 with *err only when it could
 * not start (no such path: CUSTOS_EUSAGE; out of memory). */
int bag_validate(const char *path, const struct validate_opts *opts,
		 struct validate_result *res, struct custos_err *err);

/* The same for a source already open (its inventory, if already taken,
 * is reused: an archive is not read one more time). S stays open. */
struct bagsrc;
int bag_validate_source(struct bagsrc *s, const struct validate_opts *opts,
			struct validate_result *res, struct custos_err *err);

void validate_result_release(struct validate_result *res);

#endif
