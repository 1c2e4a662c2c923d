/*
 * audit/report/report_collect.c - everything report.json states, read from the
 * catalog (never from claims): repository, policy in force and its
 * history, holdings, copies against the policy, coverage, findings and
 * repairs in the period, audit runs, formats, and the event log's hash
 * chain and Merkle tree head. Compliance sections come after.
 */
#include "audit/report/report_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/duration.h"
#include "preserve/catalog/catalog_report_events.h"
#include "preserve/repo/repo.h"

#define LIST_LIMIT 1000   /* rows at most in a list of versions or files */

/* NOW minus SECONDS, same ISO 8601 UTC form. */
static void time_minus(char out[32], const char *now, int64_t seconds)
{
	struct tm tm = { 0 };
	time_t t;

	if (!strptime(now, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		snprintf(out, 32, "%s", now);
		return;
	}
	t = timegm(&tm) - (time_t)seconds;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *str_list(char **v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *policy_in_force(const struct policy *p)
{
	json_t *locs = json_array(), *algs = json_array();
	char every[64], review[64];

	for (size_t i = 0; i < p->nlocations; i++) {
		const struct policy_location *l = &p->locations[i];

		json_array_append_new(locs, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?}",
			"name", l->name, "type", policy_location_type_name(l->type),
			"path", l->path, "bucket", l->bucket, "region", l->region,
			"threat", l->threat, "media", l->media));
	}
	for (int a = 0; a < DIGEST_COUNT; a++)
		if (p->algorithms & DIGEST_BIT(a))
			json_array_append_new(algs, json_string(digest_name((enum digest_alg)a)));
	duration_format(every, sizeof(every), p->interval_seconds);
	duration_format(review, sizeof(review), p->review_seconds);
	return json_pack("{s:s?, s:s?, s:s?, s:s, s:s?, s:I, s:s, s:I, s:s, s:o, s:s,"
			 " s:I, s:b, s:s, s:o, s:o, s:o}",
		"name", p->name, "version", p->version, "approved", p->approved,
		"sha256", p->sha256, "review", p->review_seconds ? review : NULL,
		"review_seconds", (json_int_t)p->review_seconds,
		"interval", every, "interval_seconds", (json_int_t)p->interval_seconds,
		"audit_algorithm", digest_name(p->audit_alg), "algorithms", algs,
		"repair", p->repair == POLICY_REPAIR_AUTO ? "auto" : "manual",
		"copies_required", (json_int_t)p->copies_required,
		"verify_after_write", p->verify_after_write,
		"source", p->source_path ? p->source_path : "",
		"locations", locs,
		"at_risk_puids", str_list(p->at_risk_puids, p->nat_risk),
		"preferred_puids", str_list(p->preferred_puids, p->npreferred));
}

static int add_history_row(void *arg, const struct catalog_policy_record *p)
{
	return json_array_append_new(arg, json_pack("{s:s, s:o, s:o, s:s, s:s}",
		"sha256", p->sha256, "name", rjson_str(p->name), "version",
		rjson_str(p->version), "in_force_from", p->assigned,
		"event", p->event)) != 0;
}

static int add_policy(struct repo *r, json_t *rep, const char *now,
		      struct custos_err *err)
{
	json_t *pol = policy_in_force(repo_policy(r)), *hist = json_array();
	char due[32], since[32];
	bool recorded;

	if (!pol || !hist) {
		json_decref(pol);
		json_decref(hist);
		return err_nomem(err);
	}
	if (catalog_policy_history(repo_catalog(r), add_history_row, hist, err) < 0 ||
	    catalog_policy_in_force_since(repo_catalog(r), repo_policy(r)->sha256, since,
					  &recorded, err) < 0) {
		json_decref(pol);
		json_decref(hist);
		return -1;
	}
	json_object_set_new(pol, "in_force_since", rjson_str(recorded ? since : NULL));
	/* the report refuses a policy not on record (repo_policy_on_record);
	 * kept for readers of earlier reports */
	json_object_set_new(pol, "recorded_in_catalog", json_boolean(recorded));
	if (repo_policy(r)->review_seconds && recorded) {
		time_minus(due, now, repo_policy(r)->review_seconds);
		json_object_set_new(pol, "review_overdue", json_boolean(strcmp(since, due) < 0));
	}
	return json_object_set_new(rep, "policy", json_pack("{s:o, s:o}", "in_force", pol,
							    "history", hist));
}

static int add_location_row(void *arg, const struct catalog_location_holdings *l)
{
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:I,"
		" s:I, s:I}", "name", l->name, "type", l->type, "location", l->location,
		"region", rjson_str(l->region), "threat", rjson_str(l->threat),
		"media", rjson_str(l->media), "copies", (json_int_t)l->copies,
		"copies_ok", (json_int_t)l->copies_ok, "files", (json_int_t)l->files,
		"bytes", (json_int_t)l->bytes)) != 0;
}

