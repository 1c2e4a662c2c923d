/*
 * preserve/policy/policy_keys.c - the sections and keys a policy may hold, and the
 * check of each value (policies/README.md documents them). A key not in
 * the table below is an error; so is a key given twice or left empty.
 */
#include "preserve/policy/policy_int.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/duration.h"

#define FAIL(c, ...) policy_fail_at((c), (c)->line, __VA_ARGS__)

enum sec { SEC_POLICY, SEC_FIXITY, SEC_COPIES, SEC_DEPOSIT, SEC_FORMATS,
	   SEC_REPAIR, SEC_CATALOG, SEC_LOCATION };

static const char *const sec_names[] = {
	"policy", "fixity", "copies", "deposit", "formats", "repair", "catalog",
};
#define NFIXED (sizeof(sec_names) / sizeof(sec_names[0]))
#define LOC_PREFIX "location."

typedef int set_fn(struct policy_ctx *c, void *field, const char *v);

struct key_def {
	enum sec sec;
	const char *name;
	enum policy_key_id id;
	set_fn *set;
	size_t offset;  /* in struct policy, or policy_location for SEC_LOCATION */
};

static int set_text(struct policy_ctx *c, void *field, const char *v)
{
	char **dst = field;

	*dst = strdup(v);
	return *dst ? 0 : err_nomem(c->err);
}

static int set_review(struct policy_ctx *c, void *field, const char *v)
{
	int64_t s;

	if (duration_parse(&s, v) < 0)
		return FAIL(c, "review '%s' is not a length of time "
			    "(write e.g. '12 months', '1 year', '180d')", v);
	if (s < DURATION_DAY)
		return FAIL(c, "review '%s' is under a day ('m' means "
			    "minutes; write '12 months' or '12mo')", v);
	*(int64_t *)field = s;
	return 0;
}

static int set_interval(struct policy_ctx *c, void *field, const char *v)
{
	if (duration_parse(field, v) < 0)
		return FAIL(c, "interval '%s' is not a duration "
			    "(write e.g. 90d, 12h, 30m, 45s)", v);
	return 0;
}

static int set_algorithms(struct policy_ctx *c, void *field, const char *v)
{
	struct custos_err e;
	char first[32];
	size_t lead = strspn(v, " \t"), n = strcspn(v + lead, ",");

	(void)field;
	err_clear(&e);
	if (digest_mask_parse(&c->p->algorithms, v, &e) < 0)
		return FAIL(c, "%s", e.msg);
	while (n > 0 && isspace((unsigned char)v[lead + n - 1]))
		n--;
	if (n >= sizeof(first))
		return FAIL(c, "algorithm name too long in '%s'", v);
	memcpy(first, v + lead, n);
	first[n] = '\0';
	if (digest_from_name(&c->p->audit_alg, first) < 0)
		return FAIL(c, "unknown digest algorithm '%s'", first);
	return 0;
}

static int set_bool(struct policy_ctx *c, void *field, const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]) || !strcasecmp(v, no[i])) {
			*(bool *)field = !strcasecmp(v, yes[i]);
			return 0;
		}
	}
	return FAIL(c, "'%s' is not yes or no (yes/no, true/false, on/off, "
		    "1/0)", v);
}

static int set_sample(struct policy_ctx *c, void *field, const char *v)
{
	char *end;
	double d;

	/* digits and one point only: no "inf", "nan", hex or exponents */
	if (strspn(v, "0123456789.") != strlen(v) || strchr(v, '.') !=
	    strrchr(v, '.') || !isdigit((unsigned char)v[strlen(v) - 1]))
		return FAIL(c, "sample '%s' is not a number from 0 to 1", v);
	errno = 0;
	d = strtod(v, &end);
	if (errno || *end || d < 0 || d > 1)
		return FAIL(c, "sample '%s' is not a number from 0 to 1", v);
	*(double *)field = d;
	return 0;
}

