/*
 * preserve/bagit/manifest.c - manifest line parsing.
 * RFC8493 2.1.3: checksum, one or more linear whitespace, filepath; the
 * path is percent-decoded (%25, %0A, %0D only) and must stay in the bag.
 */
#include "preserve/bagit/manifest.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "preserve/bagit/bagpath.h"
#include "preserve/bagit/lines.h"
#include "core/text.h"

struct manifest_stream {
	struct manifest *m;
	struct problems *r;
	struct lines lines;
	size_t bad_utf8_line;        /* 0, or the first line that is not UTF-8 */
	int oom;
};


static int hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static int add_entry(struct manifest *m, char *path, const char *hex,
		     size_t hexlen, size_t lineno)
{
	struct manifest_entry *e;

	if (m->count == m->cap) {
		size_t ncap = m->cap ? m->cap + m->cap / 2 : 64;
		struct manifest_entry *g = realloc(m->entries, ncap * sizeof(*g));

		if (!g)
			return -1;
		m->entries = g;
		m->cap = ncap;
	}
	e = &m->entries[m->count++];
	e->path = path;
	e->line = lineno > UINT32_MAX ? UINT32_MAX : (uint32_t)lineno;
	memset(e->digest, 0, sizeof(e->digest));
	for (size_t i = 0; i + 1 < hexlen; i += 2)    /* validated hex */
		e->digest[i / 2] = (unsigned char)(hexval(hex[i]) << 4 |
						   hexval(hex[i + 1]));
	return 0;
}

char *manifest_hex(const struct manifest *m, const struct manifest_entry *e,
		   char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = digest_size(m->alg);

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[e->digest[i] >> 4];
		hex[2 * i + 1] = digits[e->digest[i] & 15];
	}
	hex[2 * n] = '\0';
	return hex;
}

bool manifest_digest_is(const struct manifest *m, const struct manifest_entry *e,
			const char *hex)
{
	char mine[DIGEST_HEX_MAX];

	return digest_hex_equal(manifest_hex(m, e, mine), hex);
}

/* A '%' that starts none of the escapes RFC 8493 defines (%25, %0A, %0D). */
static bool has_literal_percent(const char *raw)
{
	for (const char *p = strchr(raw, '%'); p; p = strchr(p + 1, '%'))
		if (strncmp(p + 1, "25", 2) && strncasecmp(p + 1, "0A", 2) &&
		    strncasecmp(p + 1, "0D", 2))
			return true;
	return false;
}

/* Decode and check the path part; returns the canonical path or NULL. */
static char *take_path(struct manifest_stream *st, const char *raw, size_t lineno)
{
	char *decoded = NULL, *canon = NULL;
	unsigned flags = 0;
	int verdict;

	if (bagpath_decode(&decoded, raw) < 0) {
		st->oom = 1;
		return NULL;
	}
	if (has_literal_percent(raw))
		problems_warn(st->r, "unencoded-percent", decoded,
			    "'%s' line %zu: '%%' in '%s' is not percent-encoded (%%25); it was taken literally, as bagit-python and bagit-java write it",
			    st->m->name, lineno, raw);
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
	struct manifest_stream *st = arg;
	struct manifest *m = st->m;
	size_t hexlen = 0, at;
	char *raw, *path;

	if (lineno == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) {
		line += 3;                 /* reported by the caller, as for any tag file */
		len -= 3;
	}
	if (len == 0)
		return 0;  /* blank lines carry nothing; tolerated */
	if (len > MANIFEST_LINE_MAX || memchr(line, '\0', len)) {
		problems_error(st->r, "bad-manifest-line", m->name,
			     "'%s' line %zu is %s", m->name, lineno,
			     len > MANIFEST_LINE_MAX ? "too long" : "binary (NUL byte)");
		return 0;
	}
	if (!text_utf8_valid(line, len)) {
		st->bad_utf8_line = lineno;
		return 1;
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
	{
		char hex[DIGEST_HEX_MAX];

		memcpy(hex, line, hexlen);
		hex[hexlen] = '\0';
		if (!digest_hex_valid(m->alg, hex)) {
			problems_error(st->r, "bad-manifest-line", m->name,
				     "'%s' line %zu: '%s' is not a %s digest",
				     m->name, lineno, hex, digest_name(m->alg));
			return 0;
		}
	}
	raw = malloc(len - at + 1);
	if (!raw)
		return st->oom = 1;
	memcpy(raw, line + at, len - at);
	raw[len - at] = '\0';
	path = take_path(st, raw, lineno);
	free(raw);
	if (path && add_entry(m, path, line, hexlen, lineno) < 0) {
		free(path);
		st->oom = 1;
	}
	return st->oom;
}

int manifest_stream_begin(struct manifest_stream **ps, struct manifest *out,
			  const char *name, enum digest_alg alg,
			  struct problems *r)
{
	struct manifest_stream *st = calloc(1, sizeof(*st));

	memset(out, 0, sizeof(*out));
	out->alg = alg;
	out->name = strdup(name);
	if (!st || !out->name) {
		free(st);
		manifest_release(out);
		return -1;
	}
	st->m = out;
	st->r = r;
	lines_init(&st->lines, MANIFEST_LINE_MAX, parse_line, st);
	*ps = st;
	return 0;
}

/* 0 go on, 1 a line is not UTF-8, -1 OOM. */
static int stream_state(struct manifest_stream *st, int rc)
{
	if (st->oom || rc < 0)
		return -1;
	return st->bad_utf8_line ? 1 : 0;
}

int manifest_stream_feed(struct manifest_stream *st, const char *data,
			 size_t len)
{
	return stream_state(st, lines_feed(&st->lines, data, len));
}

int manifest_stream_end(struct manifest_stream *st, size_t *bad_line)
{
	int rc = stream_state(st, lines_finish(&st->lines));

	*bad_line = st->bad_utf8_line;
	if (rc != 0)
		manifest_release(st->m);
	lines_release(&st->lines);
	free(st);
	return rc;
}

int manifest_parse(struct manifest *out, const char *name, enum digest_alg alg,
		   const char *text, size_t len, struct problems *r)
{
	struct manifest_stream *st;
	size_t bad;
	int rc;

	if (manifest_stream_begin(&st, out, name, alg, r) < 0)
		return -1;
	manifest_stream_feed(st, text, len);
	rc = manifest_stream_end(st, &bad);
	if (rc > 0)                        /* the caller checked the encoding */
		problems_error(r, "bad-encoding", name,
			     "'%s' line %zu is not valid UTF-8", name, bad);
	return rc < 0 ? -1 : 0;
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
