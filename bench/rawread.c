/*
 * bench/rawread.c - the "raw parallel read" baseline of the benchmark:
 * read every given file (directories walked, symlinks never followed) to
 * its end on N threads with 1 MiB buffers and a sequential-read hint, and
 * print files/s, MiB/s and total bytes. Reads only; computes nothing.
 * Standalone on purpose (no custos code): it is the yardstick.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RAWREAD_BUFSIZE (1u << 20)     /* read block, as custos uses */
#define RAWREAD_DEFAULT_JOBS 16
#define RAWREAD_MAX_JOBS 1024
#define RAWREAD_MAX_FILES (64u << 20)  /* paths kept in memory */
#define RAWREAD_FD_LIMIT 64            /* nftw descriptors */

struct file_list {
	char **paths;
	size_t n, cap;
};

struct job {
	const struct file_list *files;
	atomic_size_t next;           /* next file index to hand out */
	atomic_uint_fast64_t bytes;
	atomic_size_t done, failed;
};

/* nftw has no user pointer: the list being filled, owned by main. */
static struct file_list *walk_target;

static int list_add(struct file_list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 1024;
		char **g;

		if (ncap > RAWREAD_MAX_FILES) {
			fprintf(stderr, "rawread: more than %u files\n",
				RAWREAD_MAX_FILES);
			return -1;
		}
		g = realloc(l->paths, ncap * sizeof(*g));
		if (!g)
			return -1;
		l->paths = g;
		l->cap = ncap;
	}
	l->paths[l->n] = strdup(path);
	if (!l->paths[l->n])
		return -1;
	l->n++;
	return 0;
}

static int walk_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_DNR || type == FTW_NS) {
		fprintf(stderr, "rawread: cannot read '%s'\n", path);
		return 0;
	}
	if (type == FTW_F && S_ISREG(st->st_mode))
		return list_add(walk_target, path) < 0 ? -1 : 0;
	return 0;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the regular files named by ARGV (directories walked). */
static int collect(struct file_list *l, int argc, char **argv)
{
	struct stat st;

	walk_target = l;
	for (int i = 0; i < argc; i++) {
		if (lstat(argv[i], &st) < 0) {
			fprintf(stderr, "rawread: cannot stat '%s': %s\n",
				argv[i], strerror(errno));
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			if (nftw(argv[i], walk_one, RAWREAD_FD_LIMIT,
				 FTW_PHYS) != 0) {
				fprintf(stderr, "rawread: cannot walk '%s'\n",
					argv[i]);
				return -1;
			}
		} else if (S_ISREG(st.st_mode)) {
			if (list_add(l, argv[i]) < 0)
				return -1;
		}
	}
	/* name order, as bag manifests and custos's walk have it */
	qsort(l->paths, l->n, sizeof(*l->paths), compare_paths);
	return 0;
}

/* Read PATH to its end through BUF; bytes read, or -errno. */
static int64_t read_file(const char *path, unsigned char *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int64_t total = 0;

	if (fd < 0)
		return -(int64_t)errno;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		ssize_t n = read(fd, buf, RAWREAD_BUFSIZE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			total = -(int64_t)errno;
			break;
		}
		if (n == 0)
			break;
		total += n;
	}
	close(fd);
	return total;
}

static void *worker(void *arg)
{
	struct job *j = arg;
	unsigned char *buf = malloc(RAWREAD_BUFSIZE);
	size_t i;

	if (!buf) {
		fprintf(stderr, "rawread: out of memory\n");
		return NULL;
	}
	while ((i = atomic_fetch_add(&j->next, 1)) < j->files->n) {
		int64_t got = read_file(j->files->paths[i], buf);
		char eb[128];

		if (got < 0) {
			fprintf(stderr, "rawread: cannot read '%s': %s\n",
				j->files->paths[i],
				strerror_r((int)-got, eb, sizeof(eb)));
			atomic_fetch_add(&j->failed, 1);
			continue;
		}
		atomic_fetch_add(&j->bytes, (uint64_t)got);
		atomic_fetch_add(&j->done, 1);
	}
	free(buf);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run JOBS threads over FILES; 0, or -1 if a thread could not start. */
static int read_all(struct job *j, unsigned jobs)
{
	pthread_t tid[RAWREAD_MAX_JOBS];
	unsigned started = 0;
	int rc = 0;

	for (; started < jobs; started++) {
		if (pthread_create(&tid[started], NULL, worker, j) != 0) {
			fprintf(stderr, "rawread: cannot start thread %u\n",
				started);
			rc = -1;
			break;
		}
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	return rc;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: rawread [-j N] PATH...\n"
		"Read every regular file under PATH (files, or directories walked\n"
		"without following symlinks) with N threads (default %d), 1 MiB\n"
		"buffers and POSIX_FADV_SEQUENTIAL; print one summary line:\n"
		"  files=F bytes=B jobs=N walk_s=W read_s=R files_per_s=X mib_per_s=Y\n"
		"Rates are over the read phase only. Exit 1 if any file failed.\n",
		RAWREAD_DEFAULT_JOBS);
}

static int parse_jobs(const char *s, unsigned *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > RAWREAD_MAX_JOBS) {
		fprintf(stderr, "rawread: -j wants 1..%d, not '%s'\n",
			RAWREAD_MAX_JOBS, s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

int main(int argc, char **argv)
{
	struct file_list files = { 0 };
	struct job j;
	unsigned jobs = RAWREAD_DEFAULT_JOBS;
	double t0, t1, t2, secs;
	int opt, rc = 0;

	while ((opt = getopt(argc, argv, "hj:")) != -1) {
		if (opt == 'j' && parse_jobs(optarg, &jobs) == 0)
			continue;
		if (opt == 'h') {
			usage(stdout);
			return 0;
		}
		usage(stderr);
		return 2;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	t0 = now();
	if (collect(&files, argc - optind, argv + optind) < 0) {
		rc = 1;
		goto out;
	}
	t1 = now();
	j.files = &files;
	atomic_init(&j.next, 0);
	atomic_init(&j.bytes, 0);
	atomic_init(&j.done, 0);
	atomic_init(&j.failed, 0);
	if (read_all(&j, jobs) < 0)
		rc = 1;
	t2 = now();
	secs = t2 - t1 > 1e-9 ? t2 - t1 : 1e-9;
	printf("files=%zu bytes=%" PRIu64 " jobs=%u walk_s=%.3f read_s=%.3f "
	       "files_per_s=%.1f mib_per_s=%.1f\n",
	       atomic_load(&j.done), (uint64_t)atomic_load(&j.bytes), jobs,
	       t1 - t0, t2 - t1, (double)atomic_load(&j.done) / secs,
	       (double)atomic_load(&j.bytes) / (1024.0 * 1024.0) / secs);
	if (atomic_load(&j.failed))
		rc = 1;
out:
	for (size_t i = 0; i < files.n; i++)
		free(files.paths[i]);
	free(files.paths);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = 1;
	return rc;
}
