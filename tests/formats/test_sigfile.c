/*
 * tests/formats/test_sigfile.c - the DROID signature-file loader and the
 * matcher on hand-made signature files: every construct (BOF/EOF/Variable,
 * windows, subsequences, fragments with gaps and alternatives, ranges,
 * negation, bitmasks, multi-byte ranges), priorities, extension fallback
 * and mismatch, malformed files named by line, and streaming.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>

#include "core/fileio.h"
#include "fmt_test_util.h"

#define HEAD "<?xml version=\"1.0\"?>\n<FFSignatureFile Version=\"7\" " \
	"xmlns=\"http://www.nationalarchives.gov.uk/pronom/SignatureFile\">\n"

static struct fmt_identifier *load(const char *sigs, const char *formats)
{
	static char xml[16384];
	struct fmt_identifier *id = NULL;
	struct custos_err err;
	const char *path;

	snprintf(xml, sizeof(xml), HEAD "<InternalSignatureCollection>%s"
		 "</InternalSignatureCollection>\n<FileFormatCollection>%s"
		 "</FileFormatCollection></FFSignatureFile>\n", sigs, formats);
	path = fmt_test_write(xml);
	assert_non_null(path);
	if (fmt_identifier_load(&id, path, NULL, &err))
		fail_msg("load: %s", err.msg);
	unlink(path);
	return id;
}

/* One signature ID 1 for format fmt/1 (ext "aaa") from BYTESEQS. */
static struct fmt_identifier *load_one(const char *byteseqs)
{
	char sig[8192];

	snprintf(sig, sizeof(sig), "<InternalSignature ID=\"1\">%s"
		 "</InternalSignature>", byteseqs);
	return load(sig, "<FileFormat ID=\"10\" PUID=\"fmt/1\" Name=\"One\" "
		    "Version=\"2\" MIMEType=\"x/one\"><InternalSignatureID>1"
		    "</InternalSignatureID><Extension>aaa</Extension></FileFormat>");
}

static bool hits(const struct fmt_identifier *id, const char *bytes,
		 size_t len)
{
	struct fmt_result r;

	assert_int_equal(fmt_test_ident(id, bytes, len, 3, "x.aaa", &r), 0);
	return r.nmatches == 1 && !strcmp(r.matches[0].puid, "fmt/1");
}

#define SUB(pos, min, max, body) "<SubSequence Position=\"" pos "\" " \
	"SubSeqMinOffset=\"" min "\"" max ">" body "</SubSequence>"
#define BOF(x) "<ByteSequence Reference=\"BOFoffset\">" x "</ByteSequence>"
#define EOFS(x) "<ByteSequence Reference=\"EOFoffset\">" x "</ByteSequence>"
#define VAR(x) "<ByteSequence>" x "</ByteSequence>"

static void sigfile__bof_window(void **state)
{
	struct fmt_identifier *id = load_one(
		BOF(SUB("1", "2", " SubSeqMaxOffset=\"4\"",
			"<Sequence>41424344</Sequence>")));
	struct fmt_result r;

	(void)state;
	assert_true(hits(id, "xxxABCDyy", 9));          /* at 3: inside 2..4 */
	assert_true(hits(id, "xxABCD", 6));             /* at 2 */
	assert_false(hits(id, "xABCDxxxxx", 10));       /* at 1: too early */
	assert_false(hits(id, "xxxxxxABCD", 10));       /* at 6: too late */
	assert_int_equal(fmt_test_ident(id, "xxxABCD", 7, 100, "f.aaa", &r), 0);
	assert_string_equal(r.matches[0].name, "One");
	assert_string_equal(r.matches[0].version, "2");
	assert_string_equal(r.matches[0].mime, "x/one");
	assert_int_equal(r.matches[0].basis, FMT_BASIS_SIGNATURE);
	assert_string_equal(r.matches[0].evidence,
			    "byte match at 3,4 (signature 1)");
	assert_int_equal(r.matches[0].nwarnings, 0);
	fmt_identifier_free(id);
}

static void sigfile__eof_and_variable(void **state)
{
	struct fmt_identifier *id = load_one(
		BOF(SUB("1", "0", " SubSeqMaxOffset=\"0\"", "<Sequence>4746</Sequence>"))
		EOFS(SUB("1", "0", " SubSeqMaxOffset=\"2\"", "<Sequence>3B</Sequence>"))
		VAR(SUB("1", "0", "", "<Sequence>4D4944</Sequence>")));

	(void)state;
	assert_true(hits(id, "GF....MID....;", 14));
	assert_true(hits(id, "GF....MID....;..", 16));   /* ';' 2 before EOF */
	assert_false(hits(id, "GF....MID....;...", 17)); /* 3 before: too far */
	assert_false(hits(id, "GF....MXD....;", 14));   /* no variable part */
	assert_false(hits(id, "xGF...MID....;", 14));   /* BOF not at 0 */
	fmt_identifier_free(id);
}

