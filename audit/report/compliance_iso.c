/*
 * audit/report/compliance_iso.c - the ISO 16363:2012 metrics custos can
 * evidence (standards.md 2.1) and CoreTrustSeal R14 Storage & Integrity
 * (2.2), each with the evidence from this report and what is missing.
 * Statuses: "evidenced" (the records show it), "partly evidenced" (some
 * of it; gaps say what is not), "not evidenced". Documents custos cannot
 * see are always listed as gaps, never assumed.
 */
#include "audit/report/report_int.h"

#include <stdio.h>
#include <string.h>
#include "preserve/catalog/catalog_compliance.h"
#include "preserve/repo/repo.h"

#define EVID "evidenced"
#define PART "partly evidenced"
#define NONE "not evidenced"

static void metric(json_t *a, const char *id, const char *title, const char *key,
		   const char *status, json_t *evidence, json_t *gaps)
{
	json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "metric", id,
		"title", title, "key", key, "status", status, "evidence", evidence,
		"gaps", gaps ? gaps : json_array()));
}

static json_t *gap(const char *s)
{
	return json_pack("[s]", s);
}

struct iso {
	int64_t versions, meeting, files, copies, fresh, fcopies, runs, fix, fixfail;
	int64_t unresolved, repairs, findings, events, unid, lack_fix, ing, policies;
	bool intact;
	double pct;
};

static void gather(struct repo *r, json_t *rep, struct iso *s)
{
	struct catalog_event_tally t;
	struct custos_err err;

	s->versions = rjson_int(rep, "holdings/versions");
	s->meeting = rjson_int(rep, "holdings/versions_meeting_policy");
	s->files = rjson_int(rep, "holdings/files");
	s->copies = rjson_int(rep, "holdings/copies");
	s->fresh = rjson_int(rep, "coverage/verified_within_interval");
	s->fcopies = rjson_int(rep, "coverage/file_copies");
	s->pct = json_real_value(rjson_get(rep, "coverage/percent"));
	s->events = rjson_int(rep, "log/events");
	s->intact = json_is_true(rjson_get(rep, "log/hash_chain/intact"));
	s->unid = rjson_int(rep, "formats/unidentified_files");
	s->findings = (int64_t)json_array_size(json_object_get(rep, "findings"));
	s->repairs = (int64_t)json_array_size(json_object_get(rep, "repairs"));
	s->policies = (int64_t)json_array_size(rjson_get(rep, "policy/history"));
	if (catalog_event_tally(repo_catalog(r), &t, &err) < 0)
		t.audit_runs_completed = t.fixity_checks = t.fixity_failed = t.ingests =
			t.fixity_unresolved = -1;
	if (catalog_versions_lacking_event(repo_catalog(r), "fix", &s->lack_fix, &err) < 0)
		s->lack_fix = -1;
	s->runs = t.audit_runs_completed;
	s->fix = t.fixity_checks;
	s->fixfail = t.fixity_failed;
	s->ing = t.ingests;
	s->unresolved = t.fixity_unresolved;
}

static json_t *cover_gap(const struct iso *s)
{
	char b[160];

	if (s->fcopies && s->fresh == s->fcopies)
		return json_array();
	snprintf(b, sizeof(b), "%lld of %lld file copies not verified within the policy"
		 " interval (see coverage.not_checked)", (long long)(s->fcopies - s->fresh),
		 (long long)s->fcopies);
	return gap(b);
}

