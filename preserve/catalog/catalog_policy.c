/*
 * preserve/catalog/catalog_policy.c - the policy on record: each policy text
 * kept once by digest (policies, a cache of texts), and each assignment as
 * a PREMIS policy assignment event (poa) whose record names the digest.
 * What was in force when is read from those events alone, so going back
 * to an earlier policy (A -> B -> A) is an assignment of its own.
 */
#include "preserve/catalog/catalog_read_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#define DIGEST_TAG "(sha256 "

/* The digest a policy assignment record names (OUT, 65 bytes); -1 if
 * it names none. The detail ends "(sha256 HEX) in force". */
static int assigned_digest(const char *record, char out[65])
{
	json_t *o = json_loads(record ? record : "", 0, NULL);
	const char *detail = json_string_value(json_object_get(o, "detail"));
	const char *p = NULL, *q;
	int rc = -1;

	for (q = detail; q && (q = strstr(q, DIGEST_TAG)); q++)
		p = q + strlen(DIGEST_TAG);
	if (p && strspn(p, "0123456789abcdef") == 64 && p[64] == ')') {
		memcpy(out, p, 64);
		out[64] = '\0';
		rc = 0;
	}
	json_decref(o);
	return rc;
}

struct assigned_arg {
	char *sha;
	bool *found;
};

static int assigned_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct assigned_arg *a = arg;

	(void)names;
	*a->found = n > 0 && assigned_digest(v[0], a->sha) == 0;
	return 1;
}

int catalog_policy_assigned(struct catalog *c, char sha256[65], bool *found,
			    struct custos_err *err)
{
	struct assigned_arg a = { sha256, found };

	sha256[0] = '\0';
	*found = false;
	return catalog_query(c, "SELECT record FROM events WHERE type = 'poa'"
			     " ORDER BY id DESC LIMIT 1", NULL, 0, assigned_row, &a, err);
}

static int keep_text(struct catalog *c, const char *sha256, const char *name,
		     const char *version, const char *text, struct custos_err *err)
{
	struct catalog_db_stmt *st = NULL;
	char now[32];

	if (catalog_stmt(c, STMT_POLICY_PUT,
			 "INSERT INTO policies(sha256, name, version, text,"
			 " first_in_force) VALUES(?1, ?2, ?3, ?4, ?5)"
			 " ON CONFLICT DO NOTHING", &st, err) < 0)
		return -1;
	catalog_now(now);
	c->ops->bind_text(st, 1, sha256);
	c->ops->bind_text(st, 2, name);
	c->ops->bind_text(st, 3, version);
	c->ops->bind_text(st, 4, text);
	c->ops->bind_text(st, 5, now);
	return catalog_step_done(c, st, "recording the policy", err);
}

int catalog_policy_assign(struct catalog *c, const char *sha256, const char *name,
			  const char *version, const char *text, bool *assigned,
			  struct custos_err *err)
{
	char last[65], detail[512];
	bool found;
	struct catalog_event e = { .type = "poa", .outcome = "suc", .detail = detail };

	*assigned = false;
	if (keep_text(c, sha256, name, version, text, err) < 0 ||
	    catalog_policy_assigned(c, last, &found, err) < 0)
		return -1;
	if (found && !strcmp(last, sha256))
		return 0;
	snprintf(detail, sizeof(detail), "policy '%s' version %s " DIGEST_TAG "%s) in force",
		 name ? name : "(unnamed)", version ? version : "(none)", sha256);
	*assigned = true;
	return catalog_event_add(c, &e, NULL, err);
}

struct history_walk {
	struct catalog *c;
	catalog_policy_fn fn;
	void *arg;
	int stop;
	struct custos_err *err;
};

struct names {
	char *name, *version;
};

static int names_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct names *nm = arg;

	(void)names;
	if (n >= 2) {
		nm->name = v[0] ? strdup(v[0]) : NULL;
		nm->version = v[1] ? strdup(v[1]) : NULL;
	}
	return 1;
}

static int history_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct history_walk *w = arg;
	char sha[65];
	struct names nm = { NULL, NULL };
	const char *p[1] = { sha };

	(void)n, (void)names;
	if (assigned_digest(v[0], sha) < 0)
		return 0;
	if (catalog_query(w->c, "SELECT name, version FROM policies WHERE sha256 = ?1",
			  p, 1, names_row, &nm, w->err) < 0)
		return w->stop = -1;
	struct catalog_policy_record rec = {
		.sha256 = sha, .name = nm.name, .version = nm.version,
		.assigned = v[1], .event = v[2],
	};
	w->stop = w->fn(w->arg, &rec);
	free(nm.name);
	free(nm.version);
	return w->stop;
}

int catalog_policy_history(struct catalog *c, catalog_policy_fn fn, void *arg,
			   struct custos_err *err)
{
	struct history_walk w = { c, fn, arg, 0, err };

	if (catalog_query(c, "SELECT record, datetime, uuid FROM events WHERE type = 'poa'"
			  " ORDER BY id", NULL, 0, history_row, &w, err) < 0)
		return -1;
	return w.stop;
}

struct since_arg {
	const char *sha;
	char *out;
	bool *found;
};

static int since_row(void *arg, const struct catalog_policy_record *p)
{
	struct since_arg *s = arg;

	*s->found = !strcmp(p->sha256, s->sha);
	snprintf(s->out, 32, "%s", *s->found ? p->assigned : "");
	return 0;
}

int catalog_policy_in_force_since(struct catalog *c, const char *sha256, char out[32],
				  bool *found, struct custos_err *err)
{
	struct since_arg s = { sha256, out, found };

	out[0] = '\0';
	*found = false;
	return catalog_policy_history(c, since_row, &s, err) < 0 ? -1 : 0;
}
