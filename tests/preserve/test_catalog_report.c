/*
 * tests/preserve/test_catalog_report.c - the catalog's read operations for
 * the evidence report (holdings, coverage, stale copies, formats, events
 * cited, audit runs, the log's head and records, compliance counts, the
 * version and file lists) on a small catalog built here; every expected
 * figure follows from what setup() inserted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "preserve/catalog/catalog_audit.h"
#include "preserve/catalog/catalog_compliance.h"
#include "preserve/catalog/catalog_export.h"
#include "preserve/catalog/catalog_log_read.h"
#include "preserve/catalog/catalog_report.h"
#include "preserve/catalog/catalog_report_events.h"
#include "tests/testutil.h"

/*
 * The catalog:
 *   locations  east (region r1, threat t1, disk), west (r2, t2, no media)
 *   alpha v1   data/a (3 bytes, fmt/1), data/b (5 bytes, unidentified);
 *              copies ok in east and west; bag-info Contact-Name
 *   beta v1    data/c (7 bytes, fmt/1); copy ok in east, damaged in west
 *   events     (day 1) ing alpha, ing beta, fix suc alpha@east,
 *              (day 2) fix fai beta@west, rep suc naming it,
 *              (day 3) fix fai alpha@west (unanswered), val war
 *   file check alpha data/b in west: "changed"
 *   audit runs one ended (4 files, 15 bytes, 10 s), one running
 */
#define DAY1 "2026-01-01T10:00:00Z"
#define DAY2 "2026-01-02T10:00:00Z"
#define DAY3 "2026-01-03T10:00:00Z"
#define NEVENTS 9   /* two policy assignments (today) and the 7 of setup */

#define P1 "1111111111111111111111111111111111111111111111111111111111111111"
#define P2 "2222222222222222222222222222222222222222222222222222222222222222"

struct fx {
	char *dir, *db;
	struct catalog *cat;
	char fail_beta[37], last[37], first[37];
};

static void add_file(struct catalog *cat, int64_t vid, const char *path, uint64_t size,
		     const char *puid)
{
	struct digest_result d = { .mask = DIGEST_BIT(DIGEST_SHA256) };
	struct catalog_file f = { .path = path, .size = size, .dig = &d, .puid = puid,
				  .format_name = puid ? "Format One" : NULL };
	struct custos_err err;

	snprintf(d.hex[DIGEST_SHA256], sizeof(d.hex[DIGEST_SHA256]), "%s", "ab");
	assert_int_equal(catalog_file_add(cat, vid, &f, &err), 0);
}

static void add_event(struct catalog *cat, const char *type, const char *outcome,
		      const char *object, const char *location, const char *related,
		      const char *when, char *uuid)
{
	struct catalog_event e = { .type = type, .outcome = outcome, .object = object,
				   .version = object ? 1 : 0, .location = location,
				   .related = related, .datetime = when,
				   .detail = "what happened" };
	struct custos_err err;

	assert_int_equal(catalog_event_add(cat, &e, uuid, &err), 0);
}