static void sigfile__subsequences_in_order(void **state)
{
	struct fmt_identifier *id = load_one(
		BOF(SUB("1", "0", " SubSeqMaxOffset=\"0\"", "<Sequence>5858</Sequence>")
		    SUB("2", "2", "", "<Sequence>5959</Sequence>")));

	(void)state;
	assert_true(hits(id, "XX..YY", 6));
	assert_true(hits(id, "XX.....YY", 9));
	assert_false(hits(id, "XX.YY", 5));             /* gap below minimum */
	assert_false(hits(id, "YYXX..", 6));            /* wrong order */
	fmt_identifier_free(id);
}

static void sigfile__fragments(void **state)
{
	/* (11|2222) {0-2} [30:39] ANCHOR 'AB' {1} [!00] [&01] {0-1} ('P'|'Q') */
	struct fmt_identifier *id = load_one(BOF(SUB("1", "0",
		" SubSeqMaxOffset=\"3\"",
		"<Sequence>4142</Sequence>"
		"<LeftFragment Position=\"1\" MinOffset=\"0\" MaxOffset=\"0\">[30:39]</LeftFragment>"
		"<LeftFragment Position=\"2\" MinOffset=\"0\" MaxOffset=\"2\">11</LeftFragment>"
		"<LeftFragment Position=\"2\" MinOffset=\"0\" MaxOffset=\"2\">2222</LeftFragment>"
		"<RightFragment Position=\"1\" MinOffset=\"1\" MaxOffset=\"1\">[!00][&amp;01]</RightFragment>"
		"<RightFragment Position=\"2\" MinOffset=\"0\" MaxOffset=\"1\">50</RightFragment>"
		"<RightFragment Position=\"2\" MinOffset=\"0\" MaxOffset=\"1\">51</RightFragment>")));

	(void)state;
	assert_true(hits(id, "\x11" "5AB.\x01\x03P", 8));
	assert_true(hits(id, "\x22\x22..7AB.\x05\x01.Q", 12));
	assert_false(hits(id, "\x11" "5AB.\x00\x03P", 8));    /* [!00] */
	assert_false(hits(id, "\x11" "5AB.\x01\x02P", 8));    /* [&01] */
	assert_false(hits(id, "\x11" "xAB.\x01\x03P", 8));    /* [30:39] */
	assert_false(hits(id, "\x33" "5AB.\x01\x03P", 8));    /* alternatives */
	assert_false(hits(id, "\x11" "5AB.\x01\x03..P", 10)); /* gap 0-1 */
	assert_false(hits(id, ".....\x11" "5AB.\x01\x03P", 13)); /* window */
	fmt_identifier_free(id);
}

static void sigfile__multibyte_range_and_negation(void **state)
{
	struct fmt_identifier *id = load_one(BOF(SUB("1", "0",
		" SubSeqMaxOffset=\"0\"", "<Sequence>4D</Sequence>"
		"<RightFragment Position=\"1\" MinOffset=\"0\" MaxOffset=\"0\">[0010:0200][!4142]</RightFragment>")));

	(void)state;
	assert_true(hits(id, "M\x00\x10" "AC", 5));
	assert_true(hits(id, "M\x01\xff" "xB", 5));
	assert_true(hits(id, "M\x02\x00" "BB", 5));
	assert_false(hits(id, "M\x02\x01" "xx", 5));     /* above the range */
	assert_false(hits(id, "M\x00\x0f" "xx", 5));     /* below */
	assert_false(hits(id, "M\x00\x20" "AB", 5));     /* negated string */
	fmt_identifier_free(id);
}

static const char two_sigs[] =
	"<InternalSignature ID=\"1\">" BOF(SUB("1", "0", " SubSeqMaxOffset=\"0\"",
		"<Sequence>5050</Sequence>")) "</InternalSignature>"
	"<InternalSignature ID=\"2\">" BOF(SUB("1", "0", " SubSeqMaxOffset=\"0\"",
		"<Sequence>505051</Sequence>")) "</InternalSignature>";

