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
#include "preserve/repo/repo.h"

#define FILE_COPIES \
	"SELECT o.ident AS object, v.number AS \"i:version\", l.name AS location," \
	" f.path AS path, f.id AS fid, c.status AS cs, k.state AS st," \
	" k.file_id IS NOT NULL AS by_audit," \
	" COALESCE(k.last_verified, c.last_verified) AS lv" \
	" FROM files f JOIN versions v ON v.id = f.version_id" \
	" JOIN objects o ON o.id = v.object_id" \
	" JOIN copies c ON c.version_id = f.version_id" \
	" JOIN locations l ON l.id = c.location_id" \
	" LEFT JOIN file_checks k ON k.file_id = f.id AND k.copy_id = c.id"
#define GOOD_STATE "('ok', 'verified')"   /* file_checks.state of an intact file */
#define FRESH "(cs = 'ok' AND lv >= ?1 AND (st IS NULL OR st IN " GOOD_STATE "))"

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

static int add_policy(struct repo *r, json_t *rep, const char *now,
		      struct custos_err *err)
{
	const char *p[1] = { repo_policy(r)->sha256 };
	json_t *pol = policy_in_force(repo_policy(r)), *hist, *since;
	char due[32];

	if (!pol || rsql_rows(repo_catalog(r), "SELECT sha256, name, version, first_in_force"
			      " FROM policies ORDER BY id", NULL, 0, &hist, err) < 0 ||
	    rsql_rows(repo_catalog(r), "SELECT first_in_force FROM policies WHERE sha256 = ?1",
		      p, 1, &since, err) < 0) {
		json_decref(pol);
		return pol ? -1 : err_nomem(err);
	}
	json_t *first = json_object_get(json_array_get(since, 0), "first_in_force");
	json_object_set(pol, "in_force_since", first ? first : json_null());
	/* policy.ini is recorded on the next writing command: until then the
	 * file in force is not yet in the catalog's history */
	json_object_set_new(pol, "recorded_in_catalog", json_boolean(first != NULL));
	if (repo_policy(r)->review_seconds && json_is_string(first)) {
		time_minus(due, now, repo_policy(r)->review_seconds);
		json_object_set_new(pol, "review_overdue",
				    json_boolean(strcmp(json_string_value(first), due) < 0));
	}
	json_decref(since);
	return json_object_set_new(rep, "policy", json_pack("{s:o, s:o}", "in_force", pol,
							    "history", hist));
}

static int add_holdings(struct repo *r, json_t *rep, struct custos_err *err)
{
	char req[24];
	const char *p[1] = { req };
	json_t *tot, *locs, *under;

	snprintf(req, sizeof(req), "%u", repo_policy(r)->copies_required);
	if (rsql_rows(repo_catalog(r), "SELECT (SELECT COUNT(*) FROM objects) AS \"i:objects\","
		      " (SELECT COUNT(*) FROM versions) AS \"i:versions\","
		      " (SELECT COUNT(*) FROM files) AS \"i:files\","
		      " (SELECT COALESCE(SUM(size), 0) FROM files) AS \"i:bytes\","
		      " (SELECT COUNT(*) FROM copies) AS \"i:copies\","
		      " (SELECT COUNT(*) FROM copies WHERE status = 'ok') AS \"i:copies_ok\","
		      " (SELECT COUNT(*) FROM versions v WHERE (SELECT COUNT(*) FROM copies c"
		      "  WHERE c.version_id = v.id AND c.status = 'ok') >= CAST(?1 AS INTEGER))"
		      "  AS \"i:versions_meeting_policy\"", p, 1, &tot, err) < 0)
		return -1;
	json_t *h = json_incref(json_array_get(tot, 0));
	json_decref(tot);
	json_object_set_new(h, "copies_required", json_integer(repo_policy(r)->copies_required));
	if (rsql_rows(repo_catalog(r), "SELECT l.name AS name, l.type AS type, l.location AS location,"
		      " l.region AS region, l.threat AS threat, l.media AS media,"
		      " COUNT(c.id) AS \"i:copies\", COALESCE(SUM(c.status = 'ok'), 0) AS \"i:copies_ok\","
		      " COALESCE(SUM(v.files), 0) AS \"i:files\", COALESCE(SUM(v.bytes), 0) AS \"i:bytes\""
		      " FROM locations l LEFT JOIN copies c ON c.location_id = l.id"
		      " LEFT JOIN versions v ON v.id = c.version_id GROUP BY l.id ORDER BY l.id",
		      NULL, 0, &locs, err) < 0 ||
	    rsql_rows(repo_catalog(r), "SELECT o.ident AS object, v.number AS \"i:version\","
		      " COUNT(c.id) AS \"i:copies_ok\" FROM versions v"
		      " JOIN objects o ON o.id = v.object_id LEFT JOIN copies c"
		      " ON c.version_id = v.id AND c.status = 'ok' GROUP BY v.id"
		      " HAVING COUNT(c.id) < CAST(?1 AS INTEGER) ORDER BY o.ident, v.number"
		      " LIMIT 1000", p, 1, &under, err) < 0) {
		json_decref(h);
		return -1;
	}
	json_object_set_new(h, "locations", locs);
	json_object_set_new(h, "versions_below_policy", under);
	return json_object_set_new(rep, "holdings", h);
}

