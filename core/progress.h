/*
 * core/progress.h - counters that long work updates from any thread, and
 * that a display (cli/progress.c) reads. Updating costs two atomic adds;
 * a NULL progress is allowed everywhere and means "nobody is watching".
 */
#ifndef CUSTOS_CORE_PROGRESS_H
#define CUSTOS_CORE_PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>

struct progress {
	atomic_uint_fast64_t files, bytes;         /* done so far */
	atomic_uint_fast64_t total_files, total_bytes;  /* 0 = unknown */
};

static inline void progress_add(struct progress *p, uint64_t files,
				uint64_t bytes)
{
	if (p) {
		atomic_fetch_add_explicit(&p->files, files, memory_order_relaxed);
		atomic_fetch_add_explicit(&p->bytes, bytes, memory_order_relaxed);
	}
}

static inline void progress_total(struct progress *p, uint64_t files,
				  uint64_t bytes)
{
	if (p) {
		atomic_store(&p->total_files, files);
		atomic_store(&p->total_bytes, bytes);
	}
}

#endif
