/*
 * preserve/bagit/fetch.c - parsing fetch.txt. URL must be absolute (a scheme),
 * LENGTH is octets or "-", FILEPATH must be a payload path in the bag.
 */
#include "preserve/bagit/fetch.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/ckd.h"
#include "preserve/bagit/bagpath.h"
#include "preserve/bagit/tagfile.h"

#define FETCH_NAME "fetch.txt"

struct parse_state {
	struct fetch_list *f;
	struct problems *r;
	int oom;
};

static bool url_has_scheme(const char *u, size_t len)
{
	size_t i = 0;

	if (!len || !isalpha((unsigned char)u[0]))
		return false;
	while (i < len && (isalnum((unsigned char)u[i]) || u[i] == '+' ||
			   u[i] == '-' || u[i] == '.'))
		i++;
	return i < len && u[i] == ':';
}

static bool parse_length(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (!len || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]) ||
		    ckd_mul_u64(&v, v, 10) || ckd_add_u64(&v, v, (uint64_t)(s[i] - '0')))
			return false;
	}
	*out = v;
	return true;
}

/* Split LINE into its three fields; false if it has not three. */
static bool split3(const char *line, size_t len, size_t f[3][2])
{
	size_t i = 0;

	for (int k = 0; k < 2; k++) {
		size_t s = i;

		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		if (i == s || i == len)
			return false;
		f[k][0] = s;
		f[k][1] = i - s;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
	}
	if (i == len)
		return false;
	f[2][0] = i;
	f[2][1] = len - i;
	return true;
}

static char *take_path(struct parse_state *st, const char *raw, size_t lineno)
{
	char *decoded = NULL, *canon = NULL;
	unsigned flags;
	int verdict;

	if (bagpath_decode(&decoded, raw) < 0)
		return NULL;
	verdict = relpath_normalize(&canon, decoded, &flags);
	if (verdict > 0)
		problems_error(st->r, "path-outside-bag", decoded,
			     "'fetch.txt' line %zu: path '%s' %s: it must stay inside the bag",
			     lineno, decoded,
			     relpath_verdict_str((enum relpath_verdict)verdict));
	else if (verdict == 0 && strncmp(canon, "data/", 5) != 0) {
		problems_error(st->r, "path-outside-payload", decoded,
			     "'fetch.txt' line %zu: '%s' is not a payload path (data/...)",
			     lineno, decoded);
		free(canon);
		canon = NULL;
	}
	free(decoded);
	return canon;
}

static int add(struct fetch_list *f, const struct fetch_entry *e)
{
	if (f->count == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 16;
		struct fetch_entry *g = realloc(f->entries, ncap * sizeof(*g));

		if (!g)
			return -1;
		f->entries = g;
		f->cap = ncap;
	}
	f->entries[f->count++] = *e;
	return 0;
}

static int parse_line(void *arg, const char *line, size_t len, size_t lineno)
{
	struct parse_state *st = arg;
	struct fetch_entry e = { .line = lineno };
	size_t f[3][2];
	char *raw;

	if (len == 0)
		return 0;
	if (len > 64 * 1024 || memchr(line, '\0', len) || !split3(line, len, f)) {
		problems_error(st->r, "bad-fetch-line", FETCH_NAME,
			     "'fetch.txt' line %zu is not 'URL LENGTH FILEPATH'",
			     lineno);
		return 0;
	}
	if (!url_has_scheme(line + f[0][0], f[0][1]))
		problems_error(st->r, "bad-fetch-line", FETCH_NAME,
			     "'fetch.txt' line %zu: '%.*s' is not an absolute URL",
			     lineno, (int)f[0][1], line + f[0][0]);
	if (!(f[1][1] == 1 && line[f[1][0]] == '-')) {
		if (!parse_length(line + f[1][0], f[1][1], &e.length))
			problems_error(st->r, "bad-fetch-line", FETCH_NAME,
				     "'fetch.txt' line %zu: length '%.*s' is not a number or '-'",
				     lineno, (int)f[1][1], line + f[1][0]);
		e.has_length = true;
	}
	raw = strndup(line + f[2][0], f[2][1]);
	e.url = strndup(line + f[0][0], f[0][1]);
	if (!raw || !e.url)
		goto oom;
	e.path = take_path(st, raw, lineno);
	free(raw);
	raw = NULL;
	if (!e.path) {
		free(e.url);
		return 0;
	}
	if (add(st->f, &e) < 0)
		goto oom;
	return 0;
oom:
	free(raw);
	free(e.url);
	free(e.path);
	return st->oom = 1;
}

int fetch_parse(struct fetch_list *out, const char *text, size_t len,
		struct problems *r)
{
	struct parse_state st = { .f = out, .r = r };

	memset(out, 0, sizeof(*out));
	tagfile_each_line(text, len, parse_line, &st);
	if (st.oom) {
		fetch_release(out);
		return -1;
	}
	return 0;
}

void fetch_release(struct fetch_list *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->entries[i].url);
		free(f->entries[i].path);
	}
	free(f->entries);
	memset(f, 0, sizeof(*f));
}
