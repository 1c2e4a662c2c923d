/*
 * preserve/repo/logmirror.c - the event log mirrored into every storage
 * location, with its published heads and the policy history (the layout
 * is in logmirror.h). Publishing streams the catalog's log once: the RFC
 * 9162 head grows as the records pass, the root at each location's last
 * head is checked on the way, and only what a location lacks is written.
 */
#include "preserve/repo/logmirror.h"
#include "preserve/repo/repo_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/crashpoint.h"
#include "core/merkle.h"
#include "core/strbuf.h"
#include "preserve/catalog/catalog_rebuild.h"
#include "preserve/repo/lines.h"

#define HEADS REPO_LOG_AREA "/heads"
#define EVENTS REPO_LOG_AREA "/events"
#define POLICIES REPO_LOG_AREA "/policies"
#define SMALL_MAX ((size_t)4 << 20)     /* a head or a policy record */

int repo_identity(struct repo *r, char out[64], bool write, struct custos_err *err)
{
	char *id = NULL;

	out[0] = '\0';
	if (r->id) {
		snprintf(out, 64, "%s", r->id);
		return 0;
	}
	if (catalog_meta_get(r->cat, "repository-id", &id, err) < 0)
		return -1;
	if (id) {
		snprintf(out, 64, "%s", id);
		free(id);
		return 0;
	}
	if (!write)
		return 0;
	catalog_new_uuid(out);
	return catalog_meta_set(r->cat, "repository-id", out, err);
}

/* ---- reading what a location keeps ---- */

/* RELPATH of L as one string (small records only): 0, 1 absent, -1. */
static int read_small(struct location *l, const char *relpath, struct strbuf *b,
		      struct custos_err *err)
{
	strbuf_init(b, SMALL_MAX);
	return lines_read(l, relpath, lines_keep, b, err);
}

/* Listing of an area that may not exist yet: absent is empty. */
static int list_area(struct location *l, const char *prefix, location_list_fn fn,
		     void *arg, struct custos_err *err)
{
	struct custos_err e;

	err_clear(&e);
	if (location_list(l, prefix, fn, arg, &e) == 0)
		return 0;
	if (e.sys_errno == ENOENT)
		return 0;
	*err = e;
	return -1;
}

static int last_head_path(void *arg, const char *relpath, uint64_t size)
{
	char **last = arg;
	size_t n = strlen(relpath);

	(void)size;
	if (n < 10 || strcmp(relpath + n - 10, "/head.json"))
		return 0;
	free(*last);
	*last = strdup(relpath);
	return *last ? 0 : 1;
}

static int parse_head(struct repo_log_head *h, const char *text, const char *where,
		      struct custos_err *err)
{
	json_t *o = json_loads(text, 0, NULL);
	const char *root, *hash, *repo, *when;

	memset(h, 0, sizeof(*h));
	root = json_string_value(json_object_get(o, "root"));
	hash = json_string_value(json_object_get(o, "hash"));
	repo = json_string_value(json_object_get(o, "repository"));
	when = json_string_value(json_object_get(o, "time"));
	if (!o || !json_is_integer(json_object_get(o, "size")) || !root ||
	    strlen(root) != 64 || !hash || strlen(hash) != 64 || !repo) {
		json_decref(o);
		return err_set(err, CUSTOS_EFORMAT, where, "'%s' is not a log head", where);
	}
	h->size = json_integer_value(json_object_get(o, "size"));
	snprintf(h->root, sizeof(h->root), "%s", root);
	snprintf(h->hash, sizeof(h->hash), "%s", hash);
	snprintf(h->repository, sizeof(h->repository), "%s", repo);
	snprintf(h->time, sizeof(h->time), "%s", when ? when : "");
	json_decref(o);
	return 0;
}

int repo_log_newest_head(struct location *l, struct repo_log_head *out,
			 struct custos_err *err)
{
	char *last = NULL;
	struct strbuf b;
	int rc;

	if (list_area(l, HEADS, last_head_path, &last, err) < 0)
		return -1;
	if (!last)
		return 1;
	rc = read_small(l, last, &b, err);
	if (rc == 0)
		rc = parse_head(out, b.data ? b.data : "", last, err);
	else if (rc == 1)
		rc = err_set(err, CUSTOS_EIO, last, "'%s' vanished", last);
	strbuf_release(&b);
	free(last);
	return rc;
}