static int set_required(struct policy_ctx *c, void *field, const char *v)
{
	unsigned long n;

	if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 4 ||
	    (n = strtoul(v, NULL, 10)) < 1)
		return FAIL(c, "copies required '%s' is not a whole number "
			    "of at least 1", v);
	if (n > POLICY_MAX_LOCATIONS)
		return FAIL(c, "copies required %lu is more than the %d "
			    "locations a policy may declare", n,
			    POLICY_MAX_LOCATIONS);
	*(unsigned *)field = (unsigned)n;
	return 0;
}

static int set_type(struct policy_ctx *c, void *field, const char *v)
{
	enum policy_location_type *t = field;

	if (!strcmp(v, "filesystem"))
		*t = POLICY_LOCATION_FILESYSTEM;
	else if (!strcmp(v, "s3"))
		*t = POLICY_LOCATION_S3;
	else
		return FAIL(c, "location type '%s' is not filesystem or s3", v);
	return 0;
}

/* True if the '/'-separated S has a ".." component. */
static bool has_dotdot(const char *s)
{
	for (const char *p = s; *p; p += strcspn(p, "/"), p += *p == '/') {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
	}
	return false;
}

static int set_path(struct policy_ctx *c, void *field, const char *v)
{
	if (v[0] != '/' && has_dotdot(v))
		return FAIL(c, "relative path '%s' climbs out of the "
			    "repository with '..'; use an absolute path", v);
	if (v[0] != '/' && strspn(v, "./") == strlen(v))
		return FAIL(c, "path '%s' is the repository itself; give "
			    "each location its own directory", v);
	return set_text(c, field, v);
}

static int set_endpoint(struct policy_ctx *c, void *field, const char *v)
{
	size_t skip = !strncmp(v, "https://", 8) ? 8 :
		      !strncmp(v, "http://", 7) ? 7 : 0;

	if (!skip || !v[skip] || v[skip] == '/' || strpbrk(v, " \t"))
		return FAIL(c, "endpoint '%s' is not an http:// or https:// "
			    "URL", v);
	return set_text(c, field, v);
}

static int set_bucket(struct policy_ctx *c, void *field, const char *v)
{
	size_t n = strlen(v);

	if (n < 3 || n > 63 ||
	    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789.-") != n ||
	    !isalnum((unsigned char)v[0]) || !isalnum((unsigned char)v[n - 1]))
		return FAIL(c, "bucket '%s' is not an S3 bucket name (3-63 of "
			    "a-z 0-9 . -, starting and ending alphanumeric)", v);
	return set_text(c, field, v);
}

static int set_prefix(struct policy_ctx *c, void *field, const char *v)
{
	if (v[0] == '/' || has_dotdot(v))
		return FAIL(c, "prefix '%s' must not start with '/' or hold "
			    "'..'", v);
	return set_text(c, field, v);
}

static int set_mode(struct policy_ctx *c, void *field, const char *v)
{
	if (!strcmp(v, "manual"))
		*(enum policy_repair *)field = POLICY_REPAIR_MANUAL;
	else if (!strcmp(v, "auto"))
		*(enum policy_repair *)field = POLICY_REPAIR_AUTO;
	else
		return FAIL(c, "repair mode '%s' is not manual or auto", v);
	return 0;
}

bool policy_puid_valid(const char *s)
{
	const char *n = !strncmp(s, "fmt/", 4) ? s + 4 :
			!strncmp(s, "x-fmt/", 6) ? s + 6 : NULL;
	size_t len;

	if (!n)
		return false;
	len = strlen(n);
	return len >= 1 && len <= 9 && strspn(n, "0123456789") == len;
}

typedef bool item_ok_fn(const char *item);

static bool label_ok(const char *s)
{
	return !strchr(s, ':');
}

/* Split V at commas into the array at FIELD (count right after it in the
 * struct, as char ** then size_t), each item trimmed and checked. */
