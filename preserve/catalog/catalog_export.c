/*
 * preserve/catalog/catalog_export.c - every version and file the catalog
 * records, in a stable order (catalog_export.h).
 */
#include "preserve/catalog/catalog_export.h"

#include "preserve/catalog/catalog_read_int.h"

struct version_walk {
	catalog_version_fn fn;
	void *arg;
	int stop;
};

static int version_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct version_walk *w = arg;

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, v[0], catalog_col_int(v[1]));
}

int catalog_each_version(struct catalog *c, catalog_version_fn fn, void *arg,
			 struct custos_err *err)
{
	struct version_walk w = { fn, arg, 0 };

	if (catalog_query(c, "SELECT o.ident, v.number FROM versions v JOIN objects o"
			  " ON o.id = v.object_id ORDER BY o.ident, v.number", NULL, 0,
			  version_row, &w, err) < 0)
		return -1;
	return w.stop;
}

struct file_walk {
	catalog_file_fn fn;
	void *arg;
	int stop;
};

static int file_row(void *arg, int n, const char *const *v, const char *const *names)
{
	struct file_walk *w = arg;
	struct catalog_file_record f = {
		.object = v[0], .version = catalog_col_int(v[1]), .path = v[2],
		.size = catalog_col_int(v[3]), .sha256 = v[4], .puid = v[5],
		.format_name = v[6],
	};

	(void)n, (void)names;
	return w->stop = w->fn(w->arg, &f);
}

int catalog_each_file(struct catalog *c, catalog_file_fn fn, void *arg,
		      struct custos_err *err)
{
	struct file_walk w = { fn, arg, 0 };

	if (catalog_query(c, "SELECT o.ident, v.number, f.path, f.size, f.sha256, f.puid,"
			  " f.format_name FROM files f JOIN versions v ON v.id = f.version_id"
			  " JOIN objects o ON o.id = v.object_id ORDER BY o.ident, v.number, f.path",
			  NULL, 0, file_row, &w, err) < 0)
		return -1;
	return w.stop;
}