/* The records of one kind in a location, in order (few: one per writing
 * command or policy): the paths that end in SUFFIX. */
struct seglist {
	const char *suffix;
	char **paths;
	size_t n, cap;
};

static int take_path(void *arg, const char *relpath, uint64_t size)
{
	struct seglist *s = arg;
	size_t n = strlen(relpath), k = strlen(s->suffix);

	(void)size;
	if (n < k || strcmp(relpath + n - k, s->suffix))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		char **p = realloc(s->paths, cap * sizeof(*p));

		if (!p)
			return 1;
		s->paths = p;
		s->cap = cap;
	}
	return (s->paths[s->n] = strdup(relpath)) ? (s->n++, 0) : 1;
}

struct mirror_read {
	catalog_since_fn fn;
	void *arg;
	int64_t have;             /* positions given so far */
	const char *segment;
	int stop;
};

static int mirrored_line(void *arg, char *line, size_t len, struct custos_err *err)
{
	struct mirror_read *m = arg;
	char *tab1 = memchr(line, '\t', len), *tab2, *end;
	int64_t id;

	if (!tab1 || !(tab2 = strchr(tab1 + 1, '\t')) || tab2 - tab1 != 65)
		return err_set(err, CUSTOS_EFORMAT, m->segment, "'%s' holds a line "
			       "that is not an event", m->segment);
	*tab1 = *tab2 = '\0';
	id = strtoll(line, &end, 10);
	if (*end || id < 1)
		return err_set(err, CUSTOS_EFORMAT, m->segment, "'%s': '%s' is not an "
			       "event position", m->segment, line);
	if (id <= m->have)
		return 0;                      /* an overlapping segment */
	if (id != m->have + 1)
		return err_set(err, CUSTOS_EFORMAT, m->segment, "'%s' starts at event %"
			       PRId64 " but the log before it ends at %" PRId64,
			       m->segment, id, m->have);
	m->have = id;
	if ((m->stop = m->fn(m->arg, id, tab2 + 1, tab1 + 1)) != 0)
		return err_set(err, CUSTOS_OK, NULL, "stopped");
	return 0;
}

int repo_log_mirrored(struct location *l, catalog_since_fn fn, void *arg,
		      struct custos_err *err)
{
	struct seglist s = { "/events.tsv", NULL, 0, 0 };
	struct mirror_read m = { fn, arg, 0, NULL, 0 };
	int rc = 0;

	if (list_area(l, EVENTS, take_path, &s, err) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		m.segment = s.paths[i];
		rc = lines_read(l, s.paths[i], mirrored_line, &m, err);
		if (rc < 0 && m.stop) {
			err_clear(err);
			rc = m.stop;
		} else if (rc == 1) {
			rc = err_set(err, CUSTOS_EIO, s.paths[i], "'%s' vanished", s.paths[i]);
		}
		if (m.stop)
			break;
	}
	for (size_t i = 0; i < s.n; i++)
		free(s.paths[i]);
	free(s.paths);
	return rc;
}

int repo_log_policies(struct location *l, repo_policy_fn fn, void *arg,
		      struct custos_err *err)
{
	struct seglist s = { "/policy.json", NULL, 0, 0 };
	int rc = 0;

	if (list_area(l, POLICIES, take_path, &s, err) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		struct strbuf b;
		json_t *o = NULL;

		if ((rc = read_small(l, s.paths[i], &b, err)) == 0 &&
		    !(o = json_loads(b.data ? b.data : "", 0, NULL)))
			rc = err_set(err, CUSTOS_EFORMAT, s.paths[i], "'%s' is not a policy "
				     "record", s.paths[i]);
		if (rc == 0) {
			struct catalog_policy_row p = {
				json_string_value(json_object_get(o, "sha256")),
				json_string_value(json_object_get(o, "name")),
				json_string_value(json_object_get(o, "version")),
				json_string_value(json_object_get(o, "text")),
				json_string_value(json_object_get(o, "first_in_force")),
			};

			rc = p.sha256 && p.text && p.first_in_force ? fn(arg, &p) :
			     err_set(err, CUSTOS_EFORMAT, s.paths[i], "'%s' lacks a field",
				     s.paths[i]);
		}
		json_decref(o);
		strbuf_release(&b);
	}
	for (size_t i = 0; i < s.n; i++)
		free(s.paths[i]);
	free(s.paths);
	return rc;
}
