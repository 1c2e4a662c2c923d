/*
 * preserve/repo/repo.c - creating and opening a repository: the lock, the
 * policy in force (recorded with a PREMIS policy assignment whenever its
 * digest changes), the catalog and the storage locations.
 */
#include "preserve/repo/repo_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "preserve/repo/logmirror.h"

const char *repo_locate(const char *opt)
{
	const char *env = getenv("CUSTOS_REPO");

	if (opt && *opt)
		return opt;
	return env && *env ? env : ".";
}

int repo_check_ident(const char *ident, struct custos_err *err)
{
	size_t n = strlen(ident);

	if (n == 0 || n > 128 || ident[0] == '.' || ident[0] == '-')
		goto bad;
	for (size_t i = 0; i < n; i++) {
		char c = ident[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			goto bad;
	}
	return 0;
bad:
	return err_set(err, CUSTOS_EUSAGE, NULL,
		       "'%s' is not a valid object identifier (1-128 of A-Z a-z 0-9 . _ -, not starting with '.' or '-')",
		       ident);
}

int repo_version_path(char *buf, size_t size, const char *ident, int version)
{
	int n = snprintf(buf, size, "%s/v%d", ident, version);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Filesystem location paths are relative to the repository root. */
static char *location_root(const char *root, const struct policy_location *pl)
{
	if (!pl->path)
		return NULL;
	return pl->path[0] == '/' ? strdup(pl->path) : fio_join(root, pl->path);
}

/* A filesystem location at the repository's own directory, or above it,
 * would hold the catalog and policy among its objects: refused. */
static int check_overlap(const struct repo *r, const char *name,
			 const char *where, struct custos_err *err)
{
	char *real = where ? realpath(where, NULL) : NULL;
	const char *loc = real ? real : where;
	size_t n = loc ? strlen(loc) : 0;
	int rc = 0;

	while (n > 1 && loc[n - 1] == '/')
		n--;
	if (loc && !strncmp(r->root, loc, n) &&
	    (r->root[n] == '\0' || r->root[n] == '/' || n == 1))
		rc = err_set(err, CUSTOS_EUSAGE, where,
			     "location '%s' at '%s' holds the repository's own files "
			     "(%s/%s); a location needs a directory of its own",
			     name, where, r->root, REPO_CATALOG);
	free(real);
	return rc;
}

static int open_locations(struct repo *r, struct custos_err *err)
{
	const struct policy *p = r->policy;

	r->locs = calloc(p->nlocations, sizeof(*r->locs));
	r->loc_ids = calloc(p->nlocations, sizeof(*r->loc_ids));
	if (!r->locs || !r->loc_ids)
		return err_nomem(err);
	for (size_t i = 0; i < p->nlocations; i++) {
		const struct policy_location *pl = &p->locations[i];
		char *where = location_root(r->root, pl);
		char *cred = pl->credentials ? (pl->credentials[0] == '/' ?
			strdup(pl->credentials) :
			fio_join(r->root, pl->credentials)) : NULL;
		struct location_config cfg = {
			pl->name, policy_location_type_name(pl->type), where,
			pl->endpoint, pl->bucket, pl->prefix, pl->s3_region, cred,
			r->id
		};
		int rc = (pl->credentials && !cred) ? err_nomem(err) :
			 check_overlap(r, pl->name, where, err) < 0 ? -1 :
			 location_open(&r->locs[i], &cfg, err);

		free(where);
		free(cred);
		if (rc < 0)
			return -1;
		r->nlocs++;
	}
	return 0;
}

/* Make the catalog's location rows say what the policy declares. */
int repo_sync_locations(struct repo *r, struct custos_err *err)
{
	for (size_t i = 0; i < r->nlocs; i++) {
		const struct policy_location *pl = &r->policy->locations[i];
		struct catalog_location cl = {
			pl->name, policy_location_type_name(pl->type),
			location_where(r->locs[i]), pl->region, pl->threat, pl->media
		};

		if (catalog_location_put(r->cat, &cl, &r->loc_ids[i], err) < 0)
			return -1;
	}
	return 0;
}

/* Read-only: the catalog ids of the locations it knows (0 if not yet). */
static int read_ids(struct repo *r, struct custos_err *err)
{
	for (size_t i = 0; i < r->nlocs; i++)
		if (catalog_location_id(r->cat, location_name(r->locs[i]),
					&r->loc_ids[i], err) < 0)
			return -1;
	return 0;
}

/* Put the policy in force on record: a digest other than the last one
 * assigned is a policy assignment event (A -> B -> A is two). */
static int record_policy(struct repo *r, struct custos_err *err)
{
	const struct policy *p = r->policy;
	bool assigned;

	return catalog_policy_assign(r->cat, p->sha256, p->name, p->version, p->bytes,
				     &assigned, err);
}

int repo_policy_on_record(struct repo *r, bool record, struct custos_err *err)
{
	char last[65];
	bool found;

	if (catalog_policy_assigned(r->cat, last, &found, err) < 0)
		return -1;
	if (found && !strcmp(last, r->policy->sha256))
		return 0;
	if (!record)
		return err_set(err, CUSTOS_EUSAGE, r->root,
			       "the policy in force (%s, sha256 %.12s...) is not the one on"
			       " record (%s%.12s%s): it changed and no policy assignment event"
			       " says so yet; a writing command (custos audit, custos ingest)"
			       " records it first", REPO_POLICY, r->policy->sha256,
			       found ? "sha256 " : "none", found ? last : "",
			       found ? "..." : "");
	if (catalog_begin(r->cat, err) < 0)
		return -1;
	if (record_policy(r, err) < 0 || catalog_commit(r->cat, err) < 0) {
		catalog_rollback(r->cat);
		return -1;
	}
	return 0;
}

static int take_lock(struct repo *r, struct custos_err *err)
{
	char *path = fio_join(r->root, REPO_LOCK);

	if (!path)
		return err_nomem(err);
	r->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (r->lockfd < 0) {
		err_sys(err, path, "cannot open the repository lock '%s'", path);
		free(path);
		return -1;
	}
	if (flock(r->lockfd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "custos: waiting for another custos process working on '%s'\n",
			r->root);
		if (flock(r->lockfd, LOCK_EX) < 0) {
			err_sys(err, path, "cannot lock '%s'", path);
			free(path);
			return -1;
		}
	}
	free(path);
	return 0;
}

/* The repository's id, made at init; its filesystem locations are marked
 * with it. A repository made before ids has none (nothing is checked). */
static int repository_id(struct repo *r, bool create, struct custos_err *err)
{
	char uuid[37];

	if (catalog_meta_get(r->cat, "repository-id", &r->id, err) < 0)
		return -1;
	if (r->id || !create)
		return 0;
	catalog_new_uuid(uuid);
	if (catalog_meta_set(r->cat, "repository-id", uuid, err) < 0)
		return -1;
	return (r->id = strdup(uuid)) ? 0 : err_nomem(err);
}

/* Before anything is written: a filesystem location nothing was ever
 * stored in (added to the policy since) is made and marked now, as init
 * does; one that holds copies is only checked, so an unmounted disk stays
 * unavailable (reported when it is used). A location that is another
 * repository's store, or holds other data, is refused here. */
static int prepare_locations(struct repo *r, struct custos_err *err)
{
	for (size_t i = 0; i < r->nlocs; i++) {
		struct custos_err why;
		bool in_use;
		int rc;

		if (r->policy->locations[i].type != POLICY_LOCATION_FILESYSTEM)
			continue;
		if (catalog_location_in_use(r->cat, r->loc_ids[i], &in_use, err) < 0)
			return -1;
		err_clear(&why);
		rc = in_use ? location_check(r->locs[i], &why) :
			      location_create(r->locs[i], &why);
		if (rc < 0 && why.code == CUSTOS_EUSAGE) {
			*err = why;
			return -1;
		}
	}
	return 0;
}

static int load_parts(struct repo *r, enum repo_mode mode, bool create,
		      struct custos_err *err)
{
	char *pol = fio_join(r->root, REPO_POLICY), *db = fio_join(r->root, REPO_CATALOG);
	int rc = -1;

	if (!pol || !db) {
		err_nomem(err);
		goto out;
	}
	if (!create && access(db, F_OK) < 0) {
		err_set(err, CUSTOS_EUSAGE, r->root,
			"'%s' is not a custos repository (no %s); see 'custos init'",
			r->root, REPO_CATALOG);
		goto out;
	}
	if (mode == REPO_WRITE && take_lock(r, err) < 0)
		goto out;
	struct stat st;
	r->catalog_was_empty = !create && stat(db, &st) == 0 && st.st_size == 0;
	if (policy_load(&r->policy, pol, err) < 0 ||
	    catalog_open(&r->cat, db, create, err) < 0 ||
	    repository_id(r, create, err) < 0 || open_locations(r, err) < 0)
		goto out;
	if (mode == REPO_READ) {
		rc = read_ids(r, err);
		goto out;
	}
	if (!create && repo_log_guard(r, err) < 0)
		goto out;
	if (catalog_begin(r->cat, err) < 0)
		goto out;
	if (repo_sync_locations(r, err) < 0 || record_policy(r, err) < 0 ||
	    catalog_commit(r->cat, err) < 0) {
		catalog_rollback(r->cat);
		goto out;
	}
	rc = create ? 0 : prepare_locations(r, err);
out:
	free(pol);
	free(db);
	return rc;
}

static struct repo *repo_new(const char *path, struct custos_err *err)
{
	struct repo *r = calloc(1, sizeof(*r));
	char *abs = realpath(path, NULL);

	if (!r || !abs) {
		if (!abs)
			err_sys(err, path, "cannot open repository '%s'", path);
		else
			err_nomem(err);
		if (err && err->sys_errno == ENOENT)
			err->code = CUSTOS_EUSAGE;
		free(r);
		free(abs);
		return NULL;
	}
	r->root = abs;
	r->lockfd = -1;
	return r;
}

int repo_open(struct repo **out, const char *path, enum repo_mode mode,
	      struct custos_err *err)
{
	struct repo *r = repo_new(path, err);
	size_t fixed = 0;

	if (!r)
		return -1;
	if (load_parts(r, mode, false, err) < 0 ||
	    (mode == REPO_WRITE && repo_recover(r, &fixed, err) < 0)) {
		repo_close(r);
		return -1;
	}
	if (fixed)
		fprintf(stderr, "custos: recovered %zu interrupted operation%s\n",
			fixed, fixed == 1 ? "" : "s");
	*out = r;
	return 0;
}

int repo_open_storage(struct repo **out, const char *path, struct custos_err *err)
{
	struct repo *r = repo_new(path, err);
	char *pol = r ? fio_join(r->root, REPO_POLICY) : NULL;
	int rc = -1;

	if (!r)
		return -1;
	if (!pol)
		err_nomem(err);
	else if (take_lock(r, err) == 0 && policy_load(&r->policy, pol, err) == 0 &&
		 open_locations(r, err) == 0)
		rc = 0;
	free(pol);
	if (rc < 0) {
		repo_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

int repo_formats(struct repo *r, const struct fmt_identifier **out,
		 struct custos_err *err)
{
	const char *sig = r->policy->signatures;
	char *resolved = NULL;
	int rc = 0;

	if (!r->formats) {
		if (sig && sig[0] != '/' && !(resolved = fio_join(r->root, sig)))
			return err_nomem(err);
		rc = fmt_identifier_load(&r->formats, resolved ? resolved : sig, NULL, err);
		free(resolved);
	}
	*out = r->formats;
	return rc;
}

void repo_close(struct repo *r)
{
	if (!r)
		return;
	fmt_identifier_free(r->formats);
	for (size_t i = 0; i < r->nlocs; i++)
		location_free(r->locs[i]);
	free(r->locs);
	free(r->loc_ids);
	catalog_close(r->cat);
	policy_free(r->policy);
	if (r->lockfd >= 0)
		close(r->lockfd);
	free(r->root);
	free(r->id);
	free(r);
}

/* True if PATH does not exist or is an empty directory (which is removed
 * here and made again by init). */
static int dir_is_empty(const char *path)
{
	return rmdir(path) == 0 || errno == ENOENT;
}

/* Write policy.ini, then open everything with create = true. */
int repo_init(const char *path, const char *policy_file,
	      struct custos_err *err)
{
	struct policy *check = NULL;
	char *text = NULL, *dest = NULL;
	size_t len = 0;
	struct repo *r = NULL;
	int rc = -1;

	if (policy_file) {
		if (fio_read_file(&text, &len, AT_FDCWD, policy_file,
				  POLICY_MAX_BYTES, err) < 0) {
			err->code = CUSTOS_EUSAGE;
			return -1;
		}
	} else if (!(text = strdup(repo_default_policy))) {
		return err_nomem(err);
	} else {
		len = strlen(text);
	}
	if (policy_load_buffer(&check, text, len, policy_file ? policy_file :
			       "the built-in default policy", err) < 0)
		goto out;
	if (!dir_is_empty(path)) {
		err_set(err, CUSTOS_EUSAGE, path,
			"'%s' exists and is not empty; a repository needs a new directory",
			path);
		goto out;
	}
	if (fio_mkdirs(path, 0755, err) < 0 || !(dest = fio_join(path, REPO_POLICY)) ||
	    fio_write_atomic(dest, text, len, err) < 0)
		goto out;
	if (!(r = repo_new(path, err)) || load_parts(r, REPO_WRITE, true, err) < 0)
		goto out;
	for (size_t i = 0; i < r->nlocs; i++)
		if (location_create(r->locs[i], err) < 0)
			goto out;
	if (catalog_meta_set(r->cat, "created-by", "custos " CUSTOS_VERSION, err) < 0)
		goto out;
	rc = repo_log_publish(r, REPO_PUBLISH_FORCE | REPO_PUBLISH_NEW, err);      /* the first head, everywhere */
out:
	repo_close(r);
	policy_free(check);
	free(text);
	free(dest);
	return rc;
}

const char *repo_root(const struct repo *r) { return r->root; }
const struct policy *repo_policy(const struct repo *r) { return r->policy; }
struct catalog *repo_catalog(const struct repo *r) { return r->cat; }
size_t repo_location_count(const struct repo *r) { return r->nlocs; }
size_t repo_unrecovered(const struct repo *r) { return r->unrecovered; }

struct location *repo_location(const struct repo *r, size_t i)
{
	return i < r->nlocs ? r->locs[i] : NULL;
}

int64_t repo_location_id(const struct repo *r, size_t i)
{
	return i < r->nlocs ? r->loc_ids[i] : 0;
}
