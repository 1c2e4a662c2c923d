/*
 * preserve/storage/s3/s3_creds.h - an S3 location's access keys.
 */
#ifndef CUSTOS_PRESERVE_STORAGE_S3_S3_CREDS_H
#define CUSTOS_PRESERVE_STORAGE_S3_S3_CREDS_H

#include "core/err.h"

struct s3_creds {
	char *access, *secret, *token;   /* token: NULL unless temporary */
};

/* Keys from FILE (aws_access_key_id / aws_secret_access_key /
 * aws_session_token, plain "key = value" lines or INI like
 * ~/.aws/credentials: the first section's keys), or with FILE NULL from
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN. No keys in
 * the environment is not an error (requests then say so); a FILE without
 * them is. NAME is the location's, for messages. */
int s3_creds_load(struct s3_creds *c, const char *file, const char *name,
		  struct custos_err *err);
void s3_creds_release(struct s3_creds *c);

#endif
