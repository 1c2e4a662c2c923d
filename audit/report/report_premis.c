/*
 * audit/report/report_premis.c - events.xml: the period's events as PREMIS 3
 * (standards.md 3.4) written with libxml2's xmlTextWriter: one
 * intellectualEntity per object version and one file object per file
 * (SHA-256 fixity, size, PRONOM format), then the events (type and
 * outcome with their id.loc.gov valueURI, detail, outcome note, linked
 * agent and object), then the agents.
 */
#include "audit/report/report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>
#include "preserve/catalog/catalog_export.h"
#include "preserve/catalog/catalog_report_events.h"
#include "preserve/repo/repo.h"

#define PREMIS_NS "http://www.loc.gov/premis/v3"
#define VOCAB "http://id.loc.gov/vocabulary/preservation/"
#define MAX_AGENTS 32

struct px {
	xmlTextWriterPtr w;
	int failed;
	char *agents[MAX_AGENTS];
	size_t nagents;
	size_t nversions;      /* object versions written */
};

static void el(struct px *p, const char *name, const char *text)
{
	if (xmlTextWriterWriteElement(p->w, BAD_CAST name, BAD_CAST(text ? text : "")) < 0)
		p->failed = 1;
}

static void start(struct px *p, const char *name)
{
	if (xmlTextWriterStartElement(p->w, BAD_CAST name) < 0)
		p->failed = 1;
}

static void end(struct px *p)
{
	if (xmlTextWriterEndElement(p->w) < 0)
		p->failed = 1;
}

static void attr(struct px *p, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(p->w, BAD_CAST name, BAD_CAST value) < 0)
		p->failed = 1;
}

/* <NAME authority authorityURI valueURI>CODE</NAME> from VOCAB/KIND/CODE. */
static void coded(struct px *p, const char *name, const char *kind, const char *code,
		  const char *label)
{
	char auth[160], val[200];

	snprintf(auth, sizeof(auth), VOCAB "%s", kind);
	snprintf(val, sizeof(val), VOCAB "%s/%s", kind, code);
	start(p, name);
	attr(p, "authority", kind);
	attr(p, "authorityURI", auth);
	attr(p, "valueURI", val);
	if (xmlTextWriterWriteString(p->w, BAD_CAST(label ? label : code)) < 0)
		p->failed = 1;
	end(p);
}

static void ident(struct px *p, const char *wrap, const char *prefix, const char *type,
		  const char *value)
{
	char t[64], v[64];

	snprintf(t, sizeof(t), "%sType", prefix);
	snprintf(v, sizeof(v), "%sValue", prefix);
	start(p, wrap);
	el(p, t, type);
	el(p, v, value);
}

static int version_row(void *arg, const char *object, int64_t version)
{
	struct px *p = arg;
	char id[300];

	snprintf(id, sizeof(id), "%s/v%lld", object, (long long)version);
	p->nversions++;
	start(p, "premis:object");
	attr(p, "xsi:type", "premis:intellectualEntity");
	ident(p, "premis:objectIdentifier", "premis:objectIdentifier", "custos version", id);
	end(p);
	end(p);
	return p->failed;
}

static int file_row(void *arg, const struct catalog_file_record *f)
{
	struct px *p = arg;
	char id[4200], size[24];

	snprintf(id, sizeof(id), "%s/v%lld/%s", f->object, (long long)f->version, f->path);
	snprintf(size, sizeof(size), "%lld", (long long)f->size);
	start(p, "premis:object");
	attr(p, "xsi:type", "premis:file");
	ident(p, "premis:objectIdentifier", "premis:objectIdentifier", "custos file", id);
	end(p);
	start(p, "premis:objectCharacteristics");
	if (f->sha256) {
		start(p, "premis:fixity");
		coded(p, "premis:messageDigestAlgorithm", "cryptographicHashFunctions",
		      "sha256", "SHA-256");
		el(p, "premis:messageDigest", f->sha256);
		el(p, "premis:messageDigestOriginator", "custos");
		end(p);
	}
	el(p, "premis:size", size);
	start(p, "premis:format");
	if (f->puid) {
		start(p, "premis:formatRegistry");
		el(p, "premis:formatRegistryName", "PRONOM");
		el(p, "premis:formatRegistryKey", f->puid);
		coded(p, "premis:formatRegistryRole", "formatRegistryRole", "spe", "specification");
		end(p);
	} else {
		start(p, "premis:formatDesignation");
		el(p, "premis:formatName", f->format_name ? f->format_name : "unidentified");
		end(p);
	}
	end(p);
	end(p);
	end(p);
	return p->failed;
}

static void note_agent(struct px *p, const char *agent)
{
	for (size_t i = 0; i < p->nagents; i++)
		if (!strcmp(p->agents[i], agent))
			return;
	if (p->nagents < MAX_AGENTS)
		p->agents[p->nagents++] = strdup(agent);
}

