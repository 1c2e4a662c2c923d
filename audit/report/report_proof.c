/*
 * audit/report/report_proof.c - the report carries its own proof:
 * events.jsonl holds every event's exact stored record, one a line, in log
 * order. From it alone `report verify` recomputes the hash chain head, the
 * Merkle tree head and the figures that rest on events (event count,
 * findings, repairs, findings per day, policy history) and names each
 * figure of report.json that does not follow, whatever the signature says.
 */
#include "audit/report/report_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <openssl/evp.h>
#include "core/fileio.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "preserve/catalog/catalog_log_read.h"
#include "preserve/repo/repo.h"

#define EVENTS_FILE "events.jsonl"
#define MAX_EVENTS_BYTES (1ull << 34)

static int add_line(void *arg, const char *record, size_t len)
{
	struct strbuf *b = arg;

	strbuf_add(b, record, len);
	strbuf_add(b, "\n", 1);
	return 0;
}

int report_write_events(const char *dir, struct repo *r, struct custos_err *err)
{
	struct strbuf b;
	int rc;

	strbuf_init(&b, 1 << 16);
	rc = catalog_log_records(repo_catalog(r), add_line, &b, err);
	if (rc == 0 && (rc = strbuf_check(&b, err)) == 0)
		rc = report_put(dir, EVENTS_FILE, b.data ? b.data : "", b.len, err);
	strbuf_release(&b);
	return rc;
}

/* What the events say, recomputed. */
struct recomputed {
	int64_t events;
	char head[65];
	struct merkle_hash *leaves;
	size_t nleaves, cap;
	json_t *findings, *repairs, *days, *history;   /* identifiers / rows */
	json_t *premis;           /* the period's events as events.xml gives them */
};

/* One event as the PREMIS export states it. */
static json_t *premis_key(const char *uuid, const char *type, const char *when,
			  const char *outcome, const char *note)
{
	return json_pack("[s, s, s, s, s]", uuid, type, when, outcome, note);
}

/* The code after the vocabulary URI of the record's KEY. */
static const char *code(json_t *rec, const char *key)
{
	const char *v = json_string_value(json_object_get(rec, key)), *s;

	return v && (s = strrchr(v, '/')) ? s + 1 : v ? v : "";
}

static const char *str(json_t *rec, const char *key)
{
	const char *v = json_string_value(json_object_get(rec, key));

	return v ? v : "";
}

static int chain(char head[65], const char *rec, size_t len)
{
	unsigned char buf[65], h[32];
	unsigned int n;

	buf[0] = 0x02;
	for (int i = 0; i < 32; i++) {
		unsigned v;

		if (sscanf(head + 2 * i, "%2x", &v) != 1)
			return -1;
		buf[1 + i] = (unsigned char)v;
	}
	if (!EVP_Digest(rec, len, buf + 33, &n, EVP_sha256(), NULL) ||
	    !EVP_Digest(buf, sizeof(buf), h, &n, EVP_sha256(), NULL))
		return -1;
	text_to_hex(head, h, 32);
	return 0;
}

static void bump_day(json_t *days, const char *datetime)
{
	char day[11];
	size_t n = json_array_size(days);
	json_t *last = n ? json_array_get(days, n - 1) : NULL;

	snprintf(day, sizeof(day), "%s", datetime);
	if (last && !strcmp(json_string_value(json_object_get(last, "day")) ?: "", day)) {
		json_object_set_new(last, "findings", json_integer(
			json_integer_value(json_object_get(last, "findings")) + 1));
		return;
	}
	json_array_append_new(days, json_pack("{s:s, s:i}", "day", day, "findings", 1));
}