static int add_coverage(struct repo *r, json_t *rep, const char *now,
			struct custos_err *err)
{
	char cutoff[32];
	const char *p[1] = { cutoff };
	json_t *tot, *files, *missing;

	time_minus(cutoff, now, repo_policy(r)->interval_seconds);
	if (rsql_rows(repo_catalog(r), "SELECT COUNT(*) AS \"i:file_copies\","
		      " COALESCE(SUM(" FRESH "), 0) AS \"i:verified_within_interval\","
		      " COALESCE(SUM(" FRESH " AND by_audit), 0) AS \"i:verified_by_audit\","
		      " COALESCE(SUM(" FRESH " AND NOT by_audit), 0) AS \"i:verified_at_write\","
		      " COALESCE(SUM(lv IS NULL), 0) AS \"i:never_verified\","
		      " COALESCE(SUM(by_audit), 0) AS \"i:with_audit_record\","
		      " MIN(lv) AS oldest_verification, MAX(lv) AS newest_verification"
		      " FROM (" FILE_COPIES ")", p, 1, &tot, err) < 0)
		return -1;
	json_t *c = json_incref(json_array_get(tot, 0));
	json_decref(tot);
	if (rsql_rows(repo_catalog(r), "SELECT COUNT(*) AS \"i:files\", COALESCE(SUM(fresh), 0)"
		      " AS \"i:files_all_copies_verified\" FROM (SELECT fid, MIN(" FRESH
		      ") AS fresh FROM (" FILE_COPIES ") GROUP BY fid)", p, 1, &files, err) < 0 ||
	    rsql_rows(repo_catalog(r), "SELECT object, \"i:version\", location, path, lv AS last_verified,"
		      " CASE WHEN cs <> 'ok' THEN 'copy status is ' || cs"
		      " WHEN st IS NOT NULL AND st NOT IN " GOOD_STATE " THEN 'last check found: ' || st"
		      " WHEN lv IS NULL THEN 'never verified'"
		      " ELSE 'last verified before the interval began (' || ?1 || ')' END AS reason"
		      " FROM (" FILE_COPIES ") WHERE NOT " FRESH
		      " ORDER BY lv IS NOT NULL, lv, object, path LIMIT 1000", p, 1, &missing, err) < 0) {
		json_decref(c);
		return -1;
	}
	json_object_update(c, json_array_get(files, 0));
	json_decref(files);
	int64_t all = rjson_int(c, "file_copies"), ok = rjson_int(c, "verified_within_interval");
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
	json_object_set_new(c, "not_checked", missing);
	return json_object_set_new(rep, "coverage", c);
}

static int add_findings(struct repo *r, json_t *rep, const char *since,
			struct custos_err *err)
{
	const char *p[1] = { since };
	json_t *fail, *repairs, *days, *runs, *open;

