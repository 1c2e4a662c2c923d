/*
 * tests/fuzz/fuzz_bagparsers.c - libFuzzer target for every parser of outside
 * bag text: bagit.txt and bag-info.txt (tagfile), manifests, fetch.txt,
 * path decoding/normalization and tag-file encoding conversion. The first
 * input byte picks the parser, the rest is the file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "preserve/bagit/bagpath.h"
#include "preserve/bagit/fetch.h"
#include "preserve/bagit/manifest.h"
#include "preserve/bagit/tagfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True if PATH has a component that is exactly "..". */
static int has_dotdot(const char *path)
{
	for (const char *p = path; *p; ) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n + (p[n] == '/');
	}
	return 0;
}

static void fuzz_path(const char *s)
{
	char *dec = NULL, *canon = NULL, *enc = NULL;
	unsigned flags;

	if (bagpath_decode(&dec, s) == 0 &&
	    relpath_normalize(&canon, dec, &flags) == RELPATH_OK) {
		/* a canonical path never escapes */
		if (canon[0] == '/' || canon[0] == '~' || has_dotdot(canon))
			abort();
		if (bagpath_encode(&enc, canon) == 0 && strpbrk(enc, "\r\n"))
			abort();
	}
	free(dec);
	free(canon);
	free(enc);
}

/* The manifest fed in chunks of a size picked from SEL gives what the
 * whole text gave (or stops at a line that is not UTF-8, which the
 * whole parse reports as bad-encoding). */
static void fuzz_stream(const char *text, size_t len, uint8_t sel,
			const struct manifest *whole)
{
	struct manifest parts;
	struct manifest_stream *ms;
	struct problems r;
	size_t chunk = 1 + sel / 6 % 7, bad;
	int rc = 0;

	problems_init(&r);
	if (manifest_stream_begin(&ms, &parts, "manifest-sha256.txt",
				  DIGEST_SHA256, &r) < 0)
		goto out;
	for (size_t at = 0; at < len && rc == 0; at += chunk)
		rc = manifest_stream_feed(ms, text + at,
					  len - at < chunk ? len - at : chunk);
	rc = manifest_stream_end(ms, &bad);
	if (rc == 0 && parts.count != whole->count)
		abort();
	for (size_t i = 0; rc == 0 && i < parts.count; i++)
		if (strcmp(parts.entries[i].path, whole->entries[i].path) ||
		    parts.entries[i].line != whole->entries[i].line ||
		    memcmp(parts.entries[i].digest, whole->entries[i].digest,
			   sizeof(parts.entries[i].digest)))
			abort();
	if (rc == 0)
		manifest_release(&parts);
out:
	problems_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct problems r;
	char *text;

	if (size < 1)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	problems_init(&r);
	switch (data[0] % 6) {
	case 0: case 1: {
		struct tagfile t;

		if (tagfile_parse(&t, text, size - 1, "bag-info.txt", data[0] % 2 ?
				  TAGFILE_DECLARATION : TAGFILE_BAG_INFO, &r) == 0)
			tagfile_release(&t);
		break;
	}
	case 2: {
		struct manifest m;

		if (manifest_parse(&m, "manifest-sha256.txt", DIGEST_SHA256, text,
				   size - 1, &r) == 0) {
			for (size_t i = 0; i < m.count; i++)
				if (m.entries[i].path[0] == '/' ||
				    has_dotdot(m.entries[i].path))
					abort();
			fuzz_stream(text, size - 1, data[0], &m);
			manifest_release(&m);
		}
		break;
	}
	case 3: {
		struct fetch_list f;

		if (fetch_parse(&f, text, size - 1, &r) == 0)
			fetch_release(&f);
		break;
	}
	case 4:
		fuzz_path(text);
		break;
	case 5: {
		char *out = NULL;
		size_t outlen;

		if (text_to_utf8(&out, &outlen, text, size - 1, "UTF-16", "x",
				 NULL) == 0) {
			if (!text_utf8_valid(out, outlen))
				abort();
			free(out);
		}
		(void)text_utf8_valid(text, size - 1);
		break;
	}
	}
	problems_release(&r);
	free(text);
	return 0;
}
