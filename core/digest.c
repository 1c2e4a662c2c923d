/*
 * core/digest.c - multi-algorithm digests over OpenSSL EVP.
 * The EVP_MD objects are fetched once (OpenSSL 3 fetch is costly per call,
 * which matters for 50,000 small files); everything else is per set.
 */
#include "core/text.h"
#include "core/digest.h"

#include <ctype.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>

struct alg_info {
	const char *name;       /* BagIt manifest name */
	const char *evp_name;   /* OpenSSL fetch name */
	size_t size;
};

static const struct alg_info algs[DIGEST_COUNT] = {
	[DIGEST_MD5] = { "md5", "MD5", 16 },
	[DIGEST_SHA1] = { "sha1", "SHA1", 20 },
	[DIGEST_SHA224] = { "sha224", "SHA2-224", 28 },
	[DIGEST_SHA256] = { "sha256", "SHA2-256", 32 },
	[DIGEST_SHA384] = { "sha384", "SHA2-384", 48 },
	[DIGEST_SHA512] = { "sha512", "SHA2-512", 64 },
	[DIGEST_BLAKE2B512] = { "blake2b512", "BLAKE2B-512", 64 },
};

/* Names other tools write for the same algorithm. */
static const struct { const char *alias; enum digest_alg alg; } aliases[] = {
	{ "sha-1", DIGEST_SHA1 },       { "sha-224", DIGEST_SHA224 },
	{ "sha-256", DIGEST_SHA256 },   { "sha-384", DIGEST_SHA384 },
	{ "sha-512", DIGEST_SHA512 },   { "blake2b", DIGEST_BLAKE2B512 },
	{ "blake2b-512", DIGEST_BLAKE2B512 },
};

static EVP_MD *fetched[DIGEST_COUNT];
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_all(void)
{
	for (int i = 0; i < DIGEST_COUNT; i++)
		fetched[i] = EVP_MD_fetch(NULL, algs[i].evp_name, NULL);
}

static const EVP_MD *md_of(enum digest_alg alg)
{
	pthread_once(&fetch_once, fetch_all);
	return fetched[alg];
}

const char *digest_name(enum digest_alg alg)
{
	return algs[alg].name;
}

size_t digest_size(enum digest_alg alg)
{
	return algs[alg].size;
}

int digest_from_name(enum digest_alg *out, const char *name)
{
	for (int i = 0; i < DIGEST_COUNT; i++) {
		if (strcasecmp(name, algs[i].name) == 0) {
			*out = (enum digest_alg)i;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcasecmp(name, aliases[i].alias) == 0) {
			*out = aliases[i].alg;
			return 0;
		}
	}
	return -1;
}

int digest_mask_parse(digest_mask *out, const char *list,
		      struct custos_err *err)
{
	digest_mask mask = 0;
	const char *p = list;

	while (*p) {
		char item[32];
		size_t n = strcspn(p, ",");
		size_t lead = 0;
		enum digest_alg alg;

		while (lead < n && isspace((unsigned char)p[lead]))
			lead++;
		while (n > lead && isspace((unsigned char)p[n - 1]))
			n--;
		if (n - lead == 0 || n - lead >= sizeof(item))
			return err_set(err, CUSTOS_EUSAGE, NULL,
				       "empty or overlong algorithm name in '%s'",
				       list);
		memcpy(item, p + lead, n - lead);
		item[n - lead] = '\0';
		if (digest_from_name(&alg, item) < 0)
			return err_set(err, CUSTOS_EUSAGE, NULL,
				       "unknown digest algorithm '%s' (known: md5, sha1, sha224, sha256, sha384, sha512, blake2b512)",
				       item);
		mask |= DIGEST_BIT(alg);
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	if (!mask)
		return err_set(err, CUSTOS_EUSAGE, NULL, "no digest algorithm given");
	*out = mask;
	return 0;
}

bool digest_hex_valid(enum digest_alg alg, const char *hex)
{
	size_t n = strlen(hex);

	if (n != 2 * algs[alg].size)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)hex[i]))
			return false;
	return true;
}

bool digest_hex_equal(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

struct digest_set {
	digest_mask mask;
	EVP_MD_CTX *ctx[DIGEST_COUNT];
};

int digest_set_new(struct digest_set **out, digest_mask mask,
		   struct custos_err *err)
{
	struct digest_set *ds = calloc(1, sizeof(*ds));

	if (!ds)
		return err_nomem(err);
	ds->mask = mask;
	for (int i = 0; i < DIGEST_COUNT; i++) {
		if (!(mask & DIGEST_BIT(i)))
			continue;
		if (!md_of((enum digest_alg)i)) {
			digest_set_free(ds);
			return err_set(err, CUSTOS_EINTERNAL, NULL,
				       "openssl does not provide %s", algs[i].name);
		}
		ds->ctx[i] = EVP_MD_CTX_new();
		if (!ds->ctx[i]) {
			digest_set_free(ds);
			return err_nomem(err);
		}
	}
	if (digest_set_reset(ds, err) < 0) {
		digest_set_free(ds);
		return -1;
	}
	*out = ds;
	return 0;
}

int digest_set_reset(struct digest_set *ds, struct custos_err *err)
{
	for (int i = 0; i < DIGEST_COUNT; i++) {
		if (!ds->ctx[i])
			continue;
		if (!EVP_DigestInit_ex2(ds->ctx[i], md_of((enum digest_alg)i), NULL))
			return err_set(err, CUSTOS_EINTERNAL, NULL,
				       "cannot start %s digest", algs[i].name);
	}
	return 0;
}

int digest_set_update(struct digest_set *ds, const void *buf, size_t len,
		      struct custos_err *err)
{
	for (int i = 0; i < DIGEST_COUNT; i++) {
		if (ds->ctx[i] && !EVP_DigestUpdate(ds->ctx[i], buf, len))
			return err_set(err, CUSTOS_EINTERNAL, NULL,
				       "%s digest update failed", algs[i].name);
	}
	return 0;
}

int digest_set_final(struct digest_set *ds, struct digest_result *res,
		     struct custos_err *err)
{
	unsigned char raw[EVP_MAX_MD_SIZE];
	unsigned int n;

	res->mask = ds->mask;
	for (int i = 0; i < DIGEST_COUNT; i++) {
		if (!ds->ctx[i]) {
			res->hex[i][0] = '\0';
			continue;
		}
		if (!EVP_DigestFinal_ex(ds->ctx[i], raw, &n))
			return err_set(err, CUSTOS_EINTERNAL, NULL,
				       "%s digest final failed", algs[i].name);
		text_to_hex(res->hex[i], raw, n);
	}
	return 0;
}

digest_mask digest_set_mask(const struct digest_set *ds)
{
	return ds->mask;
}

void digest_set_free(struct digest_set *ds)
{
	if (!ds)
		return;
	for (int i = 0; i < DIGEST_COUNT; i++)
		EVP_MD_CTX_free(ds->ctx[i]);
	free(ds);
}

int digest_buffer(enum digest_alg alg, const void *buf, size_t len,
		  char *hex, struct custos_err *err)
{
	struct digest_set *ds = NULL;
	struct digest_result res;
	int rc = -1;

	if (digest_set_new(&ds, DIGEST_BIT(alg), err) < 0)
		return -1;
	if (digest_set_update(ds, buf, len, err) < 0 ||
	    digest_set_final(ds, &res, err) < 0)
		goto out;
	memcpy(hex, res.hex[alg], DIGEST_HEX_MAX);
	rc = 0;
out:
	digest_set_free(ds);
	return rc;
}
