/*
 * formats/ole2.c - OLE2 compound file reader ([MS-CFB]): header, DIFAT,
 * FAT (one cached sector), directory tree, mini stream. Our own rather
 * than libgsf (GLib-based, large, not bounds-documented) or libolecf (not
 * packaged for us): we need only names and the first/last bytes of a few
 * streams, with every sector number checked and every chain walk bounded
 * by the file's sector count, so a cycle ends in an error, never a loop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/array.h"
#include "core/ckd.h"
#include "formats/ole2.h"

#define OLE2_HDR 512
#define OLE2_ENTRY 128
#define OLE2_DIR_MAX 32768u            /* directory entries */
#define OLE2_MINIFAT_MAX (1u << 20)    /* mini FAT entries (64 MiB stream) */
#define OLE2_PATH_MAX 1024             /* bytes of a storage/stream path */
#define OLE2_MINI_CUTOFF 4096u         /* smaller streams: mini stream */
#define OLE2_MAXREG 0xFFFFFFFAu        /* higher sector ids are markers */
#define OLE2_NOSTREAM 0xFFFFFFFFu

struct ole2_entry {
	char *path;
	uint8_t type;          /* 1 storage, 2 stream */
	uint32_t start;        /* first sector (or mini sector) */
	uint64_t size;
};

struct ole2 {
	int fd;
	uint64_t fsize;
	uint32_t ss;           /* sector size: 512 or 4096 */
	uint32_t nsect;        /* sectors in the file after the header */
	uint32_t *difat;       /* the FAT's sectors */
	uint32_t ndifat;
	unsigned char *fatbuf; /* one cached FAT sector */
	uint32_t fatcached;    /* its index in difat, or UINT32_MAX */
	uint32_t minifat_start, nminifat_sect;
	uint32_t *minifat;     /* loaded on first mini read */
	uint32_t nminifat;
	uint32_t *ministream;  /* sectors of the root's chain, on demand */
	uint32_t nministream;
	uint32_t root_start;
	uint64_t root_size;
	struct ole2_entry *ent;
	size_t nent, entcap;
};

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static int bad(struct custos_err *err, const char *what, uint64_t v)
{
	return err_set(err, CUSTOS_EFORMAT, NULL, "damaged OLE2 file: %s "
		       "(%llu)", what, (unsigned long long)v);
}

/* Read LEN bytes at OFF; bytes past the end of file read as zero. */
static int read_at(struct ole2 *o, uint64_t off, void *buf, size_t len,
		   struct custos_err *err)
{
	size_t done = 0;
	ssize_t n;

