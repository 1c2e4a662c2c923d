/*
 * audit/report/sign.h - Ed25519 keys and detached signatures (OpenSSL) for
 * report manifests: keys are PEM (PKCS#8 private, SubjectPublicKeyInfo
 * public), the same files `openssl genpkey -algorithm ed25519` and
 * `openssl pkey -pubout` make; a signature is the raw 64-byte Ed25519
 * signature over the file's exact bytes (`openssl pkeyutl -rawin`).
 */
#ifndef CUSTOS_AUDIT_REPORT_SIGN_H
#define CUSTOS_AUDIT_REPORT_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

#define SIGN_MAX_INPUT (64u << 20)  /* a signed file is at most 64 MiB */
#define SIGN_MAX_KEY   (16u << 10)  /* a PEM key file is at most 16 KiB */

/* Make a key pair: PREFIX.pem (private, mode 0600) and PREFIX.pub.
 * Neither may exist. */
int sign_keygen(const char *prefix, struct custos_err *err);

/* Sign the file IN with the private key KEY; write the signature to SIG
 * (mode 0644, replaced if present). */
int sign_file(const char *key, const char *in, const char *sig,
	      struct custos_err *err);

/* Check SIG over IN with the public key PUB: *ok true if it verifies.
 * -1 only if a file cannot be read or the key is not an Ed25519 key. */
int sign_verify_file(const char *pub, const char *in, const char *sig,
		     bool *ok, struct custos_err *err);

#endif
