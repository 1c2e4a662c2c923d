/*
 * tests/formats/test_container.c - container identification on containers
 * made here: ZIPs written with libarchive, OLE2 files built byte by byte,
 * then damaged ones (cyclic chains, absurd counts, huge declarations) that
 * must come back -1 with an error instead of hanging or crashing; and the
 * signature loader's handling of hand-written and malformed files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "formats/container.h"

struct member {
	const char *name;
	const void *data;
	size_t len;
};

/* ---- helpers: temporary files ---- */

static int tmp_fd(void)
{
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	fd = dup(fileno(f));
	fclose(f);
	assert_true(fd >= 0);
	return fd;
}

static int fd_from(const void *buf, size_t len)
{
	int fd = tmp_fd();

	assert_int_equal(pwrite(fd, buf, len, 0), (ssize_t)len);
	return fd;
}

/* A ZIP of the N members, deflated, as an fd. */
static int zip_fd(const struct member *m, size_t n)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e;
	int fd = tmp_fd();
	size_t i;

	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_fd(a, fd), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		e = archive_entry_new();
		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)m[i].len);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, m[i].data, m[i].len),
				 (la_ssize_t)m[i].len);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return fd;
}

/* ---- helpers: a minimal OLE2 file (v3, 512-byte sectors) ----
 * sector 0 FAT, 1 directory, 2 mini FAT, 3.. mini stream, then streams
 * of 4096 bytes or more in regular sectors, then any further FAT sectors.
 * Entries: root, then the members chained as right siblings. */
#define OLE_MAX (512 * 400)

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put_name(unsigned char *ent, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < n; i++)
		ent[2 * i] = (unsigned char)name[i];
	ent[0x40] = (unsigned char)(2 * n + 2);
}

static unsigned char *sector(unsigned char *buf, uint32_t s)
{
	assert_true((s + 2) * 512 <= OLE_MAX);
	return buf + 512 * (s + 1);
}

static void ole_header(unsigned char *h)
{
	uint32_t i;

	memcpy(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	h[0x18] = 0x3E;
	h[0x1A] = 3;
	h[0x1C] = 0xFE;
	h[0x1D] = 0xFF;
	h[0x1E] = 9;
	h[0x20] = 6;
	put32(h + 0x30, 1);              /* first directory sector */
	put32(h + 0x38, 4096);
	put32(h + 0x3C, 2);              /* first mini FAT sector */
	put32(h + 0x40, 1);
	put32(h + 0x44, 0xFFFFFFFE);
	for (i = 0; i < 109; i++)
		put32(h + 0x4C + 4 * i, 0xFFFFFFFF);
}

/* Chain sectors FIRST..FIRST+N-1 in FAT. */
static void chain(uint32_t *fat, uint32_t first, uint32_t n)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		fat[first + k] = k + 1 < n ? first + k + 1 : 0xFFFFFFFE;
}

static size_t ole_build(unsigned char *buf, const struct member *m,
			size_t n)
{
	static uint32_t fat[128 * 8];
	unsigned char *dir = sector(buf, 1), *mfat = sector(buf, 2), *ent;
	uint32_t msect = 0, rootsect, big = 0, nfat = 1, next, i, k;

	assert_true(n <= 3);
	memset(buf, 0, OLE_MAX);
	memset(fat, 0xFF, sizeof(fat));
	ole_header(buf);
	memset(mfat, 0xFF, 512);
	for (i = 0; i < n; i++) {
		if (m[i].len < 4096)
			msect += (uint32_t)((m[i].len + 63) / 64);
		else
			big += (uint32_t)((m[i].len + 511) / 512);
	}
	rootsect = (msect * 64 + 511) / 512;
	rootsect = rootsect ? rootsect : 1;
	while (nfat * 128 < 3 + rootsect + big + nfat - 1)
		nfat++;
	assert_true(nfat <= 8);
	fat[0] = 0xFFFFFFFD;
	fat[1] = fat[2] = 0xFFFFFFFE;
	chain(fat, 3, rootsect);
	put32(buf + 0x2C, nfat);
	put32(buf + 0x4C, 0);
	for (k = 1; k < nfat; k++) {
		fat[3 + rootsect + big + k - 1] = 0xFFFFFFFD;
		put32(buf + 0x4C + 4 * k, 3 + rootsect + big + k - 1);
	}
	for (i = 0; i <= n; i++) {
		ent = dir + 128 * i;
		put32(ent + 0x44, 0xFFFFFFFF);
		put32(ent + 0x48, i < n ? i + 1 : 0xFFFFFFFF);
		put32(ent + 0x4C, 0xFFFFFFFF);
	}
	put_name(dir, "Root Entry");
	dir[0x42] = 5;
	put32(dir + 0x48, 0xFFFFFFFF);
	put32(dir + 0x4C, 1);
	put32(dir + 0x74, 3);
	put32(dir + 0x78, msect * 64);
	msect = 0;
	next = 3 + rootsect;
	for (i = 0; i < n; i++) {
		uint32_t need;

		ent = dir + 128 * (i + 1);
		put_name(ent, m[i].name);
		ent[0x42] = 2;
		put32(ent + 0x78, (uint32_t)m[i].len);
		if (m[i].len >= 4096) {
			need = (uint32_t)((m[i].len + 511) / 512);
			put32(ent + 0x74, next);
			chain(fat, next, need);
			memcpy(sector(buf, next), m[i].data, m[i].len);
			next += need;
			continue;
		}
		need = (uint32_t)((m[i].len + 63) / 64);
		put32(ent + 0x74, msect);
		for (k = 0; k < need; k++)
			put32(mfat + 4 * (msect + k),
			      k + 1 < need ? msect + k + 1 : 0xFFFFFFFE);
		memcpy(sector(buf, 3) + 64 * msect, m[i].data, m[i].len);
		msect += need;
	}
	for (k = 0; k < nfat; k++)
		memcpy(sector(buf, k ? next + k - 1 : 0), fat + 128 * k, 512);
	return 512 * (1 + (size_t)next + nfat - 1);
}

