/*
 * audit/auditor/result.c - the run's findings and repairs, and the JSON summary
 * of cli.md that --json prints, --notify sends and audit_runs keeps.
 */
#include "audit/auditor/audit_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static const char *const state_names[] = {
	[AUDIT_CHANGED] = "changed",
	[AUDIT_MISSING] = "missing",
	[AUDIT_UNEXPECTED] = "unexpected",
	[AUDIT_MOVED] = "moved",
	[AUDIT_UNREADABLE] = "unreadable",
	[AUDIT_UNAVAILABLE] = "storage-unavailable",
	[AUDIT_TAG_INVALID] = "tag-invalid",
	[AUDIT_NOT_CHECKED] = "not-checked",
};

const char *audit_state_name(enum audit_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ?
	       state_names[s] : "?";
}

static void copy_hex(char *dst, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= DIGEST_HEX_MAX)
		n = DIGEST_HEX_MAX - 1;
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

static void free_finding(struct audit_finding *f)
{
	free(f->object);
	free(f->path);
	free(f->moved_to);
	free(f->why);
	for (size_t k = 0; k < f->ncandidates; k++)
		free(f->candidates[k]);
	free(f->candidates);
}

static int fill(struct audit_finding *f, const struct audit_copy *c,
		const char *path, const char *why, const char *moved_to,
		const char *const *cands, size_t n)
{
	f->object = strdup(c->cp->ident);
	f->path = strdup(path);
	f->why = why ? strdup(why) : NULL;
	f->moved_to = moved_to ? strdup(moved_to) : NULL;
	if (!f->object || !f->path || (why && !f->why) || (moved_to && !f->moved_to))
		return -1;
	if (n && !(f->candidates = calloc(n, sizeof(char *))))
		return -1;
	for (; f->ncandidates < n; f->ncandidates++)
		if (!(f->candidates[f->ncandidates] = strdup(cands[f->ncandidates])))
			return -1;
	return 0;
}

/* Append F (taking ownership, freeing it on failure). */
static int append(struct audit_ctx *a, struct audit_finding *f)
{
	struct audit_result *res = a->res;
	int rc = -1;

	pthread_mutex_lock(&a->lock);
	if (res->nfindings == res->capfindings) {
		size_t ncap = res->capfindings ? 2 * res->capfindings : 16;
		struct audit_finding *g = realloc(res->findings, ncap * sizeof(*g));

		if (!g)
			goto out;
		res->findings = g;
		res->capfindings = ncap;
	}
	res->findings[res->nfindings++] = *f;
	rc = 0;
out:
	pthread_mutex_unlock(&a->lock);
	if (rc < 0)
		free_finding(f);
	return rc;
}

int audit_add_move(struct audit_ctx *a, const struct audit_copy *c,
		   const char *path, const char *hex, const char *why,
		   const char *moved_to, const char *const *cands, size_t n)
{
	struct audit_finding f = { .version = c->cp->version, .loc = c->loc,
				   .state = moved_to ? AUDIT_MOVED : AUDIT_MISSING };

	copy_hex(f.expected, hex);
	copy_hex(f.actual, moved_to ? hex : NULL);
	if (fill(&f, c, path, why, moved_to, cands, n) < 0) {
		free_finding(&f);
		return -1;
	}
	return append(a, &f);
}

int audit_add_finding(struct audit_ctx *a, const struct audit_copy *c,
		      const char *path, enum audit_state s, const char *expected,
		      const char *actual, const char *why)
{
	struct audit_finding f = { .version = c->cp->version, .loc = c->loc,
				   .state = s };

	copy_hex(f.expected, expected);
	copy_hex(f.actual, actual);
	if (fill(&f, c, path, why, NULL, NULL, 0) < 0) {
		free_finding(&f);
		return -1;
	}
	return append(a, &f);
}

bool audit_finding_of(const struct audit_finding *f, const struct audit_copy *c)
{
	return f->loc == c->loc && f->version == c->cp->version &&
	       !strcmp(f->object, c->cp->ident);
}

bool audit_damage_of(const struct audit_finding *f, const struct audit_copy *c)
{
	return f->state != AUDIT_NOT_CHECKED && audit_finding_of(f, c);
}

/* A name or message as a JSON string, text_escape'd (docs/cli.md): a
 * name that is not UTF-8 is shown, never dropped. */
static json_t *jstr(const char *s)
{
	char *e = s ? text_escape(s) : NULL;
	json_t *j = e ? json_string(e) : NULL;

	free(e);
	return j;
}

static json_t *finding_json(const struct repo *r, const struct audit_finding *f)
{
	json_t *o = json_pack("{s:o, s:i, s:o, s:o, s:s}", "object", jstr(f->object),
			      "version", f->version,
			      "location", jstr(location_name(repo_location(r, f->loc))),
			      "path", jstr(f->path), "state", audit_state_name(f->state));

	if (!o)
		return NULL;
	if (f->expected[0])
		json_object_set_new(o, "expected", json_string(f->expected));
	if (f->actual[0])
		json_object_set_new(o, "actual", json_string(f->actual));
	if (f->moved_to)
		json_object_set_new(o, "moved_to", jstr(f->moved_to));
	if (f->ncandidates) {
		json_t *c = json_array();

		for (size_t i = 0; i < f->ncandidates; i++)
			json_array_append_new(c, jstr(f->candidates[i]));
		json_object_set_new(o, "ambiguous", c);
	}
	if (f->why)
		json_object_set_new(o, "detail", jstr(f->why));
	json_object_set_new(o, "repaired", json_boolean(f->repaired));
	return o;
}

json_t *audit_result_json(const struct repo *r, const struct audit_result *res)
{
	json_t *fs = json_array(), *rs = json_array(), *o;

	for (size_t i = 0; i < res->nfindings; i++)
		json_array_append_new(fs, finding_json(r, &res->findings[i]));
	for (size_t i = 0; i < res->nrepairs; i++) {
		const struct audit_repair *p = &res->repairs[i];
		json_t *rp = json_pack("{s:o, s:i, s:o, s:o, s:o}",
			"object", jstr(p->object), "version", p->version,
			"location", jstr(location_name(repo_location(r, p->loc))),
			"path", jstr(p->path),
			"from", jstr(location_name(repo_location(r, p->from))));

		if (rp && p->kept_as)
			json_object_set_new(rp, "kept_as", jstr(p->kept_as));
		json_array_append_new(rs, rp);
	}
	o = json_pack("{s:I, s:{s:I, s:I, s:I}, s:f, s:f, s:o, s:o, s:I, s:b}",
		      "run", (json_int_t)res->run, "checked",
		      "copies", (json_int_t)res->copies, "files", (json_int_t)res->files,
		      "bytes", (json_int_t)res->bytes, "seconds", res->seconds,
		      "bytes_per_second", res->seconds > 0 ?
		      (double)res->bytes / res->seconds : 0.0,
		      "findings", fs, "repaired", rs,
		      "not_checked", (json_int_t)res->not_checked,
		      "budget_reached", res->budget_reached);
	return o;
}

void audit_result_release(struct audit_result *res)
{
	for (size_t i = 0; i < res->nfindings; i++)
		free_finding(&res->findings[i]);
	for (size_t i = 0; i < res->nrepairs; i++) {
		free(res->repairs[i].object);
		free(res->repairs[i].path);
		free(res->repairs[i].kept_as);
	}
	free(res->findings);
	free(res->repairs);
	memset(res, 0, sizeof(*res));
}