static void tally(struct recomputed *x, json_t *rec, const char *since)
{
	const char *type = code(rec, "type"), *outcome = code(rec, "outcome");
	const char *when = str(rec, "datetime"), *detail = str(rec, "detail"), *d;

	if (!strcmp(type, "poa") && (d = strstr(detail, "(sha256 ")))
		json_array_append_new(x->history, json_stringn(d + 8, 64));
	if (strcmp(when, since) < 0)
		return;
	json_array_append_new(x->premis, premis_key(str(rec, "identifier"), type, when,
						    outcome, str(rec, "outcome_note")));
	if (!strcmp(outcome, "fai") || !strcmp(outcome, "war")) {
		json_array_append_new(x->findings, json_string(str(rec, "identifier")));
		bump_day(x->days, when);
	}
	if ((!strcmp(type, "rep") || !strcmp(type, "rec")) &&
	    json_object_get(rec, "related_event"))
		json_array_append_new(x->repairs, json_string(str(rec, "identifier")));
}

static int add_record(struct recomputed *x, const char *rec, size_t len,
		      const char *since)
{
	json_error_t jerr;
	json_t *o;

	if (x->nleaves == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 1024;
		struct merkle_hash *h = reallocarray(x->leaves, cap, sizeof(*h));

		if (!h)
			return -1;
		x->leaves = h;
		x->cap = cap;
	}
	if (merkle_leaf(&x->leaves[x->nleaves++], rec, len) < 0 || chain(x->head, rec, len) < 0)
		return -1;
	x->events++;
	if (!(o = json_loadb(rec, len, 0, &jerr)))
		return 1;
	tally(x, o, since);
	json_decref(o);
	return 0;
}

/* The identifiers KEY lists in report.json's array AT. */
static json_t *ids_of(json_t *rep, const char *at, const char *key)
{
	json_t *out = json_array(), *v;
	size_t i;

	json_array_foreach(rjson_get(rep, at), i, v)
		json_array_append(out, key ? json_object_get(v, key) : v);
	return out;
}

static void compare(FILE *to, size_t *problems, const char *figure, json_t *stated,
		    json_t *recomputed)
{
	char *a, *b;

	if (json_equal(stated, recomputed)) {
		json_decref(recomputed);
		return;
	}
	a = json_dumps(stated, JSON_COMPACT | JSON_ENCODE_ANY);
	b = json_dumps(recomputed, JSON_COMPACT | JSON_ENCODE_ANY);
	fprintf(to, "%s: figure '%s' does not follow from " EVENTS_FILE
		": it states %.200s, the events give %.200s\n",
		strncmp(figure, "events.xml:", 11) ? "report.json" : "events.xml",
		strncmp(figure, "events.xml:", 11) ? figure : figure + 11, a ? a : "?",
		b ? b : "?");
	free(a);
	free(b);
	json_decref(recomputed);
	(*problems)++;
}

static void compare_all(FILE *to, size_t *problems, json_t *rep, struct recomputed *x)
{
	struct merkle_hash root;
	char hex[2 * MERKLE_HASH + 1];
	json_t *v;

	merkle_root(&root, x->leaves, x->nleaves);
	merkle_hex(hex, &root);
	compare(to, problems, "log.events", rjson_get(rep, "log/events"),
		json_integer(x->events));
	compare(to, problems, "log.merkle.tree_size", rjson_get(rep, "log/merkle/tree_size"),
		json_integer(x->events));
	compare(to, problems, "log.merkle.root", rjson_get(rep, "log/merkle/root"),
		json_string(hex));
	compare(to, problems, "log.head_hash", rjson_get(rep, "log/head_hash"),
		x->events ? json_string(x->head) : json_null());
	compare(to, problems, "findings", v = ids_of(rep, "findings", "event"), json_incref(x->findings));
	json_decref(v);
	compare(to, problems, "repairs", v = ids_of(rep, "repairs", "event"), json_incref(x->repairs));
	json_decref(v);
	compare(to, problems, "findings_by_day", rjson_get(rep, "findings_by_day"), json_incref(x->days));
	compare(to, problems, "policy.history", v = ids_of(rep, "policy/history", "sha256"),
		json_incref(x->history));
	json_decref(v);
}

/* The text of the first element named NAME under N ("" if none); for a
 * coded element, the code its valueURI ends in. */