static void sigfile__priorities_after_matching(void **state)
{
	struct fmt_identifier *id;
	struct fmt_result r;

	(void)state;
	/* without priority: both, with a warning on each */
	id = load(two_sigs,
		  "<FileFormat ID=\"1\" PUID=\"fmt/1\" Name=\"Gen\"><InternalSignatureID>1</InternalSignatureID><Extension>p</Extension></FileFormat>"
		  "<FileFormat ID=\"2\" PUID=\"fmt/2\" Name=\"Spec\"><InternalSignatureID>2</InternalSignatureID><Extension>p</Extension></FileFormat>");
	assert_int_equal(fmt_test_ident(id, "PPQ", 3, 1, "a.p", &r), 0);
	assert_int_equal(r.nmatches, 2);
	assert_string_equal(r.matches[0].puid, "fmt/1");
	assert_string_equal(r.matches[1].puid, "fmt/2");
	assert_string_equal(r.matches[1].warnings[0],
			    "multiple matches: fmt/1, fmt/2");
	fmt_identifier_free(id);
	/* fmt/2 has priority over FileFormat ID 1 */
	id = load(two_sigs,
		  "<FileFormat ID=\"1\" PUID=\"fmt/1\" Name=\"Gen\"><InternalSignatureID>1</InternalSignatureID><Extension>p</Extension></FileFormat>"
		  "<FileFormat ID=\"2\" PUID=\"fmt/2\" Name=\"Spec\"><InternalSignatureID>2</InternalSignatureID><Extension>p</Extension>"
		  "<HasPriorityOverFileFormatID>1</HasPriorityOverFileFormatID></FileFormat>");
	assert_int_equal(fmt_test_ident(id, "PPQ", 3, 1, "a.p", &r), 0);
	assert_int_equal(r.nmatches, 1);
	assert_string_equal(r.matches[0].puid, "fmt/2");
	assert_int_equal(r.matches[0].nwarnings, 0);
	/* only the generic one matches: it stays */
	assert_int_equal(fmt_test_ident(id, "PPX", 3, 1, "a.p", &r), 0);
	assert_int_equal(r.nmatches, 1);
	assert_string_equal(r.matches[0].puid, "fmt/1");
	/* extension mismatch is per result */
	assert_int_equal(fmt_test_ident(id, "PPQ", 3, 1, "a.zip", &r), 0);
	assert_string_equal(r.matches[0].warnings[0], "extension mismatch");
	fmt_identifier_free(id);
}

static void sigfile__extension_fallback(void **state)
{
	struct fmt_identifier *id = load(two_sigs,
		"<FileFormat ID=\"1\" PUID=\"fmt/1\" Name=\"Gen\"><InternalSignatureID>1</InternalSignatureID><Extension>sig</Extension></FileFormat>"
		"<FileFormat ID=\"3\" PUID=\"x-fmt/3\" Name=\"Tentative\"><Extension>tnt</Extension></FileFormat>");
	struct fmt_result r;

	(void)state;
	assert_int_equal(fmt_test_ident(id, "\x01\x02", 2, 4, "dir/A.TNT", &r), 0);
	assert_int_equal(r.nmatches, 1);
	assert_string_equal(r.matches[0].puid, "x-fmt/3");
	assert_int_equal(r.matches[0].basis, FMT_BASIS_EXTENSION);
	assert_string_equal(r.matches[0].warnings[0], "match on extension only");
	/* a format with a signature is never given on its extension */
	assert_int_equal(fmt_test_ident(id, "\x01\x02", 2, 4, "a.sig", &r), 0);
	assert_int_equal(r.nmatches, 0);
	/* a signature match beats the extension */
	assert_int_equal(fmt_test_ident(id, "PP", 2, 4, "a.tnt", &r), 0);
	assert_int_equal(r.nmatches, 1);
	assert_string_equal(r.matches[0].puid, "fmt/1");
	assert_int_equal(r.matches[0].basis, FMT_BASIS_SIGNATURE);
	fmt_identifier_free(id);
}

static void expect_load_error(const char *xml, const char *want)
{
	struct fmt_identifier *id = NULL;
	struct custos_err err;
	const char *path = fmt_test_write(xml);

	assert_int_equal(fmt_identifier_load(&id, path, NULL, &err), -1);
	assert_null(id);
	assert_int_equal(err.code, CUSTOS_EFORMAT);
	if (!strstr(err.msg, want))
		fail_msg("'%s' lacks '%s'", err.msg, want);
	assert_non_null(strstr(err.msg, path));
	unlink(path);
}

