/*
 * audit/report/report.c - write the report folder: collect the evidence once
 * (report.json), render it as index.html and findings.csv, write the
 * PREMIS events, then the manifest of every file and its signature.
 * The folder must not exist or be empty: a report is never merged with
 * an older one.
 */
#include "audit/report/report_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "audit/report/sign.h"
#include "core/fileio.h"
#include "preserve/repo/repo.h"

int report_put(const char *dir, const char *name, const void *data, size_t len,
	       struct custos_err *err)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return err_set(err, CUSTOS_ELIMIT, dir, "path too long: '%s'", dir);
	return fio_write_atomic(path, data, len, err);
}

static int empty_dir(const char *dir, struct custos_err *err)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (lstat(dir, &st) < 0) {
		if (errno != ENOENT)
			return err_sys(err, dir, "cannot read '%s'", dir);
		return fio_mkdirs(dir, 0755, err);
	}
	if (!S_ISDIR(st.st_mode))
		return err_set(err, CUSTOS_EUSAGE, dir, "'%s' is not a directory", dir);
	if (!(d = opendir(dir)))
		return err_sys(err, dir, "cannot read '%s'", dir);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	if (n)
		return err_set(err, CUSTOS_EUSAGE, dir, "report folder '%s' is not empty", dir);
	return 0;
}

static int write_json(const char *dir, json_t *rep, struct custos_err *err)
{
	char *s = json_dumps(rep, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	int rc;

	if (!s)
		return err_nomem(err);
	size_t n = strlen(s);
	s[n] = '\n';   /* the NUL becomes the final newline (n + 1 bytes) */
	rc = report_put(dir, "report.json", s, n + 1, err);
	free(s);
	return rc;
}

int report_write(struct repo *r, const struct report_options *o, json_t **out,
		 struct custos_err *err)
{
	char man[4096], sig[4096];
	json_t *rep;
	int rc;

	if (empty_dir(o->out, err) < 0 || catalog_snapshot_begin(repo_catalog(r), err) < 0)
		return -1;
	if (report_collect(r, o, &rep, err) < 0) {
		catalog_snapshot_end(repo_catalog(r));
		return -1;
	}
	rc = write_json(o->out, rep, err) < 0 || report_write_csv(o->out, rep, err) < 0 ||
	     report_write_premis(o->out, r, rep, err) < 0 ||
	     report_write_events(o->out, r, err) < 0 ||
	     report_write_html(o->out, rep, err) < 0 ||
	     (o->timestamp_request && report_write_tsq(o->out, rep, err) < 0) ||
	     report_write_manifest(o->out, err) < 0 ? -1 : 0;
	catalog_snapshot_end(repo_catalog(r));
	if (rc == 0 && o->sign_key) {
		snprintf(man, sizeof(man), "%s/" REPORT_MANIFEST, o->out);
		snprintf(sig, sizeof(sig), "%s/" REPORT_SIGNATURE, o->out);
		rc = sign_file(o->sign_key, man, sig, err);
	}
	if (rc == 0 && out)
		*out = json_incref(rep);
	json_decref(rep);
	return rc;
}
