/*
 * preserve/bagit/profile.c - load a BagIt profile (BagIt Profiles 1.4.0 plus the
 * 2023 Payload-Files keys) from JSON into struct bag_profile. Checks types
 * strictly and names the key; ignores keys it does not know (real profiles
 * carry extras such as "recommended"). The rules live in profile_check.c.
 */
#include "preserve/bagit/profile.h"
#include "preserve/bagit/profile_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ckd.h"
#include "core/fileio.h"

#define PROFILE_LABEL_MAX 480   /* longest Bag-Info label we accept */

/* Read KEY of OBJ (named WHERE in messages) as a list of strings. */
static int load_list(struct profile_list *out, json_t *obj, const char *key,
		     const char *where, const char *path,
		     struct custos_err *err)
{
	json_t *arr = json_object_get(obj, key);
	size_t i, bytes;
	json_t *v;

	memset(out, 0, sizeof(*out));
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return err_set(err, CUSTOS_EFORMAT, path,
			       "'%s': '%s' must be a list of strings",
			       path, where);
	out->present = true;
	out->n = json_array_size(arr);
	if (out->n == 0)
		return 0;
	if (ckd_mul_size(&bytes, out->n, sizeof(*out->items)))
		return err_set(err, CUSTOS_ELIMIT, path, "'%s': '%s' too long",
			       path, where);
	out->items = malloc(bytes);
	if (!out->items)
		return err_nomem(err);
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			return err_set(err, CUSTOS_EFORMAT, path,
				       "'%s': '%s' item %zu must be a string",
				       path, where, i + 1);
		out->items[i] = json_string_value(v);
	}
	return 0;
}

/* Read KEY of OBJ as a boolean, DEF when absent. */
static int load_bool(bool *out, json_t *obj, const char *key, bool def,
		     const char *where, const char *path,
		     struct custos_err *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v) {
		*out = def;
		return 0;
	}
	if (!json_is_boolean(v))
		return err_set(err, CUSTOS_EFORMAT, path,
			       "'%s': '%s' must be true or false", path, where);
	*out = json_is_true(v);
	return 0;
}

/* Read KEY of OBJ as a string, NULL when absent. */
static int load_string(const char **out, json_t *obj, const char *key,
		       const char *where, const char *path,
		       struct custos_err *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v))
		return err_set(err, CUSTOS_EFORMAT, path,
			       "'%s': '%s' must be a string", path, where);
	*out = json_string_value(v);
	return 0;
}

/* BagIt-Profile-Info: only the identifier is indispensable. */
static int load_info(struct bag_profile *p, struct custos_err *err)
{
	json_t *info = json_object_get(p->root, "BagIt-Profile-Info");
	const char *path = p->path;

	if (!info)
		return err_set(err, CUSTOS_EFORMAT, path,
			       "'%s': no 'BagIt-Profile-Info' section", path);
	if (!json_is_object(info))
		return err_set(err, CUSTOS_EFORMAT, path,
			       "'%s': 'BagIt-Profile-Info' must be an object",
			       path);
	if (load_string(&p->identifier, info, "BagIt-Profile-Identifier",
			"BagIt-Profile-Info/BagIt-Profile-Identifier", path,
			err) < 0 ||
	    load_string(&p->source_org, info, "Source-Organization",
			"BagIt-Profile-Info/Source-Organization", path, err) < 0 ||
	    load_string(&p->description, info, "External-Description",
			"BagIt-Profile-Info/External-Description", path,
			err) < 0 ||
	    load_string(&p->version, info, "Version",
			"BagIt-Profile-Info/Version", path, err) < 0 ||
	    load_string(&p->spec_version, info, "BagIt-Profile-Version",
			"BagIt-Profile-Info/BagIt-Profile-Version", path,
			err) < 0)
		return -1;
	if (!p->identifier || !*p->identifier)
		return err_set(err, CUSTOS_EFORMAT, path,
			       "'%s': 'BagIt-Profile-Info' has no 'BagIt-Profile-Identifier'",
			       path);
	return 0;
}

