/*
 * preserve/repo/ingest.c - the flow of one deposit: survey and validate, record
 * the intent, stage the payload and tag files in the primary location,
 * commit the version into place, verify it, register it in one catalog
 * transaction, replicate it, and retire the intent. A crash anywhere is
 * finished or rolled back by repo_recover from the intent.
 */
#include "preserve/repo/repo_int.h"
#include "core/crashpoint.h"
#include "preserve/repo/ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <openssl/rand.h>

#include "core/strbuf.h"
#include "core/text.h"
#include "preserve/bagit/bagpath.h"
#include "preserve/bagit/bagwrite.h"
#include "preserve/repo/premis.h"

static void random_hex(char *out, size_t nbytes)
{
	unsigned char r[32];

	RAND_bytes(r, (int)nbytes);
	text_to_hex(out, r, nbytes);
}

/* Pick the identifier and the version number. */
static int choose_ident(struct ingest_ctx *cx, struct custos_err *err)
{
	struct ingest_result *res = cx->res;
	int64_t id;
	int latest = 0, rc;

	if (cx->o->id) {
		if (repo_check_ident(cx->o->id, err) < 0)
			return -1;
		snprintf(res->ident, sizeof(res->ident), "%s", cx->o->id);
	} else {
		char hex[13];

		do {
			random_hex(hex, 6);
			snprintf(res->ident, sizeof(res->ident), "obj-%s", hex);
		} while ((rc = catalog_object_find(cx->r->cat, res->ident, &id,
						   &latest, err)) == 0);
		if (rc < 0)
			return -1;
	}
	rc = catalog_object_find(cx->r->cat, res->ident, &id, &latest, err);
	if (rc < 0)
		return -1;
	res->version = (rc == 0 ? latest : 0) + 1;
	return repo_version_path(cx->dest, sizeof(cx->dest), res->ident,
				 res->version) < 0 ?
	       err_set(err, CUSTOS_EUSAGE, NULL, "identifier too long") : 0;
}

static const char *const kind_words[] = {
	"the directory", "the file", "the archive", "the bag", "the serialized bag",
};

/* Fix the events that make this version (identifiers and times chosen
 * now), so the bag's metadata/premis.xml and the log tell the same story. */
static void add_planned(struct ingest_ctx *cx, const char *type,
			const char *detail)
{
	struct ingest_event *e = &cx->events[cx->nevents++];

	catalog_new_uuid(e->uuid);
	catalog_now(e->when);
	e->type = type;
	snprintf(e->detail, sizeof(e->detail), "%s", detail);
}

static void plan_events(struct ingest_ctx *cx)
{
	char d[1200], algs[128] = "";
	size_t known = 0;

	cx->nevents = 0;
	for (int a = 0; a < DIGEST_COUNT; a++)
		if (cx->algs & DIGEST_BIT(a))
			snprintf(algs + strlen(algs), sizeof(algs) - strlen(algs), "%s%s",
				 algs[0] ? ", " : "", digest_name((enum digest_alg)a));
	if (cx->kind == INGEST_BAG_DIR || cx->kind == INGEST_BAG_ARCHIVE) {
		snprintf(d, sizeof(d), "deposit validated as a BagIt bag (RFC 8493)%s",
			 cx->r->policy->deposit_profile || cx->o->profile ?
			 " and against its BagIt profile" : "");
		add_planned(cx, "val", d);
	}
	snprintf(d, sizeof(d), "message digests (%s) computed for %zu files", algs,
		 cx->nitems);
	add_planned(cx, "mes", d);
	for (size_t i = 0; i < cx->nitems; i++)
		known += cx->items[i].nformats ? 1 : 0;
	snprintf(d, sizeof(d), "formats identified (%s signatures): %zu of %zu files; records in metadata/formats.tsv",
		 fmt_identifier_version(cx->fid), known, cx->nitems);
	add_planned(cx, "for", d);
	snprintf(d, sizeof(d), "ingested from %s '%s' as %s", kind_words[cx->kind],
		 cx->src, cx->dest);
	add_planned(cx, "ing", d);
}

/* The format record of every payload file, as a tag file of the bag:
 * path, PUID, format name, version, MIME type, basis. */