static const char *rec_str(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

static void text(struct px *p, const char *s)
{
	if (s && xmlTextWriterWriteString(p->w, BAD_CAST s) < 0)
		p->failed = 1;
}

/* eventDetail: the detail, the location and the related event, whole. */
static void event_detail(struct px *p, json_t *rec, const char *location)
{
	const char *d = rec_str(rec, "detail"), *rel = rec_str(rec, "related_event");

	if (!d && !location && !rel)
		return;
	start(p, "premis:eventDetailInformation");
	start(p, "premis:eventDetail");
	text(p, d);
	if (location) {
		text(p, d ? "; location: " : "location: ");
		text(p, location);
	}
	if (rel) {
		text(p, "; related event: ");
		text(p, rel);
	}
	end(p);
	end(p);
}

static int event_row(void *arg, const struct catalog_event_row *e)
{
	struct px *p = arg;
	json_t *rec;
	const char *agent, *note;
	char obj[300];

	if (!(rec = json_loads(e->record, 0, NULL))) {
		p->failed = 1;
		return 1;
	}
	agent = rec_str(rec, "agent");
	note = rec_str(rec, "outcome_note");
	start(p, "premis:event");
	ident(p, "premis:eventIdentifier", "premis:eventIdentifier", "UUID", e->uuid);
	end(p);
	coded(p, "premis:eventType", "eventType", e->type, NULL);
	el(p, "premis:eventDateTime", e->datetime);
	event_detail(p, rec, e->location);
	start(p, "premis:eventOutcomeInformation");
	coded(p, "premis:eventOutcome", "eventOutcome", e->outcome, NULL);
	if (note) {
		start(p, "premis:eventOutcomeDetail");
		el(p, "premis:eventOutcomeDetailNote", note);
		end(p);
	}
	end(p);
	if (agent) {
		note_agent(p, agent);
		ident(p, "premis:linkingAgentIdentifier", "premis:linkingAgentIdentifier",
		      "custos agent", agent);
		coded(p, "premis:linkingAgentRole", "eventRelatedAgentRole", "exe",
		      "executing program");
		end(p);
	}
	if (e->object) {
		if (e->version.known)
			snprintf(obj, sizeof(obj), "%s/v%lld", e->object, (long long)e->version.value);
		else
			snprintf(obj, sizeof(obj), "%s", e->object);
		ident(p, "premis:linkingObjectIdentifier", "premis:linkingObjectIdentifier",
		      e->version.known ? "custos version" : "custos object", obj);
		coded(p, "premis:linkingObjectRole", "eventRelatedObjectRole", "sou", "source");
		end(p);
	}
	end(p);
	json_decref(rec);
	return p->failed;
}

static void agents(struct px *p)
{
	for (size_t i = 0; i < p->nagents; i++) {
		const char *sp = strchr(p->agents[i], ' ');

		start(p, "premis:agent");
		ident(p, "premis:agentIdentifier", "premis:agentIdentifier", "custos agent",
		      p->agents[i]);
		end(p);
		el(p, "premis:agentName", "custos");
		coded(p, "premis:agentType", "agentType", "sof", "software");
		if (sp)
			el(p, "premis:agentVersion", sp + 1);
		end(p);
	}
}

static void repository_object(struct px *p, struct repo *r)
{
	start(p, "premis:object");
	attr(p, "xsi:type", "premis:intellectualEntity");
	ident(p, "premis:objectIdentifier", "premis:objectIdentifier", "custos repository",
	      repo_root(r));
	end(p);
	end(p);
}

static int body(struct px *p, struct repo *r, const char *since, struct custos_err *err)
{
	struct catalog *c = repo_catalog(r);

	if (catalog_each_version(c, version_row, p, err) < 0)
		return -1;
	if (!p->nversions)   /* the schema needs one object: the repository itself */
		repository_object(p, r);
	if (catalog_each_file(c, file_row, p, err) < 0 ||
	    catalog_report_events(c, since, event_row, p, err) < 0)
		return -1;
	agents(p);
	return 0;
}

int report_write_premis(const char *dir, struct repo *r, json_t *rep,
			struct custos_err *err)
{
	const char *since = json_string_value(rjson_get(rep, "period/since"));
	xmlBufferPtr buf = xmlBufferCreate();
	struct px p = { .w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL };
	int rc = -1;

	if (!p.w) {
		xmlBufferFree(buf);
		return err_nomem(err);
	}
	xmlTextWriterSetIndent(p.w, 1);
	if (xmlTextWriterStartDocument(p.w, "1.0", "UTF-8", NULL) < 0)
		p.failed = 1;
	start(&p, "premis:premis");
	attr(&p, "xmlns:premis", PREMIS_NS);
	attr(&p, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	attr(&p, "xsi:schemaLocation", PREMIS_NS " http://www.loc.gov/standards/premis/v3/premis.xsd");
	attr(&p, "version", "3.0");
	if (body(&p, r, since ? since : "", err) == 0) {
		if (xmlTextWriterEndDocument(p.w) < 0)
			p.failed = 1;
		xmlFreeTextWriter(p.w);
		p.w = NULL;
		rc = p.failed ? err_set(err, CUSTOS_EINTERNAL, dir, "cannot write events.xml") :
		     report_put(dir, "events.xml", xmlBufferContent(buf),
				(size_t)xmlBufferLength(buf), err);
	}
	if (p.w)
		xmlFreeTextWriter(p.w);
	xmlBufferFree(buf);
	for (size_t i = 0; i < p.nagents; i++)
		free(p.agents[i]);
	return rc;
}