static void sigfile__malformed_names_the_line(void **state)
{
	(void)state;
	expect_load_error(HEAD "<InternalSignatureCollection>\n"
			  "<InternalSignature ID=\"1\">\n</Oops>\n",
			  "line 4");
	expect_load_error(HEAD "<InternalSignatureCollection>\n"
			  "<InternalSignature ID=\"1\"><ByteSequence Reference=\"BOFoffset\">\n"
			  "<SubSequence Position=\"1\" SubSeqMinOffset=\"0\">\n"
			  "<Sequence>4G</Sequence></SubSequence></ByteSequence>\n"
			  "</InternalSignature></InternalSignatureCollection>\n"
			  "<FileFormatCollection/></FFSignatureFile>\n",
			  "line 6: bad Sequence");
	expect_load_error(HEAD "<InternalSignatureCollection/>\n"
			  "<FileFormatCollection>\n"
			  "<FileFormat ID=\"1\" PUID=\"fmt/1\">\n"
			  "<InternalSignatureID>99</InternalSignatureID></FileFormat>\n"
			  "</FileFormatCollection></FFSignatureFile>\n",
			  "line 5: unknown InternalSignatureID 99");
	expect_load_error(HEAD "<InternalSignatureCollection>\n"
			  "<InternalSignature ID=\"1\"><ByteSequence Reference=\"BOFoffset\">\n"
			  "<SubSequence Position=\"1\" SubSeqMinOffset=\"x\">\n"
			  "<Sequence>41</Sequence></SubSequence></ByteSequence>\n"
			  "</InternalSignature></InternalSignatureCollection>\n"
			  "<FileFormatCollection/></FFSignatureFile>\n",
			  "line 5: SubSeqMinOffset=\"x\" is not a number");
	expect_load_error("<nothing/>", "not FFSignatureFile");
}

/* The single read pass: core's fio_readpass feeds the scan as a sink. */
static void sigfile__readpass_sink(void **state)
{
	struct fmt_identifier *id = load_one(
		BOF(SUB("1", "0", " SubSeqMaxOffset=\"0\"", "<Sequence>4746</Sequence>")));
	const char *path = fmt_test_write("GF and more");
	struct fio_sink sink = { fmt_scan_sink, NULL };
	struct fmt_scan *s = NULL;
	struct fmt_result r;
	struct custos_err err;
	unsigned char buf[4];
	uint64_t total = 0;
	int fd;

	(void)state;
	assert_int_equal(fmt_scan_new(&s, id, &err), 0);
	sink.arg = s;
	fd = fio_open_regular(AT_FDCWD, path, path, &err);
	assert_true(fd >= 0);
	assert_int_equal(fio_readpass(fd, path, buf, sizeof(buf), NULL, &sink,
				      &total, &err), 0);
	assert_int_equal(total, 11);
	assert_int_equal(fmt_scan_finish(s, path, total, fd, &r, &err), 0);
	assert_int_equal(r.nmatches, 1);
	assert_string_equal(r.matches[0].puid, "fmt/1");
	close(fd);
	unlink(path);
	fmt_scan_free(s);
	fmt_identifier_free(id);
}

/* Beyond FMT_WHOLE_MAX only head and tail are kept: EOF still found. */
static void sigfile__streaming_large_file(void **state)
{
	struct fmt_identifier *id = load_one(
		BOF(SUB("1", "0", " SubSeqMaxOffset=\"0\"", "<Sequence>4746</Sequence>"))
		EOFS(SUB("1", "0", " SubSeqMaxOffset=\"0\"", "<Sequence>454E44</Sequence>")));
	size_t len = 3u << 20;
	char *big = calloc(1, len);
	struct fmt_result r;

	(void)state;
	assert_non_null(big);
	memcpy(big, "GF", 2);
	memcpy(big + len - 3, "END", 3);
	assert_int_equal(fmt_test_ident(id, big, len, 65536 + 7, "b.aaa", &r), 0);
	assert_int_equal(r.nmatches, 1);
	assert_string_equal(r.matches[0].evidence,
			    "byte match at 0,2; 3145725,3 (signature 1)");
	big[len - 1] = 'X';
	assert_int_equal(fmt_test_ident(id, big, len, 1u << 20, "b.aaa", &r), 0);
	assert_int_equal(r.nmatches, 0);
	free(big);
	fmt_identifier_free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sigfile__bof_window),
		cmocka_unit_test(sigfile__eof_and_variable),
		cmocka_unit_test(sigfile__subsequences_in_order),
		cmocka_unit_test(sigfile__fragments),
		cmocka_unit_test(sigfile__multibyte_range_and_negation),
		cmocka_unit_test(sigfile__priorities_after_matching),
		cmocka_unit_test(sigfile__extension_fallback),
		cmocka_unit_test(sigfile__malformed_names_the_line),
		cmocka_unit_test(sigfile__streaming_large_file),
		cmocka_unit_test(sigfile__readpass_sink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
