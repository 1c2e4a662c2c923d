/*
 * preserve/bagit/bagmake.c - bag creation: survey the source, move or copy the
 * payload into data/ with digests from the same read, write tag files.
 * A copy is built in DEST.custos-partial-PID and renamed into place, so a
 * crash never leaves a half bag at DEST.
 */
#include "preserve/bagit/bagmake.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "preserve/bagit/bagpath.h"
#include "core/pool.h"
#include "core/text.h"
#include "core/walk.h"
#include "preserve/bagit/bagwrite.h"

struct src_file {
	char *rel;                    /* relative to the source root */
	char *bagpath;                /* "data/" + rel */
	uint64_t size;
	struct digest_result dig;
	struct custos_err err;
	int failed;
};

struct survey {
	struct src_file *files;
	size_t nfiles, cap;
	char **dirs;
	size_t ndirs, dcap;
	size_t bad;                   /* refused entries */
	struct custos_err first_bad;
};

static int survey_entry(void *arg, const struct walk_entry *e,
			struct custos_err *err)
{
	struct survey *sv = arg;

	if (!text_utf8_valid(e->relpath, strlen(e->relpath))) {
		if (!sv->bad++)
			err_set(&sv->first_bad, CUSTOS_EFORMAT, e->relpath,
				"the name '%s' is not valid UTF-8; a manifest cannot hold it",
				e->relpath);
		return e->type == WALK_DIR ? 1 : 0;
	}
	if (e->type == WALK_SYMLINK || e->type == WALK_OTHER) {
		if (!sv->bad++)
			err_set(&sv->first_bad, CUSTOS_EFORMAT, e->relpath,
				"'%s' is %s; custos bags regular files and directories only",
				e->relpath, e->type == WALK_SYMLINK ? "a symlink" :
				"a device, fifo or socket");
		return 0;
	}
	if (e->type == WALK_DIR) {
		if (sv->ndirs == sv->dcap) {
			size_t ncap = sv->dcap ? sv->dcap * 2 : 64;
			char **g = realloc(sv->dirs, ncap * sizeof(*g));

			if (!g)
				return err_nomem(err);
			sv->dirs = g;
			sv->dcap = ncap;
		}
		if (!(sv->dirs[sv->ndirs] = strdup(e->relpath)))
			return err_nomem(err);
		sv->ndirs++;
		return 0;
	}
	if (sv->nfiles == sv->cap) {
		size_t ncap = sv->cap ? sv->cap * 2 : 256;
		struct src_file *g = realloc(sv->files, ncap * sizeof(*g));

		if (!g)
			return err_nomem(err);
		sv->files = g;
		sv->cap = ncap;
	}
	memset(&sv->files[sv->nfiles], 0, sizeof(sv->files[0]));
	sv->files[sv->nfiles].size = e->size;
	if (!(sv->files[sv->nfiles].rel = strdup(e->relpath)) ||
	    asprintf(&sv->files[sv->nfiles].bagpath, "data/%s", e->relpath) < 0) {
		free(sv->files[sv->nfiles].rel);
		return err_nomem(err);
	}
	sv->nfiles++;
	return 0;
}

static void survey_release(struct survey *sv)
{
	for (size_t i = 0; i < sv->nfiles; i++) {
		free(sv->files[i].rel);
		free(sv->files[i].bagpath);
	}
	for (size_t i = 0; i < sv->ndirs; i++)
		free(sv->dirs[i]);
	free(sv->files);
	free(sv->dirs);
}

/* One pass over the files on the pool: digest, and copy when DESTFD. */
struct copy_run {
	struct src_file *files;
	int srcfd;                    /* directory the files are read below */
	int destfd;                   /* data/ of the new bag, or -1 */
	digest_mask algs;
	unsigned char **bufs;
};

struct write_sink {
	int fd;
	const char *shown;
};