/* "Bag-Info/LABEL/FIELD" into WHERE, for messages naming the key. */
static int tag_where(char *where, size_t cap, const char *label,
		     const char *field, const char *path,
		     struct custos_err *err)
{
	int n = snprintf(where, cap, "Bag-Info/%s%s%s", label,
			 field ? "/" : "", field ? field : "");

	if (n < 0 || (size_t)n >= cap)
		return err_set(err, CUSTOS_ELIMIT, path,
			       "'%s': Bag-Info label over %d bytes", path,
			       PROFILE_LABEL_MAX);
	return 0;
}

/* One Bag-Info entry: {required, values, repeatable, description}. */
static int load_tag(struct profile_tag *t, const char *label, json_t *def,
		    const char *path, struct custos_err *err)
{
	char w[PROFILE_LABEL_MAX + 32];
	const char *desc;

	t->label = label;
	if (tag_where(w, sizeof(w), label, NULL, path, err) < 0)
		return -1;
	if (!json_is_object(def))
		return err_set(err, CUSTOS_EFORMAT, path,
			       "'%s': '%s' must be an object", path, w);
	if (tag_where(w, sizeof(w), label, "required", path, err) < 0 ||
	    load_bool(&t->required, def, "required", false, w, path, err) < 0)
		return -1;
	if (tag_where(w, sizeof(w), label, "repeatable", path, err) < 0 ||
	    load_bool(&t->repeatable, def, "repeatable", true, w, path,
		      err) < 0)
		return -1;
	if (tag_where(w, sizeof(w), label, "values", path, err) < 0 ||
	    load_list(&t->values, def, "values", w, path, err) < 0)
		return -1;
	if (tag_where(w, sizeof(w), label, "description", path, err) < 0 ||
	    load_string(&desc, def, "description", w, path, err) < 0)
		return -1;
	return 0;
}

static int load_bag_info(struct bag_profile *p, struct custos_err *err)
{
	json_t *sec = json_object_get(p->root, "Bag-Info");
	const char *label;
	json_t *def;
	size_t i = 0;

	/* The non-normative ABNF spells it "Bagit-Info"; normative wins,
	 * but a profile written after the ABNF still means the same. */
	if (!sec && (sec = json_object_get(p->root, "Bagit-Info")))
		p->bag_info_alias = true;
	if (!sec)
		return 0;
	if (!json_is_object(sec))
		return err_set(err, CUSTOS_EFORMAT, p->path,
			       "'%s': 'Bag-Info' must be an object", p->path);
	p->ntags = json_object_size(sec);
	if (p->ntags == 0)
		return 0;
	p->tags = calloc(p->ntags, sizeof(*p->tags));
	if (!p->tags)
		return err_nomem(err);
	json_object_foreach(sec, label, def) {
		if (load_tag(&p->tags[i++], label, def, p->path, err) < 0)
			return -1;
	}
	return 0;
}

static int load_serialization(struct bag_profile *p, struct custos_err *err)
{
	const char *s;

	if (load_string(&s, p->root, "Serialization", "Serialization",
			p->path, err) < 0)
		return -1;
	if (!s || strcmp(s, "optional") == 0)
		p->serialization = PROFILE_SER_OPTIONAL;
	else if (strcmp(s, "forbidden") == 0)
		p->serialization = PROFILE_SER_FORBIDDEN;
	else if (strcmp(s, "required") == 0)
		p->serialization = PROFILE_SER_REQUIRED;
	else
		return err_set(err, CUSTOS_EFORMAT, p->path,
			       "'%s': 'Serialization' is '%s', not forbidden, required or optional",
			       p->path, s);
	if (p->serialization == PROFILE_SER_REQUIRED &&
	    p->accept_serialization.n == 0)
		return err_set(err, CUSTOS_EFORMAT, p->path,
			       "'%s': 'Serialization' is required but 'Accept-Serialization' lists no type",
			       p->path);
	return 0;
}

