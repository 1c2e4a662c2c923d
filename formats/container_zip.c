/*
 * formats/container_zip.c - the ZIP side of a container check: libarchive's
 * seekable ZIP reader (central directory) over pread callbacks, looking up
 * the entry paths container signatures name and reading only each wanted
 * entry's first CONTAINER_HEAD_MAX bytes (and its tail when an EOF
 * signature needs it) within a per-file decompression budget. The end of
 * central directory record is checked first, so an archive declaring too
 * many entries or a huge directory is refused before libarchive reads it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include "formats/container_int.h"

#define ZIP_READ_BLOCK (64u * 1024)
#define ZIP_EOCD_SCAN (65535u + 22)

struct zipsrc {
	int fd;
	int64_t size, pos;
	unsigned char buf[ZIP_READ_BLOCK];
};

static la_ssize_t zs_read(struct archive *a, void *arg, const void **out)
{
	struct zipsrc *z = arg;
	ssize_t n;

	*out = z->buf;
	if (z->pos >= z->size)
		return 0;
	do
		n = pread(z->fd, z->buf, sizeof(z->buf), (off_t)z->pos);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read error");
		return -1;
	}
	z->pos += n;
	return n;
}

static la_int64_t zs_seek(struct archive *a, void *arg, la_int64_t off,
			  int whence)
{
	struct zipsrc *z = arg;
	int64_t base = whence == SEEK_SET ? 0 :
		       whence == SEEK_CUR ? z->pos : z->size;

	(void)a;
	if ((off < 0 && -off > base) || (off > 0 && off > z->size - base))
		return ARCHIVE_FATAL;
	z->pos = base + off;
	return z->pos;
}

static la_int64_t zs_skip(struct archive *a, void *arg, la_int64_t req)
{
	struct zipsrc *z = arg;
	int64_t left = z->size - z->pos;

	(void)a;
	if (req < 0)
		return 0;
	if (req > left)
		req = left;
	z->pos += req;
	return req;
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int zip_damaged(struct custos_err *err, const char *why)
{
	return err_set(err, CUSTOS_EFORMAT, NULL, "damaged ZIP file: %s", why);
}

/* The ZIP64 end record's entry count and directory size, if present. */
static int check_zip64(struct zipsrc *z, int64_t eocd, uint64_t *entries,
		       uint64_t *cdsize, struct custos_err *err)
{
	unsigned char loc[20], rec[56];
	uint64_t off;

	if (eocd < 20 || pread(z->fd, loc, 20, (off_t)(eocd - 20)) != 20 ||
	    memcmp(loc, "PK\x06\x07", 4) != 0)
		return 0;                       /* plain ZIP, counts stand */
	off = rd64(loc + 8);
	if (off > (uint64_t)z->size - 56 ||
	    pread(z->fd, rec, 56, (off_t)off) != 56 ||
	    memcmp(rec, "PK\x06\x06", 4) != 0)
		return zip_damaged(err, "bad ZIP64 end of central directory");
	*entries = rd64(rec + 32);
	*cdsize = rd64(rec + 40);
	return 0;
}

/* Find the end of central directory record; refuse absurd declarations
 * before libarchive builds its entry table. */
static int check_eocd(struct zipsrc *z, struct custos_err *err)
{
	size_t scan = z->size < ZIP_EOCD_SCAN ? (size_t)z->size
					      : ZIP_EOCD_SCAN;
	unsigned char *b = malloc(scan ? scan : 1);
	uint64_t entries = 0, cdsize = 0;
	ssize_t n;
	size_t i;
	int rc;

	if (b == NULL)
		return err_nomem(err);
	n = pread(z->fd, b, scan, (off_t)(z->size - (int64_t)scan));
	rc = n == (ssize_t)scan ? 1 : err_sys(err, NULL, "cannot read ZIP");
	for (i = scan >= 22 ? scan - 22 + 1 : 0; rc == 1 && i-- > 0;)
		if (memcmp(b + i, "PK\x05\x06", 4) == 0) {
			entries = b[i + 10] | (uint64_t)b[i + 11] << 8;
			cdsize = rd32(b + i + 12);
			rc = check_zip64(z, z->size - (int64_t)(scan - i),
					 &entries, &cdsize, err);
		}
	free(b);
	if (rc == 1)
		return zip_damaged(err, "no end of central directory record");
	if (rc < 0)
		return -1;
	if (entries > CONTAINER_ZIP_ENTRIES_MAX)
		return err_set(err, CUSTOS_ELIMIT, NULL, "ZIP declares %llu "
			       "entries, over the limit of %u",
			       (unsigned long long)entries,
			       CONTAINER_ZIP_ENTRIES_MAX);
	if (cdsize > CONTAINER_ZIP_CDIR_MAX)
		return err_set(err, CUSTOS_ELIMIT, NULL, "ZIP central "
			       "directory of %llu bytes, over the limit",
			       (unsigned long long)cdsize);
	return 0;
}

