/*
 * tests/preserve/test_catalog_db.c - the catalog's driver layer, through the
 * SQLite backend: numbered placeholders that repeat, NULLs, blobs with any
 * bytes, rollback, row counts, read-only detection, and a second writer
 * that finds the database busy.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "preserve/catalog/catalog_db_int.h"
#include "tests/testutil.h"

static const struct catalog_db_ops *ops = &catalog_sqlite;

struct fixture {
	char *tmp, *path;
	struct catalog_db *db;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct custos_err err;

	fx->tmp = tu_mkdtemp();
	fx->path = tu_path(fx->tmp, "t.db");
	assert_int_equal(ops->open(&fx->db, fx->path, true, 0, &err), 0);
	assert_int_equal(ops->exec(fx->db, "CREATE TABLE t(a TEXT, b INTEGER, c BLOB)"), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	ops->close(fx->db);
	tu_rmrf(fx->tmp);
	free(fx->tmp);
	free(fx->path);
	free(fx);
	return 0;
}

static struct catalog_db_stmt *prepare(struct catalog_db *db, const char *sql)
{
	struct catalog_db_stmt *st = NULL;

	assert_int_equal(ops->prepare(db, sql, false, &st), 0);
	return st;
}

/* The single number SQL selects. */
static int64_t count(struct catalog_db *db, const char *sql)
{
	struct catalog_db_stmt *st = prepare(db, sql);
	int64_t n;

	assert_int_equal(ops->step(st), 1);
	n = ops->column_int64(st, 0);
	assert_int_equal(ops->step(st), 0);
	ops->finalize(st);
	return n;
}

static void db__placeholders_are_numbered_and_repeat(void **state)
{
	struct fixture *fx = *state;
	struct catalog_db_stmt *st;

	/* ?2 twice, bound once; ?1 after ?2 in the text */
	st = prepare(fx->db, "INSERT INTO t(b, a, c) VALUES(?2, ?1, ?2)");
	assert_int_equal(ops->bind_text(st, 1, "one"), 0);
	assert_int_equal(ops->bind_int64(st, 2, 7), 0);
	assert_int_equal(ops->step(st), 0);
	assert_int_equal(ops->changes(fx->db), 1);
	/* reset unbinds: the same statement again inserts NULLs */
	ops->reset(st);
	assert_int_equal(ops->step(st), 0);
	ops->finalize(st);

	st = prepare(fx->db, "SELECT a, b, c FROM t WHERE b = ?1");
	assert_int_equal(ops->bind_int64(st, 1, 7), 0);
	assert_int_equal(ops->step(st), 1);
	assert_string_equal(ops->column_text(st, 0), "one");
	assert_int_equal(ops->column_int64(st, 1), 7);
	/* a number read as text gives its digits */
	assert_string_equal(ops->column_text(st, 2), "7");
	assert_string_equal(ops->column_name(st, 1), "b");
	assert_int_equal(ops->column_count(st), 3);
	assert_int_equal(ops->step(st), 0);
	ops->finalize(st);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM t WHERE a IS NULL"), 1);
}

static void db__nulls_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct catalog_db_stmt *st;

	st = prepare(fx->db, "INSERT INTO t(a, b, c) VALUES(?1, ?2, ?3)");
	assert_int_equal(ops->bind_text(st, 1, NULL), 0);
	assert_int_equal(ops->bind_null(st, 2), 0);
	assert_int_equal(ops->bind_text(st, 3, ""), 0);
	assert_int_equal(ops->step(st), 0);
	ops->finalize(st);

	st = prepare(fx->db, "SELECT a, b, c FROM t");
	assert_int_equal(ops->step(st), 1);
	assert_true(ops->column_null(st, 0));
	assert_null(ops->column_text(st, 0));
	assert_true(ops->column_null(st, 1));
	assert_int_equal(ops->column_int64(st, 1), 0);
	/* the empty string is a value, not NULL */
	assert_false(ops->column_null(st, 2));
	assert_string_equal(ops->column_text(st, 2), "");
	ops->finalize(st);
}

