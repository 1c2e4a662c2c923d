/*
 * preserve/bagit/validate_tags.c - the bag declaration (bagit.txt), bag-info.txt
 * and Payload-Oxum: RFC 8493 sec. 2.1.1, 2.2.2, and the older drafts
 * (0.93-0.95 call bag-info "package-info.txt").
 */
#include "preserve/bagit/validate_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ckd.h"
#include "core/text.h"

bool vtags_is_v1(const struct vstate *st)
{
	return st->major >= 1;
}

static void report_bad_utf8(struct vstate *st, const char *relpath,
			    const char *encoding)
{
	problems_error(st->r, "bad-encoding", relpath,
		     "'%s' is not valid %s text", relpath, encoding);
}

void vtags_report_bom(struct vstate *st, const char *relpath)
{
	problems_add(st->r, vtags_is_v1(st) ? PROBLEM_ERROR : PROBLEM_WARNING,
		     "byte-order-mark", relpath, NULL, NULL,
		     "'%s' starts with a UTF-8 byte-order mark%s", relpath,
		     vtags_is_v1(st) ? ", which BagIt 1.0 forbids in tag files" : "");
}

int vtags_read_text(struct vstate *st, const char *relpath, size_t max,
		    char **out, size_t *len)
{
	struct custos_err err;
	const char *enc = st->encoding ? st->encoding : "UTF-8";
	char *raw = NULL;
	size_t rawlen = 0;
	int rc;

	err_clear(&err);
	rc = bagsrc_read_tag(st->src, relpath, max, &raw, &rawlen, &err);
	if (rc == 1)
		return 1;
	if (rc < 0) {
		problems_error(st->r, err.code == CUSTOS_ELIMIT ? "too-large" :
			     "unreadable-file", relpath, "%s", err.msg);
		return -1;
	}
	if (!text_is_utf8_name(enc)) {
		char *conv = NULL;

		if (text_to_utf8(&conv, len, raw, rawlen, enc, relpath, &err) < 0) {
			problems_error(st->r, "bad-encoding", relpath, "%s", err.msg);
			free(raw);
			return -1;
		}
		free(raw);
		*out = conv;
		return 0;
	}
	if (rawlen >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
		vtags_report_bom(st, relpath);
		memmove(raw, raw + 3, rawlen - 3 + 1);
		rawlen -= 3;
	}
	if (!text_utf8_valid(raw, rawlen)) {
		report_bad_utf8(st, relpath, enc);
		free(raw);
		return -1;
	}
	*out = raw;
	*len = rawlen;
	return 0;
}

/* "M.N" with digits only; fills major/minor. */
static bool parse_version(const char *v, int *major, int *minor)
{
	char *end;
	long a, b;

	if (!isdigit((unsigned char)v[0]))
		return false;
	a = strtol(v, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return false;
	b = strtol(end + 1, &end, 10);
	if (*end || a > 99 || b > 99)
		return false;
	*major = (int)a;
	*minor = (int)b;
	return true;
}

static void check_version(struct vstate *st, const char *v)
{
	static const char *const known[] = { "0.93", "0.94", "0.95", "0.96",
					     "0.97", "1.0" };
	bool ok = false;

	if (!parse_version(v, &st->major, &st->minor)) {
		st->major = st->minor = -1;
		problems_error(st->r, "bad-bagit-txt", "bagit.txt",
			     "'bagit.txt': BagIt-Version '%s' is not of the form M.N",
			     v);
		return;
	}
	snprintf(st->res->version, sizeof(st->res->version), "%s", v);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok |= strcmp(v, known[i]) == 0;
	if (ok)
		return;
	if (st->major == 1)
		problems_warn(st->r, "unknown-version", "bagit.txt",
			    "'bagit.txt': BagIt-Version %s is newer than custos knows; checked as 1.0",
			    v);
	else
		problems_error(st->r, "unsupported-version", "bagit.txt",
			     "'bagit.txt': BagIt-Version %s is not a BagIt version custos supports (0.93 to 1.0)",
			     v);
}

static void check_declaration_tags(struct vstate *st, const struct tagfile *t)
{
	const char *enc;

	if (t->count < 1 || strcmp(t->tags[0].label, "BagIt-Version") != 0) {
		problems_error(st->r, "bad-bagit-txt", "bagit.txt",
			     "'bagit.txt': first line must be 'BagIt-Version: M.N'");
	} else {
		check_version(st, t->tags[0].value);
	}
	if (t->count < 2 ||
	    strcmp(t->tags[1].label, "Tag-File-Character-Encoding") != 0) {
		problems_error(st->r, "bad-bagit-txt", "bagit.txt",
			     "'bagit.txt': second line must be 'Tag-File-Character-Encoding: ENCODING'");
		return;
	}
	enc = t->tags[1].value;
	if (!*enc) {
		problems_error(st->r, "bad-bagit-txt", "bagit.txt",
			     "'bagit.txt': Tag-File-Character-Encoding is empty");
		return;
	}
	st->encoding = strdup(enc);
	if (t->count > 2)
		problems_add(st->r, vtags_is_v1(st) ? PROBLEM_ERROR : PROBLEM_WARNING,
			   "bad-bagit-txt", "bagit.txt", NULL, NULL,
			   "'bagit.txt' has %zu lines; it must have exactly two",
			   t->count);
}

void vtags_check_declaration(struct vstate *st)
{
	struct custos_err err;
	struct tagfile t;
	char *raw = NULL;
	size_t len = 0;
	int rc;

	err_clear(&err);
	rc = bagsrc_read_tag(st->src, "bagit.txt", BAGIT_TXT_MAX, &raw, &len, &err);
	if (rc == 1) {
		problems_error(st->r, "missing-bagit-txt", "bagit.txt",
			     "'bagit.txt' is missing: this is not a bag");
		return;
	}
	if (rc < 0) {
		problems_error(st->r, "bad-bagit-txt", "bagit.txt", "%s", err.msg);
		return;
	}
	if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
		problems_error(st->r, "bad-bagit-txt", "bagit.txt",
			     "'bagit.txt' starts with a byte-order mark, which RFC 8493 forbids");
	else if (!text_utf8_valid(raw, len))
		report_bad_utf8(st, "bagit.txt", "UTF-8");
	else if (tagfile_parse(&t, raw, len, "bagit.txt", TAGFILE_DECLARATION,
			       st->r) == 0) {
		check_declaration_tags(st, &t);
		tagfile_release(&t);
	}
	free(raw);
}

/* Reserved elements that RFC 8493 2.2.2 says SHOULD NOT repeat. */
static void check_reserved_repeats(struct vstate *st, const char *name)
{
	static const char *const once[] = { "Bagging-Date", "Bag-Size",
		"Bag-Group-Identifier", "Bag-Count" };

	/* RFC 8493 2.2.2: Payload-Oxum MUST NOT be repeated */
	if (tagfile_count_label(&st->info, "Payload-Oxum") > 1)
		problems_error(st->r, "repeated-oxum", name,
			     "'%s': Payload-Oxum appears %zu times; it must appear once",
			     name, tagfile_count_label(&st->info, "Payload-Oxum"));
	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++)
		if (tagfile_count_label(&st->info, once[i]) > 1)
			problems_warn(st->r, "repeated-tag", name,
				    "'%s': %s appears more than once", name,
				    once[i]);
}

