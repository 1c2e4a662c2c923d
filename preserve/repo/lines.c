/*
 * preserve/repo/lines.c - reading a location's text file line by line
 * (lines.h): the blocks of one read pass are cut at each LF; only a line
 * that spans two blocks is copied.
 */
#include "preserve/repo/lines.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"
#include "core/strbuf.h"

struct line_cut {
	lines_fn fn;
	void *arg;
	struct strbuf part;       /* the start of a line the last block cut */
	const char *relpath;
};

static int give(struct line_cut *lc, char *line, size_t len, struct custos_err *err)
{
	if (len && line[len - 1] == '\r')
		line[--len] = '\0';
	return lc->fn(lc->arg, line, len, err);
}

static int cut_block(void *arg, const unsigned char *buf, size_t len,
		     struct custos_err *err)
{
	struct line_cut *lc = arg;
	/* BUF is lines_read's own block (one spare byte past it): a line is
	 * cut in place by writing its NUL over the LF */
	char *p = (char *)buf, *end = p + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!nl || lc->part.len) {
			strbuf_add(&lc->part, p, n);
			if (strbuf_check(&lc->part, err) < 0)
				return -1;
		}
		if (!nl)
			break;
		if (lc->part.len) {
			if (give(lc, lc->part.data, lc->part.len, err) < 0)
				return -1;
			lc->part.len = 0;
		} else {
			*nl = '\0';
			if (give(lc, p, n, err) < 0)
				return -1;
		}
		p = nl + 1;
	}
	return 0;
}

int lines_keep(void *arg, char *line, size_t len, struct custos_err *err)
{
	struct strbuf *b = arg;

	strbuf_add(b, line, len);
	strbuf_add(b, "\n", 1);
	return strbuf_check(b, err);
}

int lines_read(struct location *l, const char *relpath, lines_fn fn, void *arg,
	       struct custos_err *err)
{
	struct line_cut lc = { fn, arg, { 0 }, relpath };
	struct location_sink sink = { cut_block, &lc };
	unsigned char *buf = malloc(FIO_BUFSIZE + 1);
	int rc;

	if (!buf)
		return err_nomem(err);
	strbuf_init(&lc.part, LINES_MAX);
	rc = location_read_through(l, relpath, buf, FIO_BUFSIZE, NULL, &sink, NULL, err);
	if (rc == 0 && lc.part.len)            /* a last line without LF */
		rc = give(&lc, lc.part.data, lc.part.len, err);
	strbuf_release(&lc.part);
	free(buf);
	return rc == 2 ? -1 : rc;
}

struct line_reader {
	struct location_file *f;
	char *buf;
	size_t pos, len;
	bool eof;
	struct strbuf line;       /* the line handed out */
};

int line_reader_open(struct line_reader **out, struct location *l,
		     const char *relpath, struct custos_err *err)
{
	struct line_reader *lr = calloc(1, sizeof(*lr));
	int rc;

	if (!lr || !(lr->buf = malloc(FIO_BUFSIZE))) {
		free(lr);
		return err_nomem(err);
	}
	strbuf_init(&lr->line, LINES_MAX);
	if ((rc = location_open_read(l, relpath, &lr->f, err)) != 0) {
		line_reader_close(lr);
		return rc;
	}
	*out = lr;
	return 0;
}

int line_reader_next(struct line_reader *lr, char **line, size_t *len,
		     struct custos_err *err)
{
	lr->line.len = 0;
	for (;;) {
		char *start = lr->buf + lr->pos;
		char *nl = memchr(start, '\n', lr->len - lr->pos);
		size_t n = nl ? (size_t)(nl - start) : lr->len - lr->pos;

		strbuf_add(&lr->line, start, n);
		if (strbuf_check(&lr->line, err) < 0)
			return -1;
		lr->pos += n + (nl ? 1 : 0);
		if (nl || (lr->eof && lr->line.len))
			break;
		if (lr->eof)
			return 0;
		long long got = location_file_read(lr->f, lr->buf, FIO_BUFSIZE, err);

		if (got < 0)
			return -1;
		lr->pos = 0;
		lr->len = (size_t)got;
		lr->eof = got == 0;
	}
	strbuf_add(&lr->line, "", 1);           /* the NUL, not counted */
	if (strbuf_check(&lr->line, err) < 0)
		return -1;
	*len = --lr->line.len;
	if (*len && lr->line.data[*len - 1] == '\r')
		lr->line.data[--*len] = '\0';
	*line = lr->line.data;
	return 1;
}

void line_reader_close(struct line_reader *lr)
{
	if (!lr)
		return;
	if (lr->f)
		location_file_close(lr->f, NULL);
	strbuf_release(&lr->line);
	free(lr->buf);
	free(lr);
}