static const char compobj_doc[] =
	"\x01\x00\xFE\xFF\x03\x0A\x00\x00\xFF\xFF\xFF\xFF\x06\x09\x02\x00"
	"\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46\x27\x00\x00\x00"
	"Microsoft Office Word 97-2003 Document\0"
	"\x0A\x00\x00\x00MSWordDoc\0"
	"\x10\x00\x00\x00Word.Document.8\0";

static int ole_doc_fd(unsigned char *buf, size_t *len)
{
	static const char wd[512] = { (char)0xEC, (char)0xA5 };
	const struct member m[] = {
		{ "WordDocument", wd, sizeof(wd) },
		{ "\x01" "CompObj", compobj_doc, sizeof(compobj_doc) },
	};

	*len = ole_build(buf, m, 2);
	return fd_from(buf, *len);
}

static int identify(const struct container_sigs *cs, int fd,
		    const char *trigger, struct container_match *m,
		    struct custos_err *err)
{
	int n = container_identify(cs, fd, trigger, m, 8, err);

	close(fd);
	return n;
}

static int setup_builtin(void **state)
{
	struct container_sigs *cs;
	struct custos_err err;

	if (container_sigs_builtin(&cs, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	*state = cs;
	return 0;
}

static int teardown_builtin(void **state)
{
	container_sigs_free(*state);
	return 0;
}

/* ---- ZIP ---- */

static const char ct_docx[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://"
	"schemas.openxmlformats.org/package/2006/content-types\"><Override "
	"PartName=\"/word/document.xml\" ContentType=\"application/vnd."
	"openxmlformats-officedocument.wordprocessingml.document.main+xml\""
	"/></Types>";

static void container__zip_docx(void **state)
{
	const struct member m[] = {
		{ "[Content_Types].xml", ct_docx, sizeof(ct_docx) - 1 },
		{ "word/document.xml", "<w:document/>", 13 },
	};
	struct container_match r[8];
	struct custos_err err;

	assert_int_equal(identify(*state, zip_fd(m, 2), "x-fmt/263", r, &err),
			 1);
	assert_string_equal(r[0].puid, "fmt/412");
	assert_string_equal(r[0].evidence,
			    "container ZIP: [Content_Types].xml matched "
			    "(container signature 1030)");
	/* the OOXML trigger fmt/189 runs the same ZIP signatures */
	assert_int_equal(identify(*state, zip_fd(m, 2), "fmt/189", r, &err),
			 1);
	assert_string_equal(r[0].puid, "fmt/412");
}

static void container__zip_odf_versions(void **state)
{
	static const char man[] =
		"<?xml version=\"1.0\"?><manifest:manifest>"
		"<manifest:file-entry "
		"manifest:media-type=\"application/vnd.oasis.opendocument."
		"spreadsheet\" manifest:full-path=\"/\"/></manifest:manifest>";
	static const char c12[] =
		"<?xml version=\"1.0\"?><office:document-content xmlns:office="
		"\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
		"office:version=\"1.2\"><office:body/>"
		"</office:document-content>";
	static const char c11[] =
		"<?xml version=\"1.0\"?>\n<office:document-content "
		"office:version='1.1'/>";
	struct member m[] = {
		{ "mimetype", "application/vnd.oasis.opendocument.spreadsheet",
		  46 },
		{ "META-INF/manifest.xml", man, sizeof(man) - 1 },
		{ "content.xml", c12, sizeof(c12) - 1 },
	};
	struct container_match r[8];
	struct custos_err err;

	/* 1.1 is the version when none is given: its signature checks no
	 * version, so it matches too; the binary file's priorities
	 * (fmt/295 over fmt/294) decide, as in DROID */
	assert_int_equal(identify(*state, zip_fd(m, 3), "x-fmt/263", r, &err),
			 2);
	assert_string_equal(r[0].puid, "fmt/294");
	assert_string_equal(r[1].puid, "fmt/295");
	assert_string_equal(r[1].evidence, "container ZIP: META-INF/"
			    "manifest.xml matched; content.xml matched "
			    "(container signature 7020)");
	m[2].data = c11;
	m[2].len = sizeof(c11) - 1;
	assert_int_equal(identify(*state, zip_fd(m, 3), "x-fmt/263", r, &err),
			 1);
	assert_string_equal(r[0].puid, "fmt/294");
}

static void container__zip_epub_and_plain(void **state)
{
	const struct member epub[] = {
		{ "mimetype", "application/epub+zip", 20 },
		{ "META-INF/container.xml", "<container/>", 12 },
	};
	const struct member plain[] = {
		{ "readme.txt", "hello", 5 },
		{ "mimetype", "text/plain", 10 },
	};
	struct container_match r[8];
	struct custos_err err;

	assert_int_equal(identify(*state, zip_fd(epub, 2), "x-fmt/263", r,
				  &err), 1);
	assert_string_equal(r[0].puid, "fmt/483");
	assert_int_equal(identify(*state, zip_fd(plain, 2), "x-fmt/263", r,
				  &err), 0);
	/* a PUID that is no trigger asks for nothing */
	assert_int_equal(identify(*state, zip_fd(epub, 2), "fmt/40", r, &err),
			 0);
}

/* A 32 MiB entry of zeros before the content types: only a bounded head
 * of it is ever inflated, and the wanted entry is still found. */
static void container__zip_bomb_bounded(void **state)
{
	size_t big = 32u << 20;
	char *zeros = calloc(1, big);
	struct member m[] = {
		{ "[Content_Types].xml", ct_docx, sizeof(ct_docx) - 1 },
		{ "word/media/bomb.bin", zeros, big },
	};
	struct container_match r[8];
	struct custos_err err;

	assert_non_null(zeros);
	m[1].name = "[Content_Types].xml";       /* same name, later copy */
	assert_int_equal(identify(*state, zip_fd(m, 2), "x-fmt/263", r, &err),
			 1);
	assert_string_equal(r[0].puid, "fmt/412");
	/* the content-types entry itself is the bomb: no match, no error */
	m[0] = m[1];
	assert_int_equal(identify(*state, zip_fd(m, 1), "x-fmt/263", r, &err),
			 0);
	free(zeros);
}

/* Read the whole ZIP behind FD into a new buffer. */
static unsigned char *slurp(int fd, size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	unsigned char *b = malloc((size_t)end);

	assert_non_null(b);
	assert_int_equal(pread(fd, b, (size_t)end, 0), end);
	*len = (size_t)end;
	close(fd);
	return b;
}

static size_t find_eocd(const unsigned char *b, size_t len)
{
	size_t i;

	for (i = len - 22 + 1; i-- > 0;)
		if (memcmp(b + i, "PK\x05\x06", 4) == 0)
			return i;
	fail_msg("no EOCD");
	return 0;
}

static void container__zip_absurd_declarations(void **state)
{
	const struct member m[] = {
		{ "[Content_Types].xml", ct_docx, sizeof(ct_docx) - 1 },
	};
	struct container_match r[8];
	struct custos_err err;
	unsigned char *b;
	size_t len, e;

	b = slurp(zip_fd(m, 1), &len);
	e = find_eocd(b, len);
	/* 65535 entries declared, central directory of 4 GiB */
	b[e + 10] = b[e + 11] = 0xFF;
	put32(b + e + 12, 0xFFFFFFF0);
	assert_int_equal(identify(*state, fd_from(b, len), "x-fmt/263", r,
				  &err), -1);
	assert_int_equal(err.code, CUSTOS_ELIMIT);
	/* no end record at all */
	memset(b + e, 'x', 4);
	assert_int_equal(identify(*state, fd_from(b, len), "x-fmt/263", r,
				  &err), -1);
	assert_int_equal(err.code, CUSTOS_EFORMAT);
	assert_non_null(strstr(err.msg, "end of central directory"));
	/* truncated archive: central directory gone */
	assert_int_equal(identify(*state, fd_from(b, 30), "x-fmt/263", r,
				  &err), -1);
	free(b);
}

/* The entry claims 4 GiB uncompressed (central and local headers): only
 * the bounded head is inflated and the real bytes still identify it. */
static void container__zip_huge_declared_size(void **state)
{
	const struct member m[] = {
		{ "[Content_Types].xml", ct_docx, sizeof(ct_docx) - 1 },
	};
	struct container_match r[8];
	struct custos_err err;
	unsigned char *b;
	size_t len, i;
	int n;

	b = slurp(zip_fd(m, 1), &len);
	for (i = 0; i + 46 <= len; i++) {
		if (memcmp(b + i, "PK\x01\x02", 4) == 0)
			put32(b + i + 24, 0xFFFFFFF0);
		if (memcmp(b + i, "PK\x03\x04", 4) == 0)
			put32(b + i + 22, 0xFFFFFFF0);
	}
	n = identify(*state, fd_from(b, len), "x-fmt/263", r, &err);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].puid, "fmt/412");
	free(b);
}

/* ---- OLE2 ---- */

static void container__ole2_doc(void **state)
{
	unsigned char buf[OLE_MAX];
	struct container_match r[8];
	struct custos_err err;
	size_t len;

	assert_int_equal(identify(*state, ole_doc_fd(buf, &len), "fmt/111",
				  r, &err), 1);
	assert_string_equal(r[0].puid, "fmt/40");
	assert_string_equal(r[0].evidence,
			    "container OLE2: WordDocument present; CompObj "
			    "matched (container signature 1020)");
}

static void container__ole2_msg_xls_ppt(void **state)
{
	static const char book[] = "\x09\x08\x10\x00\x00\x06\x05\x00";
	static const char ppt_co[] =
		"\x01\x00\xFE\xFF\x03\x0A\x00\x00\xFF\xFF\xFF\xFF\x10\x8D\x81"
		"\x64\x9B\x4F\xCF\x11\x86\xEA\x00\xAA\x00\xB9\x29\xE8\x12\x00"
		"\x00\x00Microsoft Office PowerPoint 97\0\0\0\0\0\0"
		"\x12\x00\x00\x00PowerPoint.Show.8\0";
	const struct member msg[] = {
		{ "__properties_version1.0", "\0\0\0\0", 4 },
		{ "__nameid_version1.0", "", 0 },
		{ "__substg1.0_0037001F", "S\0u\0b\0", 6 },
	};
	const struct member xls[] = { { "Workbook", book, 8 } };
	const struct member ppt[] = {
		{ "PowerPoint Document", "\0\0\0\0", 4 },
		{ "\x01" "CompObj", ppt_co, sizeof(ppt_co) },
	};
	unsigned char buf[OLE_MAX];
	struct container_match r[8];
	struct custos_err err;
	size_t len;

	len = ole_build(buf, msg, 3);
	assert_int_equal(identify(*state, fd_from(buf, len), "fmt/111", r,
				  &err), 1);
	assert_string_equal(r[0].puid, "x-fmt/430");
	len = ole_build(buf, xls, 1);
	assert_int_equal(identify(*state, fd_from(buf, len), "fmt/111", r,
				  &err), 1);
	assert_string_equal(r[0].puid, "fmt/61");
	len = ole_build(buf, ppt, 2);
	assert_int_equal(identify(*state, fd_from(buf, len), "fmt/111", r,
				  &err), 1);
	assert_string_equal(r[0].puid, "fmt/126");
}

/* A Workbook stream of 5000 bytes lives in regular sectors (4..13). */
static size_t ole_xls_big(unsigned char *buf)
{
	static char book[5000] = "\x09\x08\x10\x00\x00\x06\x05\x00";
	const struct member m[] = { { "Workbook", book, sizeof(book) } };

	return ole_build(buf, m, 1);
}

static void container__ole2_regular_sectors(void **state)
{
	unsigned char buf[OLE_MAX];
	struct container_match r[8];
	struct custos_err err;
	size_t len = ole_xls_big(buf);

	assert_int_equal(identify(*state, fd_from(buf, len), "fmt/111", r,
				  &err), 1);
	assert_string_equal(r[0].puid, "fmt/61");
	/* the fifth sector of the stream leads back to its first */
	put32(sector(buf, 0) + 4 * 8, 4);
	assert_int_equal(identify(*state, fd_from(buf, len), "fmt/111", r,
				  &err), -1);
	assert_non_null(strstr(err.msg, "cyclic sector chain"));
}

/* A DOC whose header claims NFAT FAT sectors: the header lists 109 (the
 * real one first, the others zero-filled sectors), the DIFAT sector 150
 * the rest, then NEXT (its chain pointer). */
static unsigned char *ole_doc_difat(size_t *len, uint32_t nfat,
				    uint32_t next)
{
	unsigned char *b = calloc(1, OLE_MAX), *d;
	uint32_t i;

	assert_non_null(b);
	close(ole_doc_fd(b, len));
	*len = 512 * (1 + 320);
	assert_true(*len <= OLE_MAX);
	put32(b + 0x2C, nfat);
	put32(b + 0x44, 150);
	put32(b + 0x48, 1);
	for (i = 1; i < 109; i++)
		put32(b + 0x4C + 4 * i, 9 + i);
	d = sector(b, 150);
	memset(d, 0xFF, 512);
	for (i = 0; i < nfat - 109 && i < 127; i++)
		put32(d + 4 * i, 160 + i);
	put32(d + 4 * 127, next);
	return b;
}

static void container__ole2_difat_chain(void **state)
{
	struct container_match r[8];
	struct custos_err err;
	unsigned char *b;
	size_t len;

	b = ole_doc_difat(&len, 120, 0xFFFFFFFE);
	assert_int_equal(identify(*state, fd_from(b, len), "fmt/111", r,
				  &err), 1);
	assert_string_equal(r[0].puid, "fmt/40");
	free(b);
	b = ole_doc_difat(&len, 300, 150);      /* DIFAT sector -> itself */
	assert_int_equal(identify(*state, fd_from(b, len), "fmt/111", r,
				  &err), -1);
	assert_non_null(strstr(err.msg, "cyclic DIFAT chain"));
	free(b);
}

/* Damage a good DOC with MUTATE; identification must fail with
 * CUSTOS_EFORMAT or CUSTOS_ELIMIT and a message mentioning WHAT. */
static void expect_damaged(void **state, void (*mutate)(unsigned char *),
			   const char *what)
{
	unsigned char buf[OLE_MAX];
	struct container_match r[8];
	struct custos_err err;
	size_t len;

	close(ole_doc_fd(buf, &len));
	mutate(buf);
	if (identify(*state, fd_from(buf, len), "fmt/111", r, &err) != -1)
		fail_msg("damage '%s' not detected", what);
	assert_true(err.code == CUSTOS_EFORMAT || err.code == CUSTOS_ELIMIT);
	if (strstr(err.msg, what) == NULL)
		fail_msg("'%s' lacks '%s'", err.msg, what);
}

static void cyclic_dir_chain(unsigned char *b)
{
	put32(b + 512 + 4, 1);          /* FAT[1] = 1: directory loops */
}

static void absurd_fat_count(unsigned char *b)
{
	put32(b + 0x2C, 0x7FFFFFFF);
}

static void dir_out_of_range(unsigned char *b)
{
	put32(b + 0x30, 5000);
}

static void dir_tree_cycle(unsigned char *b)
{
	put32(b + 1024 + 128 * 2 + 0x44, 1);   /* CompObj's left = entry 1 */
}

static void cyclic_mini_chain(unsigned char *b)
{
	/* CompObj's mini sectors start at 8: make the chain 8 -> 8 */
	put32(b + 1536 + 4 * 8, 8);
}

static void bad_sector_shift(unsigned char *b)
{
	b[0x1E] = 30;
}

static void root_huge(unsigned char *b)
{
	put32(b + 1024 + 0x78, 0xFFFFFFF0);    /* mini stream of 4 GiB */
}

static void container__ole2_hostile(void **state)
{
	expect_damaged(state, cyclic_dir_chain, "cyclic sector chain");
	expect_damaged(state, absurd_fat_count, "absurd FAT sector count");
	expect_damaged(state, dir_out_of_range, "out of range");
	expect_damaged(state, dir_tree_cycle, "cycle");
	expect_damaged(state, cyclic_mini_chain, "cyclic mini sector chain");
	expect_damaged(state, bad_sector_shift, "sector shift");
	expect_damaged(state, root_huge, "mini stream size");
}

static void container__ole2_truncated_and_not_ole(void **state)
{
	unsigned char buf[OLE_MAX];
	struct container_match r[8];
	struct custos_err err;
	size_t len;

	close(ole_doc_fd(buf, &len));
	assert_int_equal(identify(*state, fd_from(buf, 700), "fmt/111", r,
				  &err), -1);
	assert_int_equal(identify(*state, fd_from("PK\x03\x04", 4), "fmt/111",
				  r, &err), -1);
	assert_non_null(strstr(err.msg, "OLE2"));
}

/* ---- the loader ---- */

static int load_text(struct container_sigs **cs, const char *xml,
		     struct custos_err *err)
{
	char path[] = "/tmp/custos-csig-XXXXXX";
	int fd = mkstemp(path), rc;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
	close(fd);
	rc = container_sigs_load(cs, path, err);
	unlink(path);
	return rc;
}

#define SIG_HEAD "<?xml version=\"1.0\"?>\n<ContainerSignatureMapping " \
	"signatureVersion=\"7\">\n<ContainerSignatures>\n" \
	"<ContainerSignature Id=\"5\" ContainerType=\"ZIP\">\n<Files>\n" \
	"<File><Path>a.txt</Path><BinarySignatures>" \
	"<InternalSignatureCollection><InternalSignature ID=\"1\">\n"
#define SIG_TAIL "</InternalSignature></InternalSignatureCollection>" \
	"</BinarySignatures></File>\n<File><Path>dir/</Path></File>\n" \
	"</Files></ContainerSignature>\n</ContainerSignatures>\n" \
	"<FileFormatMappings><FileFormatMapping signatureId=\"5\" " \
	"Puid=\"fmt/9999\"/></FileFormatMappings>\n<TriggerPuids>" \
	"<TriggerPuid ContainerType=\"ZIP\" Puid=\"x-fmt/263\"/>" \
	"</TriggerPuids>\n</ContainerSignatureMapping>\n"

/* Syntax the real file uses: sets, ranges, alternatives, bitmasks, gaps,
 * right fragments, EOF and Variable sequences; a glob path. */
static void container__patterns(void **state)
{
	static const char xml[] = SIG_HEAD
		"<ByteSequence Reference=\"BOFoffset\"><SubSequence "
		"SubSeqMinOffset=\"2\" SubSeqMaxOffset=\"4\"><Sequence>'AB' "
		"['0'-'9'] (22|27) [&amp;01] ?? {1-3} 'Z'</Sequence>"
		"<RightFragment Position=\"1\" MinOffset=\"1\" "
		"MaxOffset=\"1\">"
		"[!00]</RightFragment></SubSequence>"
		"<SubSequence SubSeqMinOffset=\"0\"><Sequence>'mid'"
		"</Sequence><LeftFragment Position=\"1\" MinOffset=\"0\" "
		"MaxOffset=\"1\">2E</LeftFragment><LeftFragment "
		"Position=\"1\" MinOffset=\"0\" MaxOffset=\"1\">2C"
		"</LeftFragment></SubSequence></ByteSequence>"
		"<ByteSequence Reference=\"EOFoffset\"><SubSequence "
		"SubSeqMinOffset=\"0\" SubSeqMaxOffset=\"2\"><Sequence>'END'"
		"</Sequence></SubSequence></ByteSequence>"
		"<ByteSequence><SubSequence SubSeqMinOffset=\"0\"><Sequence>"
		"* 'any' * 'where'</Sequence></SubSequence></ByteSequence>\n"
		SIG_TAIL;
	static const char *const good[] = {
		"..AB7\"\x03zqqZ-x..mid..any..where..END",
		"....AB0'\x01zqZ-x.mid.anywhere.END\n\n",
		"..AB7\"\x03zqqZ-x,mid.any.where.END",
	};
	static const char *const bad[] = {
		".....AB7\"\x03zqqZ-x..mid..any..where..END",  /* offset 5 */
		"..ABx\"\x03zqqZ-x..mid..any..where..END",     /* not digit */
		"..AB7\"\x02zqqZ-x..mid..any..where..END",     /* mask bit */
		"..AB7\"\x03zqqZ-\0..mid..any..where..END",    /* [!00] */
		"..AB7\"\x03zqqqqZ-x..mid..any..where..END",   /* gap > 3 */
		"..AB7\"\x03zqqZ-x..mid..any..where..END...",  /* EOF > 2 */
		"..AB7\"\x03zqqZ-x..mid..where..any..END",     /* order */
		"..AB7\"\x03zqqZ-x;;mid..any..where..END",     /* left frag */
		"..AB7\"\x03zqqZ-x.;;mid..any..where..END",    /* its gap */
	};
	struct container_sigs *cs;
	struct container_match r[8];
	struct custos_err err;
	struct member m[2] = { { "a.txt", NULL, 0 },
			       { "dir/x", "", 0 } };
	size_t i;

	(void)state;
	if (load_text(&cs, xml, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(container_sigs_version(cs), "7");
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		m[0].data = good[i];
		m[0].len = strlen(good[i]);
		assert_int_equal(identify(cs, zip_fd(m, 2), "x-fmt/263", r,
					  &err), 1);
		assert_string_equal(r[0].puid, "fmt/9999");
		assert_string_equal(r[0].evidence, "container ZIP: a.txt "
				    "matched; dir/ present (container "
				    "signature 5)");
		/* without the directory entry the signature fails */
		assert_int_equal(identify(cs, zip_fd(m, 1), "x-fmt/263", r,
					  &err), 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m[0].data = bad[i];
		m[0].len = strlen(bad[i]) +
			   (i == 3 ? strlen(bad[i] + strlen(bad[i]) + 1) + 1
				   : 0);
		if (identify(cs, zip_fd(m, 2), "x-fmt/263", r, &err) != 0)
			fail_msg("bad[%zu] matched", i);
	}
	container_sigs_free(cs);
}

/* 'a' * 'a' * 'a' * 'b' over 64 KiB of 'a' is cubic without a bound:
 * the step budget ends it, as a non-match. */
static void container__pattern_budget(void **state)
{
	static const char xml[] = SIG_HEAD
		"<ByteSequence><SubSequence SubSeqMinOffset=\"0\"><Sequence>"
		"('a'|'A') * ('a'|'A') * 'a' {0-*} 'a' * 'b'</Sequence>"
		"</SubSequence></ByteSequence>\n" SIG_TAIL;
	size_t big = 64 * 1024;
	char *as = malloc(big);
	struct member m[2] = { { "a.txt", as, big }, { "dir/", "", 0 } };
	struct container_sigs *cs;
	struct container_match r[8];
	struct custos_err err;

	(void)state;
	assert_non_null(as);
	memset(as, 'a', big);
	if (load_text(&cs, xml, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(identify(cs, zip_fd(m, 2), "x-fmt/263", r, &err), 0);
	as[big - 1] = 'b';
	assert_int_equal(identify(cs, zip_fd(m, 2), "x-fmt/263", r, &err), 1);
	container_sigs_free(cs);
	free(as);
}

#define TAIL_SIG(id, type, path) \
	"<ContainerSignature Id=\"" id "\" ContainerType=\"" type "\">" \
	"<Files><File><Path>" path "</Path><BinarySignatures>" \
	"<InternalSignatureCollection><InternalSignature ID=\"1\">" \
	"<ByteSequence Reference=\"BOFoffset\"><SubSequence " \
	"SubSeqMinOffset=\"0\" SubSeqMaxOffset=\"0\"><Sequence>'HEAD'" \
	"</Sequence></SubSequence></ByteSequence>" \
	"<ByteSequence Reference=\"EOFoffset\"><SubSequence " \
	"SubSeqMinOffset=\"0\" SubSeqMaxOffset=\"4\"><Sequence>'TAIL'" \
	"</Sequence></SubSequence></ByteSequence></InternalSignature>" \
	"</InternalSignatureCollection></BinarySignatures></File></Files>" \
	"</ContainerSignature>"

/* EOF-anchored signatures on entries bigger than the head window: the
 * tail is read separately (ZIP: inflated through; OLE2: by chain). */
static void container__eof_beyond_head(void **state)
{
	static const char xml[] = "<ContainerSignatureMapping>"
		"<ContainerSignatures>" TAIL_SIG("1", "OLE2", "Big")
		TAIL_SIG("2", "ZIP", "big.bin") "</ContainerSignatures>"
		"<FileFormatMappings><FileFormatMapping signatureId=\"1\" "
		"Puid=\"fmt/9001\"/><FileFormatMapping signatureId=\"2\" "
		"Puid=\"fmt/9002\"/></FileFormatMappings><TriggerPuids>"
		"<TriggerPuid ContainerType=\"OLE2\" Puid=\"fmt/111\"/>"
		"<TriggerPuid ContainerType=\"ZIP\" Puid=\"x-fmt/263\"/>"
		"</TriggerPuids></ContainerSignatureMapping>";
	static char data[100000], buf[OLE_MAX];
	struct member m[] = { { "Big", data, sizeof(data) } };
	struct container_sigs *cs;
	struct container_match r[8];
	struct custos_err err;
	size_t len;

	(void)state;
	if (load_text(&cs, xml, &err) < 0)
		fail_msg("%s", err.msg);
	memset(data, 'x', sizeof(data));
	memcpy(data, "HEAD", 4);
	memcpy(data + sizeof(data) - 6, "TAIL\n\n", 6);
	len = ole_build((unsigned char *)buf, m, 1);
	assert_int_equal(identify(cs, fd_from(buf, len), "fmt/111", r, &err),
			 1);
	assert_string_equal(r[0].puid, "fmt/9001");
	m[0].name = "big.bin";
	assert_int_equal(identify(cs, zip_fd(m, 1), "x-fmt/263", r, &err), 1);
	assert_string_equal(r[0].puid, "fmt/9002");
	/* "TAIL" across the head window's end (65536): head, the byte
	 * that showed more follows, and the rest must join up */
	m[0].len = 65540;
	memset(data + 65520, 'x', 20);
	memcpy(data + 65533, "TAIL\n\n\n", 7);
	assert_int_equal(identify(cs, zip_fd(m, 1), "x-fmt/263", r, &err), 1);
	m[0].len = sizeof(data);
	data[sizeof(data) - 3] = 'X';           /* "TAIX\n\n" */
	assert_int_equal(identify(cs, zip_fd(m, 1), "x-fmt/263", r, &err), 0);
	m[0].name = "Big";
	len = ole_build((unsigned char *)buf, m, 1);
	assert_int_equal(identify(cs, fd_from(buf, len), "fmt/111", r, &err),
			 0);
	container_sigs_free(cs);
}

/* A path with '*' or '?' is a glob once the exact name fails. */
static void container__glob_path(void **state)
{
	static const char xml[] = "<ContainerSignatureMapping>"
		"<ContainerSignatures><ContainerSignature Id=\"3\" "
		"ContainerType=\"ZIP\"><Files><File><Path>word/*.xml</Path>"
		"</File></Files></ContainerSignature></ContainerSignatures>"
		"<FileFormatMappings><FileFormatMapping signatureId=\"3\" "
		"Puid=\"fmt/7777\"/></FileFormatMappings><TriggerPuids>"
		"<TriggerPuid ContainerType=\"ZIP\" Puid=\"x-fmt/263\"/>"
		"</TriggerPuids></ContainerSignatureMapping>";
	struct member m[] = { { "word/media/a.png", "x", 1 },
			      { "word/document.xml", "<w/>", 4 } };
	struct container_sigs *cs;
	struct container_match r[8];
	struct custos_err err;

	(void)state;
	if (load_text(&cs, xml, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(identify(cs, zip_fd(m, 1), "x-fmt/263", r, &err), 0);
	assert_int_equal(identify(cs, zip_fd(m, 2), "x-fmt/263", r, &err), 1);
	assert_string_equal(r[0].evidence, "container ZIP: word/*.xml present "
			    "(container signature 3)");
	container_sigs_free(cs);
}

static void expect_load_error(const char *body, const char *want)
{
	static char xml[16384];
	struct container_sigs *cs = NULL;
	struct custos_err err;

	snprintf(xml, sizeof(xml), "%s%s%s", SIG_HEAD, body, SIG_TAIL);
	assert_int_equal(load_text(&cs, xml, &err), -1);
	assert_null(cs);
	if (strstr(err.msg, want) == NULL)
		fail_msg("'%s' lacks '%s'", err.msg, want);
}

static void container__loader_errors_name_line(void **state)
{
	static char seqbuf[13000];
	struct container_sigs *cs = NULL;
	struct custos_err err;

	(void)state;
	expect_load_error("<ByteSequence>\n<SubSequence SubSeqMinOffset=\"0\">"
			  "\n<Sequence>'abc' 0G</Sequence></SubSequence>"
			  "</ByteSequence>",
			  "line 9: odd number of hex digits");
	expect_load_error("<ByteSequence><SubSequence SubSeqMinOffset=\"0\">"
			  "\n<Sequence>('a'|'b'</Sequence></SubSequence>"
			  "</ByteSequence>", "line 8: unclosed '('");
	expect_load_error("<ByteSequence Reference=\"IndirectBOFoffset\">"
			  "</ByteSequence>", "line 7: unsupported Reference");
	expect_load_error("<ByteSequence><SubSequence SubSeqMinOffset=\"x\">"
			  "<Sequence>00</Sequence></SubSequence>"
			  "</ByteSequence>", "line 7: bad number");
	expect_load_error("<ByteSequence><SubSequence><Sequence>'unterminated"
			  "</Sequence></SubSequence></ByteSequence>",
			  "unterminated quoted string");
	{
		char big[12000];

		memset(big, 'A', sizeof(big) - 1);   /* 5999 hex bytes */
		big[sizeof(big) - 1] = '\0';
		big[sizeof(big) - 2] = '\0';
		snprintf(seqbuf, sizeof(seqbuf), "<ByteSequence><SubSequence>"
			 "<Sequence>%s</Sequence></SubSequence>"
			 "</ByteSequence>", big);
		expect_load_error(seqbuf, "line 7: pattern over 4096 tokens");
	}
	assert_int_equal(load_text(&cs, "<x/>", &err), -1);
	assert_non_null(strstr(err.msg, "ContainerSignatureMapping"));
	assert_int_equal(load_text(&cs, "<ContainerSignatureMapping>\n<a>",
				   &err), -1);
	assert_non_null(strstr(err.msg, "malformed XML"));
	assert_int_equal(load_text(&cs, "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
				   "<ContainerSignatureMapping/>", &err), -1);
	assert_non_null(strstr(err.msg, "document type declarations"));
	assert_int_equal(container_sigs_load(&cs, "/nonexistent/x.xml", &err),
			 -1);
	container_sigs_free(NULL);
}

static void container__builtin_set(void **state)
{
	static const char *const want[] = {
		"fmt/40", "fmt/61", "fmt/126", "x-fmt/430", "fmt/412",
		"fmt/214", "fmt/215", "fmt/136", "fmt/290", "fmt/291",
		"fmt/1756", "fmt/137", "fmt/294", "fmt/295", "fmt/1755",
		"fmt/138", "fmt/292", "fmt/293", "fmt/1754", "fmt/483",
	};
	const struct container_sigs *cs = *state;
	size_t i, k;

	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		for (i = 0; i < container_sigs_count(cs); i++)
			if (strcmp(container_sigs_puids(cs, i)[0],
				   want[k]) == 0)
				break;
		if (i == container_sigs_count(cs))
			fail_msg("built-in set lacks %s", want[k]);
	}
	assert_true(container_is_trigger(cs, "fmt/111"));
	assert_true(container_is_trigger(cs, "x-fmt/263"));
	assert_false(container_is_trigger(cs, "fmt/412"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(container__zip_docx),
		cmocka_unit_test(container__zip_odf_versions),
		cmocka_unit_test(container__zip_epub_and_plain),
		cmocka_unit_test(container__zip_bomb_bounded),
		cmocka_unit_test(container__zip_absurd_declarations),
		cmocka_unit_test(container__zip_huge_declared_size),
		cmocka_unit_test(container__ole2_doc),
		cmocka_unit_test(container__ole2_msg_xls_ppt),
		cmocka_unit_test(container__ole2_hostile),
		cmocka_unit_test(container__ole2_regular_sectors),
		cmocka_unit_test(container__ole2_difat_chain),
		cmocka_unit_test(container__ole2_truncated_and_not_ole),
		cmocka_unit_test(container__builtin_set),
	};
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(container__patterns),
		cmocka_unit_test(container__pattern_budget),
		cmocka_unit_test(container__eof_beyond_head),
		cmocka_unit_test(container__glob_path),
		cmocka_unit_test(container__loader_errors_name_line),
	};

	return cmocka_run_group_tests(tests, setup_builtin,
				      teardown_builtin) |
	       cmocka_run_group_tests(plain, NULL, NULL);
}