void vtags_check_bag_info(struct vstate *st)
{
	const char *name = "bag-info.txt";
	char *text = NULL;
	size_t len = 0;
	int rc;

	rc = vtags_read_text(st, name, BAG_INFO_MAX, &text, &len);
	if (rc == 1 && st->major == 0 && st->minor <= 95) {
		name = "package-info.txt";
		rc = vtags_read_text(st, name, BAG_INFO_MAX, &text, &len);
	}
	st->info_refused = rc < 0;
	if (rc != 0)
		return;
	if (tagfile_parse(&st->info, text, len, name, vtags_is_v1(st) ?
			  TAGFILE_BAG_INFO_V1 : TAGFILE_BAG_INFO, st->r) == 0) {
		st->has_info = true;
		check_reserved_repeats(st, name);
	}
	free(text);
}

/* "OCTETS.COUNT", digits only. */
static bool parse_oxum(const char *s, uint64_t *octets, uint64_t *count)
{
	uint64_t v[2] = { 0, 0 };
	int k = 0;
	bool digit = false;

	for (; *s; s++) {
		if (*s == '.' && k == 0 && digit) {
			k = 1;
			digit = false;
			continue;
		}
		if (!isdigit((unsigned char)*s) || ckd_mul_u64(&v[k], v[k], 10) ||
		    ckd_add_u64(&v[k], v[k], (uint64_t)(*s - '0')))
			return false;
		digit = true;
	}
	if (k != 1 || !digit)
		return false;
	*octets = v[0];
	*count = v[1];
	return true;
}

void vtags_check_oxum(struct vstate *st)
{
	const char *oxum = st->has_info ? tagfile_get(&st->info, "Payload-Oxum")
					: NULL;
	uint64_t octets, count, files = st->res->files, bytes = st->res->bytes;
	char want[48], got[48];

	if (!oxum && st->info_refused)
		return;                      /* bag-info.txt was reported */
	if (!oxum) {
		problems_warn(st->r, "no-oxum", "bag-info.txt", "%s",
			    st->o->mode == VALIDATE_FAST ?
			    "no Payload-Oxum in bag-info.txt: --fast could only check the structure" :
			    "no Payload-Oxum in bag-info.txt: a copy cut short cannot be told quickly");
		return;
	}
	if (!parse_oxum(oxum, &octets, &count)) {
		problems_error(st->r, "bad-oxum", "bag-info.txt",
			     "'bag-info.txt': Payload-Oxum '%s' is not OCTETS.COUNT",
			     oxum);
		return;
	}
	if (octets == bytes && count == files)
		return;
	snprintf(want, sizeof(want), "%s", oxum);
	snprintf(got, sizeof(got), "%llu.%llu", (unsigned long long)bytes,
		 (unsigned long long)files);
	/* system files some copy tool dropped explain a count difference */
	if (st->excused_files && count == files + st->excused_files &&
	    octets >= bytes) {
		problems_add(st->r, PROBLEM_WARNING, "oxum-mismatch", "bag-info.txt",
			   want, got,
			   "Payload-Oxum %s differs from the payload (%s) only by absent system files",
			   oxum, got);
		return;
	}
	problems_add(st->r, PROBLEM_ERROR, "oxum-mismatch", "bag-info.txt", want, got,
		   "Payload-Oxum says %llu bytes in %llu files, but the payload holds %llu bytes in %llu files",
		   (unsigned long long)octets, (unsigned long long)count,
		   (unsigned long long)bytes, (unsigned long long)files);
}