static char *format_records(const struct ingest_ctx *cx)
{
	struct strbuf b;

	strbuf_init(&b, (size_t)1 << 30);
	strbuf_addf(&b, "# format identification by custos %s with %s signatures\n"
		    "path\tpuid\tformat\tversion\tmime\tbasis\n", CUSTOS_VERSION,
		    fmt_identifier_version(cx->fid));
	for (size_t i = 0; i < cx->nitems; i++) {
		const struct ingest_item *it = &cx->items[i];
		char *enc = NULL;

		if (bagpath_encode(&enc, it->bagpath) < 0) {
			strbuf_release(&b);
			return NULL;
		}
		if (it->nformats)
			strbuf_addf(&b, "%s\t%s\t%s\t%s\t%s\t%s\n", enc, it->fmt.puid,
				    it->fmt.name, it->fmt.version, it->fmt.mime,
				    fmt_basis_name(it->fmt.basis));
		else
			strbuf_addf(&b, "%s\tUNKNOWN\t\t\t\t\n", enc);
		free(enc);
	}
	if (b.failed) {
		strbuf_release(&b);
		return NULL;
	}
	return b.data ? b.data : strdup("");
}

/* metadata/premis.xml: the version's files and the events that made it. */
static char *premis_record(struct ingest_ctx *cx, size_t *len,
			   struct custos_err *err)
{
	struct premis_file *pf = calloc(cx->nitems ? cx->nitems : 1, sizeof(*pf));
	struct premis_event pe[4];
	char *xml = NULL;

	if (!pf) {
		err_nomem(err);
		return NULL;
	}
	for (size_t i = 0; i < cx->nitems; i++) {
		const struct ingest_item *it = &cx->items[i];

		pf[i] = (struct premis_file){ it->bagpath, it->size, &it->dig,
			it->nformats ? it->fmt.puid : NULL,
			it->nformats ? it->fmt.name : NULL,
			it->nformats ? it->fmt.version : NULL };
	}
	for (size_t i = 0; i < cx->nevents; i++)
		pe[i] = (struct premis_event){ cx->events[i].uuid, cx->events[i].type,
					       cx->events[i].when, "suc",
					       cx->events[i].detail };
	if (premis_version_xml(&xml, len, cx->res->ident, cx->res->version, pf,
			       cx->nitems, pe, cx->nevents, err) < 0)
		xml = NULL;
	free(pf);
	return xml;
}

static int write_tags(struct ingest_ctx *cx, struct custos_err *err)
{
	char *records = format_records(cx);
	size_t plen = 0;
	char *premis = premis_record(cx, &plen, err);
	struct bagwrite_tagfile extra[2] = {
		{ "metadata/formats.tsv", records, records ? strlen(records) : 0 },
		{ "metadata/premis.xml", premis, plen },
	};
	struct bagwrite_opts wo = { .algs = cx->algs, .info = cx->tags,
				    .ninfo = cx->ntags, .extra = extra, .nextra = 2 };
	struct bagwrite_file *bf = calloc(cx->nitems ? cx->nitems : 1, sizeof(*bf));
	struct bagwrite_tagfile *t = NULL;
	size_t nt = 0;
	int rc = -1;

	if (!bf || !records || !premis) {
		free(bf);
		free(records);
		free(premis);
		return premis ? err_nomem(err) : -1;
	}
	for (size_t i = 0; i < cx->nitems; i++)
		bf[i] = (struct bagwrite_file){ cx->items[i].bagpath,
						cx->items[i].size, &cx->items[i].dig };
	if (bag_build_tags(&t, &nt, &wo, bf, cx->nitems, err) < 0)
		goto out;
	for (size_t i = 0; i < nt; i++) {
		struct location_file *f;

		if (location_txn_create(cx->txn, t[i].name, &f, err) < 0)
			goto out;
		if (location_file_write(f, t[i].data, t[i].len, err) < 0) {
			location_file_close(f, NULL);
			goto out;
		}
		if (location_file_close(f, err) < 0)
			goto out;
	}
	rc = 0;
out:
	bagwrite_tags_free(t, nt);
	free(bf);
	free(records);
	free(premis);
	return rc;
}

static char *bag_info_json(const struct ingest_ctx *cx)
{
	json_t *arr = json_array();
	char *s;

	for (size_t i = 0; arr && i < cx->ntags; i++)
		json_array_append_new(arr, json_pack("[ss]", cx->tags[i].label,
						     cx->tags[i].value));
	s = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return s;
}


/* The planned events, then the fixity check of the new copy. */
static int version_events(struct ingest_ctx *cx, bool verified,
			  struct custos_err *err)
{
	const char *primary = location_name(cx->r->locs[0]);
	char d[256];

