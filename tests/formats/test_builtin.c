/*
 * tests/formats/test_builtin.c - the built-in signature set (no external
 * file) on small but well-formed files this test makes: document, image,
 * audio/video headers written byte by byte, archives written by libarchive,
 * and the plain-text heuristic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>

#include "fmt_test_util.h"

static struct fmt_identifier *bi;

static int setup(void **state)
{
	struct custos_err err;

	(void)state;
	return fmt_identifier_load(&bi, NULL, NULL, &err);
}

static int teardown(void **state)
{
	(void)state;
	fmt_identifier_free(bi);
	return 0;
}

/* Identify and expect exactly PUID (basis signature unless said). */
static const struct fmt_match *expect(const void *buf, size_t len,
				      const char *name, const char *puid)
{
	static struct fmt_result r;

	assert_int_equal(fmt_test_ident(bi, buf, len, 4096, name, &r), 0);
	if (r.nmatches != 1 || strcmp(r.matches[0].puid, puid))
		fail_msg("%s: expected %s, got %zu matches, first %s", name, puid,
			 r.nmatches, r.nmatches ? r.matches[0].puid : "-");
	return &r.matches[0];
}

#define EXPECT(lit, name, puid) expect(lit, sizeof(lit) - 1, name, puid)

static void builtin__documents(void **state)
{
	const struct fmt_match *m;
	static const char pdfa[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
		"1 0 obj\n<< /Type /Metadata /Subtype /XML >>\nstream\n"
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description "
		"xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" "
		"pdfaid:part=\"1\" pdfaid:conformance=\"B\"/></rdf:RDF></x:xmpmeta>\n"
		"endstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

	(void)state;
	m = EXPECT("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
		   "a.pdf", "fmt/18");
	assert_string_equal(m->name, "Acrobat PDF 1.4 - Portable Document Format");
	assert_string_equal(m->version, "1.4");
	assert_string_equal(m->mime, "application/pdf");
	assert_int_equal(m->nwarnings, 0);
	EXPECT("%PDF-1.7\n%%EOF\n", "b.pdf", "fmt/276");
	EXPECT("%PDF-2.0\n%%EOF\n", "c.pdf", "fmt/1129");
	m = EXPECT(pdfa, "a1b.pdf", "fmt/354");           /* beats fmt/18 */
	assert_string_equal(m->version, "1b");
	m = EXPECT("%PDF-1.5\n%%EOF\n", "wrong.doc", "fmt/19");
	assert_string_equal(m->warnings[0], "extension mismatch");
	EXPECT("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root><a/></root>\n",
	       "d.xml", "fmt/101");
	EXPECT("<!DOCTYPE html>\n<html><head><title>t</title></head>"
	       "<body><p>x</p></body></html>\n", "e.html", "fmt/471");
	EXPECT("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} hello\\par }\n",
	       "f.rtf", "fmt/45");
	EXPECT("WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n",
	       "g.warc", "fmt/1355");
}

static void builtin__images(void **state)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"
		"\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90\x77\x53\xde"
		"\0\0\0\x0cIDATx\x9c\x63\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N"
		"\0\0\0\0IEND\xae\x42\x60\x82";
	static const char gif89[] = "GIF89a\x01\0\x01\0\0\0\0,\0\0\0\0\x01\0"
		"\x01\0\0\x02\x02D\x01\0;";
	static const char jfif[] = "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0"
		"\x01\0\x01\0\0\xff\xdb\0\x43\0\x08\xff\xd9";
	static const char tiff[] = "II*\0\x08\0\0\0\x01\0\0\x01\x03\0\x01\0\0\0"
		"\x01\0\0\0\0\0\0\0";
	static const char bigtiff[] = "II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0";
	static const char jp2[] = "\0\0\0\x0cjP  \r\n\x87\n\0\0\0\x14"
		"ftypjp2 \0\0\0\0jp2 ";
	static const char psd[] = "8BPS\0\x01\0\0\0\0\0\0\0\x03\0\0\0\x01\0\0\0"
		"\x01\0\x08\0\x03";
	static const char bmp[] = "BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0"
		"\x01\0\0\0\x01\0\0\0\x01\0\x18\0\0\0\0\0\x04\0\0\0"
		"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\xff\xff\xff\0";

	(void)state;
	EXPECT(png, "a.png", "fmt/11");
	EXPECT(gif89, "a.gif", "fmt/4");
	EXPECT("GIF87a\x01\0\x01\0\0\0\0;", "b.gif", "fmt/3");
	EXPECT(jfif, "a.jpg", "fmt/43");
	EXPECT(tiff, "a.tif", "fmt/353");
	EXPECT(bigtiff, "a.btf", "fmt/1917");
	EXPECT(jp2, "a.jp2", "x-fmt/392");
	EXPECT(psd, "a.psd", "x-fmt/92");
	EXPECT(bmp, "a.bmp", "fmt/116");
	EXPECT("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	       "version=\"1.1\" width=\"1\" height=\"1\"></svg>\n", "a.svg",
	       "fmt/92");
}