static int sink_write(void *arg, const unsigned char *buf, size_t len,
		      struct custos_err *err)
{
	struct write_sink *ws = arg;

	return fio_write_all(ws->fd, buf, len, ws->shown, err);
}

static int copy_one_to(struct copy_run *run, struct src_file *f, int in,
		       struct digest_set *ds, unsigned worker)
{
	struct write_sink ws = { -1, f->bagpath };
	struct fio_sink sink = { sink_write, &ws };
	struct stat st;
	uint64_t n;
	int rc = -1;

	if (run->destfd >= 0) {
		ws.fd = openat(run->destfd, f->rel, O_WRONLY | O_CREAT | O_EXCL |
			       O_NOFOLLOW | O_CLOEXEC, 0644);
		if (ws.fd < 0)
			return err_sys(&f->err, f->bagpath, "cannot create '%s'",
				       f->bagpath);
	}
	if (fio_readpass(in, f->rel, run->bufs[worker], FIO_BUFSIZE, ds,
			 ws.fd >= 0 ? &sink : NULL, &n, &f->err) < 0)
		goto out;
	f->size = n;
	if (ws.fd >= 0) {
		if (fsync(ws.fd) < 0) {
			err_sys(&f->err, f->bagpath, "cannot sync '%s'", f->bagpath);
			goto out;
		}
		if (fstat(in, &st) == 0) {
			struct timespec t[2] = { st.st_atim, st.st_mtim };

			futimens(ws.fd, t);
		}
	}
	rc = digest_set_final(ds, &f->dig, &f->err);
out:
	if (ws.fd >= 0 && close(ws.fd) < 0 && rc == 0)
		rc = err_sys(&f->err, f->bagpath, "cannot close '%s'", f->bagpath);
	return rc;
}

static int copy_one(void *ctx, size_t item, unsigned worker)
{
	struct copy_run *run = ctx;
	struct src_file *f = &run->files[item];
	struct digest_set *ds = NULL;
	int in;

	if (digest_set_new(&ds, run->algs, &f->err) < 0) {
		f->failed = 1;
		return 0;
	}
	in = fio_open_beneath(run->srcfd, f->rel, f->rel, &f->err);
	if (in < 0 || copy_one_to(run, f, in, ds, worker) < 0)
		f->failed = 1;
	if (in >= 0)
		close(in);
	digest_set_free(ds);
	return 0;
}

static int run_copy(struct copy_run *run, size_t n, unsigned jobs,
		    struct custos_err *err)
{
	int rc = 0;

	if (jobs > n)
		jobs = n ? (unsigned)n : 1;
	run->bufs = calloc(jobs, sizeof(*run->bufs));
	for (unsigned w = 0; run->bufs && w < jobs; w++)
		if (!(run->bufs[w] = malloc(FIO_BUFSIZE)))
			rc = -1;
	if (!run->bufs || rc < 0) {
		rc = err_nomem(err);
		goto out;
	}
	pool_run(jobs, n, copy_one, run);
	for (size_t i = 0; i < n; i++)
		if (run->files[i].failed) {
			*err = run->files[i].err;
			rc = -1;
			break;
		}
out:
	for (unsigned w = 0; run->bufs && w < jobs; w++)
		free(run->bufs[w]);
	free(run->bufs);
	return rc;
}

static int write_tags(const char *bagdir, const struct bagmake_opts *o,
		      struct survey *sv, struct custos_err *err)
{
	struct bagwrite_opts wo = { .algs = o->algs, .info = o->info,
				    .ninfo = o->ninfo };
	struct bagwrite_file *bf = calloc(sv->nfiles ? sv->nfiles : 1, sizeof(*bf));
	int rc;

	if (!bf)
		return err_nomem(err);
	for (size_t i = 0; i < sv->nfiles; i++)
		bf[i] = (struct bagwrite_file){ sv->files[i].bagpath,
						sv->files[i].size, &sv->files[i].dig };
	rc = bag_write_tags(bagdir, &wo, bf, sv->nfiles, err);
	free(bf);
	return rc;
}

