/*
 * preserve/bagit/profile_check.c - judge a bag's facts against a loaded BagIt
 * profile (BagIt Profiles 1.4.0 + Payload-Files keys of 2023). Each broken
 * rule is one report item naming the rule and the tag or file; nothing
 * stops at the first. Readings of the specification made here:
 *  - bag-info labels match ASCII-case-insensitively (RFC 8493 sec. 2.2.2
 *    makes reserved element names case-insensitive; we apply it to every
 *    label, the profile spec says nothing more); values match exactly.
 *  - globs are fnmatch(3) with no flags: '*' also matches '/' and a
 *    leading '.', so the default "*" covers nested files and "DPN/" plus
 *    '*' covers all of DPN/ at any depth.
 *  - bagit.txt, bag-info.txt, fetch.txt, manifest-ALG.txt and
 *    tagmanifest-ALG.txt (at the bag root) have their own keys and are not
 *    subject to Tag-Files-Allowed (else the spec example bagProfileBar,
 *    which allows only DPN/ files, would refuse every bag).
 *  - a bag-info BagIt-Profile-Identifier is a MUST; a value other than
 *    the profile's identifier is only a warning (the BtR sample bags name
 *    another URL of the same profile).
 */
#include "preserve/bagit/profile.h"
#include "preserve/bagit/profile_int.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIST_SHOWN 256       /* a profile list quoted in a message */

#define violation(r, path, ...) \
	problems_error((r), PROFILE_CODE_VIOLATION, (path), __VA_ARGS__)
#define warning(r, path, ...) \
	problems_warn((r), PROFILE_CODE_WARNING, (path), __VA_ARGS__)

/* "a, b, c" into BUF (truncated with "..."), "none" when empty. */
static const char *list_show(char *buf, size_t cap,
			     const struct profile_list *l)
{
	size_t used = 0;

	buf[0] = '\0';
	if (l->n == 0)
		return "none";
	for (size_t i = 0; i < l->n; i++) {
		int n = snprintf(buf + used, cap - used, "%s%s",
				 i ? ", " : "", l->items[i]);

		if (n < 0 || (size_t)n >= cap - used) {
			if (cap >= 4)
				memcpy(buf + cap - 4, "...", 4);
			break;
		}
		used += (size_t)n;
	}
	return buf;
}

static bool list_has(const struct profile_list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

static bool list_has_nocase(const struct profile_list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->items[i], s) == 0)
			return true;
	return false;
}

static bool list_glob(const struct profile_list *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (fnmatch(l->items[i], path, 0) == 0)
			return true;
	return false;
}

/* True if the list names ALG (any spelling digest_from_name knows). */
static bool list_has_alg(const struct profile_list *l, enum digest_alg alg)
{
	enum digest_alg a;

	for (size_t i = 0; i < l->n; i++)
		if (digest_from_name(&a, l->items[i]) == 0 && a == alg)
			return true;
	return false;
}