	for (size_t i = 0; i < cx->nevents; i++) {
		const struct ingest_event *p = &cx->events[i];
		struct catalog_event e = {
			.type = p->type, .outcome = "suc", .detail = p->detail,
			.object = cx->res->ident, .version = cx->res->version,
			.location = strcmp(p->type, "val") ? primary : NULL,
			.uuid = p->uuid, .datetime = p->when,
		};

		if (catalog_event_add(cx->r->cat, &e, NULL, err) < 0)
			return -1;
	}
	if (!verified)
		return 0;
	snprintf(d, sizeof(d), "new copy re-read and verified (%s)",
		 digest_name(cx->r->policy->audit_alg));
	struct catalog_event fix = { .type = "fix", .outcome = "suc", .detail = d,
				     .object = cx->res->ident,
				     .version = cx->res->version, .location = primary };
	return catalog_event_add(cx->r->cat, &fix, NULL, err);
}

/* Everything about the new version, in one transaction. */
static int register_version(struct ingest_ctx *cx, bool verified,
			    struct custos_err *err)
{
	struct catalog *c = cx->r->cat;
	struct catalog_version v = { .number = cx->res->version, .source = cx->src };
	char *info = bag_info_json(cx);
	int64_t vid;
	int latest;

	v.files = cx->res->files;
	v.bytes = cx->res->bytes;
	v.bag_info = info;
	for (size_t i = 0; i < cx->nevents; i++)      /* the time of its ingestion */
		if (!strcmp(cx->events[i].type, "ing"))
			v.created = cx->events[i].when;
	if (catalog_begin(c, err) < 0)
		goto fail_nobegin;
	if ((catalog_object_find(c, cx->res->ident, &v.object_id, &latest, err) == 1 &&
	     catalog_object_add(c, cx->res->ident, &v.object_id, err) < 0) ||
	    catalog_version_add(c, &v, &vid, err) < 0)
		goto fail;
	for (size_t i = 0; i < cx->nitems; i++) {
		const struct ingest_item *it = &cx->items[i];
		const struct fmt_match *m = it->nformats ? &it->fmt : NULL;
		struct catalog_file f = {
			it->bagpath, it->size, &it->dig, m ? m->puid : NULL,
			m ? m->name : NULL, m ? m->version : NULL, m ? m->mime : NULL,
			m ? fmt_basis_name(m->basis) : NULL
		};

		if (catalog_file_add(c, vid, &f, err) < 0)
			goto fail;
	}
	if (catalog_copy_put(c, vid, cx->r->loc_ids[0], "ok", verified, err) < 0 ||
	    version_events(cx, verified, err) < 0 ||
	    catalog_intent_set(c, cx->txid, "stored", err) < 0 ||
	    catalog_commit(c, err) < 0)
		goto fail;
	free(info);
	return 0;
fail:
	catalog_rollback(c);
fail_nobegin:
	free(info);
	return -1;
}

static int start_intent(struct ingest_ctx *cx, struct custos_err *err)
{
	struct catalog *c = cx->r->cat;

	random_hex(cx->txid, 16);
	if (catalog_begin(c, err) < 0)
		return -1;
	if (catalog_intent_add(c, cx->txid, cx->res->ident, cx->res->version,
			       "staging", err) < 0 || catalog_commit(c, err) < 0) {
		catalog_rollback(c);
		return -1;
	}
	return 0;
}

/* A refused deposit is an event too: auditors see what was turned away. */
static void log_refusal(struct ingest_ctx *cx)
{
	const struct problems *rep = &cx->res->refusal;
	const char *first = "";
	char d[1200];
	struct custos_err ignored;
	struct catalog_event e = {
		.type = cx->kind == INGEST_BAG_DIR || cx->kind == INGEST_BAG_ARCHIVE ?
			"val" : "ing",
		.outcome = "fai", .detail = d,
	};

	for (size_t i = 0; i < rep->count && !*first; i++)
		if (rep->items[i].severity == PROBLEM_ERROR)
			first = rep->items[i].message;
	snprintf(d, sizeof(d), "deposit '%s' refused, nothing stored: %zu problem%s, first: %s",
		 cx->src, rep->errors, rep->errors == 1 ? "" : "s", first);
	if (catalog_begin(cx->r->cat, &ignored) == 0) {
		if (catalog_event_add(cx->r->cat, &e, NULL, &ignored) < 0 ||
		    catalog_commit(cx->r->cat, &ignored) < 0)
			catalog_rollback(cx->r->cat);
	}
}

