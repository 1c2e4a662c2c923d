/*
 * preserve/storage/s3/s3_creds.c - where an S3 location's keys come from: the
 * credentials file its policy names, else the environment every S3 tool
 * reads. Secrets are wiped from memory when released and never printed.
 */
#include "preserve/storage/s3/s3_creds.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"

#define CRED_MAX 65536u         /* credentials file */

void s3_creds_release(struct s3_creds *c)
{
	free(c->access);
	if (c->secret)
		memset(c->secret, 0, strlen(c->secret));
	free(c->secret);
	if (c->token)
		memset(c->token, 0, strlen(c->token));
	free(c->token);
}

static char *trimmed(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* One "key = value" line of a credentials file. */
static int cred_line(struct s3_creds *c, char *line)
{
	char *eq = strchr(line, '='), *k, *v, **slot = NULL;

	if (!eq)
		return 0;
	*eq = '\0';
	k = trimmed(line);
	v = trimmed(eq + 1);
	if (!strcmp(k, "aws_access_key_id") || !strcmp(k, "access_key"))
		slot = &c->access;
	else if (!strcmp(k, "aws_secret_access_key") || !strcmp(k, "secret_key"))
		slot = &c->secret;
	else if (!strcmp(k, "aws_session_token"))
		slot = &c->token;
	if (!slot || *slot)
		return 0;           /* unknown key, or a later section's */
	return (*slot = strdup(v)) ? 0 : -1;
}

/* A credentials file: INI or plain key = value lines (the AWS CLI's
 * ~/.aws/credentials works: its first section's keys are used). */
static int creds_from_file(struct s3_creds *c, const char *path, const char *name,
			   struct custos_err *err)
{
	char *text = NULL, *line, *next;
	size_t len;
	int rc = 0;

	if (fio_read_file(&text, &len, AT_FDCWD, path, CRED_MAX, err) < 0)
		return err_set(err, CUSTOS_EUSAGE, path, "location '%s': cannot "
			       "read the credentials file '%s'", name, path);
	for (line = text; line && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*trimmed(line) != '#' && *trimmed(line) != ';')
			rc = cred_line(c, line);
	}
	memset(text, 0, len);
	free(text);
	if (rc < 0)
		return err_nomem(err);
	if (!c->access || !c->secret)
		return err_set(err, CUSTOS_EUSAGE, path, "location '%s': the "
			       "credentials file '%s' has no aws_access_key_id "
			       "and aws_secret_access_key", name, path);
	return 0;
}

int s3_creds_load(struct s3_creds *c, const char *file, const char *name,
		  struct custos_err *err)
{
	const char *a = getenv("AWS_ACCESS_KEY_ID");
	const char *s = getenv("AWS_SECRET_ACCESS_KEY");
	const char *t = getenv("AWS_SESSION_TOKEN");

	if (file)
		return creds_from_file(c, file, name, err);
	if (!a || !s || !*a || !*s)
		return 0;         /* requests will say what is missing */
	if (!(c->access = strdup(a)) || !(c->secret = strdup(s)) ||
	    (t && *t && !(c->token = strdup(t))))
		return err_nomem(err);
	return 0;
}

