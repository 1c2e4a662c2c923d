/*
 * tests/preserve/test_catalog.c - the catalog: schema on open, rows,
 * and the event log's hash chain, which must name the first event that
 * was edited, removed or inserted behind custos's back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "preserve/catalog/catalog_int.h"
#include "preserve/catalog/catalog.h"
#include "preserve/catalog/catalog_log_read.h"
#include "preserve/catalog/catalog_rebuild.h"
#include "tests/testutil.h"

struct fixture {
	char *tmp, *db;
	struct catalog *c;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct custos_err err;

	fx->tmp = tu_mkdtemp();
	fx->db = tu_path(fx->tmp, "custos.db");
	assert_int_equal(catalog_open(&fx->c, fx->db, true, &err), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	catalog_close(fx->c);
	tu_rmrf(fx->tmp);
	free(fx->tmp);
	free(fx->db);
	free(fx);
	return 0;
}

static void add_events(struct catalog *c, int n)
{
	struct custos_err err;

	assert_int_equal(catalog_begin(c, &err), 0);
	for (int i = 0; i < n; i++) {
		char detail[32];
		struct catalog_event e = { .type = i % 2 ? "fix" : "ing",
					   .outcome = "suc", .detail = detail,
					   .object = "obj-1", .version = 1 };

		snprintf(detail, sizeof(detail), "event %d", i);
		assert_int_equal(catalog_event_add(c, &e, NULL, &err), 0);
	}
	assert_int_equal(catalog_commit(c, &err), 0);
}

static void verify(struct catalog *c, int64_t want_count, int64_t want_bad,
		   const char *why_part)
{
	struct custos_err err;
	struct catalog_log_check chk;

	assert_int_equal(catalog_log_check(c, &chk, &err), 0);
	assert_int_equal(chk.bad, want_bad);
	if (!want_bad)
		assert_int_equal(chk.events, want_count);
	if (why_part)
		assert_non_null(strstr(chk.why, why_part));
}

/* Tamper the way an attacker with the database would: another connection,
 * triggers dropped. */
