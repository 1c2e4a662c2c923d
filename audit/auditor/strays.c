/*
 * audit/auditor/strays.c - with --all, what a location holds outside every object
 * version the catalog knows (a stray "ID/v9", a file at the root): each
 * such file is an unexpected finding (object = the first path component,
 * version 0, path = the rest). Reported, never repaired: nothing says
 * where it belongs. Staging and quarantine areas are not listed; the
 * mirrored event log (.custos-log/) is not an object.
 */
#include "audit/auditor/audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "preserve/catalog/catalog_export.h"
#include "preserve/repo/logmirror.h"

struct strays {
	struct audit_ctx *a;
	size_t loc;
	struct strmap *versions;  /* "ID/vN" */
	int oom;
};

static int take_version(void *arg, const char *object, int64_t version)
{
	struct strays *s = arg;
	char vkey[512];

	if ((size_t)snprintf(vkey, sizeof(vkey), "%s/v%lld", object, (long long)version) <
	    sizeof(vkey) && strmap_put(s->versions, vkey, s) < 0)
		s->oom = 1;
	return s->oom;
}

static int one_file(void *arg, const char *relpath, uint64_t size)
{
	struct strays *s = arg;
	const char *slash = strchr(relpath, '/');
	const char *second = slash ? strchr(slash + 1, '/') : NULL;
	struct catalog_audit_copy cp = { .version = 0 };
	struct audit_copy c = { .a = s->a, .cp = &cp, .loc = s->loc };
	char vkey[512];
	size_t n;

	(void)size;
	if (!strncmp(relpath, REPO_LOG_AREA "/", sizeof(REPO_LOG_AREA)))
		return 0;                  /* the mirrored event log, not an object */
	if (second && (n = (size_t)(second - relpath)) < sizeof(vkey)) {
		memcpy(vkey, relpath, n);
		vkey[n] = '\0';
		if (strmap_get(s->versions, vkey))
			return 0;          /* inside a known version: its audit's job */
	}
	n = slash ? (size_t)(slash - relpath) : 0;
	if (n >= sizeof(vkey))
		n = sizeof(vkey) - 1;
	memcpy(vkey, relpath, n);
	vkey[n] = '\0';
	cp.ident = vkey;
	return audit_add_finding(s->a, &c, slash ? slash + 1 : relpath,
				 AUDIT_UNEXPECTED, NULL, NULL,
				 "outside every object version the catalog has") < 0;
}

int audit_strays(struct audit_ctx *a, size_t loc, struct custos_err *err)
{
	struct strays s = { .a = a, .loc = loc, .versions = strmap_new() };
	struct custos_err e;
	int rc = 0;

	if (!s.versions)
		return err_nomem(err);
	if (catalog_each_version(repo_catalog(a->r), take_version, &s, err) < 0 || s.oom) {
		strmap_free(s.versions);
		return s.oom ? err_nomem(err) : -1;
	}
	err_clear(&e);
	if (location_list(repo_location(a->r, loc), "", one_file, &s, &e) < 0 &&
	    e.code == CUSTOS_ENOMEM)
		rc = err_nomem(err);
	strmap_free(s.versions);
	return rc;
}
