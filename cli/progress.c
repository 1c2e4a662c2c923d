/*
 * cli/progress.c - the progress bar: a thread that redraws one line on
 * stderr five times a second from the shared counters.
 */
#include "cli/progress.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct progress_display {
	struct progress *p;
	const char *label;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop;
};

static void human(char *buf, size_t size, double bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (bytes >= 1024 && u < 4) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

static void draw(struct progress_display *d)
{
	uint64_t f = atomic_load(&d->p->files), b = atomic_load(&d->p->bytes);
	uint64_t tf = atomic_load(&d->p->total_files), tb = atomic_load(&d->p->total_bytes);
	char done[32], total[32], bar[31];
	double share = tb ? (double)b / (double)tb : tf ? (double)f / (double)tf : 0;
	int fill = (int)(share * 30);

	for (int i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[30] = '\0';
	human(done, sizeof(done), (double)b);
	human(total, sizeof(total), (double)tb);
	if (tf)
		fprintf(stderr, "\r%s [%s] %llu/%llu files, %s of %s ", d->label, bar,
			(unsigned long long)f, (unsigned long long)tf, done, total);
	else
		fprintf(stderr, "\r%s %llu files, %s ", d->label,
			(unsigned long long)f, done);
}

static void *run(void *arg)
{
	struct progress_display *d = arg;

	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		struct timespec t;

		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += 200 * 1000 * 1000;
		if (t.tv_nsec >= 1000000000) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&d->cond, &d->lock, &t);
		if (!d->stop)
			draw(d);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct progress_display *progress_display_start(struct progress *p,
						const char *label, int quiet)
{
	struct progress_display *d;

	if (quiet || !p || !isatty(STDERR_FILENO))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->p = p;
	d->label = label;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	if (pthread_create(&d->thread, NULL, run, d)) {
		free(d);
		return NULL;
	}
	return d;
}

void progress_display_stop(struct progress_display *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stop = 1;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	fprintf(stderr, "\r\033[K");
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	free(d);
}