struct zipscan {
	struct archive *a;
	size_t budget;                  /* decompressed bytes left */
	struct custos_err *err;
};

/* archive_read_data, reading past warnings (such as a declared size
 * that disagrees with the data): a few in a row, then they count as
 * errors. */
static la_ssize_t zip_read(struct zipscan *zs, void *buf, size_t len)
{
	la_ssize_t n;
	int warns = 0;

	do
		n = archive_read_data(zs->a, buf, len);
	while (n == ARCHIVE_WARN && ++warns < 4);
	return n;
}

/* The last CONTAINER_TAIL_MAX bytes written, in a ring. */
struct ring {
	unsigned char *b;
	size_t w, fill;         /* next write position, bytes held */
};

static void ring_put(struct ring *r, const unsigned char *p, size_t n)
{
	size_t k;

	while (n > 0) {
		k = CONTAINER_TAIL_MAX - r->w;
		if (k > n)
			k = n;
		memcpy(r->b + r->w, p, k);
		r->w = (r->w + k) % CONTAINER_TAIL_MAX;
		r->fill = r->fill + k > CONTAINER_TAIL_MAX ? CONTAINER_TAIL_MAX
							   : r->fill + k;
		p += k;
		n -= k;
	}
}

/* Read the rest of the entry after its full head and the PROBE byte,
 * keeping its last CONTAINER_TAIL_MAX bytes as E's tail. Gives up
 * quietly (no tail, so EOF signatures fail) on the budget or an error. */
static int read_tail(struct zipscan *zs, struct centry *e,
		     unsigned char probe)
{
	struct ring r = { malloc(CONTAINER_TAIL_MAX), 0, 0 };
	unsigned char blk[4096];
	size_t want, old;
	la_ssize_t n;

	if (r.b == NULL)
		return err_nomem(zs->err);
	ring_put(&r, e->head, e->head_len);
	ring_put(&r, &probe, 1);
	do {
		want = sizeof(blk) < zs->budget ? sizeof(blk) : zs->budget;
		n = want ? zip_read(zs, blk, want) : -1;
		if (n > 0) {
			zs->budget -= (size_t)n;
			ring_put(&r, blk, (size_t)n);
		}
	} while (n > 0);
	if (n == 0) {
		e->tail = malloc(r.fill);
		if (e->tail == NULL) {
			free(r.b);
			return err_nomem(zs->err);
		}
		old = r.fill < CONTAINER_TAIL_MAX ? 0 : r.w;  /* oldest byte */
		memcpy(e->tail, r.b + old, r.fill - old);
		memcpy(e->tail + (r.fill - old), r.b, old);
		e->tail_len = r.fill;
		e->have_tail = true;
	}
	free(r.b);
	return 0;
}

/* Read the wanted entry's head (and tail if asked). */
static int read_entry(struct zipscan *zs, const struct cpath *p,
		      struct centry *e)
{
	la_ssize_t n = 1;
	size_t want;

