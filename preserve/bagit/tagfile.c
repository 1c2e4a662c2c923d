/*
 * preserve/bagit/tagfile.c - parsing tag files of labelled values.
 * RFC 8493 2.2.2: "label: value", continuation lines start with
 * whitespace, labels may repeat, order is kept.
 */
#include "preserve/bagit/tagfile.h"

#include <stdint.h>
#include "preserve/bagit/lines.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int tagfile_each_line(const char *text, size_t len, tagfile_line_fn fn,
		      void *arg)
{
	struct lines ls;
	int rc;

	/* the text is whole: no line is cut (SIZE_MAX - 1 keeps max + 1 sane) */
	lines_init(&ls, SIZE_MAX - 1, fn, arg);
	rc = lines_feed(&ls, text, len);
	if (rc == 0)
		rc = lines_finish(&ls);
	lines_release(&ls);
	return rc;
}

struct parse_state {
	struct tagfile *t;
	const char *shown;
	enum tagfile_mode mode;
	struct problems *r;
	size_t cap;
	int oom;
};

static char *dup_trimmed(const char *s, size_t len)
{
	char *d;

	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	d = malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

static int append_continuation(struct parse_state *st, const char *line,
			       size_t len)
{
	struct bag_tag *last = &st->t->tags[st->t->count - 1];
	char *more = dup_trimmed(line, len);
	char *joined;
	size_t a, b;

	if (!more)
		return -1;
	a = strlen(last->value);
	b = strlen(more);
	joined = realloc(last->value, a + b + 2);
	if (!joined) {
		free(more);
		return -1;
	}
	if (a && b)
		joined[a++] = ' ';
	memcpy(joined + a, more, b + 1);
	last->value = joined;
	free(more);
	return 0;
}

static int add_tag(struct parse_state *st, const char *label, size_t llen,
		   const char *value, size_t vlen, size_t lineno)
{
	struct bag_tag *tag;

	if (st->t->count == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 16;
		struct bag_tag *g = realloc(st->t->tags, ncap * sizeof(*g));

		if (!g)
			return -1;
		st->t->tags = g;
		st->cap = ncap;
	}
	tag = &st->t->tags[st->t->count];
	tag->label = dup_trimmed(label, llen);
	tag->value = dup_trimmed(value, vlen);
	tag->line = lineno;
	if (!tag->label || !tag->value) {
		free(tag->label);
		free(tag->value);
		return -1;
	}
	st->t->count++;
	return 0;
}

/* Check the separator of a declaration line: exactly "Label: value". */
static void check_strict_separator(struct parse_state *st, const char *line,
				   size_t colon, size_t len, size_t lineno)
{
	int space_before = colon > 0 && (line[colon - 1] == ' ' ||
					 line[colon - 1] == '\t');
	int one_space_after = colon + 1 < len && line[colon + 1] == ' ' &&
			      (colon + 2 >= len || (line[colon + 2] != ' ' &&
						    line[colon + 2] != '\t'));

	if (space_before || !one_space_after)
		problems_error(st->r, "bad-tag-line", st->shown,
			     "'%s' line %zu: must be exactly 'Label: value' "
			     "(one colon, one space, no whitespace before the colon)",
			     st->shown, lineno);
}

static int parse_line(void *arg, const char *line, size_t len, size_t lineno)
{
	struct parse_state *st = arg;
	const char *colon;

	if (len > TAGFILE_LINE_MAX) {
		problems_error(st->r, "bad-tag-line", st->shown,
			     "'%s' line %zu is longer than %d bytes", st->shown,
			     lineno, TAGFILE_LINE_MAX);
		return 0;
	}
	if (len == 0) {
		if (st->mode == TAGFILE_DECLARATION)
			problems_error(st->r, "bad-tag-line", st->shown,
				     "'%s' line %zu is empty", st->shown, lineno);
		return 0;
	}
	if (memchr(line, '\0', len)) {
		problems_error(st->r, "bad-tag-line", st->shown,
			     "'%s' line %zu contains a NUL byte (binary data)",
			     st->shown, lineno);
		return 0;
	}
	if (line[0] == ' ' || line[0] == '\t') {
		if (st->t->count == 0 || st->mode == TAGFILE_DECLARATION) {
			problems_error(st->r, "bad-tag-line", st->shown,
				     "'%s' line %zu: continuation line with no tag before it",
				     st->shown, lineno);
			return 0;
		}
		if (append_continuation(st, line, len) < 0)
			st->oom = 1;
		return st->oom;
	}
	colon = memchr(line, ':', len);
	if (!colon || colon == line) {
		problems_error(st->r, "bad-tag-line", st->shown,
			     "'%s' line %zu has no 'Label: value' form", st->shown,
			     lineno);
		return 0;
	}
	if (st->mode == TAGFILE_DECLARATION)
		check_strict_separator(st, line, (size_t)(colon - line), len, lineno);
	else if ((colon[-1] == ' ' || colon[-1] == '\t') &&
		 st->mode == TAGFILE_BAG_INFO_V1)
		problems_error(st->r, "label-whitespace", st->shown,
			     "'%s' line %zu: the label ends in whitespace, which BagIt 1.0 forbids",
			     st->shown, lineno);
	else if (colon[-1] == ' ' || colon[-1] == '\t')
		problems_warn(st->r, "tag-whitespace", st->shown,
			    "'%s' line %zu: whitespace before the colon", st->shown,
			    lineno);
	if (add_tag(st, line, (size_t)(colon - line), colon + 1,
		    len - (size_t)(colon - line) - 1, lineno) < 0) {
		st->oom = 1;
		return 1;
	}
	return 0;
}

int tagfile_parse(struct tagfile *out, const char *text, size_t len,
		  const char *shown, enum tagfile_mode mode, struct problems *r)
{
	struct parse_state st = { .t = out, .shown = shown, .mode = mode, .r = r };

	memset(out, 0, sizeof(*out));
	tagfile_each_line(text, len, parse_line, &st);
	if (st.oom) {
		tagfile_release(out);
		return -1;
	}
	return 0;
}

const char *tagfile_get(const struct tagfile *t, const char *label)
{
	for (size_t i = 0; i < t->count; i++)
		if (strcasecmp(t->tags[i].label, label) == 0)
			return t->tags[i].value;
	return NULL;
}

size_t tagfile_count_label(const struct tagfile *t, const char *label)
{
	size_t n = 0;

	for (size_t i = 0; i < t->count; i++)
		if (strcasecmp(t->tags[i].label, label) == 0)
			n++;
	return n;
}

void tagfile_release(struct tagfile *t)
{
	for (size_t i = 0; i < t->count; i++) {
		free(t->tags[i].label);
		free(t->tags[i].value);
	}
	free(t->tags);
	memset(t, 0, sizeof(*t));
}
