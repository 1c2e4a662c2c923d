/*
 * preserve/bagit/bagwrite.c - producing tag files. Manifests use two spaces
 * between digest and path, so `sha256sum -c manifest-sha256.txt` works
 * inside the bag; paths are percent-encoded as RFC 8493 2.1.3 requires.
 */
#include "preserve/bagit/bagwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/fileio.h"
#include "core/strbuf.h"
#include "preserve/bagit/bagpath.h"

#define TAG_TEXT_MAX ((size_t)1 << 31)

int bagwrite_is_reserved_tag(const char *label)
{
	return !strcasecmp(label, "Payload-Oxum") ||
	       !strcasecmp(label, "Bagging-Date") ||
	       !strcasecmp(label, "Bag-Software-Agent");
}

void bagwrite_tags_free(struct bagwrite_tagfile *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free((char *)t[i].name);
		free((char *)t[i].data);
	}
	free(t);
}

/* Move the finished text of B into the next tag file slot. */
static int take(struct bagwrite_tagfile *slot, const char *name,
		struct strbuf *b, struct custos_err *err)
{
	if (strbuf_check(b, err) < 0)
		return -1;
	slot->name = strdup(name);
	slot->data = b->data ? b->data : strdup("");
	slot->len = b->len;
	b->data = NULL;
	strbuf_release(b);
	if (!slot->name || !slot->data)
		return err_nomem(err);
	return 0;
}

static void build_bag_info(struct strbuf *b, const struct bagwrite_opts *o,
			   const struct bagwrite_file *files, size_t n)
{
	uint64_t bytes = 0;
	char date[16];
	time_t now = time(NULL);
	struct tm tm;

	for (size_t i = 0; i < n; i++)
		bytes += files[i].size;
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	strbuf_addf(b, "Bag-Software-Agent: custos %s\n", CUSTOS_VERSION);
	strbuf_addf(b, "Bagging-Date: %s\n", date);
	strbuf_addf(b, "Payload-Oxum: %llu.%zu\n", (unsigned long long)bytes, n);
	for (size_t i = 0; i < o->ninfo; i++)
		strbuf_addf(b, "%s: %s\n", o->info[i].label, o->info[i].value);
}

/* One "DIGEST  PATH" line per entry. */
static int add_line(struct strbuf *b, const char *hex, const char *path,
		    struct custos_err *err)
{
	char *enc = NULL;

	if (bagpath_encode(&enc, path) < 0)
		return err_nomem(err);
	strbuf_addf(b, "%s  %s\n", hex, enc);
	free(enc);
	return 0;
}

static int build_manifests(struct bagwrite_tagfile *t, size_t *nt,
			   const struct bagwrite_opts *o,
			   const struct bagwrite_file *files, size_t n,
			   struct custos_err *err)
{
	for (int a = 0; a < DIGEST_COUNT; a++) {
		struct strbuf b;
		char name[64];

		if (!(o->algs & DIGEST_BIT(a)))
			continue;
		strbuf_init(&b, TAG_TEXT_MAX);
		for (size_t i = 0; i < n; i++)
			if (add_line(&b, files[i].dig->hex[a], files[i].path, err) < 0) {
				strbuf_release(&b);
				return -1;
			}
		snprintf(name, sizeof(name), "manifest-%s.txt",
			 digest_name((enum digest_alg)a));
		if (take(&t[(*nt)++], name, &b, err) < 0)
			return -1;
	}
	return 0;
}

static int build_tag_manifests(struct bagwrite_tagfile *t, size_t *nt,
			       digest_mask algs, struct custos_err *err)
{
	size_t covered = *nt;

	for (int a = 0; a < DIGEST_COUNT; a++) {
		struct strbuf b;
		char name[64], hex[DIGEST_HEX_MAX];

		if (!(algs & DIGEST_BIT(a)))
			continue;
		strbuf_init(&b, TAG_TEXT_MAX);
		for (size_t i = 0; i < covered; i++)
			if (digest_buffer((enum digest_alg)a, t[i].data, t[i].len, hex,
					  err) < 0 ||
			    add_line(&b, hex, t[i].name, err) < 0) {
				strbuf_release(&b);
				return -1;
			}
		snprintf(name, sizeof(name), "tagmanifest-%s.txt",
			 digest_name((enum digest_alg)a));
		if (take(&t[(*nt)++], name, &b, err) < 0)
			return -1;
	}
	return 0;
}

int bag_build_tags(struct bagwrite_tagfile **out, size_t *nout,
		   const struct bagwrite_opts *o,
		   const struct bagwrite_file *files, size_t n,
		   struct custos_err *err)
{
	static const char decl[] =
		"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	size_t cap = 2 + o->nextra + 2 * DIGEST_COUNT, nt = 0;
	struct bagwrite_tagfile *t = calloc(cap, sizeof(*t));
	struct strbuf b;

	if (!t)
		return err_nomem(err);
	strbuf_init(&b, TAG_TEXT_MAX);
	strbuf_add(&b, decl, sizeof(decl) - 1);
	if (take(&t[nt++], "bagit.txt", &b, err) < 0)
		goto fail;
	strbuf_init(&b, TAG_TEXT_MAX);
	build_bag_info(&b, o, files, n);
	if (take(&t[nt++], "bag-info.txt", &b, err) < 0)
		goto fail;
	for (size_t i = 0; i < o->nextra; i++) {
		strbuf_init(&b, TAG_TEXT_MAX);
		strbuf_add(&b, o->extra[i].data, o->extra[i].len);
		if (take(&t[nt++], o->extra[i].name, &b, err) < 0)
			goto fail;
	}
	if (build_manifests(t, &nt, o, files, n, err) < 0 ||
	    build_tag_manifests(t, &nt, o->algs, err) < 0)
		goto fail;
	*out = t;
	*nout = nt;
	return 0;
fail:
	strbuf_release(&b);
	bagwrite_tags_free(t, nt);
	return -1;
}

int bag_write_tags(const char *dir, const struct bagwrite_opts *o,
		   const struct bagwrite_file *files, size_t n,
		   struct custos_err *err)
{
	struct bagwrite_tagfile *t;
	size_t nt;
	int rc = 0;

	if (bag_build_tags(&t, &nt, o, files, n, err) < 0)
		return -1;
	for (size_t i = 0; i < nt && rc == 0; i++) {
		char *path = fio_join(dir, t[i].name);

		rc = path ? fio_write_atomic(path, t[i].data, t[i].len, err) :
			    err_nomem(err);
		free(path);
	}
	bagwrite_tags_free(t, nt);
	return rc;
}