static int set_list(struct policy_ctx *c, char ***items, size_t *n,
		    const char *v, item_ok_fn *ok, const char *what)
{
	size_t count = 1;

	for (const char *p = v; *p; p++)
		count += *p == ',';
	if (count > POLICY_MAX_LIST)
		return FAIL(c, "more than %d items in one list",
			    POLICY_MAX_LIST);
	if (!(*items = calloc(count, sizeof(**items))))
		return err_nomem(c->err);
	for (const char *p = v; ; p++) {
		size_t lead = strspn(p, " \t"), len = strcspn(p + lead, ",");
		char *item;

		while (len > 0 && isspace((unsigned char)p[lead + len - 1]))
			len--;
		if (!len)
			return FAIL(c, "empty item in the list '%s'", v);
		if (!(item = strndup(p + lead, len)))
			return err_nomem(c->err);
		(*items)[(*n)++] = item;
		if (!ok(item))
			return FAIL(c, "'%s' is not %s", item, what);
		for (size_t i = 0; i + 1 < *n; i++)
			if (!strcmp((*items)[i], item))
				return FAIL(c, "'%s' is listed twice", item);
		p += strcspn(p, ",");
		if (!*p)
			return 0;
	}
}

static int set_info(struct policy_ctx *c, void *field, const char *v)
{
	(void)field;
	return set_list(c, &c->p->required_info, &c->p->nrequired_info, v,
			label_ok, "a bag-info label (no ':')");
}

static int set_preferred(struct policy_ctx *c, void *field, const char *v)
{
	(void)field;
	return set_list(c, &c->p->preferred_puids, &c->p->npreferred, v,
			policy_puid_valid, "a PRONOM PUID (fmt/N or x-fmt/N)");
}

static int set_at_risk(struct policy_ctx *c, void *field, const char *v)
{
	(void)field;
	return set_list(c, &c->p->at_risk_puids, &c->p->nat_risk, v,
			policy_puid_valid, "a PRONOM PUID (fmt/N or x-fmt/N)");
}

#define P(f) offsetof(struct policy, f)
#define L(f) offsetof(struct policy_location, f)

static const struct key_def keys[] = {
	{ SEC_POLICY, "name", PK_NAME, set_text, P(name) },
	{ SEC_POLICY, "version", PK_VERSION, set_text, P(version) },
	{ SEC_POLICY, "approved", PK_APPROVED, set_text, P(approved) },
	{ SEC_POLICY, "review", PK_REVIEW, set_review, P(review_seconds) },
	{ SEC_FIXITY, "algorithms", PK_ALGORITHMS, set_algorithms, 0 },
	{ SEC_FIXITY, "interval", PK_INTERVAL, set_interval,
	  P(interval_seconds) },
	{ SEC_FIXITY, "verify_after_write", PK_VERIFY, set_bool,
	  P(verify_after_write) },
	{ SEC_FIXITY, "sample", PK_SAMPLE, set_sample, P(sample) },
	{ SEC_COPIES, "required", PK_REQUIRED, set_required,
	  P(copies_required) },
	{ SEC_LOCATION, "type", PK_TYPE, set_type, L(type) },
	{ SEC_LOCATION, "path", PK_PATH, set_path, L(path) },
	{ SEC_LOCATION, "endpoint", PK_ENDPOINT, set_endpoint, L(endpoint) },
	{ SEC_LOCATION, "bucket", PK_BUCKET, set_bucket, L(bucket) },
	{ SEC_LOCATION, "prefix", PK_PREFIX, set_prefix, L(prefix) },
	{ SEC_LOCATION, "s3_region", PK_S3_REGION, set_text, L(s3_region) },
	{ SEC_LOCATION, "credentials", PK_CREDENTIALS, set_text,
	  L(credentials) },
	{ SEC_LOCATION, "region", PK_REGION, set_text, L(region) },
	{ SEC_LOCATION, "threat", PK_THREAT, set_text, L(threat) },
	{ SEC_LOCATION, "media", PK_MEDIA, set_text, L(media) },
	{ SEC_DEPOSIT, "profile", PK_PROFILE, set_text, P(deposit_profile) },
	{ SEC_DEPOSIT, "required_info", PK_REQUIRED_INFO, set_info, 0 },
	{ SEC_FORMATS, "preferred", PK_PREFERRED, set_preferred, 0 },
	{ SEC_FORMATS, "at_risk", PK_AT_RISK, set_at_risk, 0 },
	{ SEC_FORMATS, "signatures", PK_SIGNATURES, set_text, P(signatures) },
	{ SEC_REPAIR, "mode", PK_MODE, set_mode, P(repair) },
	{ SEC_CATALOG, "backup", PK_BACKUP, set_bool, P(catalog_backup) },
};
_Static_assert(PK_COUNT <= POLICY_KEY_SLOTS, "key slots");