/* Undo a failed attempt before registration; log that it failed. */
static void roll_back(struct ingest_ctx *cx, const struct custos_err *why)
{
	struct catalog *c = cx->r->cat;
	struct custos_err ignored;
	struct catalog_event e = { .type = "ing", .outcome = "fai",
				   .detail = why->msg, .object = cx->res->ident,
				   .version = cx->res->version };

	location_txn_abort(cx->txn);     /* only what this ingest made */
	cx->txn = NULL;
	if (catalog_begin(c, &ignored) == 0) {
		if (catalog_intent_remove(c, cx->txid, &ignored) < 0 ||
		    (!cx->refused && catalog_event_add(c, &e, NULL, &ignored) < 0) ||
		    catalog_commit(c, &ignored) < 0)
			catalog_rollback(c);
	}
	if (cx->refused)                 /* the deposit failed its own manifests */
		log_refusal(cx);
}

static int store_version(struct ingest_ctx *cx, struct custos_err *err)
{
	struct location *primary = cx->r->locs[0];
	bool verify = cx->r->policy->verify_after_write;

	if (repo_formats(cx->r, &cx->fid, err) < 0 || start_intent(cx, err) < 0)
		return -1;
	crashpoint("ingest: intent recorded");
	if (location_check(primary, err) < 0 ||
	    location_begin(primary, cx->dest, cx->txid, &cx->txn, err) < 0 ||
	    ingest_store_payload(cx, err) < 0)
		goto fail;
	if (ingest_check_deposit_digests(cx)) {
		cx->refused = true;
		err_set(err, CUSTOS_EFORMAT, cx->src,
			"deposit '%s' refused: its files differ from its own manifests",
			cx->src);
		goto fail;
	}
	plan_events(cx);
	if (write_tags(cx, err) < 0)
		goto fail;
	crashpoint("ingest: version staged");
	if (location_txn_commit(cx->txn, err) < 0)
		goto fail;
	crashpoint("ingest: version committed to the primary location");
	for (size_t i = 0; i < cx->nitems; i++) {
		cx->res->files++;
		cx->res->bytes += cx->items[i].size;
	}
	if ((verify && ingest_verify_copy(cx, primary, err) < 0) ||
	    register_version(cx, verify, err) < 0)
		goto fail;
	location_txn_free(cx->txn);      /* registered: the copy is kept */
	cx->txn = NULL;
	cx->res->copies = 1;
	crashpoint("ingest: version registered");
	return 0;
fail:
	roll_back(cx, err);
	return -1;
}

/* Replicate to every other location; the intent goes once all are done. */
static int replicate_all(struct ingest_ctx *cx, struct custos_err *err)
{
	struct catalog *c = cx->r->cat;
	int64_t vid = 0;
	int failed = 0;
	struct custos_err first;

	if (catalog_version_id(c, cx->res->ident, cx->res->version, &vid, err) != 0)
		return -1;
	err_clear(&first);
	for (size_t i = 1; i < cx->r->nlocs; i++) {
		if (repo_replicate(cx->r, cx->res->ident, cx->res->version, vid, i,
				   failed ? NULL : &first) < 0) {
			failed++;
			continue;
		}
		cx->res->copies++;
	}
	if (failed) {
		*err = first;
		return -1;
	}
	crashpoint("ingest: replicated");
	if (catalog_begin(c, err) < 0)
		return -1;
	if (catalog_intent_remove(c, cx->txid, err) < 0 || catalog_commit(c, err) < 0) {
		catalog_rollback(c);
		return -1;
	}
	return 0;
}

int repo_ingest(struct repo *r, const char *src, const struct ingest_opts *o,
		struct ingest_result *res, struct custos_err *err)
{
	struct ingest_ctx cx = { .r = r, .o = o, .res = res, .src = src,
				 .algs = r->policy->algorithms };
	int rc;

	memset(res, 0, sizeof(*res));
	problems_init(&res->refusal);
	rc = ingest_survey(&cx, err);
	if (rc == 1)
		log_refusal(&cx);
	cx.algs |= cx.deposit_algs;      /* the deposit's digests, same read */
	if (rc == 0 && choose_ident(&cx, err) < 0)
		rc = -1;
	if (rc == 0 && store_version(&cx, err) < 0)
		rc = cx.refused ? 1 : -1;
	if (rc == 0 && replicate_all(&cx, err) < 0)
		rc = -1;
	ingest_ctx_release(&cx);
	return rc;
}

void ingest_result_release(struct ingest_result *res)
{
	problems_release(&res->refusal);
}