static void tamper(const char *db, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "DROP TRIGGER IF EXISTS events_no_update;"
				      "DROP TRIGGER IF EXISTS events_no_delete;",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void catalog__chain_verifies(void **state)
{
	struct fixture *fx = *state;

	add_events(fx->c, 10);
	verify(fx->c, 10, 0, NULL);
}

static void catalog__events_are_append_only(void **state)
{
	struct fixture *fx = *state;
	struct custos_err err;
	char *msg = NULL;
	sqlite3 *h;

	add_events(fx->c, 3);
	assert_int_equal(sqlite3_open(fx->db, &h), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE events SET outcome = 'fai'",
					  NULL, NULL, &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM events", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(h);
	(void)err;
	verify(fx->c, 3, 0, NULL);
}

static void catalog__edited_record_is_named(void **state)
{
	struct fixture *fx = *state;

	add_events(fx->c, 6);
	tamper(fx->db, "UPDATE events SET record = replace(record, 'event 3', 'event X') WHERE id = 4");
	verify(fx->c, 0, 4, "does not hash");
}

static void catalog__edited_column_is_named(void **state)
{
	struct fixture *fx = *state;

	add_events(fx->c, 6);
	tamper(fx->db, "UPDATE events SET type = 'val' WHERE id = 2");
	verify(fx->c, 0, 2, "type column");
}

static void catalog__removed_event_is_named(void **state)
{
	struct fixture *fx = *state;

	add_events(fx->c, 6);
	tamper(fx->db, "DELETE FROM events WHERE id = 3");
	verify(fx->c, 0, 4, "missing");
}

static void catalog__rehashed_tail_still_breaks(void **state)
{
	struct fixture *fx = *state;

	/* editing a record and recomputing only its own hash breaks the next */
	add_events(fx->c, 4);
	tamper(fx->db, "UPDATE events SET hash = '00' || substr(hash, 3) WHERE id = 2");
	verify(fx->c, 0, 2, NULL);
}

static void catalog__chosen_uuid_and_time(void **state)
{
	struct fixture *fx = *state;
	struct custos_err err;
	char uuid[37], got[37];
	struct catalog_event e = { .type = "ing", .outcome = "suc", .uuid = uuid,
				   .datetime = "2026-01-02T03:04:05Z" };

	catalog_new_uuid(uuid);
	assert_int_equal(strlen(uuid), 36);
	assert_int_equal(uuid[14], '4');
	assert_int_equal(catalog_begin(fx->c, &err), 0);
	assert_int_equal(catalog_event_add(fx->c, &e, got, &err), 0);
	assert_int_equal(catalog_commit(fx->c, &err), 0);
	assert_string_equal(got, uuid);
	verify(fx->c, 1, 0, NULL);
}

static int count_row(void *arg, int n, const char *const *v, const char *const *names)
{
	(void)n;
	(void)names;
	*(long *)arg = strtol(v[0], NULL, 10);
	return 0;
}

static void catalog__objects_versions_files(void **state)
{
	struct fixture *fx = *state;
	struct custos_err err;
	struct digest_result dig = { .mask = DIGEST_BIT(DIGEST_SHA256) };
	struct catalog_version v = { .number = 1, .source = "src", .files = 1, .bytes = 3 };
	struct catalog_file f = { "data/a", 3, &dig, "fmt/11", "PNG", "1.0", "image/png", "signature" };
	int64_t oid, vid, found;
	int latest;
	long n = 0;

	snprintf(dig.hex[DIGEST_SHA256], DIGEST_HEX_MAX, "%064d", 7);
	assert_int_equal(catalog_object_find(fx->c, "a", &oid, &latest, &err), 1);
	assert_int_equal(catalog_begin(fx->c, &err), 0);
	assert_int_equal(catalog_object_add(fx->c, "a", &oid, &err), 0);
	v.object_id = oid;
	assert_int_equal(catalog_version_add(fx->c, &v, &vid, &err), 0);
	assert_int_equal(catalog_file_add(fx->c, vid, &f, &err), 0);
	assert_int_equal(catalog_commit(fx->c, &err), 0);
	assert_int_equal(catalog_object_find(fx->c, "a", &oid, &latest, &err), 0);
	assert_int_equal(latest, 1);
	assert_int_equal(catalog_version_id(fx->c, "a", 1, &found, &err), 0);
	assert_int_equal(found, vid);
	assert_int_equal(catalog_version_id(fx->c, "a", 2, &found, &err), 1);
	assert_int_equal(catalog_query(fx->c, "SELECT COUNT(*) FROM files WHERE puid = 'fmt/11'",
				       NULL, 0, count_row, &n, &err), 0);
	assert_int_equal(n, 1);
	/* a duplicate path in one version is refused by the schema */
	assert_int_equal(catalog_file_add(fx->c, vid, &f, &err), -1);
	assert_non_null(strstr(err.msg, "catalog"));
}

static void catalog__query_is_read_only(void **state)
{
	struct fixture *fx = *state;
	struct custos_err err;
	long n = 0;

	assert_int_equal(catalog_query(fx->c, "DELETE FROM objects", NULL, 0,
				       count_row, &n, &err), -1);
}

static void catalog__postgresql_is_refused_for_now(void **state)
{
	static const char *const where[] = {
		"postgresql://custos:s3cret@db.example/custos",
		"postgres://custos:s3cret@db.example/custos",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		struct catalog *c = NULL;
		struct custos_err err;

		assert_int_equal(catalog_open(&c, where[i], true, &err), -1);
		assert_null(c);
		assert_int_equal(err.code, CUSTOS_EUSAGE);
		assert_non_null(strstr(err.msg, "PostgreSQL catalogs are not supported yet"));
		/* the address may carry a password: it is not repeated */
		assert_null(strstr(err.msg, "s3cret"));
	}
}

static void catalog__query_reads_a_snapshot(void **state)
{
	struct fixture *fx = *state;
	struct custos_err err;
	const char *params[1] = { NULL };
	long n = -1;

	/* BEGIN and COMMIT pass as read-only: a report's snapshot */
	assert_int_equal(catalog_query(fx->c, "BEGIN", NULL, 0, NULL, NULL, &err), 0);
	assert_int_equal(catalog_query(fx->c, "SELECT COUNT(*) FROM events WHERE"
				       " ?1 IS NULL", params, 1, count_row, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(catalog_query(fx->c, "COMMIT", NULL, 0, NULL, NULL, &err), 0);
}

#define POLICY_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define POLICY_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* Each change of policy is an assignment, going back to A included. */
static void catalog__policy_assignments(void **state)
{
	struct fixture *fx = *state;
	const char *order[] = { POLICY_A, POLICY_A, POLICY_B, POLICY_A };
	const bool want[] = { true, false, true, true };
	struct custos_err err;
	char last[65];
	bool assigned, found = true;

	assert_int_equal(catalog_policy_assigned(fx->c, last, &found, &err), 0);
	assert_false(found);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(catalog_policy_assign(fx->c, order[i], "p", "1", order[i],
						       &assigned, &err), 0);
		assert_true(assigned == want[i]);
		assert_int_equal(catalog_policy_assigned(fx->c, last, &found, &err), 0);
		assert_true(found);
		assert_string_equal(last, order[i]);
	}
}

static void catalog__locations_copies_intents(void **state)
{
	struct fixture *fx = *state;
	struct custos_err err;
	struct catalog_location loc = { .name = "second", .type = "fs", .where = "/x" };
	struct catalog_version v = { .number = 1, .source = "src" };
	struct catalog_intent *in = NULL;
	int64_t lid, found = -1, oid, vid;
	bool ok = true;
	size_t n = 0;

	assert_int_equal(catalog_location_id(fx->c, "second", &found, &err), 1);
	assert_int_equal(found, -1);
	assert_int_equal(catalog_begin(fx->c, &err), 0);
	assert_int_equal(catalog_location_put(fx->c, &loc, &lid, &err), 0);
	assert_int_equal(catalog_object_add(fx->c, "obj", &oid, &err), 0);
	v.object_id = oid;
	assert_int_equal(catalog_version_add(fx->c, &v, &vid, &err), 0);
	assert_int_equal(catalog_intent_add(fx->c, "tx-1", "obj", 1, "stored", &err), 0);
	assert_int_equal(catalog_intent_add(fx->c, "tx-2", "obj", 2, "staging", &err), 0);
	assert_int_equal(catalog_commit(fx->c, &err), 0);
	assert_int_equal(catalog_location_id(fx->c, "second", &found, &err), 0);
	assert_int_equal(found, lid);

	/* a copy counts only while its status is "ok" */
	assert_int_equal(catalog_copy_ok(fx->c, vid, lid, &ok, &err), 0);
	assert_false(ok);
	assert_int_equal(catalog_copy_put(fx->c, vid, lid, "ok", true, &err), 0);
	assert_int_equal(catalog_copy_ok(fx->c, vid, lid, &ok, &err), 0);
	assert_true(ok);
	assert_int_equal(catalog_copy_put(fx->c, vid, lid, "missing", false, &err), 0);
	assert_int_equal(catalog_copy_ok(fx->c, vid, lid, &ok, &err), 0);
	assert_false(ok);

	assert_int_equal(catalog_intents(fx->c, &in, &n, &err), 0);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(in[i].object, "obj");
		assert_string_equal(in[i].state, in[i].version == 1 ? "stored" : "staging");
		assert_string_equal(in[i].txid, in[i].version == 1 ? "tx-1" : "tx-2");
	}
	catalog_intents_free(in, n);
	assert_int_equal(catalog_intent_remove(fx->c, "tx-1", &err), 0);
	assert_int_equal(catalog_intents(fx->c, &in, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(in[0].txid, "tx-2");
	catalog_intents_free(in, n);
}

static void catalog__reopen_keeps_the_chain(void **state)
{
	struct fixture *fx = *state;
	struct custos_err err;

	/* a second open finds the schema current and appends after the last id */
	add_events(fx->c, 2);
	catalog_close(fx->c);
	assert_int_equal(catalog_open(&fx->c, fx->db, false, &err), 0);
	add_events(fx->c, 2);
	verify(fx->c, 4, 0, NULL);
}

/* The records since N, imported into a new catalog, give the same chain. */
struct copy_to {
	struct catalog *dst;
	int64_t seen;
	struct custos_err err;
};

static int import_into(void *arg, int64_t id, const char *record, const char *hash)
{
	struct copy_to *ct = arg;

	ct->seen++;
	return catalog_event_import(ct->dst, id, record, hash, &ct->err);
}

static void catalog__import_keeps_the_chain(void **state)
{
	struct fixture *fx = *state;
	char *db2 = tu_path(fx->tmp, "copy.db");
	struct copy_to ct = { .dst = NULL };
	struct catalog_log_head a, b;
	struct custos_err err;

	add_events(fx->c, 5);
	assert_int_equal(catalog_open(&ct.dst, db2, true, &err), 0);
	assert_int_equal(catalog_log_since(fx->c, 0, import_into, &ct, &err), 0);
	assert_int_equal(ct.seen, 5);
	verify(ct.dst, 5, 0, NULL);
	assert_int_equal(catalog_log_head(fx->c, &a, &err), 0);
	assert_int_equal(catalog_log_head(ct.dst, &b, &err), 0);
	assert_string_equal(a.hash, b.hash);
	/* records since 3: the last two */
	ct.seen = 0;
	catalog_close(ct.dst);
	ct.dst = NULL;
	free(db2);
	db2 = tu_path(fx->tmp, "copy2.db");
	assert_int_equal(catalog_open(&ct.dst, db2, true, &err), 0);
	assert_int_equal(catalog_log_since(fx->c, 3, import_into, &ct, &err), -1);
	assert_int_equal(ct.err.code, CUSTOS_EFORMAT);   /* event 4 cannot come first */
	catalog_close(ct.dst);
	free(db2);
}

/* A record that is not what its chain hash covers is refused. */
static void catalog__import_refuses_a_wrong_hash(void **state)
{
	struct fixture *fx = *state;
	struct custos_err err;

	assert_int_equal(catalog_event_import(fx->c, 1, "{\"identifier\":\"x\"}",
		"0000000000000000000000000000000000000000000000000000000000000001", &err), -1);
	assert_int_equal(err.code, CUSTOS_EFORMAT);
	verify(fx->c, 0, 0, NULL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(catalog__chain_verifies),
		T(catalog__events_are_append_only),
		T(catalog__edited_record_is_named),
		T(catalog__edited_column_is_named),
		T(catalog__removed_event_is_named),
		T(catalog__rehashed_tail_still_breaks),
		T(catalog__chosen_uuid_and_time),
		T(catalog__objects_versions_files),
		T(catalog__query_is_read_only),
		T(catalog__postgresql_is_refused_for_now),
		T(catalog__query_reads_a_snapshot),
		T(catalog__policy_assignments),
		T(catalog__locations_copies_intents),
		T(catalog__reopen_keeps_the_chain),
		T(catalog__import_keeps_the_chain),
		T(catalog__import_refuses_a_wrong_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