	if (rsql_rows(repo_catalog(r), "SELECT uuid AS event, datetime, type, outcome, object,"
		      " version AS \"i:version\", location, json_extract(record, '$.detail')"
		      " AS detail, json_extract(record, '$.outcome_note') AS outcome_note"
		      " FROM events WHERE outcome IN ('fai', 'war') AND datetime >= ?1 ORDER BY id",
		      p, 1, &fail, err) < 0)
		return -1;
	if (rsql_rows(repo_catalog(r), "SELECT uuid AS event, datetime, type, outcome, object,"
		      " version AS \"i:version\", location,"
		      " json_extract(record, '$.related_event') AS related_event,"
		      " json_extract(record, '$.detail') AS detail FROM events"
		      " WHERE type IN ('rep', 'rec') AND datetime >= ?1 AND"
		      " json_extract(record, '$.related_event') IS NOT NULL ORDER BY id",
		      p, 1, &repairs, err) < 0 ||
	    rsql_rows(repo_catalog(r), "SELECT substr(datetime, 1, 10) AS day, COUNT(*) AS \"i:findings\""
		      " FROM events WHERE outcome IN ('fai', 'war') AND datetime >= ?1 GROUP BY day"
		      " ORDER BY day", p, 1, &days, err) < 0 ||
	    rsql_rows(repo_catalog(r), "SELECT id AS \"i:run\", started, ended, files AS \"i:files\","
		      " bytes AS \"i:bytes\", findings AS \"i:findings\","
		      " budget_reached AS \"i:budget_reached\", summary,"
		      " CAST(strftime('%s', ended) - strftime('%s', started) AS INTEGER)"
		      " AS \"i:seconds\", bytes / MAX(CAST(strftime('%s', ended) -"
		      " strftime('%s', started) AS INTEGER), 1) AS \"i:bytes_per_second\""
		      " FROM audit_runs"
		      " WHERE started >= ?1 ORDER BY id", p, 1, &runs, err) < 0 ||
	    rsql_rows(repo_catalog(r), "SELECT o.ident AS object, v.number AS \"i:version\","
		      " l.name AS location, f.path AS path, k.state AS state,"
		      " k.last_verified AS last_verified FROM file_checks k"
		      " JOIN files f ON f.id = k.file_id JOIN copies c ON c.id = k.copy_id"
		      " JOIN versions v ON v.id = f.version_id JOIN objects o ON o.id = v.object_id"
		      " JOIN locations l ON l.id = c.location_id"
		      " WHERE k.state IS NOT NULL AND k.state NOT IN " GOOD_STATE " ORDER BY o.ident, f.path"
		      " LIMIT 1000", NULL, 0, &open, err) < 0) {
		json_decref(fail);
		return -1;
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

static int add_formats(struct repo *r, json_t *rep, struct custos_err *err)
{
	const struct policy *p = repo_policy(r);
	json_t *rows, *risk = json_array(), *v;
	int64_t unid = 0, risky = 0;
	size_t i;

	if (rsql_rows(repo_catalog(r), "SELECT puid, format_name AS name, COUNT(*) AS \"i:files\","
		      " SUM(size) AS \"i:bytes\" FROM files GROUP BY puid"
		      " ORDER BY COUNT(*) DESC, puid", NULL, 0, &rows, err) < 0) {
		json_decref(risk);
		return -1;
	}
	json_array_foreach(rows, i, v) {
		const char *puid = json_string_value(json_object_get(v, "puid"));
		int64_t n = rjson_int(v, "files");

		json_object_set_new(v, "at_risk", json_boolean(listed(p->at_risk_puids, p->nat_risk, puid)));
		json_object_set_new(v, "preferred", json_boolean(listed(p->preferred_puids,
									 p->npreferred, puid)));
		if (!puid)
			unid += n;
		if (listed(p->at_risk_puids, p->nat_risk, puid)) {
			risky += n;
			json_array_append_new(risk, json_pack("{s:s, s:I}", "puid", puid, "files",
							      (json_int_t)n));
		}
	}
	return json_object_set_new(rep, "formats", json_pack("{s:o, s:I, s:I, s:o}",
		"by_puid", rows, "unidentified_files", (json_int_t)unid,
		"at_risk_files", (json_int_t)risky, "at_risk", risk));
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