const char *policy_key_name(enum policy_key_id id)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].id == id)
			return keys[i].name;
	return "?";
}

/* NAME of a [location.NAME] section: [a-z0-9_-]+, bounded. */
static bool loc_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= POLICY_MAX_NAME &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int open_location(struct policy_ctx *c, const char *name)
{
	struct policy *p = c->p;
	const struct policy_location *old = policy_location_find(p, name);
	struct policy_location *grown;

	if (!loc_name_ok(name))
		return FAIL(c, "location name '%s' must be 1-%d of a-z 0-9 _ -",
			    name, POLICY_MAX_NAME);
	if (old)
		return FAIL(c, "location '%s' is declared twice (first on "
			    "line %u)", name, old->line);
	if (p->nlocations == POLICY_MAX_LOCATIONS)
		return FAIL(c, "more than %d locations", POLICY_MAX_LOCATIONS);
	grown = realloc(p->locations, (p->nlocations + 1) * sizeof(*grown));
	if (!grown)
		return err_nomem(c->err);
	p->locations = grown;
	memset(&grown[p->nlocations], 0, sizeof(*grown));
	grown[p->nlocations].line = c->line;
	if (!(grown[p->nlocations].name = strdup(name)))
		return err_nomem(c->err);
	p->nlocations++;
	return 0;
}

int policy_section_open(struct policy_ctx *c, const char *name)
{
	if (!strncmp(name, LOC_PREFIX, strlen(LOC_PREFIX)))
		return open_location(c, name + strlen(LOC_PREFIX));
	for (size_t i = 0; i < NFIXED; i++) {
		if (strcmp(name, sec_names[i]))
			continue;
		if (c->section_line[i])
			return FAIL(c, "section [%s] appears twice (first on "
				    "line %u)", name, c->section_line[i]);
		c->section_line[i] = c->line;
		return 0;
	}
	return FAIL(c, "unknown section [%s] (known: policy, fixity, copies, "
		    "location.NAME, deposit, formats, repair)", name);
}

static int unknown_key(struct policy_ctx *c, enum sec s, const char *section,
		       const char *key)
{
	char known[256] = "";
	size_t used = 0;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int w;

		if (keys[i].sec != s)
			continue;
		w = snprintf(known + used, sizeof(known) - used, "%s%s",
			     used ? ", " : "", keys[i].name);
		if (w < 0 || (size_t)w >= sizeof(known) - used)
			break;
		used += (size_t)w;
	}
	return FAIL(c, "unknown key '%s' in [%s] (known: %s)", key, section,
		    known);
}

int policy_key_set(struct policy_ctx *c, const char *section, const char *key,
		   const char *value)
{
	enum sec s = SEC_LOCATION;
	char *base = (char *)c->p;
	unsigned *lines = c->key_line;

	if (!section[0])
		return FAIL(c, "'%s' is outside any [section]", key);
	for (size_t i = 0; i < NFIXED; i++)
		if (!strcmp(section, sec_names[i]))
			s = (enum sec)i;
	if (s == SEC_LOCATION) {
		const struct policy_location *l =
			policy_location_find(c->p, section + strlen(LOC_PREFIX));
		size_t idx;

		if (!l)
			return FAIL(c, "section [%s] was not opened", section);
		idx = (size_t)(l - c->p->locations);
		base = (char *)&c->p->locations[idx];
		lines = c->loc_line[idx];
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key_def *k = &keys[i];

		if (k->sec != s || strcmp(k->name, key))
			continue;
		if (lines[k->id])
			return FAIL(c, "'%s' is given twice in [%s] (first on "
				    "line %u)", key, section, lines[k->id]);
		lines[k->id] = c->line;
		if (!value[0])
			return FAIL(c, "'%s' has no value (leave the line out "
				    "for the default)", key);
		return k->set(c, base + k->offset, value);
	}
	return unknown_key(c, s, section, key);
}
