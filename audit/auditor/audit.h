/*
 * audit/auditor/audit.h - fixity audits of every copy (docs/design.md,
 * "How the main jobs flow"): choose the copies due, verify each against
 * the catalog (authoritative) and its own bag manifests within a byte/time
 * budget, name every kind of damage for what it is, repair from a copy
 * verified in the same run, and leave evidence: PREMIS events, file_checks
 * rows and an audit_runs record.
 */
#ifndef CUSTOS_AUDIT_AUDITOR_AUDIT_H
#define CUSTOS_AUDIT_AUDITOR_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "core/digest.h"
#include "core/err.h"
#include "preserve/repo/repo.h"

enum audit_select {
	AUDIT_DUE,    /* copies last verified longer ago than the interval */
	AUDIT_ALL,    /* every copy */
	AUDIT_ID,     /* every copy of one object */
};

struct audit_opts {
	enum audit_select select;
	const char *id;             /* AUDIT_ID */
	uint64_t budget_bytes;      /* 0: none */
	int64_t budget_seconds;     /* 0: none */
	uint64_t rate;              /* bytes per second; 0: unlimited */
	bool repair;                /* also when the policy says auto */
	unsigned jobs;              /* 0: pool default */
	uint64_t seed;              /* for the random sample; 0: from time */
};

/* What a file (or a whole copy) was found to be. Verified files are not
 * findings. */
enum audit_state {
	AUDIT_CHANGED,        /* same path, other digest (or size) */
	AUDIT_MISSING,        /* not there */
	AUDIT_UNEXPECTED,     /* there, not in the catalog, not a tag file */
	AUDIT_MOVED,          /* its content is at another path (moved_to) */
	AUDIT_UNREADABLE,     /* an I/O or permission error */
	AUDIT_UNAVAILABLE,    /* the location is gone: the copy is not checked */
	AUDIT_TAG_INVALID,    /* the bag's own tag files disagree */
	AUDIT_NOT_CHECKED,    /* cannot be read within the run's budget: at
			       * --rate it takes longer than --budget-time
			       * (not damage: the copy is not marked for it) */
};
const char *audit_state_name(enum audit_state s);

struct audit_finding {
	char *object;
	int version;
	size_t loc;               /* index into the repository locations */
	char *path;               /* relative to the version ("data/a.txt");
				   * "" for the whole copy */
	enum audit_state state;
	char expected[DIGEST_HEX_MAX];  /* "" when not applicable */
	char actual[DIGEST_HEX_MAX];
	char *moved_to;           /* AUDIT_MOVED: the (first) new path */
	char **candidates;        /* AUDIT_MOVED when ambiguous: every path
				   * holding the content (>= 2) */
	size_t ncandidates;
	char *why;                /* one line */
	bool repaired;
};

struct audit_repair {
	char *object;
	int version;
	size_t loc, from;         /* repaired copy, source copy */
	char *path;
	char *kept_as;            /* quarantine path of the damaged file */
};

struct audit_result {
	int64_t run;
	uint64_t copies, files, bytes, not_checked;
	double seconds;
	bool budget_reached;
	bool unavailable;         /* some location could not be reached */
	struct audit_finding *findings;
	size_t nfindings, capfindings;
	struct audit_repair *repairs;
	size_t nrepairs, caprepairs;
	size_t unrepaired;        /* findings repair was asked for but failed */
};

/* Audit the copies O selects. 0 when the run finished (RES says what was
 * found), -1 with *err when it could not (RES may hold partial results).
 * Release RES with audit_result_release. */
int audit_run(struct repo *r, const struct audit_opts *o,
	      struct audit_result *res, struct custos_err *err);
void audit_result_release(struct audit_result *res);

/* The JSON summary of cli.md ("custos audit --json"). */
json_t *audit_result_json(const struct repo *r, const struct audit_result *res);

/* Run CMD with /bin/sh -c, SUMMARY on its standard input. 0 if it ran
 * and exited 0; -1 with *err otherwise. */
int audit_notify(const char *cmd, const char *summary, struct custos_err *err);

#endif
