/*
 * preserve/repo/premis.c - writing PREMIS 3.0 XML with libxml2's xmlTextWriter:
 * object, event and agent elements in the order the schema fixes.
 */
#include "preserve/repo/premis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>

#define NS "http://www.loc.gov/premis/v3"
#define VOCAB "http://id.loc.gov/vocabulary/preservation/"
#define AGENT "custos " CUSTOS_VERSION

static const char *const hash_names[DIGEST_COUNT] = {
	[DIGEST_MD5] = "MD5", [DIGEST_SHA1] = "SHA-1", [DIGEST_SHA224] = "SHA-224",
	[DIGEST_SHA256] = "SHA-256", [DIGEST_SHA384] = "SHA-384",
	[DIGEST_SHA512] = "SHA-512", [DIGEST_BLAKE2B512] = "BLAKE2b-512",
};
static const char *const hash_codes[DIGEST_COUNT] = {
	[DIGEST_MD5] = "md5", [DIGEST_SHA1] = "sha1", [DIGEST_SHA256] = "sha256",
	[DIGEST_SHA384] = "sha384", [DIGEST_SHA512] = "sha512",
};

#define X(expr) do { if ((expr) < 0) return -1; } while (0)

static int elem(xmlTextWriterPtr w, const char *name, const char *text)
{
	return xmlTextWriterWriteElementNS(w, BAD_CAST "premis", BAD_CAST name, NULL,
					   BAD_CAST (text ? text : ""));
}

static int start(xmlTextWriterPtr w, const char *name)
{
	return xmlTextWriterStartElementNS(w, BAD_CAST "premis", BAD_CAST name, NULL);
}

/* An element with authority attributes: <name authority=.. valueURI=..>. */
static int vocab(xmlTextWriterPtr w, const char *name, const char *vocabulary,
		 const char *code, const char *label)
{
	char auth[128], uri[160];

	snprintf(auth, sizeof(auth), VOCAB "%s", vocabulary);
	snprintf(uri, sizeof(uri), VOCAB "%s/%s", vocabulary, code);
	X(start(w, name));
	X(xmlTextWriterWriteAttribute(w, BAD_CAST "authorityURI", BAD_CAST auth));
	X(xmlTextWriterWriteAttribute(w, BAD_CAST "valueURI", BAD_CAST uri));
	X(xmlTextWriterWriteString(w, BAD_CAST label));
	return xmlTextWriterEndElement(w);
}

/* Open <KINDIdentifier> with its type and value children; the caller
 * ends it (linking identifiers take a role first). KIND: "object",
 * "event", "agent", "linkingAgent", "linkingObject". */
static int identifier(xmlTextWriterPtr w, const char *kind, const char *type,
		      const char *value)
{
	char name[64], t[64], v[64];

	snprintf(name, sizeof(name), "%sIdentifier", kind);
	snprintf(t, sizeof(t), "%sIdentifierType", kind);
	snprintf(v, sizeof(v), "%sIdentifierValue", kind);
	X(start(w, name));
	X(elem(w, t, type));
	return elem(w, v, value);
}

static int file_object(xmlTextWriterPtr w, const char *vpath,
		       const struct premis_file *f)
{
	char id[4200], size[32];

	snprintf(id, sizeof(id), "%s/%s", vpath, f->path);
	snprintf(size, sizeof(size), "%llu", (unsigned long long)f->size);
	X(start(w, "object"));
	X(xmlTextWriterWriteAttribute(w, BAD_CAST "xsi:type", BAD_CAST "premis:file"));
	X(identifier(w, "object", "local", id));
	X(xmlTextWriterEndElement(w));
	X(start(w, "objectCharacteristics"));
	for (int a = 0; a < DIGEST_COUNT; a++) {
		if (!(f->dig->mask & DIGEST_BIT(a)))
			continue;
		X(start(w, "fixity"));
		if (hash_codes[a])
			X(vocab(w, "messageDigestAlgorithm", "cryptographicHashFunctions",
				hash_codes[a], hash_names[a]));
		else
			X(elem(w, "messageDigestAlgorithm", hash_names[a]));
		X(elem(w, "messageDigest", f->dig->hex[a]));
		X(elem(w, "messageDigestOriginator", AGENT));
		X(xmlTextWriterEndElement(w));
	}
	X(elem(w, "size", size));
	X(start(w, "format"));
	if (f->puid) {
		X(start(w, "formatDesignation"));
		X(elem(w, "formatName", f->format_name));
		if (f->format_version && *f->format_version)
			X(elem(w, "formatVersion", f->format_version));
		X(xmlTextWriterEndElement(w));
		X(start(w, "formatRegistry"));
		X(elem(w, "formatRegistryName", "PRONOM"));
		X(elem(w, "formatRegistryKey", f->puid));
		X(xmlTextWriterEndElement(w));
	} else {
		X(start(w, "formatDesignation"));
		X(elem(w, "formatName", "unknown"));
		X(xmlTextWriterEndElement(w));
	}
	X(xmlTextWriterEndElement(w));   /* format */
	X(xmlTextWriterEndElement(w));   /* objectCharacteristics */
	return xmlTextWriterEndElement(w);
}

