/*
 * formats/scan.c - per-file scan state for the single read pass: copies
 * the first HEAD bytes and keeps a ring of the last TAIL bytes of what the
 * digest engine reads, then builds the head/tail view for matching.
 * Files up to FMT_WHOLE_MAX bytes are kept whole. Memory per scan:
 * max(HEAD, FMT_WHOLE_MAX) + TAIL bytes plus the key bitsets.
 */
#include "formats/identifier.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fmt_scan_new(struct fmt_scan **out, const struct fmt_identifier *id,
		 struct custos_err *err)
{
	struct fmt_scan *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return err_nomem(err);
	s->id = id;
	s->headcap = id->head > FMT_WHOLE_MAX ? id->head : FMT_WHOLE_MAX;
	s->head = malloc(s->headcap);
	s->tail = malloc(id->tail);
	s->seen = calloc(2 * id->seenwords, sizeof(*s->seen));
	s->spans = calloc(id->maxseqs ? id->maxseqs : 1, sizeof(*s->spans));
	if (!s->head || !s->tail || !s->seen || !s->spans) {
		fmt_scan_free(s);
		return err_nomem(err);
	}
	*out = s;
	return 0;
}

void fmt_scan_reset(struct fmt_scan *s)
{
	s->headlen = 0;
	s->tailpos = 0;
	s->fed = 0;
}

void fmt_scan_free(struct fmt_scan *s)
{
	if (!s)
		return;
	free(s->head);
	free(s->tail);
	free(s->seen);
	free(s->spans);
	free(s);
}

static void ring_put(struct fmt_scan *s, const unsigned char *buf, size_t len)
{
	size_t cap = s->id->tail;

	if (len >= cap) {
		memcpy(s->tail, buf + len - cap, cap);
		s->tailpos = 0;
		return;
	}
	while (len) {
		size_t n = cap - s->tailpos < len ? cap - s->tailpos : len;

		memcpy(s->tail + s->tailpos, buf, n);
		s->tailpos = (s->tailpos + n) % cap;
		buf += n;
		len -= n;
	}
}

int fmt_scan_block(struct fmt_scan *s, const unsigned char *buf, size_t len)
{
	if (s->headlen < s->headcap) {
		size_t n = s->headcap - s->headlen;

		n = n < len ? n : len;
		memcpy(s->head + s->headlen, buf, n);
		s->headlen += n;
	}
	ring_put(s, buf, len);
	s->fed += len;
	return 0;
}

int fmt_scan_sink(void *arg, const unsigned char *buf, size_t len,
		  struct custos_err *err)
{
	(void)err;
	return fmt_scan_block(arg, buf, len);
}

/* Rotate the ring so the oldest byte is first (in place, reversals). */
static void reverse(unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		unsigned char t = b[i];

		b[i] = b[n - 1 - i];
		b[n - 1 - i] = t;
	}
}

static void ring_linearize(struct fmt_scan *s)
{
	size_t cap = s->id->tail, k = s->tailpos;

	if (k == 0)
		return;
	reverse(s->tail, k);
	reverse(s->tail + k, cap - k);
	reverse(s->tail, cap);
	s->tailpos = 0;
}

int fmt_scan_finish(struct fmt_scan *s, const char *filename, uint64_t size,
		    int fd, struct fmt_result *res, struct custos_err *err)
{
	struct sig_view v = { .size = s->fed };

	(void)size;                     /* the bytes fed are authoritative */
	memset(res, 0, sizeof(*res));
	if (s->fed <= s->headcap) {
		v.whole = true;
		v.head = (struct sig_segment){ s->head, s->headlen, 0 };
		v.tail = v.head;
	} else {
		size_t tl = s->fed < s->id->tail ? (size_t)s->fed : s->id->tail;

		if (s->fed >= s->id->tail)
			ring_linearize(s);
		v.head = (struct sig_segment){ s->head, s->id->head, 0 };
		v.tail = (struct sig_segment){ s->tail, tl, s->fed - tl };
	}
	return fmt_resolve(s, &v, filename, fd, res, err);
}

static int pread_full(int fd, unsigned char *buf, size_t len, uint64_t off,
		      const char *shown, struct custos_err *err)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, shown, "cannot read '%s'", shown);
		if (n == 0)
			return err_set(err, CUSTOS_EIO, shown,
				       "'%s' shrank while being read", shown);
		buf += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int fmt_identify_fd(struct fmt_scan *s, int fd, const char *filename,
		    const char *shown, struct fmt_result *res,
		    struct custos_err *err)
{
	const struct fmt_identifier *id = s->id;
	struct stat st;
	uint64_t size;
	size_t hl;

	fmt_scan_reset(s);
	if (fstat(fd, &st) < 0)
		return err_sys(err, shown, "cannot stat '%s'", shown);
	size = (uint64_t)st.st_size;
	hl = size <= s->headcap ? (size_t)size : id->head;
	if (pread_full(fd, s->head, hl, 0, shown, err))
		return -1;
	s->headlen = hl;
	s->fed = size;
	if (size > s->headcap) {
		size_t tl = size < id->tail ? (size_t)size : id->tail;

		if (pread_full(fd, s->tail, tl, size - tl, shown, err))
			return -1;
		/* a short ring is already linear; mark it full when it is */
		s->tailpos = 0;
	}
	return fmt_scan_finish(s, filename, size, fd, res, err);
}