/* Every top-level LIST key, in the order of the specification. */
static int load_lists(struct bag_profile *p, struct custos_err *err)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
#define K(name, field) { name, offsetof(struct bag_profile, field) }
		K("Manifests-Required", manifests_required),
		K("Manifests-Allowed", manifests_allowed),
		K("Accept-Serialization", accept_serialization),
		K("Accept-BagIt-Version", accept_version),
		K("Tag-Manifests-Required", tag_manifests_required),
		K("Tag-Manifests-Allowed", tag_manifests_allowed),
		K("Tag-Files-Required", tag_files_required),
		K("Tag-Files-Allowed", tag_files_allowed),
		K("Payload-Files-Required", payload_files_required),
		K("Payload-Files-Allowed", payload_files_allowed),
#undef K
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		struct profile_list *l =
			(struct profile_list *)((char *)p + keys[i].off);

		if (load_list(l, p->root, keys[i].key, keys[i].key, p->path,
			      err) < 0)
			return -1;
	}
	return 0;
}

/* Parse the JSON text BUF of P->path into P. */
static int load_json(struct bag_profile *p, const char *buf, size_t len,
		     struct custos_err *err)
{
	json_error_t jerr;

	p->root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!p->root)
		return err_set(err, CUSTOS_EFORMAT, p->path,
			       "'%s': invalid JSON at line %d, column %d: %s",
			       p->path, jerr.line, jerr.column, jerr.text);
	if (!json_is_object(p->root))
		return err_set(err, CUSTOS_EFORMAT, p->path,
			       "'%s': a profile must be a JSON object",
			       p->path);
	if (load_info(p, err) < 0 || load_bag_info(p, err) < 0 ||
	    load_lists(p, err) < 0 || load_serialization(p, err) < 0 ||
	    load_bool(&p->allow_fetch, p->root, "Allow-Fetch.txt", true,
		      "Allow-Fetch.txt", p->path, err) < 0 ||
	    load_bool(&p->fetch_required, p->root, "Fetch.txt-Required", false,
		      "Fetch.txt-Required", p->path, err) < 0 ||
	    load_bool(&p->data_empty, p->root, "Data-Empty", false,
		      "Data-Empty", p->path, err) < 0)
		return -1;
	return 0;
}

/* The profile is the user's own configuration, not bag content: a
 * symlink to it is followed, but only a regular file is read. */
static int read_profile_file(char **buf, size_t *len, const char *path,
			     struct custos_err *err)
{
	int fd = fio_open_config(path, "profile", err);
	int rc;

	if (fd < 0)
		return -1;
	rc = fio_read_fd(buf, len, fd, PROFILE_MAX_BYTES, path, err);
	close(fd);
	return rc;
}

int profile_load(struct bag_profile **out, const char *path,
		 struct custos_err *err)
{
	struct bag_profile *p = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc = -1;

	*out = NULL;
	if (read_profile_file(&buf, &len, path, err) < 0)
		return -1;
	p = calloc(1, sizeof(*p));
	if (!p || !(p->path = strdup(path))) {
		err_nomem(err);
		goto out;
	}
	if (load_json(p, buf, len, err) < 0)
		goto out;
	*out = p;
	p = NULL;
	rc = 0;
out:
	profile_free(p);
	free(buf);
	return rc;
}

const char *profile_identifier(const struct bag_profile *p)
{
	return p->identifier;
}

static void list_release(struct profile_list *l)
{
	free(l->items);
	l->items = NULL;
}

void profile_free(struct bag_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ntags; i++)
		list_release(&p->tags[i].values);
	free(p->tags);
	list_release(&p->manifests_required);
	list_release(&p->manifests_allowed);
	list_release(&p->tag_manifests_required);
	list_release(&p->tag_manifests_allowed);
	list_release(&p->tag_files_required);
	list_release(&p->tag_files_allowed);
	list_release(&p->payload_files_required);
	list_release(&p->payload_files_allowed);
	list_release(&p->accept_serialization);
	list_release(&p->accept_version);
	json_decref(p->root);
	free(p->path);
	free(p);
}