static int64_t copy_id(struct catalog *cat, const char *ident, int64_t location)
{
	struct catalog_audit_copy *v = NULL;
	size_t n = 0;
	int64_t id = 0;
	struct custos_err err;

	assert_int_equal(catalog_audit_copies(cat, ident, NULL, &v, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		if (v[i].location_id == location)
			id = v[i].copy_id;
	catalog_audit_copies_free(v, n);
	assert_true(id > 0);
	return id;
}

static void add_damage(struct catalog *cat, int64_t west)
{
	int64_t cid = copy_id(cat, "alpha", west);
	struct catalog_audit_file *f = NULL;
	size_t n = 0;
	struct catalog_file_check chk = { .state = "changed", .counts = true };
	struct custos_err err;

	assert_int_equal(catalog_audit_files(cat, cid, &f, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].path, "data/b"))
			chk.file_id = f[i].id;
	catalog_audit_files_free(f, n);
	assert_int_equal(catalog_file_checks_put(cat, cid, 1, DAY3, &chk, 1, &err), 0);
}

static void add_runs(struct catalog *cat)
{
	struct catalog_audit_run r = { .started = DAY2, .ended = "2026-01-02T10:00:10Z",
				       .files = 4, .bytes = 15, .findings = 1,
				       .summary = "{}" };
	struct custos_err err;
	int64_t id;

	assert_int_equal(catalog_audit_run_add(cat, DAY2, &id, &err), 0);
	assert_int_equal(catalog_audit_run_end(cat, id, &r, &err), 0);
	assert_int_equal(catalog_audit_run_add(cat, DAY3, &id, &err), 0);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct catalog_location east = { .name = "east", .type = "filesystem", .where = "/e",
					 .region = "r1", .threat = "t1", .media = "disk" };
	struct catalog_location west = { .name = "west", .type = "filesystem", .where = "/w",
					 .region = "r2", .threat = "t2" };
	struct catalog_version va = { .number = 1, .files = 2, .bytes = 8,
				      .bag_info = "[[\"Contact-Name\", \"Ann\"]]" };
	struct catalog_version vb = { .number = 1, .files = 1, .bytes = 7 };
	struct custos_err err;
	int64_t le, lw, oa, ob, a, b;
	bool is_new;

	fx->dir = tu_mkdtemp();
	fx->db = tu_path(fx->dir, "c.db");
	assert_int_equal(catalog_open(&fx->cat, fx->db, true, &err), 0);
	assert_int_equal(catalog_begin(fx->cat, &err), 0);
	assert_int_equal(catalog_policy_assign(fx->cat, P1, "first", "1", "[policy]",
					       &is_new, &err), 0);
	assert_int_equal(catalog_policy_assign(fx->cat, P2, NULL, NULL, "[policy]",
					       &is_new, &err), 0);
	assert_int_equal(catalog_location_put(fx->cat, &east, &le, &err), 0);
	assert_int_equal(catalog_location_put(fx->cat, &west, &lw, &err), 0);
	assert_int_equal(catalog_object_add(fx->cat, "alpha", &oa, &err), 0);
	assert_int_equal(catalog_object_add(fx->cat, "beta", &ob, &err), 0);
	va.object_id = oa;
	vb.object_id = ob;
	assert_int_equal(catalog_version_add(fx->cat, &va, &a, &err), 0);
	assert_int_equal(catalog_version_add(fx->cat, &vb, &b, &err), 0);
	add_file(fx->cat, a, "data/a", 3, "fmt/1");
	add_file(fx->cat, a, "data/b", 5, NULL);
	add_file(fx->cat, b, "data/c", 7, "fmt/1");
	assert_int_equal(catalog_copy_put(fx->cat, a, le, "ok", true, &err), 0);
	assert_int_equal(catalog_copy_put(fx->cat, a, lw, "ok", true, &err), 0);
	assert_int_equal(catalog_copy_put(fx->cat, b, le, "ok", true, &err), 0);
	assert_int_equal(catalog_copy_put(fx->cat, b, lw, "damaged", true, &err), 0);
	add_event(fx->cat, "ing", "suc", "alpha", NULL, NULL, DAY1, fx->first);
	add_event(fx->cat, "ing", "suc", "beta", NULL, NULL, DAY1, NULL);
	add_event(fx->cat, "fix", "suc", "alpha", "east", NULL, DAY1, NULL);
	add_event(fx->cat, "fix", "fai", "beta", "west", NULL, DAY2, fx->fail_beta);
	add_event(fx->cat, "rep", "suc", "beta", "west", fx->fail_beta, DAY2, NULL);
	add_event(fx->cat, "fix", "fai", "alpha", "west", NULL, DAY3, NULL);
	add_event(fx->cat, "val", "war", NULL, NULL, NULL, DAY3, fx->last);
	add_damage(fx->cat, lw);
	add_runs(fx->cat);
	assert_int_equal(catalog_commit(fx->cat, &err), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	catalog_close(fx->cat);
	tu_rmrf(fx->dir);
	free(fx->dir);
	free(fx->db);
	free(fx);
	return 0;
}

/* Rows a walk saw, as "a|b|c" lines joined. */
struct seen {
	char text[4096];
	int rows;
};

static void note(struct seen *s, const char *fmt, ...)
{
	size_t used = strlen(s->text);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->text + used, sizeof(s->text) - used, fmt, ap);
	va_end(ap);
	s->rows++;
}

static const char *or_null(const char *s)
{
	return s ? s : "NULL";
}

static void test_holdings(void **state)
{
	struct fx *fx = *state;
	struct catalog_holdings h;
	struct custos_err err;

	assert_int_equal(catalog_report_holdings(fx->cat, 2, &h, &err), 0);
	assert_int_equal(h.objects, 2);
	assert_int_equal(h.versions, 2);
	assert_int_equal(h.files, 3);
	assert_int_equal(h.bytes, 3 + 5 + 7);
	assert_int_equal(h.copies, 4);
	assert_int_equal(h.copies_ok, 3);
	assert_int_equal(h.versions_meeting, 1);          /* alpha only */
	assert_int_equal(catalog_report_holdings(fx->cat, 1, &h, &err), 0);
	assert_int_equal(h.versions_meeting, 2);
}

static int location_row(void *arg, const struct catalog_location_holdings *l)
{
	note(arg, "%s|%s|%s|%lld|%lld|%lld|%lld\n", l->name, l->region, or_null(l->media),
	     (long long)l->copies, (long long)l->copies_ok, (long long)l->files,
	     (long long)l->bytes);
	return 0;
}

static int below_row(void *arg, const struct catalog_version_copies *v)
{
	note(arg, "%s|%lld|%lld\n", v->object, (long long)v->version, (long long)v->copies_ok);
	return 0;
}

static void test_locations_and_shortfall(void **state)
{
	struct fx *fx = *state;
	struct seen s = { "", 0 };
	struct custos_err err;

	assert_int_equal(catalog_report_locations(fx->cat, location_row, &s, &err), 0);
	/* each location holds a copy of both versions: 2 + 1 files, 8 + 7 bytes */
	assert_string_equal(s.text, "east|r1|disk|2|2|3|15\nwest|r2|NULL|2|1|3|15\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_versions_below(fx->cat, 2, 10, below_row, &s, &err), 0);
	assert_string_equal(s.text, "beta|1|1\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_versions_below(fx->cat, 3, 1, below_row, &s, &err), 0);
	assert_string_equal(s.text, "alpha|1|2\n");         /* the limit holds */
}

static void test_coverage(void **state)
{
	struct fx *fx = *state;
	struct catalog_coverage v;
	struct custos_err err;

	/* 2 files x 2 copies + 1 file x 2 copies; all copies verified when
	 * written (now), alpha data/b in west by the audit on DAY3 */
	assert_int_equal(catalog_report_coverage(fx->cat, "2000-01-01T00:00:00Z", &v, &err), 0);
	assert_int_equal(v.file_copies, 6);
	/* not fresh: beta's damaged copy, alpha data/b found changed */
	assert_int_equal(v.fresh, 4);
	assert_int_equal(v.fresh_by_audit, 0);
	assert_int_equal(v.fresh_at_write, 4);
	assert_int_equal(v.never_verified, 0);
	assert_int_equal(v.with_audit_record, 1);
	assert_string_equal(v.oldest, DAY3);
	assert_int_equal(v.files, 3);
	assert_int_equal(v.files_all_fresh, 1);             /* alpha data/a */
	assert_int_equal(catalog_report_coverage(fx->cat, "2999-01-01T00:00:00Z", &v, &err), 0);
	assert_int_equal(v.file_copies, 6);
	assert_int_equal(v.fresh, 0);
	assert_int_equal(v.files_all_fresh, 0);
}

static int stale_row(void *arg, const struct catalog_stale_copy *c)
{
	note(arg, "%s|%s|%s|%d|%s|%s\n", c->object, c->location, c->path, (int)c->reason,
	     c->copy_status, or_null(c->check_state));
	return 0;
}

static void test_stale_copies(void **state)
{
	struct fx *fx = *state;
	struct seen s = { "", 0 };
	struct custos_err err;
	char want[512];

	assert_int_equal(catalog_report_stale_copies(fx->cat, "2000-01-01T00:00:00Z", 10,
						     stale_row, &s, &err), 0);
	/* oldest verification first: the DAY3 check, then the damaged copy */
	snprintf(want, sizeof(want), "alpha|west|data/b|%d|ok|changed\n"
		 "beta|west|data/c|%d|damaged|NULL\n", CATALOG_STALE_CHECK_FAILED,
		 CATALOG_STALE_COPY_STATUS);
	assert_string_equal(s.text, want);
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_stale_copies(fx->cat, "2999-01-01T00:00:00Z", 10,
						     stale_row, &s, &err), 0);
	assert_int_equal(s.rows, 6);
	assert_non_null(strstr(s.text, "alpha|east|data/a|3|ok|NULL\n"));
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_stale_copies(fx->cat, "2999-01-01T00:00:00Z", 2,
						     stale_row, &s, &err), 0);
	assert_int_equal(s.rows, 2);
}

static int finding_row(void *arg, const struct catalog_file_finding *f)
{
	note(arg, "%s|%lld|%s|%s|%s|%s\n", f->object, (long long)f->version, f->location,
	     f->path, f->state, f->last_verified);
	return 0;
}

static int format_row(void *arg, const struct catalog_format_count *f)
{
	note(arg, "%s|%s|%lld|%lld\n", or_null(f->puid), or_null(f->name),
	     (long long)f->files, (long long)f->bytes);
	return 0;
}

static void test_open_findings_and_formats(void **state)
{
	struct fx *fx = *state;
	struct seen s = { "", 0 };
	struct custos_err err;

	assert_int_equal(catalog_report_open_findings(fx->cat, 10, finding_row, &s, &err), 0);
	assert_string_equal(s.text, "alpha|1|west|data/b|changed|" DAY3 "\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_formats(fx->cat, format_row, &s, &err), 0);
	assert_string_equal(s.text, "fmt/1|Format One|2|10\nNULL|NULL|1|5\n");
}

static int policy_row(void *arg, const struct catalog_policy_record *p)
{
	note(arg, "%s|%s|%s\n", p->sha256, or_null(p->name), or_null(p->version));
	return 0;
}

static void test_policy_history(void **state)
{
	struct fx *fx = *state;
	struct seen s = { "", 0 };
	struct custos_err err;
	char since[32];
	bool found;

	assert_int_equal(catalog_policy_history(fx->cat, policy_row, &s, &err), 0);
	assert_string_equal(s.text, P1 "|first|1\n" P2 "|NULL|NULL\n");
	assert_int_equal(catalog_policy_in_force_since(fx->cat, P2, since, &found, &err), 0);
	assert_true(found);
	assert_int_equal(strlen(since), 20);               /* ISO 8601 UTC */
	/* P1 was in force once, but is not now */
	assert_int_equal(catalog_policy_in_force_since(fx->cat, P1, since, &found, &err), 0);
	assert_false(found);
	assert_string_equal(since, "");
}

static int event_row(void *arg, const struct catalog_event_row *e)
{
	note(arg, "%s|%s|%s|%s|%s|%s\n", e->type, e->outcome, or_null(e->object),
	     e->version.known ? "v1" : "-", or_null(e->location), or_null(e->related_event));
	return 0;
}

static int day_row(void *arg, const char *day, int64_t count)
{
	note(arg, "%s|%lld\n", day, (long long)count);
	return 0;
}

static void test_findings_and_repairs(void **state)
{
	struct fx *fx = *state;
	struct seen s = { "", 0 };
	struct custos_err err;
	char want[256];

	assert_int_equal(catalog_report_findings(fx->cat, "", event_row, &s, &err), 0);
	assert_string_equal(s.text, "fix|fai|beta|v1|west|NULL\nfix|fai|alpha|v1|west|NULL\n"
			    "val|war|NULL|-|NULL|NULL\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_findings(fx->cat, "2026-01-03", event_row, &s, &err), 0);
	assert_int_equal(s.rows, 2);
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_repairs(fx->cat, "", event_row, &s, &err), 0);
	snprintf(want, sizeof(want), "rep|suc|beta|v1|west|%s\n", fx->fail_beta);
	assert_string_equal(s.text, want);
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_findings_by_day(fx->cat, "", day_row, &s, &err), 0);
	assert_string_equal(s.text, "2026-01-02|1\n2026-01-03|2\n");
}

static int id_row(void *arg, const char *uuid)
{
	note(arg, "%s\n", uuid);
	return 0;
}

static int record_row(void *arg, const struct catalog_event_row *e)
{
	note(arg, "%s|%d\n", e->type, e->record && e->record[0] == '{');
	return 0;
}

static void test_event_ids_and_records(void **state)
{
	struct fx *fx = *state;
	struct seen s = { "", 0 };
	struct custos_err err;
	char want[64];

	assert_int_equal(catalog_report_event_ids(fx->cat, "ing", "suc", 1, id_row, &s, &err), 0);
	snprintf(want, sizeof(want), "%s\n", fx->first);
	assert_string_equal(s.text, want);
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_event_ids(fx->cat, "fix", NULL, 5, id_row, &s, &err), 0);
	assert_int_equal(s.rows, 3);
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_events(fx->cat, DAY2, record_row, &s, &err), 0);
	/* the two policy assignments are dated today, after DAY2 */
	assert_string_equal(s.text, "poa|1\npoa|1\nfix|1\nrep|1\nfix|1\nval|1\n");
}