	if (off >= o->fsize)
		return bad(err, "read beyond the end of file at offset", off);
	while (done < len && off + done < o->fsize) {
		n = pread(o->fd, (char *)buf + done, len - done,
			  (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys(err, NULL, "cannot read OLE2 file");
		if (n == 0)
			break;
		done += (size_t)n;
	}
	memset((char *)buf + done, 0, len - done);
	return 0;
}

static int read_sector(struct ole2 *o, uint32_t s, void *buf,
		       struct custos_err *err)
{
	if (s >= o->nsect)
		return bad(err, "sector number out of range", s);
	return read_at(o, ((uint64_t)s + 1) * o->ss, buf, o->ss, err);
}

/* A visited bitmap over N sector ids: a chain may pass each one once. */
static unsigned char *seen_new(uint64_t n, struct custos_err *err)
{
	unsigned char *b = calloc((size_t)(n / 8 + 1), 1);

	if (b == NULL)
		err_nomem(err);
	return b;
}

static bool seen_twice(unsigned char *b, uint32_t id)
{
	unsigned char bit = (unsigned char)(1u << (id & 7));

	if (b[id >> 3] & bit)
		return true;
	b[id >> 3] |= bit;
	return false;
}

/* The FAT entry of sector S: the next sector of its chain. */
static int fat_next(struct ole2 *o, uint32_t s, uint32_t *next,
		    struct custos_err *err)
{
	uint32_t per = o->ss / 4, idx = s / per;

	if (s >= o->nsect)
		return bad(err, "sector number out of range", s);
	if (idx >= o->ndifat)
		return bad(err, "sector not covered by the FAT", s);
	if (o->fatcached != idx) {
		o->fatcached = UINT32_MAX;
		if (read_sector(o, o->difat[idx], o->fatbuf, err) < 0)
			return -1;
		o->fatcached = idx;
	}
	*next = le32(o->fatbuf + (s % per) * 4);
	return 0;
}

/* Advance *S along its chain, counting in *steps (cycle guard). */
static int chain_step(struct ole2 *o, uint32_t *s, uint64_t *steps,
		      struct custos_err *err)
{
	if (++*steps > o->nsect)
		return bad(err, "cyclic sector chain through sector", *s);
	if (fat_next(o, *s, s, err) < 0)
		return -1;
	return 0;
}

static int load_header(struct ole2 *o, const unsigned char *h,
		       struct custos_err *err)
{
	static const unsigned char magic[8] = { 0xD0, 0xCF, 0x11, 0xE0,
						0xA1, 0xB1, 0x1A, 0xE1 };
	uint16_t shift = le16(h + 0x1E);

	if (memcmp(h, magic, 8) != 0)
		return err_set(err, CUSTOS_EFORMAT, NULL,
			       "not an OLE2 file (bad signature)");
	if (shift != 9 && shift != 12)
		return bad(err, "unsupported sector shift", shift);
	if (le16(h + 0x20) != 6)
		return bad(err, "unsupported mini sector shift",
			   le16(h + 0x20));
	o->ss = 1u << shift;
	if (o->fsize < o->ss)
		return bad(err, "file shorter than its header, bytes",
			   o->fsize);
	if ((o->fsize - o->ss) / o->ss + 1 >= OLE2_MAXREG)
		return bad(err, "file too large, bytes", o->fsize);
	o->nsect = (uint32_t)((o->fsize - o->ss + o->ss - 1) / o->ss);
	o->minifat_start = le32(h + 0x3C);
	o->nminifat_sect = le32(h + 0x40);
	return 0;
}

/* The FAT sector list: 109 in the header, the rest on the DIFAT chain. */
static int load_difat(struct ole2 *o, const unsigned char *h,
		      struct custos_err *err)
{
	uint32_t nfat = le32(h + 0x2C), s = le32(h + 0x44), i, per;
	unsigned char *buf, *seen;
	int rc = 0;

	if (nfat == 0 || nfat > o->nsect)
		return bad(err, "absurd FAT sector count", nfat);
	o->difat = malloc((size_t)nfat * sizeof(uint32_t));
	buf = malloc(o->ss);
	seen = calloc(o->nsect / 8 + 1, 1);
	if (o->difat == NULL || buf == NULL || seen == NULL) {
		free(buf);
		free(seen);
		return err_nomem(err);
	}
	for (i = 0; i < nfat && i < 109; i++)
		o->difat[o->ndifat++] = le32(h + 0x4C + 4 * i);
	per = o->ss / 4 - 1;
	while (rc == 0 && o->ndifat < nfat && s <= OLE2_MAXREG) {
		if (s < o->nsect && seen_twice(seen, s)) {
			rc = bad(err, "cyclic DIFAT chain at sector", s);
			break;
		}
		rc = read_sector(o, s, buf, err);
		for (i = 0; rc == 0 && i < per && o->ndifat < nfat; i++)
			o->difat[o->ndifat++] = le32(buf + 4 * i);
		s = le32(buf + 4 * per);
	}
	free(buf);
	free(seen);
	if (rc < 0)
		return -1;
	for (i = 0; i < o->ndifat; i++)
		if (o->difat[i] >= o->nsect)
			return bad(err, "FAT sector number out of range",
				   o->difat[i]);
	return 0;
}

struct rawdir {
	char name[OLE2_ENTRY];      /* UTF-8, trimmed (31 UTF-16 units) */
	uint8_t type;
	uint32_t left, right, child, start;
	uint64_t size;
};

/* UTF-16LE name (NBYTES with its NUL) to trimmed UTF-8 in OUT. */
static void name_to_utf8(const unsigned char *p, uint16_t nbytes,
			 char *out, size_t outsz)
{
	size_t n = nbytes >= 2 && nbytes <= 64 ? nbytes / 2 - 1 : 31;
	size_t i, o = 0, start, end;
	uint32_t c;

	for (i = 0; i < n && o + 4 < outsz; i++) {
		c = le16(p + 2 * i);
		if (c == 0)
			break;
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < n &&
		    le16(p + 2 * i + 2) >= 0xDC00 &&
		    le16(p + 2 * i + 2) < 0xE000) {
			c = 0x10000 + ((c - 0xD800) << 10) +
			    (le16(p + 2 * i + 2) - 0xDC00);
			i++;
		} else if (c >= 0xD800 && c < 0xE000) {
			c = 0xFFFD;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xC0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xE0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	for (start = 0; start < o && (unsigned char)out[start] <= 0x20;)
		start++;
	for (end = o; end > start && (unsigned char)out[end - 1] <= 0x20;)
		end--;
	memmove(out, out + start, end - start);
	out[end - start] = '\0';
}

static void parse_entry(const struct ole2 *o, const unsigned char *p,
			struct rawdir *d)
{
	name_to_utf8(p, le16(p + 0x40), d->name, sizeof(d->name));
	d->type = p[0x42];
	d->left = le32(p + 0x44);
	d->right = le32(p + 0x48);
	d->child = le32(p + 0x4C);
	d->start = le32(p + 0x74);
	d->size = le32(p + 0x78);
	if (o->ss != 512)       /* version 3: the high half is undefined */
		d->size |= (uint64_t)le32(p + 0x7C) << 32;
}

/* Read the directory chain into *dir (*ndir entries). */
static int load_dir(struct ole2 *o, uint32_t s, struct rawdir **dir,
		    size_t *ndir, struct custos_err *err)
{
	uint32_t per = o->ss / OLE2_ENTRY, i;
	uint64_t steps = 0;
	unsigned char *buf = malloc(o->ss);
	struct rawdir *nd;

	if (buf == NULL)
		return err_nomem(err);
	while (s <= OLE2_MAXREG) {
		if (*ndir + per > OLE2_DIR_MAX) {
			free(buf);
			return err_set(err, CUSTOS_ELIMIT, NULL, "OLE2 "
				       "directory over %u entries",
				       OLE2_DIR_MAX);
		}
		nd = realloc(*dir, (*ndir + per) * sizeof(*nd));
		if (nd == NULL) {
			free(buf);
			return err_nomem(err);
		}
		*dir = nd;
		if (read_sector(o, s, buf, err) < 0 ||
		    chain_step(o, &s, &steps, err) < 0) {
			free(buf);
			return -1;
		}
		for (i = 0; i < per; i++, (*ndir)++)
			parse_entry(o, buf + i * OLE2_ENTRY, &(*dir)[*ndir]);
	}
	free(buf);
	if (*ndir == 0 || (*dir)[0].type != 5)
		return bad(err, "no root entry in the directory", *ndir);
	return 0;
}

static int add_entry(struct ole2 *o, const struct rawdir *d,
		     const char *parent, struct custos_err *err)
{
	char path[OLE2_PATH_MAX];
	struct ole2_entry *ne;
	int n;

	n = parent[0] ? snprintf(path, sizeof(path), "%s/%s", parent, d->name)
		      : snprintf(path, sizeof(path), "%s", d->name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return err_set(err, CUSTOS_ELIMIT, NULL,
			       "OLE2 path over %d bytes", OLE2_PATH_MAX);
	if (ARRAY_GROW(o->ent, o->nent, o->entcap, 16) < 0)
		return err_nomem(err);
	ne = o->ent;
	ne[o->nent].path = strdup(path);
	if (ne[o->nent].path == NULL)
		return err_nomem(err);
	ne[o->nent].type = d->type;
	ne[o->nent].start = d->start;
	ne[o->nent].size = d->size;
	o->nent++;
	return 0;
}

struct walk_item {
	uint32_t id;
	size_t parent;         /* index in o->ent + 1, 0 = root */
};

/* Depth-first walk of the red-black sibling trees from the root. Each
 * entry may be reached once: a second visit is a cycle. */
static int walk_tree(struct ole2 *o, const struct rawdir *dir, size_t ndir,
		     struct custos_err *err)
{
	struct walk_item *stack = malloc((ndir * 3 + 1) * sizeof(*stack));
	unsigned char *seen = calloc(ndir, 1);
	size_t top = 0, parent;
	uint32_t id;
	int rc = 0;

	if (stack == NULL || seen == NULL) {
		rc = err_nomem(err);
		goto out;
	}
	seen[0] = 1;
	stack[top++] = (struct walk_item){ dir[0].child, 0 };
	while (top > 0 && rc == 0) {
		id = stack[--top].id;
		parent = stack[top].parent;
		if (id == OLE2_NOSTREAM)
			continue;
		if (id >= ndir || seen[id]) {
			rc = bad(err, id >= ndir
					 ? "directory entry out of range"
					 : "directory tree cycle at entry",
				 id);
			break;
		}
		seen[id] = 1;
		stack[top++] = (struct walk_item){ dir[id].left, parent };
		stack[top++] = (struct walk_item){ dir[id].right, parent };
		if (dir[id].type != 1 && dir[id].type != 2)
			continue;
		rc = add_entry(o, &dir[id],
			       parent ? o->ent[parent - 1].path : "", err);
		if (rc == 0 && dir[id].type == 1)
			stack[top++] = (struct walk_item){ dir[id].child,
							   o->nent };
	}
out:
	free(stack);
	free(seen);
	return rc;
}

int ole2_open(struct ole2 **out, int fd, struct custos_err *err)
{
	unsigned char h[OLE2_HDR];
	struct rawdir *dir = NULL;
	size_t ndir = 0;
	struct ole2 *o;
	struct stat st;

	*out = NULL;
	if (fstat(fd, &st) < 0)
		return err_sys(err, NULL, "cannot stat OLE2 file");
	o = calloc(1, sizeof(*o));
	if (o == NULL)
		return err_nomem(err);
	o->fd = fd;
	o->fsize = (uint64_t)st.st_size;
	o->fatcached = UINT32_MAX;
	if (o->fsize < OLE2_HDR) {
		bad(err, "file shorter than the header, bytes", o->fsize);
		goto fail;
	}
	if (read_at(o, 0, h, sizeof(h), err) < 0 ||
	    load_header(o, h, err) < 0 || load_difat(o, h, err) < 0)
		goto fail;
	o->fatbuf = malloc(o->ss);
	if (o->fatbuf == NULL) {
		err_nomem(err);
		goto fail;
	}
	if (load_dir(o, le32(h + 0x30), &dir, &ndir, err) < 0)
		goto fail;
	o->root_start = dir[0].start;
	o->root_size = dir[0].size;
	if (walk_tree(o, dir, ndir, err) < 0)
		goto fail;
	free(dir);
	*out = o;
	return 0;
fail:
	free(dir);
	ole2_close(o);
	return -1;
}

size_t ole2_count(const struct ole2 *o)
{
	return o->nent;
}

const char *ole2_path(const struct ole2 *o, size_t i)
{
	return o->ent[i].path;
}

bool ole2_is_stream(const struct ole2 *o, size_t i)
{
	return o->ent[i].type == 2;
}

uint64_t ole2_size(const struct ole2 *o, size_t i)
{
	return o->ent[i].size;
}

/* Load the mini FAT and the mini stream's sector list (once). */
static int load_mini(struct ole2 *o, struct custos_err *err)
{
	uint32_t s = o->minifat_start, per = o->ss / 4, i, n;
	uint64_t steps = 0, want;
	unsigned char *buf;

	if (o->minifat != NULL)
		return 0;
	if (o->nminifat_sect > o->nsect ||
	    (uint64_t)o->nminifat_sect * per > OLE2_MINIFAT_MAX)
		return bad(err, "absurd mini FAT sector count",
			   o->nminifat_sect);
	o->minifat = malloc(((size_t)o->nminifat_sect * per + 1) * 4);
	buf = malloc(o->ss);
	if (o->minifat == NULL || buf == NULL) {
		free(buf);
		return err_nomem(err);
	}
	for (n = 0; n < o->nminifat_sect && s <= OLE2_MAXREG; n++) {
		if (read_sector(o, s, buf, err) < 0 ||
		    chain_step(o, &s, &steps, err) < 0) {
			free(buf);
			return -1;
		}
		for (i = 0; i < per; i++)
			o->minifat[o->nminifat++] = le32(buf + 4 * i);
	}
	free(buf);
	want = (o->root_size + o->ss - 1) / o->ss;
	if (want > o->nsect || o->root_size > (uint64_t)OLE2_MINIFAT_MAX * 64)
		return bad(err, "absurd mini stream size", o->root_size);
	o->ministream = malloc(((size_t)want + 1) * 4);
	if (o->ministream == NULL)
		return err_nomem(err);
	steps = 0;
	for (s = o->root_start; o->nministream < want && s <= OLE2_MAXREG;) {
		o->ministream[o->nministream++] = s;
		if (chain_step(o, &s, &steps, err) < 0)
			return -1;
	}
	return 0;
}

#define MINI_BROKEN "broken or cyclic mini sector chain at"

static int read_mini(struct ole2 *o, const struct ole2_entry *e,
		     uint64_t off, unsigned char *buf, size_t len,
		     size_t *got, struct custos_err *err)
{
	uint32_t m = e->start, k;
	uint64_t pos, in;
	size_t chunk, skip = (size_t)(off % 64);
	unsigned char *seen;
	int rc = 0;

	if (load_mini(o, err) < 0)
		return -1;
	seen = seen_new(o->nminifat, err);
	if (seen == NULL)
		return -1;
	for (k = 0; rc == 0 && k < off / 64; k++) {
		if (m >= o->nminifat || seen_twice(seen, m))
			rc = bad(err, MINI_BROKEN, m);
		else
			m = o->minifat[m];
	}
	while (rc == 0 && *got < len) {
		if (m >= o->nminifat || seen_twice(seen, m)) {
			rc = bad(err, MINI_BROKEN, m);
			break;
		}
		pos = (uint64_t)m * 64;
		if (pos / o->ss >= o->nministream) {
			rc = bad(err, "mini sector beyond the mini stream", m);
			break;
		}
		in = ((uint64_t)o->ministream[pos / o->ss] + 1) * o->ss +
		     pos % o->ss + skip;
		chunk = 64 - skip;
		if (chunk > len - *got)
			chunk = len - *got;
		rc = read_at(o, in, buf + *got, chunk, err);
		*got += chunk;
		skip = 0;
		m = o->minifat[m];
	}
	free(seen);
	return rc;
}

static int read_regular(struct ole2 *o, const struct ole2_entry *e,
			uint64_t off, unsigned char *buf, size_t len,
			size_t *got, struct custos_err *err)
{
	uint32_t s = e->start;
	uint64_t k, steps = 0;
	size_t chunk, skip = (size_t)(off % o->ss);
	unsigned char *seen = seen_new(o->nsect, err);
	int rc = 0;

	if (seen == NULL)
		return -1;
	for (k = 0; rc == 0 && k < off / o->ss; k++) {
		if (s >= o->nsect || seen_twice(seen, s))
			rc = bad(err, "broken or cyclic sector chain at", s);
		else
			rc = chain_step(o, &s, &steps, err);
	}
	while (rc == 0 && *got < len) {
		if (s >= o->nsect || seen_twice(seen, s)) {
			rc = bad(err, "broken or cyclic sector chain at", s);
			break;
		}
		chunk = o->ss - skip;
		if (chunk > len - *got)
			chunk = len - *got;
		rc = read_at(o, ((uint64_t)s + 1) * o->ss + skip, buf + *got,
			     chunk, err);
		*got += chunk;
		skip = 0;
		if (rc == 0 && *got < len)
			rc = chain_step(o, &s, &steps, err);
	}
	free(seen);
	return rc;
}

int ole2_read(struct ole2 *o, size_t i, uint64_t off, void *buf,
	      size_t len, size_t *got, struct custos_err *err)
{
	const struct ole2_entry *e = &o->ent[i];

	*got = 0;
	if (e->type != 2)
		return err_set(err, CUSTOS_EUSAGE, NULL,
			       "OLE2 entry '%s' is not a stream", e->path);
	if (off >= e->size)
		return 0;
	if (len > e->size - off)
		len = (size_t)(e->size - off);
	if (e->size < OLE2_MINI_CUTOFF)
		return read_mini(o, e, off, buf, len, got, err);
	if (e->size > (uint64_t)o->nsect * o->ss)
		return bad(err, "stream larger than the file, bytes", e->size);
	return read_regular(o, e, off, buf, len, got, err);
}

void ole2_close(struct ole2 *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->nent; i++)
		free(o->ent[i].path);
	free(o->ent);
	free(o->difat);
	free(o->fatbuf);
	free(o->minifat);
	free(o->ministream);
	free(o);
}