static int add_below_row(void *arg, const struct catalog_version_copies *v)
{
	return json_array_append_new(arg, json_pack("{s:s, s:I, s:I}", "object", v->object,
		"version", (json_int_t)v->version, "copies_ok", (json_int_t)v->copies_ok)) != 0;
}

static int add_holdings(struct repo *r, json_t *rep, struct custos_err *err)
{
	unsigned req = repo_policy(r)->copies_required;
	struct catalog_holdings t;
	json_t *h, *locs = json_array(), *under = json_array();

	if (!locs || !under || catalog_report_holdings(repo_catalog(r), req, &t, err) < 0 ||
	    catalog_report_locations(repo_catalog(r), add_location_row, locs, err) < 0 ||
	    catalog_report_versions_below(repo_catalog(r), req, LIST_LIMIT, add_below_row,
					  under, err) < 0) {
		json_decref(locs);
		json_decref(under);
		return locs && under ? -1 : err_nomem(err);
	}
	h = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}",
		"objects", (json_int_t)t.objects, "versions", (json_int_t)t.versions,
		"files", (json_int_t)t.files, "bytes", (json_int_t)t.bytes,
		"copies", (json_int_t)t.copies, "copies_ok", (json_int_t)t.copies_ok,
		"versions_meeting_policy", (json_int_t)t.versions_meeting,
		"copies_required", (json_int_t)req, "locations", locs,
		"versions_below_policy", under);
	return json_object_set_new(rep, "holdings", h);
}

struct stale_list {
	json_t *a;
	const char *cutoff;
};

static int add_stale_row(void *arg, const struct catalog_stale_copy *s)
{
	struct stale_list *l = arg;
	char reason[256];

	switch (s->reason) {
	case CATALOG_STALE_COPY_STATUS:
		snprintf(reason, sizeof(reason), "copy status is %s", s->copy_status);
		break;
	case CATALOG_STALE_CHECK_FAILED:
		snprintf(reason, sizeof(reason), "last check found: %s", s->check_state);
		break;
	case CATALOG_STALE_NEVER:
		snprintf(reason, sizeof(reason), "never verified");
		break;
	default:
		snprintf(reason, sizeof(reason), "last verified before the interval began (%s)",
			 l->cutoff);
		break;
	}
	return json_array_append_new(l->a, json_pack("{s:s, s:I, s:s, s:s, s:o, s:s}",
		"object", s->object, "version", (json_int_t)s->version, "location", s->location,
		"path", s->path, "last_verified", rjson_str(s->last_verified),
		"reason", reason)) != 0;
}

static json_t *coverage_figures(const struct catalog_coverage *v)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I}",
		"file_copies", (json_int_t)v->file_copies,
		"verified_within_interval", (json_int_t)v->fresh,
		"verified_by_audit", (json_int_t)v->fresh_by_audit,
		"verified_at_write", (json_int_t)v->fresh_at_write,
		"never_verified", (json_int_t)v->never_verified,
		"with_audit_record", (json_int_t)v->with_audit_record,
		"oldest_verification", rjson_str(v->oldest[0] ? v->oldest : NULL),
		"newest_verification", rjson_str(v->newest[0] ? v->newest : NULL),
		"files", (json_int_t)v->files,
		"files_all_copies_verified", (json_int_t)v->files_all_fresh);
}

static int add_coverage(struct repo *r, json_t *rep, const char *now,
			struct custos_err *err)
{
	char cutoff[32];
	struct catalog_coverage v;
	struct stale_list missing = { json_array(), cutoff };
	json_t *c;