static void integrity_metrics(json_t *a, json_t *rep, const struct iso *s)
{
	metric(a, "3.3.5", "information-integrity measurements defined, collected, tracked"
	       " and provided", "E", s->fix > 0 ? EVID : NONE,
	       json_pack("{s:I, s:I, s:I, s:f, s:I}", "fixity_events", (json_int_t)s->fix,
			 "file_copies", (json_int_t)s->fcopies, "verified_within_interval",
			 (json_int_t)s->fresh, "coverage_percent", s->pct,
			 "audit_runs", (json_int_t)s->runs), cover_gap(s));
	metric(a, "4.2.8", "each AIP verified for completeness and correctness when created",
	       "E", s->versions && !s->lack_fix ? EVID : s->versions ? PART : NONE,
	       json_pack("{s:I, s:I}", "versions", (json_int_t)s->versions,
			 "versions_without_fixity_check", (json_int_t)s->lack_fix),
	       s->lack_fix ? gap("versions stored without a read-back fixity check") : NULL);
	metric(a, "4.2.9", "independent mechanism for verifying the integrity of the content",
	       "E", s->intact ? PART : NONE,
	       json_pack("{s:b, s:I, s:O, s:O}", "hash_chain_intact", s->intact,
			 "events", (json_int_t)s->events, "merkle_tree_size",
			 rjson_get(rep, "log/merkle/tree_size"), "merkle_root",
			 rjson_get(rep, "log/merkle/root")),
	       gap("independence needs the tree head kept outside the repository: sign this "
		   "report and give it to the auditor, or timestamp the head (RFC 3161); "
		   "later checks use 'custos log consistency'"));
	metric(a, "4.4.1.2", "AIP integrity actively monitored", "E",
	       s->runs && s->fcopies && s->fresh == s->fcopies ? EVID : s->fix ? PART : NONE,
	       json_pack("{s:I, s:f, s:I}", "completed_audit_runs", (json_int_t)s->runs,
			 "coverage_percent", s->pct, "failed_fixity_checks", (json_int_t)s->fixfail),
	       s->runs ? cover_gap(s) : gap("no completed audit run is recorded: only the "
					    "verification at write time"));
	metric(a, "5.1.1.3", "effective mechanisms to detect bit corruption or loss", "E",
	       s->runs ? EVID : s->fix ? PART : NONE,
	       json_pack("{s:I, s:I, s:I}", "completed_audit_runs", (json_int_t)s->runs,
			 "fixity_events", (json_int_t)s->fix, "failed_fixity_checks",
			 (json_int_t)s->fixfail),
	       s->runs ? NULL : gap("no completed audit run is recorded"));
	metric(a, "5.1.1.3.1", "every corruption or loss incident and its repair recorded and"
	       " reported", "E", s->unresolved || !s->fixfail ? PART : EVID,
	       json_pack("{s:I, s:I, s:I}", "findings_in_period", (json_int_t)s->findings,
			 "repairs_in_period", (json_int_t)s->repairs, "unresolved_fixity_failures",
			 (json_int_t)s->unresolved),
	       s->unresolved ? gap("failed fixity checks without a recorded repair or passing"
				   " re-check") :
	       !s->fixfail ? gap("no corruption or loss has been recorded, so the recording"
				 " and repair of an incident is not yet shown") : NULL);
}

