/*
 * core/pool.c - parallel for-loop with an atomic cursor.
 * No queue, no allocation per item: a worker takes the next index.
 */
#include "core/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct pool_run_state {
	pool_fn fn;
	void *ctx;
	size_t nitems;
	atomic_size_t next;
	atomic_int stop;        /* first non-zero item result */
};

struct worker_arg {
	struct pool_run_state *st;
	unsigned index;
};

static void *worker_main(void *p)
{
	struct worker_arg *wa = p;
	struct pool_run_state *st = wa->st;

	for (;;) {
		size_t i;
		int rc;

		if (atomic_load(&st->stop))
			break;
		i = atomic_fetch_add(&st->next, 1);
		if (i >= st->nitems)
			break;
		rc = st->fn(st->ctx, i, wa->index);
		if (rc) {
			int expected = 0;

			atomic_compare_exchange_strong(&st->stop, &expected, rc);
		}
	}
	return NULL;
}

int pool_run(unsigned nworkers, size_t nitems, pool_fn fn, void *ctx)
{
	struct pool_run_state st = { .fn = fn, .ctx = ctx, .nitems = nitems };
	pthread_t *threads;
	struct worker_arg *args;
	unsigned started = 0;

	atomic_init(&st.next, 0);
	atomic_init(&st.stop, 0);
	if (nworkers > nitems)
		nworkers = nitems ? (unsigned)nitems : 1;
	if (nworkers <= 1) {
		struct worker_arg wa = { &st, 0 };

		worker_main(&wa);
		return atomic_load(&st.stop);
	}
	threads = calloc(nworkers, sizeof(*threads));
	args = calloc(nworkers, sizeof(*args));
	if (!threads || !args) {
		free(threads);
		free(args);
		struct worker_arg wa = { &st, 0 };

		worker_main(&wa);         /* degrade to one thread */
		return atomic_load(&st.stop);
	}
	for (unsigned w = 0; w < nworkers; w++) {
		args[w].st = &st;
		args[w].index = w;
		if (pthread_create(&threads[w], NULL, worker_main, &args[w]))
			break;
		started++;
	}
	if (started == 0)
		worker_main(&args[0]);
	for (unsigned w = 0; w < started; w++)
		pthread_join(threads[w], NULL);
	free(threads);
	free(args);
	return atomic_load(&st.stop);
}

unsigned pool_default_workers(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long n = cpus > 0 ? cpus * 8 : 16;

	if (n < 16)
		n = 16;
	if (n > 64)
		n = 64;
	return (unsigned)n;
}