	time_minus(cutoff, now, repo_policy(r)->interval_seconds);
	if (!missing.a || catalog_report_coverage(repo_catalog(r), cutoff, &v, err) < 0 ||
	    catalog_report_stale_copies(repo_catalog(r), cutoff, LIST_LIMIT, add_stale_row,
					&missing, err) < 0) {
		json_decref(missing.a);
		return missing.a ? -1 : err_nomem(err);
	}
	c = coverage_figures(&v);
	int64_t all = v.file_copies, ok = v.fresh;
	json_object_set_new(c, "share", json_real(all ? (double)ok / (double)all : 0.0));
	json_object_set_new(c, "percent", json_real(all ? (double)(ok * 10000 / all) / 100.0 : 0.0));
	json_object_set_new(c, "unit", json_string("file copy: one file of one version in one location"));
	json_object_set_new(c, "interval_began", json_string(cutoff));
	json_object_set_new(c, "interval_seconds", json_integer(repo_policy(r)->interval_seconds));
	json_object_set_new(c, "method", json_string(
		"a file copy counts as verified when its copy is 'ok' and its last "
		"verification (the audit's file_checks record, else the copy's last "
		"verification when written) is inside the interval and found it intact"));
	json_object_set_new(c, "not_checked_total", json_integer(all - ok));
	json_object_set_new(c, "not_checked", missing.a);
	return json_object_set_new(rep, "coverage", c);
}

static int add_finding_row(void *arg, const struct catalog_event_row *e)
{
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o,"
		" s:o}", "event", e->uuid, "datetime", e->datetime, "type", e->type,
		"outcome", e->outcome, "object", rjson_str(e->object),
		"version", rjson_maybe(e->version), "location", rjson_str(e->location),
		"detail", rjson_str(e->detail), "outcome_note", rjson_str(e->outcome_note))) != 0;
}

static int add_repair_row(void *arg, const struct catalog_event_row *e)
{
	return json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o,"
		" s:o}", "event", e->uuid, "datetime", e->datetime, "type", e->type,
		"outcome", e->outcome, "object", rjson_str(e->object),
		"version", rjson_maybe(e->version), "location", rjson_str(e->location),
		"related_event", rjson_str(e->related_event),
		"detail", rjson_str(e->detail))) != 0;
}

static int add_day_row(void *arg, const char *day, int64_t count)
{
	return json_array_append_new(arg, json_pack("{s:o, s:I}", "day", rjson_str(day),
						    "findings", (json_int_t)count)) != 0;
}

static int add_run_row(void *arg, const struct catalog_audit_run_record *r)
{
	return json_array_append_new(arg, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o,"
		" s:o, s:o}", "run", (json_int_t)r->run, "started", r->started,
		"ended", rjson_str(r->ended), "files", rjson_maybe(r->files),
		"bytes", rjson_maybe(r->bytes), "findings", rjson_maybe(r->findings),
		"budget_reached", rjson_maybe(r->budget_reached),
		"summary", rjson_str(r->summary), "seconds", rjson_maybe(r->seconds),
		"bytes_per_second", rjson_maybe(r->bytes_per_second))) != 0;
}

static int add_open_row(void *arg, const struct catalog_file_finding *f)
{
	return json_array_append_new(arg, json_pack("{s:s, s:I, s:s, s:s, s:s, s:o}",
		"object", f->object, "version", (json_int_t)f->version, "location", f->location,
		"path", f->path, "state", f->state,
		"last_verified", rjson_str(f->last_verified))) != 0;
}

static int add_findings(struct repo *r, json_t *rep, const char *since,
			struct custos_err *err)
{
	struct catalog *c = repo_catalog(r);
	json_t *fail = json_array(), *repairs = json_array(), *days = json_array();
	json_t *runs = json_array(), *open = json_array();

