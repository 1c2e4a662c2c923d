/*
 * core/pool.h - a parallel for-loop over N items on a fixed set of threads.
 * Keeps more reads in flight than there are cores: cold storage is
 * latency-bound, so the right worker count is I/O depth, not CPU count.
 */
#ifndef CUSTOS_CORE_POOL_H
#define CUSTOS_CORE_POOL_H

#include <stddef.h>

/* Called once per item, on worker WORKER (0..nworkers-1). Items are taken
 * in ascending order. A non-zero return stops handing out new items. */
typedef int (*pool_fn)(void *ctx, size_t item, unsigned worker);

/* Run FN for items 0..NITEMS-1 on NWORKERS threads (1 = inline).
 * Returns 0, or the first non-zero value an item returned. */
int pool_run(unsigned nworkers, size_t nitems, pool_fn fn, void *ctx);

/* Default worker count: enough reads in flight for cold storage. */
unsigned pool_default_workers(void);

#endif
