/*
 * preserve/bagit/manifest.c - manifest line parsing.
 * RFC8493 2.1.3: checksum, one or more linear whitespace, filepath; the
 * path is percent-decoded (%25, %0A, %0D only) and must stay in the bag.
 */
#include "preserve/bagit/manifest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "preserve/bagit/bagpath.h"
#include "preserve/bagit/tagfile.h"

struct parse_state {
	struct manifest *m;
	struct problems *r;
	int oom;
};

static int add_entry(struct manifest *m, char *path, const char *hex,
		     size_t hexlen, size_t lineno)
{
	struct manifest_entry *e;

	if (m->count == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		struct manifest_entry *g = realloc(m->entries, ncap * sizeof(*g));

		if (!g)
			return -1;
		m->entries = g;
		m->cap = ncap;
	}
	e = &m->entries[m->count++];
	e->path = path;
	e->line = lineno;
	for (size_t i = 0; i < hexlen; i++)
		e->digest[i] = (char)tolower((unsigned char)hex[i]);
	e->digest[hexlen] = '\0';
	return 0;
}

/* Decode and check the path part; returns the canonical path or NULL. */
static char *take_path(struct parse_state *st, const char *raw, size_t lineno)
{
	char *decoded = NULL, *canon = NULL;
	unsigned flags = 0;
	int verdict;

	if (bagpath_decode(&decoded, raw) < 0) {
		st->oom = 1;
		return NULL;
	}
	verdict = relpath_normalize(&canon, decoded, &flags);
	if (verdict < 0) {
		st->oom = 1;
	} else if (verdict != RELPATH_OK) {
		problems_error(st->r, "path-outside-bag", decoded,
			     "'%s' line %zu: path '%s' %s: it must stay inside the bag",
			     st->m->name, lineno, decoded,
			     relpath_verdict_str((enum relpath_verdict)verdict));
	} else if (flags & RELPATH_F_DOTSLASH) {
		problems_warn(st->r, "relative-path", canon,
			    "'%s' line %zu: path '%s' has './' components",
			    st->m->name, lineno, decoded);
	} else if (flags & RELPATH_F_SLASHES) {
		problems_warn(st->r, "odd-path", canon,
			    "'%s' line %zu: path '%s' has empty components",
			    st->m->name, lineno, decoded);
	}
	free(decoded);
	return canon;
}

static int parse_line(void *arg, const char *line, size_t len, size_t lineno)
{
	struct parse_state *st = arg;
	struct manifest *m = st->m;
	size_t hexlen = 0, at;
	char *raw, *path;

	if (len == 0)
		return 0;  /* blank lines carry nothing; tolerated */
	if (len > MANIFEST_LINE_MAX || memchr(line, '\0', len)) {
		problems_error(st->r, "bad-manifest-line", m->name,
			     "'%s' line %zu is %s", m->name, lineno,
			     len > MANIFEST_LINE_MAX ? "too long" : "binary (NUL byte)");
		return 0;
	}
	while (hexlen < len && line[hexlen] != ' ' && line[hexlen] != '\t')
		hexlen++;
	at = hexlen;
	while (at < len && (line[at] == ' ' || line[at] == '\t'))
		at++;
	if (at == hexlen || at == len || hexlen >= DIGEST_HEX_MAX) {
		problems_error(st->r, "bad-manifest-line", m->name,
			     "'%s' line %zu is not 'CHECKSUM FILEPATH'", m->name,
			     lineno);
		return 0;
	}
	if (line[at] == '*') {
		problems_warn(st->r, "md5sum-marker", m->name,
			    "'%s' line %zu: '*' binary-mode marker before the path (md5sum style)",
			    m->name, lineno);
		at++;
	}
	raw = malloc(len - at + 1);
	if (!raw)
		return st->oom = 1;
	memcpy(raw, line + at, len - at);
	raw[len - at] = '\0';
	{
		char hex[DIGEST_HEX_MAX];

		memcpy(hex, line, hexlen);
		hex[hexlen] = '\0';
		if (!digest_hex_valid(m->alg, hex)) {
			problems_error(st->r, "bad-manifest-line", m->name,
				     "'%s' line %zu: '%s' is not a %s digest",
				     m->name, lineno, hex, digest_name(m->alg));
			free(raw);
			return 0;
		}
	}
	path = take_path(st, raw, lineno);
	free(raw);
	if (path && add_entry(m, path, line, hexlen, lineno) < 0) {
		free(path);
		st->oom = 1;
	}
	return st->oom;
}

int manifest_parse(struct manifest *out, const char *name, enum digest_alg alg,
		   const char *text, size_t len, struct problems *r)
{
	struct parse_state st = { .m = out, .r = r };

	memset(out, 0, sizeof(*out));
	out->alg = alg;
	out->name = strdup(name);
	if (!out->name)
		return -1;
	tagfile_each_line(text, len, parse_line, &st);
	if (st.oom) {
		manifest_release(out);
		return -1;
	}
	return 0;
}

void manifest_release(struct manifest *m)
{
	for (size_t i = 0; i < m->count; i++)
		free(m->entries[i].path);
	free(m->entries);
	free(m->name);
	memset(m, 0, sizeof(*m));
}

int manifest_name_alg(const char *name, const char *prefix, char *buf,
		      size_t bufsize)
{
	size_t plen = strlen(prefix), n = strlen(name);

	if (n <= plen + 4 || strncmp(name, prefix, plen) != 0 ||
	    strcmp(name + n - 4, ".txt") != 0)
		return -1;
	n -= plen + 4;
	if (n >= bufsize || strchr(name + plen, '/'))
		return -1;
	memcpy(buf, name + plen, n);
	buf[n] = '\0';
	return 0;
}