static void db__blobs_keep_every_byte(void **state)
{
	struct fixture *fx = *state;
	const unsigned char bytes[] = { 'a', 0x00, 0xff, 0x00, '\n', 0x80 };
	struct catalog_db_stmt *st;
	const void *got;
	size_t n = 99;

	st = prepare(fx->db, "INSERT INTO t(a, c) VALUES(?1, ?2)");
	ops->bind_text(st, 1, "full");
	assert_int_equal(ops->bind_blob(st, 2, bytes, sizeof(bytes)), 0);
	assert_int_equal(ops->step(st), 0);
	ops->reset(st);
	ops->bind_text(st, 1, "empty");
	assert_int_equal(ops->bind_blob(st, 2, NULL, 0), 0);
	assert_int_equal(ops->step(st), 0);
	ops->finalize(st);

	st = prepare(fx->db, "SELECT c FROM t WHERE a = ?1");
	ops->bind_text(st, 1, "full");
	assert_int_equal(ops->step(st), 1);
	got = ops->column_blob(st, 0, &n);
	assert_int_equal(n, sizeof(bytes));
	assert_memory_equal(got, bytes, sizeof(bytes));
	ops->reset(st);
	/* an empty blob is zero bytes, not NULL */
	ops->bind_text(st, 1, "empty");
	assert_int_equal(ops->step(st), 1);
	assert_false(ops->column_null(st, 0));
	ops->column_blob(st, 0, &n);
	assert_int_equal(n, 0);
	ops->finalize(st);
}

static void db__rollback_leaves_nothing(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(ops->begin(fx->db), 0);
	assert_int_equal(ops->exec(fx->db, "INSERT INTO t(a) VALUES('x');"
				   "INSERT INTO t(a) VALUES('y')"), 0);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM t"), 2);
	ops->rollback(fx->db);
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM t"), 0);

	assert_int_equal(ops->begin(fx->db), 0);
	assert_int_equal(ops->exec(fx->db, "INSERT INTO t(a) VALUES('z')"), 0);
	assert_int_equal(ops->commit(fx->db), 0);
	ops->rollback(fx->db);     /* outside a transaction: nothing to undo */
	assert_int_equal(count(fx->db, "SELECT COUNT(*) FROM t"), 1);
	assert_int_equal(ops->exec(fx->db, "UPDATE t SET b = 1"), 0);
	assert_int_equal(ops->changes(fx->db), 1);
}

static void db__errors_are_described(void **state)
{
	struct fixture *fx = *state;
	struct catalog_db_stmt *st = NULL;

	assert_int_equal(ops->prepare(fx->db, "SELECT nope FROM t", false, &st), -1);
	assert_int_equal(ops->failure(fx->db), CATALOG_DB_ERROR);
	assert_non_null(strstr(ops->errmsg(fx->db), "nope"));
}

static void db__readonly_statements(void **state)
{
	struct fixture *fx = *state;
	static const struct { const char *sql; bool ro; } cases[] = {
		{ "SELECT a FROM t", true },
		{ "BEGIN", true },
		{ "COMMIT", true },
		{ "INSERT INTO t(a) VALUES('x')", false },
		{ "DELETE FROM t", false },
		{ "BEGIN IMMEDIATE", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct catalog_db_stmt *st = prepare(fx->db, cases[i].sql);

		assert_int_equal(ops->readonly(st), cases[i].ro);
		ops->finalize(st);
	}
}

static void db__second_writer_finds_it_busy(void **state)
{
	struct fixture *fx = *state;
	struct catalog_db *other;
	struct custos_err err;

	/* a busy wait of 0 ms: the second writer fails at once */
	assert_int_equal(ops->open(&other, fx->path, false, 0, &err), 0);
	assert_int_equal(ops->begin(fx->db), 0);
	assert_int_equal(ops->begin(other), -1);
	assert_int_equal(ops->failure(other), CATALOG_DB_BUSY);
	ops->rollback(fx->db);
	assert_int_equal(ops->begin(other), 0);
	ops->rollback(other);
	ops->close(other);
}

static void db__open_missing_without_create(void **state)
{
	struct fixture *fx = *state;
	struct catalog_db *db = NULL;
	struct custos_err err;
	char *missing = tu_path(fx->tmp, "none.db");

	assert_int_equal(ops->open(&db, missing, false, 0, &err), -1);
	assert_int_equal(err.code, CUSTOS_EUSAGE);
	assert_non_null(strstr(err.msg, "none.db"));
	free(missing);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(db__placeholders_are_numbered_and_repeat),
		T(db__nulls_round_trip),
		T(db__blobs_keep_every_byte),
		T(db__rollback_leaves_nothing),
		T(db__errors_are_described),
		T(db__readonly_statements),
		T(db__second_writer_finds_it_busy),
		T(db__open_missing_without_create),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