static const char *under(xmlNode *n, const char *name, bool coded, xmlChar **keep)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, name)) {
			xmlChar *v = coded ? xmlGetProp(c, BAD_CAST "valueURI") : xmlNodeGetContent(c);
			const char *s = v ? strrchr((const char *)v, '/') : NULL;

			*keep = v;
			return coded && s ? s + 1 : v ? (const char *)v : "";
		}
		const char *deeper = under(c, name, coded, keep);

		if (*keep)
			return deeper;
	}
	return "";
}

/* The events events.xml states, as premis_key rows, in its order. */
static json_t *premis_events(const char *dir)
{
	char path[4096];
	xmlDoc *doc;
	xmlXPathContext *ctx;
	xmlXPathObject *res;
	json_t *out = json_array();

	snprintf(path, sizeof(path), "%s/events.xml", dir);
	if (!(doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING)))
		return out;
	ctx = xmlXPathNewContext(doc);
	res = ctx ? xmlXPathEvalExpression(BAD_CAST "//*[local-name()='event']", ctx) : NULL;
	for (int i = 0; res && res->nodesetval && i < res->nodesetval->nodeNr; i++) {
		xmlNode *e = res->nodesetval->nodeTab[i];
		xmlChar *k[5] = { NULL };
		const char *id = under(e, "eventIdentifierValue", false, &k[0]);
		const char *type = under(e, "eventType", true, &k[1]);
		const char *when = under(e, "eventDateTime", false, &k[2]);
		const char *outcome = under(e, "eventOutcome", true, &k[3]);
		const char *note = under(e, "eventOutcomeDetailNote", false, &k[4]);

		json_array_append_new(out, premis_key(id, type, when, outcome, note));
		for (int j = 0; j < 5; j++)
			xmlFree(k[j]);
	}
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

static int read_in(const char *dir, const char *name, char **text, size_t *len,
		   struct custos_err *err)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return err_set(err, CUSTOS_ELIMIT, dir, "path too long: '%s'", dir);
	return fio_read_file(text, len, AT_FDCWD, path, MAX_EVENTS_BYTES, err);
}

static int recompute(struct recomputed *x, char *text, size_t len, const char *since,
		     FILE *to, size_t *problems)
{
	size_t at = 0;

	while (at < len) {
		char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		int rc = add_record(x, text + at, n, since);

		if (rc < 0)
			return -1;
		if (rc > 0) {
			fprintf(to, EVENTS_FILE ": line %lld is not a JSON record\n",
				(long long)x->events);
			(*problems)++;
		}
		at += n + 1;
	}
	return 0;
}

int report_verify_proof(const char *dir, FILE *to, size_t *problems,
			struct custos_err *err)
{
	struct recomputed x = { .head = "0000000000000000000000000000000000000000000000000000000000000000" };
	char *text = NULL, *events = NULL;
	size_t len, elen;
	json_t *rep;
	int rc = -1;

	if (read_in(dir, "report.json", &text, &len, err) < 0)
		return -1;
	if (!(rep = json_loadb(text, len, 0, NULL))) {
		free(text);
		fprintf(to, "report.json: not JSON\n");
		(*problems)++;
		return 0;
	}
	free(text);
	if (read_in(dir, EVENTS_FILE, &events, &elen, err) < 0) {
		json_decref(rep);
		fprintf(to, EVENTS_FILE ": missing or unreadable: the report carries no proof"
			" of its figures\n");
		(*problems)++;
		return 0;
	}
	x.findings = json_array();
	x.repairs = json_array();
	x.days = json_array();
	x.history = json_array();
	x.premis = json_array();
	if (recompute(&x, events, elen,
		      json_string_value(rjson_get(rep, "period/since")) ?: "", to, problems) < 0)
		err_set(err, CUSTOS_EINTERNAL, dir, "cannot hash the events of '%s'", dir);
	else {
		compare_all(to, problems, rep, &x);
		json_t *stated = premis_events(dir);

		compare(to, problems, "events.xml:events", stated, json_incref(x.premis));
		json_decref(stated);
		rc = 0;
	}
	free(events);
	free(x.leaves);
	json_decref(x.findings);
	json_decref(x.repairs);
	json_decref(x.days);
	json_decref(x.history);
	json_decref(x.premis);
	json_decref(rep);
	return rc;
}
