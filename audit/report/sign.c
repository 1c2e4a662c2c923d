/*
 * audit/report/sign.c - Ed25519 key generation, signing and verification with
 * OpenSSL's one-shot EVP_DigestSign / EVP_DigestVerify (no digest: Ed25519
 * hashes internally), over files read whole with a size ceiling.
 */
#include "audit/report/sign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include "core/fileio.h"

static int ossl_fail(struct custos_err *err, const char *path, const char *what)
{
	return err_set(err, CUSTOS_EFORMAT, path, "%s: '%s'", what, path);
}

/* Write with PEM_write_xxx into a new file PATH created with MODE. */
static int write_key(const char *path, unsigned mode, EVP_PKEY *k, bool priv,
		     struct custos_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	FILE *f;
	int ok;

	if (fd < 0)
		return err_sys(err, path, "cannot create '%s'", path);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return err_sys(err, path, "cannot write '%s'", path);
	}
	ok = priv ? PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) :
		    PEM_write_PUBKEY(f, k);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		ok = 0;
	if (fclose(f) != 0 || !ok) {
		unlink(path);
		return err_sys(err, path, "cannot write '%s'", path);
	}
	return 0;
}

int sign_keygen(const char *prefix, struct custos_err *err)
{
	char priv[4096], pub[4096];
	EVP_PKEY *k = NULL;
	int rc = -1;

	if ((size_t)snprintf(priv, sizeof(priv), "%s.pem", prefix) >= sizeof(priv) ||
	    (size_t)snprintf(pub, sizeof(pub), "%s.pub", prefix) >= sizeof(pub))
		return err_set(err, CUSTOS_ELIMIT, prefix, "key name too long: '%s'", prefix);
	if (access(priv, F_OK) == 0 || access(pub, F_OK) == 0)
		return err_set(err, CUSTOS_EUSAGE, priv, "key '%s' or '%s' exists already",
			       priv, pub);
	k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!k)
		return err_set(err, CUSTOS_EINTERNAL, NULL, "cannot make an Ed25519 key");
	if (write_key(priv, 0600, k, true, err) == 0) {
		rc = write_key(pub, 0644, k, false, err);
		if (rc < 0)
			unlink(priv);
	}
	EVP_PKEY_free(k);
	return rc;
}

static int read_key(EVP_PKEY **out, const char *path, bool priv,
		    struct custos_err *err)
{
	char *pem;
	size_t len;
	BIO *b;

	if (fio_read_file(&pem, &len, AT_FDCWD, path, SIGN_MAX_KEY, err) < 0) {
		/* a key that is not there is a configuration error, exit 2 */
		if (err->sys_errno == ENOENT || err->sys_errno == ENOTDIR)
			err->code = CUSTOS_EUSAGE;
		return -1;
	}
	b = BIO_new_mem_buf(pem, (int)len);
	*out = !b ? NULL : priv ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) :
				   PEM_read_bio_PUBKEY(b, NULL, NULL, NULL);
	BIO_free(b);
	explicit_bzero(pem, len);   /* a private key leaves no copy behind */
	free(pem);
	if (!*out)
		return ossl_fail(err, path, priv ? "not a PEM private key" :
				 "not a PEM public key");
	if (EVP_PKEY_get_base_id(*out) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(*out);
		return ossl_fail(err, path, "not an Ed25519 key");
	}
	return 0;
}

int sign_file(const char *key, const char *in, const char *sig,
	      struct custos_err *err)
{
	unsigned char s[64];
	size_t slen = sizeof(s), len;
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY *k;
	char *data;
	int rc = -1;

	if (read_key(&k, key, true, err) < 0)
		return -1;
	if (fio_read_file(&data, &len, AT_FDCWD, in, SIGN_MAX_INPUT, err) < 0) {
		EVP_PKEY_free(k);
		return -1;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) != 1 ||
	    EVP_DigestSign(ctx, s, &slen, (unsigned char *)data, len) != 1)
		err_set(err, CUSTOS_EINTERNAL, in, "cannot sign '%s'", in);
	else
		rc = fio_write_atomic(sig, s, slen, err);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	free(data);
	return rc;
}

int sign_verify_file(const char *pub, const char *in, const char *sig,
		     bool *ok, struct custos_err *err)
{
	char *data = NULL, *s = NULL;
	size_t len, slen;
	EVP_MD_CTX *ctx;
	EVP_PKEY *k;

	*ok = false;
	if (read_key(&k, pub, false, err) < 0)
		return -1;
	if (fio_read_file(&data, &len, AT_FDCWD, in, SIGN_MAX_INPUT, err) < 0 ||
	    fio_read_file(&s, &slen, AT_FDCWD, sig, 1024, err) < 0) {
		free(data);
		EVP_PKEY_free(k);
		return -1;
	}
	ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1)
		*ok = EVP_DigestVerify(ctx, (unsigned char *)s, slen,
				       (unsigned char *)data, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	free(data);
	free(s);
	return 0;
}