static void builtin__audio_video(void **state)
{
	static const char wav[] = "RIFF\x28\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0"
		"\x44\xac\0\0\x88\x58\x01\0\x02\0\x10\0data\x04\0\0\0\0\0\0\0";
	static const char flac[] = "fLaC\0\0\0\x22\x10\0\x10\0\0\0\0\0\0\0\x0a"
		"\xc4\x40\xf0\0\0\0\0";
	static const char aiff[] = "FORM\0\0\0\x2e" "AIFFCOMM\0\0\0\x12\0\x01"
		"\0\0\0\0\0\x10\x40\x0e\xac\x44\0\0\0\0\0\0SSND\0\0\0\x08\0\0\0\0"
		"\0\0\0\0";
	static const char avi[] = "RIFF\x20\0\0\0" "AVI LIST\x14\0\0\0hdrl"
		"avih\x08\0\0\0\0\0\0\0\0\0\0\0";
	static const char mp4[] = "\0\0\0\x18" "ftypisom\0\0\x02\0isomiso2"
		"\0\0\0\x08moov";
	static const char mkv[] = "\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7"
		"\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x88matroska"
		"\x42\x87\x81\x04\x42\x85\x81\x02";

	(void)state;
	EXPECT(wav, "a.wav", "fmt/141");
	EXPECT(flac, "a.flac", "fmt/279");
	EXPECT(aiff, "a.aif", "fmt/414");
	EXPECT(avi, "a.avi", "fmt/5");
	EXPECT(mp4, "a.mp4", "fmt/199");
	EXPECT(mkv, "a.mkv", "fmt/569");
}

/* An archive of one small file, made by libarchive, into BUF. */
static size_t make_archive(unsigned char *buf, size_t cap, int format,
			   int filter)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	size_t used = 0;

	assert_int_equal(archive_write_set_format(a, format), ARCHIVE_OK);
	if (filter)
		assert_int_equal(archive_write_add_filter(a, filter), ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used),
			 ARCHIVE_OK);
	archive_entry_set_pathname(e, "hello.txt");
	archive_entry_set_size(e, 6);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	assert_int_equal(archive_write_data(a, "hello\n", 6), 6);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_entry_free(e);
	archive_write_free(a);
	return used;
}