static int make_dirs(const char *datadir, struct survey *sv,
		     struct custos_err *err)
{
	if (fio_mkdirs(datadir, 0755, err) < 0)
		return -1;
	for (size_t i = 0; i < sv->ndirs; i++) {
		char *p = fio_join(datadir, sv->dirs[i]);
		int rc;

		if (!p)
			return err_nomem(err);
		rc = mkdir(p, 0755) < 0 && errno != EEXIST ?
		     err_sys(err, p, "cannot create directory '%s'", p) : 0;
		free(p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Copy SRC into a new bag built beside DEST, then rename it into place. */
static int make_copy(const struct bagmake_opts *o, struct survey *sv,
		     struct custos_err *err)
{
	struct copy_run run = { .files = sv->files, .destfd = -1, .algs = o->algs };
	char *tmp = NULL, *data = NULL;
	int rc = -1;

	if (access(o->dest, F_OK) == 0)
		return err_set(err, CUSTOS_EUSAGE, o->dest,
			       "'%s' already exists; --dest must name a new directory",
			       o->dest);
	if (asprintf(&tmp, "%s.custos-partial-%ld", o->dest, (long)getpid()) < 0 ||
	    !(data = fio_join(tmp, "data"))) {
		free(tmp);
		return err_nomem(err);
	}
	if (make_dirs(data, sv, err) < 0)
		goto out;
	run.srcfd = open(o->src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	run.destfd = open(data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (run.srcfd < 0 || run.destfd < 0) {
		err_sys(err, o->src, "cannot open '%s'", run.srcfd < 0 ? o->src : data);
		goto out;
	}
	if (run_copy(&run, sv->nfiles, o->jobs, err) < 0 ||
	    write_tags(tmp, o, sv, err) < 0 ||
	    fio_fsync_dir(data, 1, err) < 0 || fio_fsync_dir(tmp, 1, err) < 0)
		goto out;
	if (rename(tmp, o->dest) < 0) {
		err_sys(err, o->dest, "cannot move the new bag to '%s'", o->dest);
		goto out;
	}
	rc = fio_fsync_dir(o->dest, 0, err);
out:
	if (run.srcfd >= 0)
		close(run.srcfd);
	if (run.destfd >= 0)
		close(run.destfd);
	if (rc < 0 && access(tmp, F_OK) == 0)
		fprintf(stderr, "custos: the unfinished bag was left at '%s'\n", tmp);
	free(tmp);
	free(data);
	return rc;
}

/* Move every top-level entry of SRC into SRC/data (via a temporary
 * directory, since one entry may itself be called "data"). */
static int move_into_data(const char *src, struct custos_err *err)
{
	char *tmp = NULL, *data = fio_join(src, "data");
	char **names = NULL;
	size_t n = 0;
	int rc = -1;
	struct dirent *de;
	DIR *d;

	if (!data || asprintf(&tmp, "%s/.custos-bagging-%ld", src, (long)getpid()) < 0) {
		free(data);
		return err_nomem(err);
	}
	if (mkdir(tmp, 0755) < 0) {
		err_sys(err, tmp, "cannot create '%s'", tmp);
		goto out;
	}
	d = opendir(src);
	if (!d) {
		err_sys(err, src, "cannot list '%s'", src);
		goto out;
	}
	while ((de = readdir(d))) {
		char **g;
		const char *base = strrchr(tmp, '/') + 1;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, base))
			continue;
		g = realloc(names, (n + 1) * sizeof(*g));
		if (!g || !(g[n] = strdup(de->d_name))) {
			names = g ? g : names;
			closedir(d);
			err_nomem(err);
			goto out;
		}
		names = g;
		n++;
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		char *from = fio_join(src, names[i]), *to = fio_join(tmp, names[i]);
		int bad = !from || !to || rename(from, to) < 0;

		if (bad)
			err_sys(err, from ? from : src, "cannot move '%s' into the payload",
				from ? from : names[i]);
		free(from);
		free(to);
		if (bad)
			goto out;
	}
	if (rename(tmp, data) < 0) {
		err_sys(err, data, "cannot rename '%s' to '%s'", tmp, data);
		goto out;
	}
	rc = fio_fsync_dir(src, 1, err);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tmp);
	free(data);
	return rc;
}

static int make_in_place(const struct bagmake_opts *o, struct survey *sv,
			 struct custos_err *err)
{
	struct copy_run run = { .files = sv->files, .destfd = -1, .algs = o->algs };
	char *data;
	int rc;

	if (move_into_data(o->src, err) < 0)
		return -1;
	data = fio_join(o->src, "data");
	if (!data)
		return err_nomem(err);
	run.srcfd = open(data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(data);
	if (run.srcfd < 0)
		return err_sys(err, o->src, "cannot open '%s/data'", o->src);
	rc = run_copy(&run, sv->nfiles, o->jobs, err);
	close(run.srcfd);
	if (rc == 0)
		rc = write_tags(o->src, o, sv, err);
	return rc;
}

/* A name with '%', CR or LF is percent-encoded in the manifests (RFC 8493
 * 2.1.3); bagit-python 1.9 and bagit-java read such a line back literally,
 * so they would look for another file. Say so, once per name. */
static void warn_encoded_names(const struct survey *sv, struct problems *r)
{
	for (size_t i = 0; i < sv->nfiles; i++) {
		const char *p = sv->files[i].bagpath;
		char *enc = NULL;

		if (!strpbrk(p, "%\r\n") || bagpath_encode(&enc, p) < 0)
			continue;
		problems_warn(r, "encoded-name", p,
			    "'%s' is written '%s' in the manifests, as RFC 8493 requires; bagit-python 1.9 and bagit-java read that line literally and will not find the file",
			    p, enc);
		free(enc);
	}
}

int bag_make(const struct bagmake_opts *o_in, struct bagmake_result *res,
	     struct custos_err *err)
{
	struct bagmake_opts o = *o_in;
	struct survey sv = { 0 };
	char *decl;
	int rc = -1;

	problems_init(&res->warnings);
	if (!o.algs)
		o.algs = DIGEST_BIT(DIGEST_SHA256) | DIGEST_BIT(DIGEST_SHA512);
	if (!o.jobs)
		o.jobs = pool_default_workers();
	for (size_t i = 0; i < o.ninfo; i++)
		if (bagwrite_is_reserved_tag(o.info[i].label))
			return err_set(err, CUSTOS_EUSAGE, NULL,
				       "'%s' is computed by custos and cannot be given with --info",
				       o.info[i].label);
	if (!o.dest && (decl = fio_join(o.src, "bagit.txt"))) {
		int exists = access(decl, F_OK) == 0;

		free(decl);
		if (exists)
			return err_set(err, CUSTOS_EUSAGE, o.src,
				       "'%s' already holds a bagit.txt; validate it, or bag it with --dest",
				       o.src);
	}
	if (walk_tree(o.src, "", survey_entry, &sv, err) < 0)
		goto out;
	if (sv.bad) {
		*err = sv.first_bad;
		if (sv.bad > 1) {
			size_t l = strlen(err->msg);

			snprintf(err->msg + l, sizeof(err->msg) - l,
				 " (and %zu more such entries); nothing was written",
				 sv.bad - 1);
		}
		goto out;
	}
	rc = o.dest ? make_copy(&o, &sv, err) : make_in_place(&o, &sv, err);
	if (rc == 0)
		warn_encoded_names(&sv, &res->warnings);
	res->files = sv.nfiles;
	res->bytes = 0;
	for (size_t i = 0; i < sv.nfiles; i++)
		res->bytes += sv.files[i].size;
out:
	survey_release(&sv);
	return rc;
}