static int event(xmlTextWriterPtr w, const char *vpath,
		 const struct premis_event *e)
{
	X(start(w, "event"));
	X(identifier(w, "event", "UUID", e->uuid));
	X(xmlTextWriterEndElement(w));
	X(vocab(w, "eventType", "eventType", e->type, e->type));
	X(elem(w, "eventDateTime", e->datetime));
	if (e->detail) {
		X(start(w, "eventDetailInformation"));
		X(elem(w, "eventDetail", e->detail));
		X(xmlTextWriterEndElement(w));
	}
	X(start(w, "eventOutcomeInformation"));
	X(vocab(w, "eventOutcome", "eventOutcome", e->outcome, e->outcome));
	X(xmlTextWriterEndElement(w));
	X(identifier(w, "linkingAgent", "local", AGENT));
	X(vocab(w, "linkingAgentRole", "eventRelatedAgentRole", "exe", "executing program"));
	X(xmlTextWriterEndElement(w));
	X(identifier(w, "linkingObject", "local", vpath));
	X(vocab(w, "linkingObjectRole", "eventRelatedObjectRole", "out", "outcome"));
	X(xmlTextWriterEndElement(w));
	return xmlTextWriterEndElement(w);
}

static int agent(xmlTextWriterPtr w)
{
	X(start(w, "agent"));
	X(identifier(w, "agent", "local", AGENT));
	X(xmlTextWriterEndElement(w));
	X(elem(w, "agentName", "custos"));
	X(vocab(w, "agentType", "agentType", "sof", "software"));
	X(elem(w, "agentVersion", CUSTOS_VERSION));
	return xmlTextWriterEndElement(w);
}

static int document(xmlTextWriterPtr w, const char *vpath,
		    const struct premis_file *files, size_t nfiles,
		    const struct premis_event *events, size_t nevents)
{
	X(xmlTextWriterSetIndent(w, 1));
	X(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
	X(xmlTextWriterStartElementNS(w, BAD_CAST "premis", BAD_CAST "premis", BAD_CAST NS));
	X(xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:xsi",
				      BAD_CAST "http://www.w3.org/2001/XMLSchema-instance"));
	X(xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "3.0"));
	X(start(w, "object"));
	X(xmlTextWriterWriteAttribute(w, BAD_CAST "xsi:type",
				      BAD_CAST "premis:intellectualEntity"));
	X(identifier(w, "object", "local", vpath));
	X(xmlTextWriterEndElement(w));
	X(xmlTextWriterEndElement(w));
	for (size_t i = 0; i < nfiles; i++)
		X(file_object(w, vpath, &files[i]));
	for (size_t i = 0; i < nevents; i++)
		X(event(w, vpath, &events[i]));
	X(agent(w));
	X(xmlTextWriterEndElement(w));
	return xmlTextWriterEndDocument(w);
}

int premis_version_xml(char **out, size_t *len, const char *ident, int version,
		       const struct premis_file *files, size_t nfiles,
		       const struct premis_event *events, size_t nevents,
		       struct custos_err *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char vpath[200];
	int rc;

	if (!w) {
		xmlBufferFree(buf);
		return err_nomem(err);
	}
	snprintf(vpath, sizeof(vpath), "%s/v%d", ident, version);
	rc = document(w, vpath, files, nfiles, events, nevents);
	xmlFreeTextWriter(w);
	if (rc < 0) {
		xmlBufferFree(buf);
		return err_set(err, CUSTOS_EINTERNAL, NULL,
			       "cannot write the PREMIS record of '%s'", vpath);
	}
	*len = (size_t)xmlBufferLength(buf);
	*out = malloc(*len + 1);
	if (*out) {
		memcpy(*out, xmlBufferContent(buf), *len);
		(*out)[*len] = '\0';
	}
	xmlBufferFree(buf);
	return *out ? 0 : err_nomem(err);
}
