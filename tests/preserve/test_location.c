/*
 * tests/preserve/test_location.c - the filesystem location: a staged
 * version appears only on commit, an aborted or discarded stage leaves
 * nothing, paths that are not canonical or leave the root are refused,
 * and an unreachable root is reported as unavailable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preserve/storage/location.h"
#include "tests/testutil.h"

struct fixture {
	char *tmp, *root;
	struct location *l;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct location_config cfg = { .name = "primary" };
	struct custos_err err;

	fx->tmp = tu_mkdtemp();
	fx->root = tu_path(fx->tmp, "store");
	cfg.path = fx->root;
	assert_int_equal(location_open(&fx->l, &cfg, &err), 0);
	assert_int_equal(location_create(fx->l, &err), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	location_free(fx->l);
	tu_rmrf(fx->tmp);
	free(fx->tmp);
	free(fx->root);
	free(fx);
	return 0;
}

static void put(struct location_txn *t, const char *rel, const char *text)
{
	struct location_file *f;
	struct custos_err err;

	assert_int_equal(location_txn_create(t, rel, &f, &err), 0);
	assert_int_equal(location_file_write(f, text, strlen(text), &err), 0);
	assert_int_equal(location_file_close(f, &err), 0);
}

static void location__commit_makes_it_appear(void **state)
{
	struct fixture *fx = *state;
	struct location_txn *t;
	struct location_file *f;
	struct location_listing ls;
	struct custos_err err;
	uint64_t size;
	char buf[16];

	assert_int_equal(location_begin(fx->l, "obj/v1", "tx1", &t, &err), 0);
	put(t, "data/a.txt", "alpha");
	put(t, "bagit.txt", "x");
	assert_int_equal(location_exists(fx->l, "obj/v1", &err), 0);   /* not yet */
	assert_int_equal(location_txn_commit(t, &err), 0);
	location_txn_free(t);
	assert_int_equal(location_exists(fx->l, "obj/v1", &err), 1);
	assert_int_equal(location_stat(fx->l, "obj/v1/data/a.txt", &size, &err), 0);
	assert_int_equal(size, 5);
	assert_int_equal(location_open_read(fx->l, "obj/v1/data/a.txt", &f, &err), 0);
	assert_int_equal(location_file_read(f, buf, sizeof(buf), &err), 5);
	assert_memory_equal(buf, "alpha", 5);
	assert_int_equal(location_file_read(f, buf, sizeof(buf), &err), 0);
	location_file_close(f, &err);
	assert_int_equal(location_list_collect(fx->l, "obj/v1", &ls, &err), 0);
	assert_int_equal(ls.n, 2);
	assert_string_equal(ls.paths[0], "obj/v1/bagit.txt");
	assert_string_equal(ls.paths[1], "obj/v1/data/a.txt");
	location_listing_release(&ls);
	/* a committed version is never overwritten */
	assert_int_equal(location_begin(fx->l, "obj/v1", "tx2", &t, &err), -1);
	assert_int_equal(location_open_read(fx->l, "obj/v1/none", &f, &err), 1);
}

static void location__abort_and_discard_leave_nothing(void **state)
{
	struct fixture *fx = *state;
	struct location_txn *t;
	struct location_listing ls;
	struct custos_err err;
	char *stage = tu_path(fx->root, ".custos-staging/tx9");

	assert_int_equal(location_begin(fx->l, "obj/v2", "tx8", &t, &err), 0);
	put(t, "data/a", "1");
	location_txn_abort(t);
	assert_int_equal(location_begin(fx->l, "obj/v2", "tx9", &t, &err), 0);
	put(t, "data/b", "2");
	location_txn_free(t);                 /* as if the process died here */
	assert_int_equal(access(stage, F_OK), 0);
	assert_int_equal(location_discard_stage(fx->l, "tx9", &err), 0);
	assert_int_equal(access(stage, F_OK), -1);
	assert_int_equal(location_list_collect(fx->l, "", &ls, &err), 0);
	assert_int_equal(ls.n, 0);            /* stages are never listed */
	location_listing_release(&ls);
	assert_int_equal(location_exists(fx->l, "obj", &err), 0);
	free(stage);
}

static void location__remove_drops_empty_object(void **state)
{
	struct fixture *fx = *state;
	struct location_txn *t;
	struct custos_err err;

	assert_int_equal(location_begin(fx->l, "obj/v1", "tx1", &t, &err), 0);
	put(t, "data/a", "1");
	assert_int_equal(location_txn_commit(t, &err), 0);
	location_txn_free(t);
	assert_int_equal(location_remove(fx->l, "obj/v1", &err), 0);
	assert_int_equal(location_exists(fx->l, "obj", &err), 0);
	assert_int_equal(location_remove(fx->l, "obj/v7", &err), 0);  /* absent: fine */
}

static void location__refuses_bad_paths(void **state)
{
	struct fixture *fx = *state;
	struct location_txn *t;
	struct location_file *f;
	struct custos_err err;
	uint64_t size;

	assert_int_equal(location_begin(fx->l, "../escape", "tx", &t, &err), -1);
	assert_int_equal(location_begin(fx->l, "/abs", "tx", &t, &err), -1);
	assert_int_equal(location_open_read(fx->l, "a/../../etc/passwd", &f, &err), -1);
	assert_int_equal(location_stat(fx->l, "./x", &size, &err), -1);
	assert_int_equal(location_remove(fx->l, "a//b", &err), -1);
	assert_int_equal(location_begin(fx->l, "obj/v1", "tx1", &t, &err), 0);
	assert_int_equal(location_txn_create(t, "data/../../x", &f, &err), -1);
	location_txn_abort(t);
}

static void location__unavailable_root(void **state)
{
	struct fixture *fx = *state;
	struct custos_err err;

	assert_int_equal(location_check(fx->l, &err), 0);
	tu_rmrf(fx->root);
	assert_int_equal(location_check(fx->l, &err), -1);
	assert_non_null(strstr(err.msg, "unavailable"));
	assert_non_null(strstr(err.msg, "primary"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(location__commit_makes_it_appear),
		T(location__abort_and_discard_leave_nothing),
		T(location__remove_drops_empty_object),
		T(location__refuses_bad_paths),
		T(location__unavailable_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
