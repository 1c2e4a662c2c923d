/*
 * preserve/bagit/bagsrc_classify.c - what a deposit is: bag directory,
 * serialized bag, plain archive, plain directory or plain file. Ingest and
 * validate share this answer, so an archive that validate would refuse
 * (cut short, or a bag beside a second top-level entry) is never stored
 * as an opaque file.
 */
#include "preserve/bagit/bagsrc_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>

#include "preserve/bagit/manifest.h"

/* The marks of a bag, in the entries of one directory level (NAME is the
 * file's name there): bagit.txt, or a payload manifest beside data/. A
 * serialized bag cut short before its bagit.txt is still a (broken) bag. */
struct bag_marks {
	int declaration, manifest, data;
};

static void note_mark(struct bag_marks *m, const char *name, int is_dir)
{
	char alg[32];

	if (is_dir) {
		m->data |= !strcmp(name, "data");
		return;
	}
	m->declaration |= !strcmp(name, "bagit.txt");
	m->manifest |= manifest_name_alg(name, "manifest-", alg, sizeof(alg)) == 0;
}

static int marks_bag(const struct bag_marks *m)
{
	return m->declaration || (m->manifest && m->data);
}

/* Bag marks at the top of the entries, or one directory down (the
 * directory a bag is serialized in). */
static int archive_holds_bag(const struct bag_entry *ents, size_t n)
{
	struct bag_marks top = { 0 }, below = { 0 };

	for (size_t i = 0; i < n; i++) {
		const char *p = ents[i].path, *slash = strchr(p, '/');
		int is_dir = ents[i].type == BAG_ENTRY_DIR;

		if (!slash)
			note_mark(&top, p, is_dir);
		else if (!strchr(slash + 1, '/'))
			note_mark(&below, slash + 1, is_dir);
	}
	return marks_bag(&top) || marks_bag(&below);
}

static int dir_holds_bag(const char *path, struct custos_err *err)
{
	struct bag_marks m = { 0 };
	struct dirent *d;
	DIR *dir = opendir(path);

	if (!dir)
		return err_sys(err, path, "cannot read deposit '%s'", path);
	while ((d = readdir(dir))) {
		struct stat st;
		int is_dir = d->d_type == DT_DIR;

		if (d->d_type == DT_UNKNOWN)
			is_dir = fstatat(dirfd(dir), d->d_name, &st,
					 AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		note_mark(&m, d->d_name, is_dir);
	}
	closedir(dir);
	return marks_bag(&m);
}

static int classify_dir(const char *path, enum bagsrc_kind *kind,
			struct custos_err *err)
{
	int bag = dir_holds_bag(path, err);

	if (bag < 0)
		return -1;
	*kind = bag ? BAGSRC_BAG_DIR : BAGSRC_PLAIN_DIR;
	return 0;
}

/* Inventory file S: 1 if it is an archive (even one that breaks off),
 * 0 if it is none, -1 on OOM. Problems go to R only when it reads whole. */
static int inventory_file(struct bagsrc *s, int *whole, struct problems *r,
			  struct custos_err *err)
{
	const struct bag_entry *ents;
	struct problems found;
	struct custos_err ierr;
	size_t n;
	int rc;

	problems_init(&found);
	err_clear(&ierr);
	rc = bagsrc_inventory(s, &ents, &n, &found, &ierr);
	*whole = rc == 0;
	if (rc == 0)
		problems_copy(r, &found);
	problems_release(&found);
	if (rc < 0 && ierr.code == CUSTOS_ENOMEM)
		return err_nomem(err);
	return rc == 0 || s->recognized;
}

int bagsrc_classify(const char *path, enum bagsrc_kind *kind,
		    struct bagsrc **src, struct problems *r,
		    struct custos_err *err)
{
	struct bagsrc *s;
	struct stat st;
	int archive, whole;

	*src = NULL;
	if (stat(path, &st) < 0) {
		err_sys(err, path, "cannot read deposit '%s'", path);
		if (errno == ENOENT || errno == ENOTDIR)
			err->code = CUSTOS_EUSAGE;
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return classify_dir(path, kind, err);
	if (!S_ISREG(st.st_mode))
		return err_set(err, CUSTOS_EUSAGE, path,
			       "'%s' is neither a file nor a directory", path);
	if (bagsrc_open(&s, path, err) < 0)
		return -1;
	archive = inventory_file(s, &whole, r, err);
	if (archive < 0 || !archive || !whole) {
		/* no archive, or one that breaks off: the bag check opens it
		 * again and reports why */
		bagsrc_close(s);
		if (archive < 0)
			return -1;
		*kind = archive ? BAGSRC_BAG_ARCHIVE : BAGSRC_PLAIN_FILE;
		return 0;
	}
	*kind = archive_holds_bag(s->entries, s->count) ? BAGSRC_BAG_ARCHIVE :
							  BAGSRC_PLAIN_ARCHIVE;
	*src = s;
	return 0;
}