static bool has_string(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* A tag's value; the validator gives "" for an empty one, but be safe. */
static const char *tag_value(const struct bag_tag *t)
{
	return t->value ? t->value : "";
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --- Serialization and Accept-BagIt-Version: checked first ----------- */

/* MIME types that name serialization SER; NULL-terminated, or NULL. */
static const char *const *ser_types(enum bag_serialization ser)
{
	static const char *const zip[] = { "application/zip", NULL };
	static const char *const tar[] = { "application/tar",
					   "application/x-tar", NULL };
	static const char *const tgz[] = { "application/gzip",
					   "application/x-gzip",
					   "application/tar+gzip", NULL };

	switch (ser) {
	case BAG_SER_ZIP: return zip;
	case BAG_SER_TAR: return tar;
	case BAG_SER_TAR_GZIP: return tgz;
	default: return NULL;
	}
}

static const char *ser_name(enum bag_serialization ser)
{
	switch (ser) {
	case BAG_SER_NONE: return "a directory";
	case BAG_SER_ZIP: return "zip";
	case BAG_SER_TAR: return "tar";
	case BAG_SER_TAR_GZIP: return "tar.gz";
	default: return "an archive of another format";
	}
}

static void check_serialization(const struct bag_profile *p,
				const struct bag_facts *f, struct problems *r)
{
	const char *const *types = ser_types(f->serialization);
	char shown[LIST_SHOWN];

	if (f->serialization == BAG_SER_NONE) {
		if (p->serialization == PROFILE_SER_REQUIRED)
			violation(r, "", "bag is a directory, but the profile requires a serialized bag (Serialization: required)");
		return;
	}
	if (p->serialization == PROFILE_SER_FORBIDDEN) {
		violation(r, "", "bag is serialized (%s), but the profile forbids serialization (Serialization: forbidden)",
			  ser_name(f->serialization));
		return;
	}
	if (p->accept_serialization.n == 0)
		return;         /* warned about the profile; any type goes */
	for (size_t i = 0; types && types[i]; i++)
		if (list_has_nocase(&p->accept_serialization, types[i]))
			return;
	violation(r, "", "bag serialization %s (%s) is not accepted by the profile (Accept-Serialization: %s)",
		  ser_name(f->serialization),
		  types ? types[0] : "no known MIME type",
		  list_show(shown, sizeof(shown), &p->accept_serialization));
}

static void check_version(const struct bag_profile *p,
			  const struct bag_facts *f, struct problems *r)
{
	char shown[LIST_SHOWN];

	if (p->accept_version.n == 0)
		return;         /* warned about the profile */
	list_show(shown, sizeof(shown), &p->accept_version);
	if (!f->version)
		violation(r, "bagit.txt", "BagIt-Version of the bag is unknown, so it cannot match the profile (Accept-BagIt-Version: %s)",
			  shown);
	else if (!list_has(&p->accept_version, f->version))
		violation(r, "bagit.txt", "BagIt-Version '%s' is not accepted by the profile (Accept-BagIt-Version: %s)",
			  f->version, shown);
}

/* --- The profile's own SHOULDs and consistency ------------------------ */

static void check_profile_info(const struct bag_profile *p,
			       struct problems *r)
{
	static const struct { size_t off; const char *key; } info[] = {
		{ offsetof(struct bag_profile, source_org),
		  "Source-Organization" },
		{ offsetof(struct bag_profile, description),
		  "External-Description" },
		{ offsetof(struct bag_profile, version), "Version" },
	};

	for (size_t i = 0; i < sizeof(info) / sizeof(info[0]); i++) {
		const char *v = *(const char *const *)((const char *)p +
						       info[i].off);
		if (!v)
			warning(r, "", "profile '%s' lacks 'BagIt-Profile-Info/%s'",
				p->path, info[i].key);
	}
	if (p->bag_info_alias)
		warning(r, "", "profile '%s' spells the section 'Bagit-Info'; read as 'Bag-Info'",
			p->path);
	if (p->accept_version.n == 0)
		warning(r, "", "profile '%s' lists no Accept-BagIt-Version; any BagIt version accepted",
			p->path);
	if (p->serialization == PROFILE_SER_OPTIONAL &&
	    p->accept_serialization.n == 0)
		warning(r, "", "profile '%s' lists no Accept-Serialization; any serialization accepted",
			p->path);
	if (p->fetch_required && !p->allow_fetch)
		warning(r, "", "profile '%s' requires fetch.txt but does not allow it",
			p->path);
	for (size_t i = 0; i < p->ntags; i++)
		if (strcasecmp(p->tags[i].label,
			       "BagIt-Profile-Identifier") == 0)
			warning(r, "", "profile '%s' lists 'BagIt-Profile-Identifier' under Bag-Info, which it should not",
				p->path);
}

static void check_required_allowed(const struct bag_profile *p,
				   const struct profile_list *req,
				   const struct profile_list *allowed,
				   const char *key, bool algs,
				   struct problems *r)
{
	enum digest_alg a;

	if (!allowed->present)
		return;
	for (size_t i = 0; i < req->n; i++) {
		const char *e = req->items[i];
		bool ok;

		if (algs && digest_from_name(&a, e) == 0)
			ok = list_has_alg(allowed, a) ||
			     list_has_nocase(allowed, e);
		else if (algs)
			ok = list_has_nocase(allowed, e);
		else
			ok = has_suffix(e, "/") || list_glob(allowed, e);
		if (!ok)
			warning(r, "", "profile '%s' requires '%s' in %s-Required but %s-Allowed does not include it",
				p->path, e, key, key);
	}
}

static void check_profile_lists(const struct bag_profile *p,
				struct problems *r)
{
	check_required_allowed(p, &p->manifests_required,
			       &p->manifests_allowed, "Manifests", true, r);
	check_required_allowed(p, &p->tag_manifests_required,
			       &p->tag_manifests_allowed, "Tag-Manifests", true,
			       r);
	check_required_allowed(p, &p->tag_files_required,
			       &p->tag_files_allowed, "Tag-Files", false, r);
	check_required_allowed(p, &p->payload_files_required,
			       &p->payload_files_allowed, "Payload-Files",
			       false, r);
	for (size_t i = 0; i < p->tag_files_required.n; i++) {
		const char *e = p->tag_files_required.items[i];

		if (strcmp(e, "bag-info.txt") == 0 ||
		    ((has_prefix(e, "manifest-") ||
		      has_prefix(e, "tagmanifest-")) && !strchr(e, '/')))
			warning(r, "", "profile '%s' lists '%s' in Tag-Files-Required, which it should not",
				p->path, e);
	}
	for (size_t i = 0; i < p->payload_files_required.n; i++)
		if (!has_prefix(p->payload_files_required.items[i], "data/"))
			warning(r, "", "profile '%s' lists '%s' in Payload-Files-Required, outside data/",
				p->path, p->payload_files_required.items[i]);
}

/* --- bag-info.txt ------------------------------------------------------- */

static void check_identifier(const struct bag_profile *p,
			     const struct bag_facts *f, struct problems *r)
{
	const char *seen = NULL;

	if (!f->has_bag_info) {
		violation(r, "bag-info.txt", "bag-info.txt is missing; a bag conforming to a profile must carry it with a 'BagIt-Profile-Identifier' tag");
		return;
	}
	for (size_t i = 0; i < f->ninfo; i++) {
		if (strcasecmp(f->info[i].label, "BagIt-Profile-Identifier"))
			continue;
		if (strcmp(tag_value(&f->info[i]), p->identifier) == 0)
			return;
		seen = tag_value(&f->info[i]);
	}
	if (!seen)
		violation(r, "bag-info.txt", "bag-info.txt has no 'BagIt-Profile-Identifier' tag; a bag conforming to a profile must name it");
	else
		warning(r, "bag-info.txt", "bag-info.txt 'BagIt-Profile-Identifier' is '%s', not this profile's identifier '%s'",
			seen, p->identifier);
}

static void check_tag(const struct profile_tag *t, const struct bag_facts *f,
		      struct problems *r)
{
	char shown[LIST_SHOWN];
	size_t count = 0, empty = 0;

	for (size_t i = 0; i < f->ninfo; i++) {
		const struct bag_tag *bt = &f->info[i];

		if (strcasecmp(bt->label, t->label) != 0)
			continue;
		count++;
		if (tag_value(bt)[0] == '\0')
			empty++;
		if (t->values.n && !list_has(&t->values, tag_value(bt)))
			violation(r, "bag-info.txt", "bag-info.txt line %zu: tag '%s' has value '%s', not one the profile allows (Bag-Info values: %s)",
				  bt->line, t->label, tag_value(bt),
				  list_show(shown, sizeof(shown), &t->values));
	}
	if (t->required && count == 0)
		violation(r, "bag-info.txt", "bag-info.txt lacks the tag '%s', which the profile requires (Bag-Info required)",
			  t->label);
	else if (t->required && empty == count)
		warning(r, "bag-info.txt", "bag-info.txt tag '%s', which the profile requires, is empty",
			t->label);
	if (!t->repeatable && count > 1)
		violation(r, "bag-info.txt", "bag-info.txt tag '%s' appears %zu times, but the profile makes it non-repeatable (Bag-Info repeatable: false)",
			  t->label, count);
}

/* --- manifests ---------------------------------------------------------- */

struct manifest_rule {
	const char *prefix;               /* "manifest-", "tagmanifest-" */
	const char *key;                  /* "Manifests", "Tag-Manifests" */
	digest_mask mask;                 /* what the bag has */
	const struct profile_list *req, *allowed;
};

/* The algorithm part of a root-level PREFIX-ALG.txt, else NULL. */
static const char *manifest_alg(const char *file, const char *prefix,
				char *buf, size_t cap)
{
	size_t n = strlen(file), pn = strlen(prefix);

	if (strchr(file, '/') || !has_prefix(file, prefix) ||
	    !has_suffix(file, ".txt") || n <= pn + 4 || n - pn - 4 >= cap)
		return NULL;
	memcpy(buf, file + pn, n - pn - 4);
	buf[n - pn - 4] = '\0';
	return buf;
}

static void check_manifest_required(const struct manifest_rule *m,
				    const struct bag_facts *f,
				    struct problems *r)
{
	char file[320];
	enum digest_alg a;

	for (size_t i = 0; i < m->req->n; i++) {
		const char *e = m->req->items[i];
		int n = snprintf(file, sizeof(file), "%s%s.txt", m->prefix, e);
		bool ok;

		if (n < 0 || (size_t)n >= sizeof(file))
			ok = false;
		else if (digest_from_name(&a, e) == 0)
			ok = (m->mask & DIGEST_BIT(a)) != 0;
		else
			ok = has_string(f->tag_files, f->ntag_files, file);
		if (!ok)
			violation(r, file, "'%s' is missing; the profile requires a '%s' %s (%s-Required)",
				  file, e, m->prefix[0] == 't' ?
				  "tag manifest" : "manifest", m->key);
	}
}

static void check_manifest_allowed(const struct manifest_rule *m,
				   const struct bag_facts *f,
				   struct problems *r)
{
	char shown[LIST_SHOWN], file[320], alg[256];
	enum digest_alg a;

	if (!m->allowed->present)
		return;
	list_show(shown, sizeof(shown), m->allowed);
	for (int i = 0; i < DIGEST_COUNT; i++) {
		if (!(m->mask & DIGEST_BIT(i)) ||
		    list_has_alg(m->allowed, (enum digest_alg)i))
			continue;
		snprintf(file, sizeof(file), "%s%s.txt", m->prefix,
			 digest_name((enum digest_alg)i));
		violation(r, file, "'%s' is not allowed by the profile (%s-Allowed: %s)",
			  file, m->key, shown);
	}
	/* manifests in algorithms custos does not know: judged by name */
	for (size_t i = 0; i < f->ntag_files; i++) {
		const char *name = manifest_alg(f->tag_files[i], m->prefix,
						alg, sizeof(alg));

		if (!name || digest_from_name(&a, name) == 0 ||
		    list_has_nocase(m->allowed, name))
			continue;
		violation(r, f->tag_files[i], "'%s' is not allowed by the profile (%s-Allowed: %s)",
			  f->tag_files[i], m->key, shown);
	}
}

static void check_manifests(const struct bag_profile *p,
			    const struct bag_facts *f, struct problems *r)
{
	const struct manifest_rule rules[] = {
		{ "manifest-", "Manifests", f->payload_manifests,
		  &p->manifests_required, &p->manifests_allowed },
		{ "tagmanifest-", "Tag-Manifests", f->tag_manifests,
		  &p->tag_manifests_required, &p->tag_manifests_allowed },
	};

	for (size_t i = 0; i < 2; i++) {
		check_manifest_required(&rules[i], f, r);
		check_manifest_allowed(&rules[i], f, r);
	}
}

/* --- fetch.txt and Data-Empty ------------------------------------------- */

static void check_fetch(const struct bag_profile *p,
			const struct bag_facts *f, struct problems *r)
{
	if (f->has_fetch && !p->allow_fetch)
		violation(r, "fetch.txt", "'fetch.txt' is present, but the profile forbids it (Allow-Fetch.txt: false)");
	if (!f->has_fetch && p->fetch_required)
		violation(r, "fetch.txt", "'fetch.txt' is missing, but the profile requires it (Fetch.txt-Required: true)");
}

/* Octets of a well-formed Payload-Oxum in bag-info; -1 if none. */
static int oxum_octets(const struct bag_facts *f, unsigned long long *out)
{
	for (size_t i = 0; i < f->ninfo; i++) {
		const char *v = tag_value(&f->info[i]);
		char *end;

		if (strcasecmp(f->info[i].label, "Payload-Oxum") != 0)
			continue;
		if (v[0] < '0' || v[0] > '9')
			return -1;
		errno = 0;
		*out = strtoull(v, &end, 10);
		if (errno == ERANGE || *end != '.')
			return -1;
		return 0;
	}
	return -1;
}

static bool is_data_root(const char *d)
{
	return strcmp(d, "data") == 0 || strcmp(d, "data/") == 0;
}

/* Data-Empty: data/ holds nothing, or one zero-byte file. The facts have
 * no file sizes: that one file's size is read from Payload-Oxum, which
 * the validator checks against the files separately. */
static void check_data_empty(const struct bag_profile *p,
			     const struct bag_facts *f, struct problems *r)
{
	unsigned long long octets;

	if (!p->data_empty)
		return;
	for (size_t i = 0; i < f->npayload_dirs; i++)
		if (!is_data_root(f->payload_dirs[i])) {
			violation(r, f->payload_dirs[i], "payload directory '%s' exists, but the profile requires an empty payload (Data-Empty: true)",
				  f->payload_dirs[i]);
			break;
		}
	if (f->npayload_files > 1)
		violation(r, "data/", "data/ holds %zu files, but the profile requires an empty payload: at most one zero-byte file (Data-Empty: true)",
			  f->npayload_files);
	else if (f->npayload_files == 1 && oxum_octets(f, &octets) < 0)
		warning(r, f->payload_files[0], "cannot tell whether '%s' is zero bytes (Data-Empty: true) without a Payload-Oxum",
			f->payload_files[0]);
	else if (f->npayload_files == 1 && octets > 0)
		violation(r, f->payload_files[0], "payload file '%s' is not empty (Payload-Oxum %llu bytes), but the profile requires an empty payload (Data-Empty: true)",
			  f->payload_files[0], octets);
}

/* --- tag files and payload files ---------------------------------------- */

/* Root-level files with their own rules, outside Tag-Files-Allowed. */
static bool is_bagit_tag_file(const char *name)
{
	if (strchr(name, '/'))
		return false;
	if (strcmp(name, "bagit.txt") == 0 ||
	    strcmp(name, "bag-info.txt") == 0 ||
	    strcmp(name, "fetch.txt") == 0)
		return true;
	return (has_prefix(name, "manifest-") ||
		has_prefix(name, "tagmanifest-")) && has_suffix(name, ".txt");
}

static void check_tag_files(const struct bag_profile *p,
			    const struct bag_facts *f, struct problems *r)
{
	char shown[LIST_SHOWN];

	for (size_t i = 0; i < p->tag_files_required.n; i++) {
		const char *e = p->tag_files_required.items[i];

		if (!has_string(f->tag_files, f->ntag_files, e))
			violation(r, e, "tag file '%s' is missing, but the profile requires it (Tag-Files-Required)",
				  e);
	}
	if (!p->tag_files_allowed.present)
		return;
	list_show(shown, sizeof(shown), &p->tag_files_allowed);
	for (size_t i = 0; i < f->ntag_files; i++) {
		const char *t = f->tag_files[i];

		if (!is_bagit_tag_file(t) && !list_glob(&p->tag_files_allowed, t))
			violation(r, t, "tag file '%s' is not allowed by the profile (Tag-Files-Allowed: %s)",
				  t, shown);
	}
}

/* True if S is DIR (DLEN bytes, no trailing '/'), with or without '/'. */
static bool is_dir_path(const char *s, const char *dir, size_t dlen)
{
	return strncmp(s, dir, dlen) == 0 &&
	       (s[dlen] == '\0' || (s[dlen] == '/' && s[dlen + 1] == '\0'));
}

/* True if S lies strictly below DIR. */
static bool is_below(const char *s, const char *dir, size_t dlen)
{
	return strncmp(s, dir, dlen) == 0 && s[dlen] == '/' &&
	       s[dlen + 1] != '\0';
}

/* Payload-Files-Required "data/dir/": must exist and hold something. */
static void check_required_dir(const char *e, const struct bag_facts *f,
			       struct problems *r)
{
	size_t dlen = strlen(e) - 1;
	bool exists = dlen == 4 && strncmp(e, "data", 4) == 0;
	bool full = false;

	for (size_t i = 0; i < f->npayload_dirs && !full; i++) {
		if (is_dir_path(f->payload_dirs[i], e, dlen))
			exists = true;
		else if (is_below(f->payload_dirs[i], e, dlen))
			exists = full = true;
	}
	for (size_t i = 0; i < f->npayload_files && !full; i++)
		if (is_below(f->payload_files[i], e, dlen))
			exists = full = true;
	if (!exists)
		violation(r, e, "payload directory '%s' is missing, but the profile requires it (Payload-Files-Required)",
			  e);
	else if (!full)
		violation(r, e, "payload directory '%s' is empty, but the profile requires it non-empty (Payload-Files-Required)",
			  e);
}

static void check_required_file(const char *e, const struct bag_facts *f,
				struct problems *r)
{
	size_t n = strlen(e);

	if (has_string(f->payload_files, f->npayload_files, e))
		return;
	for (size_t i = 0; i < f->npayload_dirs; i++)
		if (is_dir_path(f->payload_dirs[i], e, n)) {
			violation(r, e, "payload file '%s' is a directory, but the profile requires a file (Payload-Files-Required; a directory is written '%s/')",
				  e, e);
			return;
		}
	violation(r, e, "payload file '%s' is missing, but the profile requires it (Payload-Files-Required)",
		  e);
}

static void check_payload_files(const struct bag_profile *p,
				const struct bag_facts *f, struct problems *r)
{
	char shown[LIST_SHOWN];

	for (size_t i = 0; i < p->payload_files_required.n; i++) {
		const char *e = p->payload_files_required.items[i];

		if (e[0] && has_suffix(e, "/"))
			check_required_dir(e, f, r);
		else
			check_required_file(e, f, r);
	}
	if (!p->payload_files_allowed.present)
		return;
	list_show(shown, sizeof(shown), &p->payload_files_allowed);
	for (size_t i = 0; i < f->npayload_files; i++) {
		const char *t = f->payload_files[i];

		if (!list_glob(&p->payload_files_allowed, t))
			violation(r, t, "payload file '%s' is not allowed by the profile (Payload-Files-Allowed: %s)",
				  t, shown);
	}
}

void profile_check(const struct bag_profile *p, const struct bag_facts *f,
		   struct problems *r)
{
	/* fatal in the spec's workflow, so first; the rest still runs to
	 * build a full report */
	check_serialization(p, f, r);
	check_version(p, f, r);
	check_profile_info(p, r);
	check_profile_lists(p, r);
	check_identifier(p, f, r);
	for (size_t i = 0; i < p->ntags; i++)
		check_tag(&p->tags[i], f, r);
	check_manifests(p, f, r);
	check_fetch(p, f, r);
	check_data_empty(p, f, r);
	check_tag_files(p, f, r);
	check_payload_files(p, f, r);
}