static void other_metrics(json_t *a, json_t *rep, const struct iso *s)
{
	metric(a, "3.3.2.1", "mechanisms to review and update preservation policies", "D",
	       PART, json_pack("{s:I, s:O, s:O}", "policies_in_history", (json_int_t)s->policies,
			       "in_force_since", rjson_get(rep, "policy/in_force/in_force_since"),
			       "review", rjson_get(rep, "policy/in_force/review")),
	       gap("the review procedure itself is a document outside custos"));
	metric(a, "4.2.4.1.4", "all AIP identifiers listed and checked for duplicates", "E",
	       EVID, json_pack("{s:O, s:s}", "objects", rjson_get(rep, "holdings/objects"),
			       "uniqueness", "enforced by the catalog (UNIQUE object identifier)"),
	       NULL);
	metric(a, "4.2.5.2", "the file type of all submitted data objects identified", "E",
	       !s->files ? NONE : s->unid ? PART : EVID,
	       json_pack("{s:I, s:I}", "files", (json_int_t)s->files, "unidentified_files",
			 (json_int_t)s->unid),
	       s->unid ? gap("files without a PRONOM identification") : NULL);
	metric(a, "4.2.10", "contemporaneous records of AIP creation", "E",
	       s->versions && s->ing >= s->versions ? EVID : NONE,
	       json_pack("{s:I, s:I}", "versions", (json_int_t)s->versions,
			 "ingest_events", (json_int_t)s->ing), NULL);
	metric(a, "4.4.2", "contemporaneous records of actions on AIPs", "E",
	       s->intact && s->events ? EVID : NONE,
	       json_pack("{s:I, s:b}", "events", (json_int_t)s->events, "hash_chain_intact",
			 s->intact),
	       s->intact ? NULL : gap("the event log's hash chain is broken"));
	metric(a, "5.1.2", "number and location of copies of all objects managed", "E",
	       s->versions && s->meeting == s->versions ? EVID : s->versions ? PART : NONE,
	       json_pack("{s:I, s:I, s:O, s:I}", "versions", (json_int_t)s->versions,
			 "versions_meeting_policy", (json_int_t)s->meeting, "copies_required",
			 rjson_get(rep, "holdings/copies_required"), "copies", (json_int_t)s->copies),
	       s->meeting == s->versions ? NULL : gap("versions with fewer verified copies"
						      " than the policy requires"));
	metric(a, "5.1.2.1", "multiple copies kept synchronised", "E",
	       s->versions && s->meeting == s->versions && s->fresh == s->fcopies ? EVID : PART,
	       json_pack("{s:I, s:I, s:I}", "versions_meeting_policy", (json_int_t)s->meeting,
			 "file_copies", (json_int_t)s->fcopies, "verified_within_interval",
			 (json_int_t)s->fresh), cover_gap(s));
}

int compliance_iso16363(struct repo *r, json_t *rep, struct custos_err *err)
{
	json_t *a = json_array();
	struct iso s;

	if (!a)
		return err_nomem(err);
	gather(r, rep, &s);
	integrity_metrics(a, rep, &s);
	other_metrics(a, rep, &s);
	return json_object_set_new(rep, "iso16363", json_pack("{s:s, s:o, s:s}", "edition",
		"ISO 16363:2012 numbering (CCSDS 652.0-M-1); check against ISO 16363:2025",
		"metrics", a, "not_covered", "organisational metrics (3.x except 3.3.5, 5.2) "
		"need documents custos cannot see"));
}

int compliance_coretrustseal(struct repo *r, json_t *rep, struct custos_err *err)
{
	struct iso s;
	json_t *gaps = json_array();
	bool copies, fixity;

	(void)err;
	gather(r, rep, &s);
	copies = s.versions && s.meeting == s.versions;
	fixity = s.fcopies && s.fresh == s.fcopies && s.runs;
	if (!copies)
		json_array_append_new(gaps, json_string("not every version has the required copies"));
	if (!fixity)
		json_array_append_new(gaps, json_string("not every file copy was verified by an "
							"audit within the policy interval"));
	if (s.unresolved)
		json_array_append_new(gaps, json_string("fixity failures without recorded repair"));
	json_array_append_new(gaps, json_string("written storage procedures and recovery "
						"plan: documents outside custos"));
	return json_object_set_new(rep, "coretrustseal", json_pack(
		"{s:s, s:s, s:s, s:{s:I, s:I, s:f, s:I, s:I, s:I, s:b}, s:o}",
		"requirement", "R14 Storage & Integrity (2023-2025; R9 in 2020-2022)",
		"status", copies && fixity && !s.unresolved ? EVID : PART,
		"summary", "multiple copies per object, each verified against recorded digests; "
		"damage is detected by audits and repaired from a verified copy; every action "
		"is in a hash-chained, Merkle-committed event log",
		"evidence", "versions", (json_int_t)s.versions, "versions_meeting_policy",
		(json_int_t)s.meeting, "coverage_percent", s.pct, "completed_audit_runs",
		(json_int_t)s.runs, "failed_fixity_checks", (json_int_t)s.fixfail,
		"repairs_in_period", (json_int_t)s.repairs, "log_intact", s.intact,
		"gaps", gaps));
}