	if (!fail || !repairs || !days || !runs || !open ||
	    catalog_report_findings(c, since, add_finding_row, fail, err) < 0 ||
	    catalog_report_repairs(c, since, add_repair_row, repairs, err) < 0 ||
	    catalog_report_findings_by_day(c, since, add_day_row, days, err) < 0 ||
	    catalog_report_audit_runs(c, since, add_run_row, runs, err) < 0 ||
	    catalog_report_open_findings(c, LIST_LIMIT, add_open_row, open, err) < 0) {
		bool oom = !fail || !repairs || !days || !runs || !open;

		json_decref(fail);
		json_decref(repairs);
		json_decref(days);
		json_decref(runs);
		json_decref(open);
		return oom ? err_nomem(err) : -1;
	}
	json_object_set_new(rep, "findings", fail);
	json_object_set_new(rep, "repairs", repairs);
	json_object_set_new(rep, "findings_by_day", days);
	json_object_set_new(rep, "audit_runs", runs);
	return json_object_set_new(rep, "open_file_findings", open);
}

static bool listed(char **v, size_t n, const char *puid)
{
	for (size_t i = 0; puid && i < n; i++)
		if (!strcmp(v[i], puid))
			return true;
	return false;
}

struct formats {
	const struct policy *p;
	json_t *rows, *risk;
	int64_t unidentified, at_risk;
};

static int add_format_row(void *arg, const struct catalog_format_count *f)
{
	struct formats *fm = arg;
	bool risky = listed(fm->p->at_risk_puids, fm->p->nat_risk, f->puid);

	if (!f->puid)
		fm->unidentified += f->files;
	if (risky) {
		fm->at_risk += f->files;
		json_array_append_new(fm->risk, json_pack("{s:s, s:I}", "puid", f->puid,
							  "files", (json_int_t)f->files));
	}
	return json_array_append_new(fm->rows, json_pack("{s:o, s:o, s:I, s:I, s:b, s:b}",
		"puid", rjson_str(f->puid), "name", rjson_str(f->name),
		"files", (json_int_t)f->files, "bytes", (json_int_t)f->bytes,
		"at_risk", risky, "preferred",
		listed(fm->p->preferred_puids, fm->p->npreferred, f->puid))) != 0;
}

static int add_formats(struct repo *r, json_t *rep, struct custos_err *err)
{
	struct formats fm = { repo_policy(r), json_array(), json_array(), 0, 0 };

	if (!fm.rows || !fm.risk ||
	    catalog_report_formats(repo_catalog(r), add_format_row, &fm, err) < 0) {
		json_decref(fm.rows);
		json_decref(fm.risk);
		return fm.rows && fm.risk ? -1 : err_nomem(err);
	}
	return json_object_set_new(rep, "formats", json_pack("{s:o, s:I, s:I, s:o}",
		"by_puid", fm.rows, "unidentified_files", (json_int_t)fm.unidentified,
		"at_risk_files", (json_int_t)fm.at_risk, "at_risk", fm.risk));
}

static int add_repository(struct repo *r, json_t *rep, const struct report_options *o,
			  const char *now, const char *since)
{
	return json_object_set_new(rep, "repository", json_pack("{s:s, s:s}",
		"path", repo_root(r), "catalog", REPO_CATALOG)) |
	       json_object_set_new(rep, "generated", json_string(now)) |
	       json_object_set_new(rep, "generator", json_string("custos " CUSTOS_VERSION)) |
	       json_object_set_new(rep, "period", json_pack("{s:s?, s:s}", "since",
		       o->since, "until", now)) |
	       json_object_set_new(rep, "report_format", json_string("custos-report/1")) |
	       (since ? 0 : -1);
}

int report_collect(struct repo *r, const struct report_options *o, json_t **out,
		   struct custos_err *err)
{
	char now[32];
	const char *since = o->since ? o->since : "";
	json_t *rep = json_object();

	if (!rep)
		return err_nomem(err);
	if (o->now)
		snprintf(now, sizeof(now), "%s", o->now);
	else
		catalog_now(now);
	if (add_repository(r, rep, o, now, since) < 0) {
		json_decref(rep);
		return err_nomem(err);
	}
	if (add_policy(r, rep, now, err) < 0 || add_holdings(r, rep, err) < 0 ||
	    add_coverage(r, rep, now, err) < 0 || add_findings(r, rep, since, err) < 0 ||
	    add_formats(r, rep, err) < 0 || report_log_section(r, rep, err) < 0 ||
	    compliance_ndsa(r, rep, err) < 0 || compliance_iso16363(r, rep, err) < 0 ||
	    compliance_coretrustseal(r, rep, err) < 0) {
		json_decref(rep);
		return -1;
	}
	*out = rep;
	return 0;
}