static void builtin__archives(void **state)
{
	static unsigned char buf[65536];
	static const char ole2[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0\0\0"
		"\0\0\0\0\0\0\0\0\0\0\x3e\0\x03\0\xfe\xff\x09\0";
	size_t n;

	(void)state;
	n = make_archive(buf, sizeof(buf), ARCHIVE_FORMAT_ZIP, 0);
	expect(buf, n, "a.zip", "x-fmt/263");
	n = make_archive(buf, sizeof(buf), ARCHIVE_FORMAT_TAR_USTAR, 0);
	expect(buf, n, "a.tar", "x-fmt/265");
	n = make_archive(buf, sizeof(buf), ARCHIVE_FORMAT_TAR_USTAR,
			 ARCHIVE_FILTER_GZIP);
	expect(buf, n, "a.tar.gz", "x-fmt/266");
	n = make_archive(buf, sizeof(buf), ARCHIVE_FORMAT_7ZIP, 0);
	expect(buf, n, "a.7z", "fmt/484");
	EXPECT(ole2, "a.doc", "fmt/111");
}

/* Issue 18's misses. RTF 1.8 (fmt/53) needs "\\lsdstimax" after its
 * header, and Word writes it near the end: in a file larger than the head
 * window it is found in the tail, else the file passed for 1.7 (fmt/52). */
static void builtin__issue18_misses(void **state)
{
	static const char head[] = "{\\rtf1\\ansi\\ansicpg1252\\uc1\\deff0"
		"\\stshfdbch0\\stshfloch0\\stshfhich0\\stshfbi0\\deflang1033"
		"{\\fonttbl{\\f0\\froman Times;}}";
	static const char line[] = "\\pard Some body text of the document.\\par\n";
	static const char end[] = "{\\*\\latentstyles\\lsdstimax376\\lsdlockeddef0}}\n";
	static const char dca[] = "\x00\x05\xe1\x03\x00\x00\x20\xe2\x05\x00\x01\x51\x01\x00text";
	size_t body = FMT_WHOLE_MAX + 4096, len = 0;
	char *rtf = malloc(sizeof(head) + body + sizeof(end));
	const struct fmt_match *m;

	(void)state;
	assert_non_null(rtf);
	memcpy(rtf, head, sizeof(head) - 1);
	len = sizeof(head) - 1;
	while (len < body) {
		memcpy(rtf + len, line, sizeof(line) - 1);
		len += sizeof(line) - 1;
	}
	memcpy(rtf + len, end, sizeof(end) - 1);
	expect(rtf, len + sizeof(end) - 1, "big.rtf", "fmt/53");
	expect(rtf, len, "big17.rtf", "fmt/52");     /* no \\lsdstimax at all */
	free(rtf);

	/* IBM DisplayWrite: DCA by its signature, FFT by its extension */
	m = EXPECT(dca, "letter.dca", "x-fmt/148");
	assert_int_equal(m->basis, FMT_BASIS_SIGNATURE);
	m = EXPECT("\x5a\x00\x10\xd3\xa8\xa8", "memo.fft", "x-fmt/284");
	assert_int_equal(m->basis, FMT_BASIS_EXTENSION);

	/* a man page as text: overstrikes are BS, file(1) counts it as text */
	m = EXPECT("N\bNA\bAM\bME\bE\n     ls - list\a\n", "ls-page", "x-fmt/111");
	assert_int_equal(m->basis, FMT_BASIS_SIGNATURE);
}

static void builtin__text(void **state)
{
	const struct fmt_match *m;
	static const char utf16[] = "\xff\xfeh\0i\0\n\0";
	struct fmt_result r;

	(void)state;
	m = EXPECT("plain words\nsecond line\n", "README", "x-fmt/111");
	assert_int_equal(m->basis, FMT_BASIS_SIGNATURE);
	assert_string_equal(m->evidence,
			    "text heuristic: ASCII in the first 24 bytes");
	assert_string_equal(m->warnings[0], "extension mismatch");
	m = EXPECT("caf\xc3\xa9\n", "notes.txt", "x-fmt/111");
	assert_int_equal(m->basis, FMT_BASIS_EXTENSION);
	assert_string_equal(m->evidence,
			    "extension match txt; content is UTF-8");
	m = EXPECT(utf16, "u16", "x-fmt/111");
	assert_non_null(strstr(m->evidence, "UTF-16LE with BOM"));
	m = EXPECT("a,b\n1,2\n", "t.csv", "x-fmt/18");
	assert_int_equal(m->basis, FMT_BASIS_EXTENSION);
	/* text named like a format with signatures: not guessed (UNKNOWN) */
	assert_int_equal(fmt_test_ident(bi, "%PDF-1.4 no end\n", 16, 4,
					"broken.pdf", &r), 0);
	assert_int_equal(r.nmatches, 0);
	/* binary junk: nothing */
	assert_int_equal(fmt_test_ident(bi, "\x01\x02\x00\x9f\x80", 5, 4,
					"blob", &r), 0);
	assert_int_equal(r.nmatches, 0);
	assert_int_equal(fmt_test_ident(bi, "", 0, 4, "empty", &r), 0);
	assert_int_equal(r.nmatches, 0);
}

static void builtin__lookup_for_containers(void **state)
{
	const char *name, *version, *mime;

	(void)state;
	assert_int_equal(fmt_identifier_lookup(bi, "fmt/412", &name, &version,
					       &mime), 0);
	assert_string_equal(name, "Microsoft Word for Windows");
	assert_string_equal(version, "2007 onwards");
	assert_int_equal(fmt_identifier_lookup(bi, "fmt/999999", &name, NULL,
					       NULL), -1);
	assert_non_null(strstr(fmt_identifier_version(bi), "built-in"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtin__documents),
		cmocka_unit_test(builtin__images),
		cmocka_unit_test(builtin__audio_video),
		cmocka_unit_test(builtin__archives),
		cmocka_unit_test(builtin__text),
		cmocka_unit_test(builtin__issue18_misses),
		cmocka_unit_test(builtin__lookup_for_containers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
