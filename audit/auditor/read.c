/*
 * audit/auditor/read.c - reading stored files for the audit: each file once,
 * every digest the catalog holds computed from the same blocks, at no more
 * than the run's --rate; small tag files read whole.
 */
#include "audit/auditor/audit_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/fileio.h"

double audit_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* True once the time budget is spent: no file is started after it, the
 * files in flight are finished (the budget is overrun by at most one file
 * per worker, which fits in the budget at --rate, see verify.c). */
static bool out_of_time(struct audit_ctx *a)
{
	bool out = a->deadline > 0 && audit_clock() > a->deadline;

	if (out) {
		pthread_mutex_lock(&a->lock);
		a->stop = true;
		a->res->budget_reached = true;
		pthread_mutex_unlock(&a->lock);
	}
	return out;
}

/* Sleep as long as the bytes read so far are ahead of the rate (also
 * while the files in flight at the deadline are finished). */
static void throttle(struct audit_ctx *a, size_t n)
{
	double due, now;

	if (!a->o->rate)
		return;
	pthread_mutex_lock(&a->lock);
	a->bytes_read += n;
	due = a->t0 + (double)a->bytes_read / (double)a->o->rate;
	pthread_mutex_unlock(&a->lock);
	now = audit_clock();
	if (due > now) {
		double d = due - now;
		struct timespec ts = { (time_t)d, (long)((d - (double)(time_t)d) * 1e9) };

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
}

/* Per block: keep to --rate; past the time budget, start no more files
 * but finish this one (dropping it would starve a file that needs most
 * of a budget: it would be dropped again every run). */
static int pace(void *arg, const unsigned char *buf, size_t len,
		struct custos_err *err)
{
	struct audit_ctx *a = arg;

	(void)buf;
	(void)err;
	throttle(a, len);
	(void)out_of_time(a);
	return 0;
}

int audit_read_file(struct audit_ctx *a, struct location *l, const char *relpath,
		    digest_mask mask, struct digest_result *res, uint64_t *size,
		    struct custos_err *err)
{
	struct location_sink sink = { pace, a };
	struct digest_set *ds = NULL;
	unsigned char *buf = malloc(FIO_BUFSIZE);
	int rc = -1;

	*size = 0;
	if (!buf)
		return err_nomem(err);
	if (digest_set_new(&ds, mask, err) == 0) {
		rc = location_read_through(l, relpath, buf, FIO_BUFSIZE, ds, &sink,
					   size, err);
		if (rc == 0)
			rc = digest_set_final(ds, res, err);
	}
	digest_set_free(ds);
	free(buf);
	return rc;
}

int audit_read_small(struct location *l, const char *relpath, size_t max,
		     char **out, size_t *len, struct custos_err *err)
{
	struct location_file *f = NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	int orc;

	if (!buf)
		return err_nomem(err);
	if ((orc = location_open_read(l, relpath, &f, err)) != 0) {
		free(buf);
		return orc;
	}
	for (;;) {
		long long got;

		if (n == cap) {
			char *g;

			if (cap >= max) {
				err_set(err, CUSTOS_ELIMIT, relpath,
					"'%s' is larger than %zu bytes", relpath, max);
				goto fail;
			}
			cap = cap * 2 > max ? max : cap * 2;
			if (!(g = realloc(buf, cap + 1))) {
				err_nomem(err);
				goto fail;
			}
			buf = g;
		}
		got = location_file_read(f, buf + n, cap - n, err);
		if (got < 0)
			goto fail;
		if (got == 0)
			break;
		n += (size_t)got;
	}
	location_file_close(f, NULL);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
fail:
	location_file_close(f, NULL);
	free(buf);
	return -1;
}
