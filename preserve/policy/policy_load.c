/*
 * preserve/policy/policy_load.c - read a policy file and hand it to inih line by
 * line, so every error can name its line; then the checks that need the
 * whole file (locations complete, copies achievable, paths distinct).
 * The digest of the exact bytes read is kept for the policy history.
 */
#include "preserve/policy/policy_int.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"
#include "core/text.h"

int policy_fail_at(struct policy_ctx *c, unsigned line, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	if (c->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	c->failed = true;
	c->err_line = line;
	if (line)
		return err_set(c->err, CUSTOS_EUSAGE, c->shown,
			       "policy '%s' line %u: %s", c->shown, line, what);
	return err_set(c->err, CUSTOS_EUSAGE, c->shown, "policy '%s': %s",
		       c->shown, what);
}

static bool has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return true;
	return false;
}

/* Length of S[0..N) without its comment: '#' or ';' at the start or
 * after a space or tab begins one. Trailing blanks are dropped too. */
static size_t strip_comment(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((s[i] == '#' || s[i] == ';') &&
		    (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			n = i;
			break;
		}
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

/* A "[NAME]" line (LINE, N bytes, NUL-terminated after them). */
static int section_header(struct policy_ctx *c, char *line, size_t n)
{
	int rc;

	if (line[n - 1] != ']')
		return policy_fail_at(c, c->line, "section header '%.*s' has "
				      "no closing ']'", (int)n, line);
	line[n - 1] = '\0';
	rc = policy_section_open(c, line + 1);
	line[n - 1] = ']';
	return rc;
}

/* inih's reader: the next line, cleaned (BOM, indentation, comments and
 * trailing blanks removed), so inih never sees a continuation line or an
 * inline '#' comment. Stops (NULL) at the end or at the first error. */
static char *read_line(char *str, int num, void *stream)
{
	struct policy_ctx *c = stream;
	const char *s, *eol;
	size_t n, lead = 0;

	if (c->failed || c->pos >= c->len)
		return NULL;
	s = c->buf + c->pos;
	eol = memchr(s, '\n', c->len - c->pos);
	n = eol ? (size_t)(eol - s) : c->len - c->pos;
	c->pos += n + (eol != NULL);
	c->line++;
	if (n && s[n - 1] == '\r')
		n--;
	if (c->line == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
		s += 3;
		n -= 3;
	}
	if (!text_utf8_valid(s, n) || has_control(s, n)) {
		policy_fail_at(c, c->line, "not UTF-8 text, or holds a "
			       "control character");
		return NULL;
	}
	while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
		lead++;
	n = strip_comment(s + lead, n - lead);
	if (num < 3 || n > (size_t)num - 3) {
		policy_fail_at(c, c->line, "line longer than %d characters",
			       num - 3);
		return NULL;
	}
	memcpy(str, s + lead, n);
	str[n] = '\n';
	str[n + 1] = '\0';
	if (n && str[0] == '[' && section_header(c, str, n) < 0)
		return NULL;
	return str;
}

static int on_key(void *user, const char *section, const char *name,
		  const char *value)
{
	struct policy_ctx *c = user;

	if (!name)  /* a section start, where inih reports those */
		return 1;
	if (c->failed)
		return 0;
	if (policy_key_set(c, section, name, value) < 0) {
		if (!c->failed) {  /* out of memory: err already set */
			c->failed = true;
			c->err_line = c->line;
		}
		return 0;
	}
	return 1;
}

static int parse(struct policy_ctx *c)
{
	int rc = ini_parse_stream(read_line, c, on_key, c);

	if (rc > 0 && (!c->failed || (unsigned)rc < c->err_line)) {
		c->failed = false;
		return policy_fail_at(c, (unsigned)rc, "neither a [section] "
				      "header nor a 'key = value' line");
	}
	if (c->failed)
		return -1;
	if (rc == -2)
		return err_nomem(c->err);
	if (rc < 0)
		return policy_fail_at(c, 0, "the INI parser failed (%d)", rc);
	return 0;
}

/* PATH with "//" and "." components and a trailing '/' removed. New
 * string, NULL on OOM. Lexical only: symlinks are not resolved. */
static char *path_norm(const char *path)
{
	char *out = malloc(strlen(path) + 2);
	size_t o = 0;

	if (!out)
		return NULL;
	if (path[0] == '/')
		out[o++] = '/';
	for (const char *p = path; *p;) {
		size_t n;

		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (n && !(n == 1 && p[0] == '.')) {
			if (o && out[o - 1] != '/')
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	out[o] = '\0';
	return out;
}

/* The place a location stores into, as a comparable key: "f:/abs",
 * "f:rel" or "s3:ENDPOINT|BUCKET/PREFIX". NULL on OOM. */
static char *location_key(const struct policy_location *l)
{
	const char *tail = l->type == POLICY_LOCATION_S3 ?
			   (l->prefix ? l->prefix : "") : l->path;
	char *norm = path_norm(tail), *key = NULL;
	size_t n;

	if (!norm)
		return NULL;
	if (l->type == POLICY_LOCATION_FILESYSTEM) {
		n = strlen(norm) + 3;
		if ((key = malloc(n)))
			snprintf(key, n, "f:%s", norm);
	} else {
		n = strlen(l->endpoint) + strlen(l->bucket) + strlen(norm) + 6;
		if ((key = malloc(n)))
			snprintf(key, n, "s3:%s|%s/%s", l->endpoint, l->bucket,
				 norm);
	}
	free(norm);
	return key;
}

/* True if key A is B or an ancestor of B ("f:/" holds all of "f:/x"). */
static bool key_covers(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (strncmp(a, b, n))
		return false;
	return !b[n] || b[n] == '/' || a[n - 1] == '/';
}

static int check_overlap(struct policy_ctx *c)
{
	const struct policy *p = c->p;
	char *keys[POLICY_MAX_LOCATIONS] = { 0 };
	int rc = 0;

	for (size_t i = 0; i < p->nlocations && !rc; i++) {
		if (!(keys[i] = location_key(&p->locations[i]))) {
			rc = err_nomem(c->err);
			break;
		}
		for (size_t j = 0; j < i && !rc; j++) {
			const struct policy_location *a = &p->locations[j],
						     *b = &p->locations[i];
			unsigned line = c->loc_line[i][PK_PATH] ?
					c->loc_line[i][PK_PATH] : b->line;

			if (!strcmp(keys[i], keys[j]))
				rc = policy_fail_at(c, line, "locations '%s' "
					"and '%s' store to the same place",
					a->name, b->name);
			else if (key_covers(keys[j], keys[i]) ||
				 key_covers(keys[i], keys[j]))
				rc = policy_fail_at(c, line, "locations '%s' "
					"and '%s' overlap: one lies inside "
					"the other", a->name, b->name);
		}
	}
	for (size_t i = 0; i < p->nlocations; i++)
		free(keys[i]);
	return rc;
}

static int check_location(struct policy_ctx *c, size_t i)
{
	static const enum policy_key_id s3_only[] = {
		PK_ENDPOINT, PK_BUCKET, PK_PREFIX, PK_S3_REGION, PK_CREDENTIALS,
	};
	const struct policy_location *l = &c->p->locations[i];
	const unsigned *lines = c->loc_line[i];

	if (l->type == POLICY_LOCATION_FILESYSTEM) {
		for (size_t k = 0; k < sizeof(s3_only) / sizeof(s3_only[0]);
		     k++)
			if (lines[s3_only[k]])
				return policy_fail_at(c, lines[s3_only[k]],
					"'%s' is for type = s3 locations, and "
					"location '%s' is a filesystem one",
					policy_key_name(s3_only[k]), l->name);
		if (!l->path)
			return policy_fail_at(c, l->line, "location '%s' has "
					      "no path", l->name);
		return 0;
	}
	if (lines[PK_PATH])
		return policy_fail_at(c, lines[PK_PATH], "'path' is for "
				      "filesystem locations, and location '%s' "
				      "is type = s3", l->name);
	if (!l->endpoint || !l->bucket)
		return policy_fail_at(c, l->line, "s3 location '%s' needs "
				      "both endpoint and bucket", l->name);
	return 0;
}

static int check_whole(struct policy_ctx *c)
{
	struct policy *p = c->p;

	if (!p->nlocations)
		return policy_fail_at(c, 0, "no storage location: add a "
				      "[location.NAME] section");
	for (size_t i = 0; i < p->nlocations; i++)
		if (check_location(c, i) < 0)
			return -1;
	if (check_overlap(c) < 0)
		return -1;
	if (!c->key_line[PK_REQUIRED])
		p->copies_required = (unsigned)p->nlocations;
	else if (p->copies_required > p->nlocations)
		return policy_fail_at(c, c->key_line[PK_REQUIRED], "%u copies "
			"required but only %zu location%s declared: the policy "
			"can never be met", p->copies_required, p->nlocations,
			p->nlocations == 1 ? " is" : "s are");
	for (size_t i = 0; i < p->nat_risk; i++)
		for (size_t j = 0; j < p->npreferred; j++)
			if (!strcmp(p->at_risk_puids[i], p->preferred_puids[j]))
				return policy_fail_at(c,
					c->key_line[PK_AT_RISK], "'%s' is "
					"both preferred and at risk",
					p->at_risk_puids[i]);
	return 0;
}

static void set_defaults(struct policy *p)
{
	p->algorithms = DIGEST_BIT(DIGEST_SHA256) | DIGEST_BIT(DIGEST_SHA512);
	p->audit_alg = DIGEST_SHA256;
	p->interval_seconds = 90 * 86400;
	p->verify_after_write = true;
	p->sample = 0;
	p->repair = POLICY_REPAIR_MANUAL;
}

/* Default name: SHOWN's last component without ".ini". */
static char *default_name(const char *shown)
{
	const char *base = strrchr(shown, '/');
	size_t n;

	base = base ? base + 1 : shown;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".ini"))
		n -= 4;
	return strndup(base, n);
}

int policy_load_buffer(struct policy **out, const void *data, size_t len,
		       const char *shown, struct custos_err *err)
{
	struct policy_ctx *c = NULL;
	struct policy *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p || !(c = calloc(1, sizeof(*c))) ||
	    !(p->source_path = strdup(shown)) ||
	    !(p->bytes = malloc(len + 1)))
		goto nomem;
	memcpy(p->bytes, data, len);
	p->bytes[len] = '\0';
	p->nbytes = len;
	set_defaults(p);
	*c = (struct policy_ctx){ .p = p, .shown = shown, .err = err,
				  .buf = p->bytes, .len = len };
	if (len > POLICY_MAX_BYTES) {
		policy_fail_at(c, 0, "larger than %d bytes", POLICY_MAX_BYTES);
		goto fail;
	}
	if (digest_buffer(DIGEST_SHA256, data, len, p->sha256, err) < 0 ||
	    parse(c) < 0 || check_whole(c) < 0)
		goto fail;
	if (!p->name && !(p->name = default_name(shown)))
		goto nomem;
	free(c);
	*out = p;
	return 0;
nomem:
	err_nomem(err);
fail:
	free(c);
	policy_free(p);
	return -1;
}

/* The policy is the user's own configuration, not deposited content: a
 * symlink to it is followed, but only a regular file is read. */
static int read_policy_file(char **buf, size_t *len, const char *path,
			    struct custos_err *err)
{
	int fd = fio_open_config(path, "policy", err);
	int rc;

	if (fd < 0) {
		if (err && err->code == CUSTOS_EFORMAT)
			err->code = CUSTOS_EUSAGE;
		return -1;
	}
	rc = fio_read_fd(buf, len, fd, POLICY_MAX_BYTES, path, err);
	close(fd);
	return rc;
}

int policy_load(struct policy **out, const char *path, struct custos_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (read_policy_file(&buf, &len, path, err) < 0) {
		if (err && err->code != CUSTOS_ENOMEM)
			err->code = CUSTOS_EUSAGE;  /* exit 2 per docs/cli.md */
		return -1;
	}
	rc = policy_load_buffer(out, buf, len, path, err);
	free(buf);
	return rc;
}

static void free_list(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nlocations; i++) {
		struct policy_location *l = &p->locations[i];

		free(l->name);
		free(l->path);
		free(l->endpoint);
		free(l->bucket);
		free(l->prefix);
		free(l->s3_region);
		free(l->credentials);
		free(l->region);
		free(l->threat);
		free(l->media);
	}
	free(p->locations);
	free(p->name);
	free(p->version);
	free(p->approved);
	free(p->deposit_profile);
	free_list(p->required_info, p->nrequired_info);
	free_list(p->preferred_puids, p->npreferred);
	free_list(p->at_risk_puids, p->nat_risk);
	free(p->signatures);
	free(p->source_path);
	free(p->bytes);
	free(p);
}

const struct policy_location *policy_location_find(const struct policy *p,
						   const char *name)
{
	for (size_t i = 0; i < p->nlocations; i++)
		if (!strcmp(p->locations[i].name, name))
			return &p->locations[i];
	return NULL;
}

const char *policy_location_type_name(enum policy_location_type t)
{
	return t == POLICY_LOCATION_S3 ? "s3" : "filesystem";
}