	e->head = malloc(CONTAINER_HEAD_MAX);
	if (e->head == NULL)
		return err_nomem(zs->err);
	while (e->head_len < CONTAINER_HEAD_MAX && zs->budget > 0) {
		want = CONTAINER_HEAD_MAX - e->head_len;
		if (want > zs->budget)
			want = zs->budget;
		n = zip_read(zs, e->head + e->head_len, want);
		if (n <= 0)
			break;
		e->head_len += (size_t)n;
		zs->budget -= (size_t)n;
	}
	if (n < 0 && e->head_len == 0)
		return 0;                       /* unreadable: present only */
	e->have_bytes = true;
	if (n < 0)
		return 0;       /* damaged after some bytes: keep those */
	if (n == 0) {
		e->whole = true;
		return 0;
	}
	if (e->head_len == CONTAINER_HEAD_MAX) {
		/* whole if nothing follows */
		unsigned char probe;

		n = zip_read(zs, &probe, 1);
		if (n == 0) {
			e->whole = true;
			return 0;
		}
		if (n < 0)
			return 0;
		zs->budget = zs->budget > 0 ? zs->budget - 1 : 0;
		return p->needs_tail ? read_tail(zs, e, probe) : 0;
	}
	return 0;       /* budget spent inside the head: no tail */
}

static int visit_entry(struct zipscan *zs, struct archive_entry *ae,
		       const struct cpath *paths, size_t npaths,
		       struct centry *e)
{
	const char *name = archive_entry_pathname(ae);
	size_t j;

	if (name == NULL)
		name = archive_entry_pathname_utf8(ae);
	if (name == NULL)
		return 0;
	for (j = 0; j < npaths; j++) {
		if (e[j].present || (!paths[j].is_glob &&
				     name[0] != paths[j].path[0]) ||
		    !cpath_hit(&paths[j], name))
			continue;
		e[j].present = true;
		snprintf(e[j].name, sizeof(e[j].name), "%s", name);
		e[j].size = archive_entry_size_is_set(ae)
				    ? (uint64_t)archive_entry_size(ae) : 0;
		if (!paths[j].needs_bytes || paths[j].is_dir ||
		    archive_entry_is_data_encrypted(ae) == 1)
			continue;
		if (read_entry(zs, &paths[j], &e[j]) < 0)
			return -1;
	}
	return 0;
}

int container_zip_scan(const struct cpath *paths, size_t npaths,
		       struct centry *e, int fd, struct custos_err *err)
{
	struct zipscan zs = { NULL, CONTAINER_ZIP_INFLATE_MAX, err };
	struct archive_entry *ae;
	struct zipsrc *z;
	struct stat st;
	size_t seen = 0;
	int r, rc = -1;

	if (fstat(fd, &st) < 0)
		return err_sys(err, NULL, "cannot stat ZIP file");
	z = malloc(sizeof(*z));
	zs.a = archive_read_new();
	if (z == NULL || zs.a == NULL) {
		rc = err_nomem(err);
		goto out;
	}
	z->fd = fd;
	z->size = st.st_size;
	z->pos = 0;
	if (check_eocd(z, err) < 0)
		goto out;
	archive_read_support_format_zip_seekable(zs.a);
	archive_read_set_read_callback(zs.a, zs_read);
	archive_read_set_seek_callback(zs.a, zs_seek);
	archive_read_set_skip_callback(zs.a, zs_skip);
	archive_read_set_callback_data(zs.a, z);
	if (archive_read_open1(zs.a) != ARCHIVE_OK) {
		zip_damaged(err, archive_error_string(zs.a) ?
			    archive_error_string(zs.a) : "cannot open");
		goto out;
	}
	while ((r = archive_read_next_header(zs.a, &ae)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN) {
			zip_damaged(err, archive_error_string(zs.a) ?
				    archive_error_string(zs.a) : "bad entry");
			goto out;
		}
		if (++seen > CONTAINER_ZIP_ENTRIES_MAX) {
			err_set(err, CUSTOS_ELIMIT, NULL, "ZIP has over %u "
				"entries", CONTAINER_ZIP_ENTRIES_MAX);
			goto out;
		}
		if (visit_entry(&zs, ae, paths, npaths, e) < 0)
			goto out;
	}
	rc = 0;
out:
	archive_read_free(zs.a);
	free(z);
	return rc;
}
