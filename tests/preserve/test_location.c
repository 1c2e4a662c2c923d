/*
 * tests/preserve/test_location.c - the filesystem location: a staged
 * version appears only on commit, an aborted or discarded stage leaves
 * nothing, paths that are not canonical or leave the root are refused,
 * and an unreachable root is reported as unavailable. A transaction
 * removes only what it placed itself; nothing goes through a symlink in
 * the tree; a root marked for another repository is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* Commit DEST as TXID in a child that dies before freeing the
 * transaction, as a crash right after the commit would. */
static void commit_and_die(struct fixture *fx, const char *dest, const char *txid)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct location_txn *t;
		struct custos_err err;

		if (location_begin(fx->l, dest, txid, &t, &err) < 0)
			_exit(1);
		put(t, "data/a", "1");
		_exit(location_txn_commit(t, &err) < 0 ? 1 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void location__abort_removes_only_its_own(void **state)
{
	struct fixture *fx = *state;
	struct location_txn *t;
	struct location_file *f;
	struct custos_err err;
	char buf[16];
	long long n;

	/* a stray that was there first: refused, and left alone */
	tu_write_str(fx->root, "stray/v1/data/keep", "keep");
	assert_int_equal(location_begin(fx->l, "stray/v1", "tx1", &t, &err), -1);
	assert_non_null(strstr(err.msg, "already exists"));
	assert_int_equal(location_discard_stage(fx->l, "tx1", &err), 0);
	assert_int_equal(location_open_read(fx->l, "stray/v1/data/keep", &f, &err), 0);
	n = location_file_read(f, buf, sizeof(buf), &err);
	assert_int_equal(location_file_close(f, &err), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "keep", 4);
	/* committed, then aborted: what it placed goes */
	assert_int_equal(location_begin(fx->l, "obj/v1", "tx2", &t, &err), 0);
	put(t, "data/a", "1");
	assert_int_equal(location_txn_commit(t, &err), 0);
	location_txn_abort(t);
	assert_int_equal(location_exists(fx->l, "obj/v1", &err), 0);
	/* committed, never freed (a crash): discard_stage removes it */
	commit_and_die(fx, "obj/v1", "tx3");
	assert_int_equal(location_exists(fx->l, "obj/v1", &err), 1);
	assert_int_equal(location_discard_stage(fx->l, "tx3", &err), 0);
	assert_int_equal(location_exists(fx->l, "obj/v1", &err), 0);
	/* committed and freed: kept for good, discard_stage leaves it */
	assert_int_equal(location_begin(fx->l, "obj/v1", "tx4", &t, &err), 0);
	put(t, "data/a", "1");
	assert_int_equal(location_txn_commit(t, &err), 0);
	location_txn_free(t);
	assert_int_equal(location_discard_stage(fx->l, "tx4", &err), 0);
	assert_int_equal(location_exists(fx->l, "obj/v1", &err), 1);
}

static void location__never_through_a_symlink(void **state)
{
	struct fixture *fx = *state;
	struct location_txn *t;
	struct location_file *f;
	struct custos_err err;
	char *outside = tu_path(fx->tmp, "outside"), *data = NULL;
	struct stat st;

	tu_write_str(fx->tmp, "outside/a", "outside");
	assert_int_equal(location_begin(fx->l, "obj/v1", "tx1", &t, &err), 0);
	put(t, "data/a", "1");
	assert_int_equal(location_txn_commit(t, &err), 0);
	location_txn_free(t);
	data = tu_path(fx->root, "obj/v1/data");
	tu_rmrf(data);
	assert_int_equal(symlink(outside, data), 0);
	assert_int_equal(location_open_read(fx->l, "obj/v1/data/a", &f, &err), -1);
	assert_non_null(strstr(err.msg, "symlink"));
	assert_int_equal(location_keep(fx->l, "obj/v1/data/a", ".custos-quarantine/a", &err), -1);
	assert_int_equal(location_begin(fx->l, ".custos-quarantine/s", "tx2", &t, &err), 0);
	put(t, "file", "2");
	assert_int_equal(location_txn_place(t, "file", "obj/v1/data/a", &err), -1);
	assert_non_null(strstr(err.msg, "symlink"));
	location_txn_abort(t);
	assert_int_equal(location_remove(fx->l, "obj/v1/data/a", &err), -1);
	free(data);
	data = tu_path(outside, "a");
	assert_int_equal(stat(data, &st), 0);
	assert_int_equal(st.st_nlink, 1);           /* never linked elsewhere */
	assert_int_equal(st.st_size, 7);            /* never replaced */
	free(data);
	free(outside);
}

static void location__refuses_another_repositorys_root(void **state)
{
	struct fixture *fx = *state;
	struct location_config mine = { .name = "primary", .owner = "repo-a" };
	struct location_config theirs = { .name = "primary", .owner = "repo-b" };
	struct location *a, *b;
	struct custos_err err;
	char *root = tu_path(fx->tmp, "owned"), *other = tu_path(fx->tmp, "other");

	mine.path = theirs.path = root;
	assert_int_equal(location_open(&a, &mine, &err), 0);
	assert_int_equal(location_create(a, &err), 0);
	assert_int_equal(location_check(a, &err), 0);
	assert_int_equal(location_open(&b, &theirs, &err), 0);
	assert_int_equal(location_check(b, &err), -1);
	assert_int_equal(err.code, CUSTOS_EUSAGE);
	assert_non_null(strstr(err.msg, "belongs to another repository"));
	assert_int_equal(location_create(b, &err), -1);
	location_free(a);
	location_free(b);
	/* files but no mark: not a store of this repository */
	tu_write_str(fx->tmp, "other/x", "x");
	mine.path = other;
	assert_int_equal(location_open(&a, &mine, &err), 0);
	assert_int_equal(location_create(a, &err), -1);
	assert_non_null(strstr(err.msg, "holds files but no .custos-location"));
	location_free(a);
	free(root);
	free(other);
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
		T(location__abort_removes_only_its_own),
		T(location__never_through_a_symlink),
		T(location__refuses_another_repositorys_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
