/*
 * preserve/bagwrite.c - producing tag files. Manifests use two spaces
 * between digest and path, so `sha256sum -c manifest-sha256.txt` works
 * inside the bag; paths are percent-encoded as RFC 8493 2.1.3 requires.
 */
#include "preserve/bagwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/fileio.h"
#include "core/strbuf.h"
#include "preserve/bagpath.h"

#define TAG_TEXT_MAX ((size_t)1 << 31)

int bagwrite_is_reserved_tag(const char *label)
{
	return !strcasecmp(label, "Payload-Oxum") ||
	       !strcasecmp(label, "Bagging-Date") ||
	       !strcasecmp(label, "Bag-Software-Agent");
}

/* Remember a written tag file's bytes for the tag manifests. */
struct written {
	char *name;
	char hex[DIGEST_COUNT][DIGEST_HEX_MAX];
};

static int put_file(const char *dir, const char *name, const char *data,
		    size_t len, digest_mask algs, struct written *w,
		    struct custos_err *err)
{
	char *path = fio_join(dir, name);
	int rc;

	if (!path || !(w->name = strdup(name))) {
		free(path);
		return err_nomem(err);
	}
	rc = fio_write_atomic(path, data, len, err);
	free(path);
	for (int a = 0; rc == 0 && a < DIGEST_COUNT; a++)
		if (algs & DIGEST_BIT(a))
			rc = digest_buffer((enum digest_alg)a, data, len, w->hex[a], err);
	return rc;
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

static int build_manifest(struct strbuf *b, enum digest_alg alg,
			  const struct bagwrite_file *files, size_t n,
			  struct custos_err *err)
{
	for (size_t i = 0; i < n; i++) {
		char *enc = NULL;

		if (bagpath_encode(&enc, files[i].path) < 0)
			return err_nomem(err);
		strbuf_addf(b, "%s  %s\n", files[i].dig->hex[alg], enc);
		free(enc);
	}
	return strbuf_check(b, err);
}

static int write_tag_manifests(const char *dir, digest_mask algs,
			       const struct written *w, size_t nw,
			       struct custos_err *err)
{
	for (int a = 0; a < DIGEST_COUNT; a++) {
		struct strbuf b;
		char name[64];
		struct written ignored = { 0 };
		int rc;

		if (!(algs & DIGEST_BIT(a)))
			continue;
		strbuf_init(&b, TAG_TEXT_MAX);
		for (size_t i = 0; i < nw; i++) {
			char *enc = NULL;

			if (bagpath_encode(&enc, w[i].name) < 0) {
				strbuf_release(&b);
				return err_nomem(err);
			}
			strbuf_addf(&b, "%s  %s\n", w[i].hex[a], enc);
			free(enc);
		}
		snprintf(name, sizeof(name), "tagmanifest-%s.txt",
			 digest_name((enum digest_alg)a));
		rc = strbuf_check(&b, err);
		if (rc == 0)
			rc = put_file(dir, name, b.data ? b.data : "", b.len, 0,
				      &ignored, err);
		free(ignored.name);
		strbuf_release(&b);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int bag_write_tags(const char *dir, const struct bagwrite_opts *o,
		   const struct bagwrite_file *files, size_t n,
		   struct custos_err *err)
{
	static const char decl[] =
		"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	size_t cap = 2 + o->nextra + DIGEST_COUNT, nw = 0;
	struct written *w = calloc(cap, sizeof(*w));
	struct strbuf b;
	int rc = -1;

	if (!w)
		return err_nomem(err);
	strbuf_init(&b, TAG_TEXT_MAX);
	if (put_file(dir, "bagit.txt", decl, sizeof(decl) - 1, o->algs,
		     &w[nw++], err) < 0)
		goto out;
	build_bag_info(&b, o, files, n);
	if (strbuf_check(&b, err) < 0 ||
	    put_file(dir, "bag-info.txt", b.data, b.len, o->algs, &w[nw++], err) < 0)
		goto out;
	for (size_t i = 0; i < o->nextra; i++)
		if (put_file(dir, o->extra[i].name, o->extra[i].data,
			     o->extra[i].len, o->algs, &w[nw++], err) < 0)
			goto out;
	for (int a = 0; a < DIGEST_COUNT; a++) {
		char name[64];

		if (!(o->algs & DIGEST_BIT(a)))
			continue;
		strbuf_release(&b);
		strbuf_init(&b, TAG_TEXT_MAX);
		snprintf(name, sizeof(name), "manifest-%s.txt",
			 digest_name((enum digest_alg)a));
		if (build_manifest(&b, (enum digest_alg)a, files, n, err) < 0 ||
		    put_file(dir, name, b.data ? b.data : "", b.len, o->algs,
			     &w[nw++], err) < 0)
			goto out;
	}
	rc = write_tag_manifests(dir, o->algs, w, nw, err);
out:
	for (size_t i = 0; i < nw; i++)
		free(w[i].name);
	free(w);
	strbuf_release(&b);
	return rc;
}
