/*
 * tests/formats/test_exprcompile.c - the PRONOM expression compiler used by
 * the built-in set: subsequence splitting at unbounded gaps, anchor choice,
 * fragments with gaps and alternatives, quoted text, sets, ??, bitmasks,
 * offsets windows, EOF expressions, and syntax errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "formats/matcher.h"
#include "formats/sigmodel.h"

static struct arena arena;

static int teardown(void **state)
{
	(void)state;
	arena_release(&arena);
	return 0;
}

static void compile(const char *expr, enum sig_ref ref, uint64_t lo,
		    uint64_t hi, struct sig_byteseq *bs)
{
	char why[160];

	if (sig_compile_expr(&arena, expr, ref, lo, hi, bs, why, sizeof(why)))
		fail_msg("'%s': %s", expr, why);
}

/* Does BS match BUF (seen whole)? Span into *span. */
static bool match(struct sig_byteseq *bs, const char *buf, size_t len,
		  struct sig_span *span)
{
	struct sig_internal is = { .id = 1, .nseqs = 1, .seqs = bs };
	struct sig_view v = { .size = len, .whole = true };
	struct sig_span tmp;

	v.head = (struct sig_segment){ (const unsigned char *)buf, len, 0 };
	v.tail = v.head;
	return sig_internal_match(&is, &v, span ? span : &tmp);
}

static void expr__splits_and_anchors(void **state)
{
	struct sig_byteseq bs;
	struct sig_span sp;

	(void)state;
	compile("'%PDF-1.' [30:37] {2-4} 0A * 'trailer'", SIG_REF_BOF, 0, 0, &bs);
	assert_int_equal(bs.nsubs, 2);
	assert_int_equal(bs.subs[0].alen, 7);            /* '%PDF-1.' */
	assert_memory_equal(bs.subs[0].anchor, "%PDF-1.", 7);
	assert_int_equal(bs.subs[0].nright, 2);
	assert_int_equal(bs.subs[0].right[1].alts[0].min, 2);
	assert_int_equal(bs.subs[0].right[1].alts[0].max, 4);
	assert_int_equal(bs.subs[1].alen, 7);
	assert_true(match(&bs, "%PDF-1.4xx\n...trailer", 21, &sp));
	assert_int_equal(sp.off, 0);
	assert_int_equal(sp.len, 21);
	assert_true(match(&bs, "%PDF-1.7xxxx\ntrailer", 20, NULL));
	assert_false(match(&bs, "%PDF-1.8xx\ntrailer", 18, NULL));  /* [30:37] */
	assert_false(match(&bs, "%PDF-1.4x\ntrailer", 17, NULL));   /* {2-4} */
	assert_false(match(&bs, "%PDF-1.4xx\n", 11, NULL));         /* no tail */
	assert_false(match(&bs, " %PDF-1.4xx\ntrailer", 19, NULL)); /* at 0 */
}

static void expr__alternatives_sets_masks(void **state)
{
	struct sig_byteseq bs;

	(void)state;
	compile("('ab'|'xyz') ?? 'KEY' [&81] [~06] [!'a'-'z'] [00 'A'-'C' &F0]",
		SIG_REF_BOF, 0, 2, &bs);
	assert_int_equal(bs.nsubs, 1);
	assert_memory_equal(bs.subs[0].anchor, "KEY", 3);
	assert_int_equal(bs.subs[0].nleft, 2);          /* ??, (ab|xyz) */
	assert_int_equal(bs.subs[0].left[1].nalts, 2);
	assert_true(match(&bs, "ab.KEY\x81\x02" "AB", 10, NULL));
	assert_true(match(&bs, "..xyz.KEY\xff\x04" "5\xf3", 13, NULL));
	assert_false(match(&bs, "...xyz.KEY\xff\x04" "5\xf3", 14, NULL)); /* window */
	assert_false(match(&bs, "ab.KEY\x80\x02" "AB", 10, NULL));  /* &81 */
	assert_false(match(&bs, "ab.KEY\x81\x01" "AB", 10, NULL));  /* ~06 */
	assert_false(match(&bs, "ab.KEY\x81\x02" "aB", 10, NULL));  /* !a-z */
	assert_false(match(&bs, "ab.KEY\x81\x02" "AD", 10, NULL));  /* set */
	assert_true(match(&bs, "ab.KEY\x81\x02" "A\x00", 10, NULL));
}

static void expr__eof_window_and_var(void **state)
{
	struct sig_byteseq bs;
	struct sig_span sp;

	(void)state;
	compile("'%%EOF' {0-2}", SIG_REF_EOF, 0, 4, &bs);
	assert_int_equal(bs.subs[0].maxoff, 6);          /* trailing gap folded */
	assert_true(match(&bs, "xx%%EOF", 7, &sp));
	assert_int_equal(sp.off, 2);
	assert_true(match(&bs, "xx%%EOF\r\n\r\n..", 13, NULL));
	assert_false(match(&bs, "xx%%EOF\r\n\r\n....", 15, NULL));
	compile("'abc' {3-*} 'def'", SIG_REF_VAR, 0, SIG_NO_MAX, &bs);
	assert_true(match(&bs, "....abc...def", 13, NULL));
	assert_false(match(&bs, "....abc..def", 12, NULL));
	assert_false(match(&bs, "def...abc", 9, NULL));
}

static void expr__syntax_errors(void **state)
{
	static const char *bad[] = {
		"4G", "'open", "[30:", "(41|", "(41|)", "41 {3", "41 {5-2} 42",
		"* 41", "41 *", "[]", "[31:30]", "A", "41 @",
	};
	struct sig_byteseq bs;
	char why[160];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		if (!sig_compile_expr(&arena, bad[i], SIG_REF_BOF, 0, 0, &bs, why,
				      sizeof(why)))
			fail_msg("'%s' compiled", bad[i]);
		assert_true(why[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expr__splits_and_anchors),
		cmocka_unit_test(expr__alternatives_sets_masks),
		cmocka_unit_test(expr__eof_window_and_var),
		cmocka_unit_test(expr__syntax_errors),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