static int run_row(void *arg, const struct catalog_audit_run_record *r)
{
	note(arg, "%s|%s|%lld|%lld|%d|%lld|%lld\n", r->started, or_null(r->ended),
	     (long long)r->files.value, (long long)r->bytes.value, r->seconds.known,
	     (long long)r->seconds.value, (long long)r->bytes_per_second.value);
	return 0;
}

static void test_audit_runs(void **state)
{
	struct fx *fx = *state;
	struct seen s = { "", 0 };
	struct custos_err err;

	assert_int_equal(catalog_report_audit_runs(fx->cat, "", run_row, &s, &err), 0);
	/* 15 bytes in 10 seconds: 1 byte per second (integer division) */
	assert_string_equal(s.text, DAY2 "|2026-01-02T10:00:10Z|4|15|1|10|1\n"
			    DAY3 "|NULL|0|0|0|0|0\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_report_audit_runs(fx->cat, DAY3, run_row, &s, &err), 0);
	assert_int_equal(s.rows, 1);
}

struct records {
	int n;
	size_t bytes;
};

static int count_record(void *arg, const char *record, size_t len)
{
	struct records *r = arg;

	assert_int_equal(strlen(record), len);
	r->n++;
	r->bytes += len;
	return 0;
}

static int stop_at_two(void *arg, const char *record, size_t len)
{
	(void)record, (void)len;
	return ++*(int *)arg == 2 ? 7 : 0;
}

static void test_log(void **state)
{
	struct fx *fx = *state;
	struct catalog_log_head h;
	struct records r = { 0, 0 };
	struct custos_err err;
	int64_t matches, index;
	int seen = 0;
	char id[24];

	assert_int_equal(catalog_log_head(fx->cat, &h, &err), 0);
	assert_int_equal(h.events, NEVENTS);
	assert_string_equal(h.uuid, fx->last);
	assert_int_equal(strlen(h.hash), 64);
	assert_int_equal(catalog_log_records(fx->cat, count_record, &r, &err), 0);
	assert_int_equal(r.n, NEVENTS);
	assert_true(r.bytes > 0);
	/* a callback's non-zero value stops the walk and is returned */
	assert_int_equal(catalog_log_records(fx->cat, stop_at_two, &seen, &err), 7);
	assert_int_equal(seen, 2);
	assert_int_equal(catalog_log_position(fx->cat, fx->first, &matches, &index, &err), 0);
	assert_int_equal(matches, 1);
	assert_int_equal(index, 2);                          /* after the assignments */
	assert_int_equal(catalog_log_position(fx->cat, fx->last, &matches, &index, &err), 0);
	assert_int_equal(index, NEVENTS - 1);
	snprintf(id, sizeof(id), "%d", 4);                   /* by row id */
	assert_int_equal(catalog_log_position(fx->cat, id, &matches, &index, &err), 0);
	assert_int_equal(matches, 1);
	assert_int_equal(index, 3);
	assert_int_equal(catalog_log_position(fx->cat, "nope", &matches, &index, &err), 0);
	assert_int_equal(matches, 0);
}

static void test_compliance_counts(void **state)
{
	struct fx *fx = *state;
	struct catalog_copy_spread s;
	struct catalog_event_tally t;
	struct custos_err err;
	int64_t n;

	assert_int_equal(catalog_copy_spread(fx->cat, &s, &err), 0);
	/* alpha: 2 ok copies in r1/t1/disk and r2/t2/-; beta: 1 ok copy */
	assert_int_equal(s.with_2_copies, 1);
	assert_int_equal(s.with_3_copies_2_regions, 0);
	assert_int_equal(s.spanning_2_threats, 1);
	assert_int_equal(s.spanning_2_media, 0);
	assert_int_equal(s.with_3_copies_3_threats, 0);
	assert_int_equal(s.without_copy, 0);
	assert_int_equal(s.locations, 2);
	assert_int_equal(s.locations_without_media, 1);
	assert_int_equal(catalog_versions_lacking_event(fx->cat, "ing", &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(catalog_versions_lacking_event(fx->cat, "fix", &n, &err), 0);
	assert_int_equal(n, 1);                              /* beta: only a failed one */
	assert_int_equal(catalog_versions_lacking_event(fx->cat, "for", &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(catalog_versions_lacking_info(fx->cat, "contact-name", &n, &err), 0);
	assert_int_equal(n, 1);                              /* beta has no bag-info */
	assert_int_equal(catalog_versions_lacking_info(fx->cat, "Source-Organization", &n,
						       &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(catalog_event_tally(fx->cat, &t, &err), 0);
	assert_int_equal(t.deposits_validated, 0);          /* the val event warned */
	assert_int_equal(t.ingests, 2);
	assert_int_equal(t.virus_checks, 0);
	assert_int_equal(t.fixity_checks, 3);
	assert_int_equal(t.fixity_failed, 2);
	assert_int_equal(t.fixity_unresolved, 1);           /* alpha@west */
	assert_int_equal(t.without_agent, 0);
	assert_int_equal(t.migrations, 0);
	assert_int_equal(t.audit_runs_completed, 1);
}

static int version_row(void *arg, const char *object, int64_t version)
{
	note(arg, "%s/v%lld\n", object, (long long)version);
	return 0;
}

static int file_row(void *arg, const struct catalog_file_record *f)
{
	note(arg, "%s/v%lld/%s|%lld|%s|%s\n", f->object, (long long)f->version, f->path,
	     (long long)f->size, or_null(f->sha256), or_null(f->puid));
	return 0;
}

static void test_versions_and_files(void **state)
{
	struct fx *fx = *state;
	struct seen s = { "", 0 };
	struct custos_err err;

	assert_int_equal(catalog_each_version(fx->cat, version_row, &s, &err), 0);
	assert_string_equal(s.text, "alpha/v1\nbeta/v1\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(catalog_each_file(fx->cat, file_row, &s, &err), 0);
	assert_string_equal(s.text, "alpha/v1/data/a|3|ab|fmt/1\nalpha/v1/data/b|5|ab|NULL\n"
			    "beta/v1/data/c|7|ab|fmt/1\n");
}

static void test_snapshot(void **state)
{
	struct fx *fx = *state;
	struct catalog *writer;
	struct catalog_log_head h;
	struct custos_err err;

	assert_int_equal(catalog_snapshot_begin(fx->cat, &err), 0);
	assert_int_equal(catalog_open(&writer, fx->db, false, &err), 0);
	add_event(writer, "fix", "suc", "beta", "east", NULL, DAY3, NULL);
	/* the snapshot does not see the writer's event; after its end it does */
	assert_int_equal(catalog_log_head(fx->cat, &h, &err), 0);
	assert_int_equal(h.events, NEVENTS);
	catalog_snapshot_end(fx->cat);
	assert_int_equal(catalog_log_head(fx->cat, &h, &err), 0);
	assert_int_equal(h.events, NEVENTS + 1);
	catalog_close(writer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_holdings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locations_and_shortfall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coverage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_copies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_findings_and_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_and_repairs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_ids_and_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compliance_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions_and_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
