/*
 * audit/report/report_manifest.c - MANIFEST-sha256.txt (`sha256sum -c` format:
 * "HEX  NAME", sorted by name) over every other file of the folder, and
 * the check of a folder against it and its signature.
 */
#include "audit/report/report_int.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "audit/report/sign.h"
#include "core/digest.h"
#include "core/fileio.h"
#include "core/strbuf.h"

#define MAX_FILES 64   /* a report folder holds a handful of files */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool own_file(const char *name)
{
	return !strcmp(name, REPORT_MANIFEST) || !strcmp(name, REPORT_SIGNATURE) ||
	       !strcmp(name, REPORT_TOKEN);
}

/* The names in DIR except "." "..", sorted; *n of them. */
static int list_dir(const char *dir, char **names, size_t *n, struct custos_err *err)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	*n = 0;
	if (!d)
		return err_sys(err, dir, "cannot read '%s'", dir);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (*n == MAX_FILES || !(names[*n] = strdup(e->d_name))) {
			closedir(d);
			for (size_t i = 0; i < *n; i++)
				free(names[i]);
			return *n == MAX_FILES ? err_set(err, CUSTOS_ELIMIT, dir,
				"more than %d files in '%s'", MAX_FILES, dir) : err_nomem(err);
		}
		(*n)++;
	}
	closedir(d);
	qsort(names, *n, sizeof(*names), cmp_str);
	return 0;
}

static int file_sha256(const char *dir, const char *name, char hex[DIGEST_HEX_MAX],
		       struct custos_err *err)
{
	char path[4096], *data;
	size_t len;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return err_set(err, CUSTOS_ELIMIT, dir, "path too long: '%s'", dir);
	if (fio_read_file(&data, &len, AT_FDCWD, path, REPORT_MAX_FILE, err) < 0)
		return -1;
	rc = digest_buffer(DIGEST_SHA256, data, len, hex, err);
	free(data);
	return rc;
}

int report_write_manifest(const char *dir, struct custos_err *err)
{
	char *names[MAX_FILES], hex[DIGEST_HEX_MAX];
	struct strbuf b;
	size_t n;
	int rc = 0;

	if (list_dir(dir, names, &n, err) < 0)
		return -1;
	strbuf_init(&b, 1u << 20);
	for (size_t i = 0; i < n; i++) {
		if (!own_file(names[i]) && rc == 0) {
			rc = file_sha256(dir, names[i], hex, err);
			strbuf_addf(&b, "%s  %s\n", hex, names[i]);
		}
		free(names[i]);
	}
	if (rc == 0 && (rc = strbuf_check(&b, err)) == 0)
		rc = report_put(dir, REPORT_MANIFEST, b.data, b.len, err);
	strbuf_release(&b);
	return rc;
}

/* One manifest line: "HEX  NAME" with a plain file name. */
static int parse_line(char *line, char **hex, char **name)
{
	char *sp = strstr(line, "  ");

	if (!sp || sp - line != 64)
		return -1;
	*sp = '\0';
	*hex = line;
	*name = sp + 2;
	if (!**name || strchr(*name, '/') || (*name)[0] == '.' || own_file(*name))
		return -1;
	return 0;
}

static int check_listed(const char *dir, char *text, FILE *to, size_t *bad,
			char **seen, size_t *nseen, struct custos_err *err)
{
	char hex[DIGEST_HEX_MAX], *next;

	for (char *line = text; *line; line = next) {
		char *want, *name, *nl = strchr(line, '\n');
		struct custos_err e2;

		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		if (!*line)
			continue;

		if (parse_line(line, &want, &name) < 0) {
			fprintf(to, "MALFORMED manifest line: %.80s\n", line);
			(*bad)++;
			continue;
		}
		if (*nseen < MAX_FILES && !(seen[(*nseen)++] = strdup(name)))
			return err_nomem(err);
		if (file_sha256(dir, name, hex, &e2) < 0) {
			fprintf(to, "MISSING %s: %s\n", name, e2.msg);
			(*bad)++;
		} else if (!digest_hex_equal(hex, want)) {
			fprintf(to, "CHANGED %s: sha256 %s, manifest says %s\n", name, hex, want);
			(*bad)++;
		} else {
			fprintf(to, "ok %s\n", name);
		}
	}
	return 0;
}

static int check_unlisted(const char *dir, char **seen, size_t nseen, FILE *to,
			  size_t *bad, struct custos_err *err)
{
	char *names[MAX_FILES];
	size_t n;

	if (list_dir(dir, names, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool found = own_file(names[i]);

		for (size_t j = 0; !found && j < nseen; j++)
			found = !strcmp(seen[j], names[i]);
		if (!found) {
			fprintf(to, "UNLISTED %s: not in the manifest\n", names[i]);
			(*bad)++;
		}
		free(names[i]);
	}
	return 0;
}

static int check_signature(const char *dir, const char *pubkey, FILE *to, size_t *bad,
			   struct custos_err *err)
{
	char man[4096], sig[4096];
	bool ok;

	snprintf(man, sizeof(man), "%s/" REPORT_MANIFEST, dir);
	snprintf(sig, sizeof(sig), "%s/" REPORT_SIGNATURE, dir);
	if (access(sig, F_OK) != 0) {
		fprintf(to, "UNSIGNED %s: no signature\n", REPORT_SIGNATURE);
		(*bad)++;
		return 0;
	}
	if (sign_verify_file(pubkey, man, sig, &ok, err) < 0)
		return -1;
	fprintf(to, ok ? "signature ok: %s signed by the key in '%s'\n" :
		"BAD SIGNATURE %s: does not verify with the key in '%s'\n",
		REPORT_MANIFEST, pubkey);
	*bad += !ok;
	return 0;
}

int report_verify(const char *dir, const char *pubkey, FILE *to,
		  size_t *problems, struct custos_err *err)
{
	char path[4096], *text, *seen[MAX_FILES];
	size_t len, nseen = 0;
	int rc;

	*problems = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/" REPORT_MANIFEST, dir) >= sizeof(path))
		return err_set(err, CUSTOS_ELIMIT, dir, "path too long: '%s'", dir);
	if (fio_read_file(&text, &len, AT_FDCWD, path, 1u << 20, err) < 0)
		return -1;
	if (pubkey && check_signature(dir, pubkey, to, problems, err) < 0) {
		free(text);
		return -1;
	}
	rc = check_listed(dir, text, to, problems, seen, &nseen, err);
	if (rc == 0)
		rc = check_unlisted(dir, seen, nseen, to, problems, err);
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(text);
	return rc;
}
