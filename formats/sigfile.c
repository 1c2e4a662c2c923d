/*
 * formats/sigfile.c - load a DROID binary signature file (FFSignatureFile,
 * formats.md sec. 5.1) with libxml2 into the signature model. Every
 * malformed element is reported with its line (xmlGetLineNo). Shift tables
 * and MinFragLength are ignored (DROID 6 ignores them too).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/fileio.h"
#include "formats/atoms.h"
#include "formats/sigmodel.h"

#define SIGFILE_MAX_BYTES (256u << 20)   /* refuse bigger files */
#define SIGFILE_MAX_FRAGPOS 4096         /* fragment positions per side */

struct loader {
	struct sigset *s;
	const char *shown;
	struct custos_err *err;
};

static bool is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

/* Attribute value without allocation (simple text attributes only). */
static const char *attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0) {
			if (a->children && a->children->type == XML_TEXT_NODE &&
			    !a->children->next)
				return (const char *)a->children->content;
			return "";
		}
	return NULL;
}

static int fail(struct loader *ld, const xmlNode *n, const char *what)
{
	return err_set(ld->err, CUSTOS_EFORMAT, ld->shown,
		       "malformed signature file '%s' line %ld: %s", ld->shown,
		       n ? xmlGetLineNo(n) : 0L, what);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	while (*end == ' ')
		end++;
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* Numeric attribute NAME of N into *out; DEF if absent (DEF < 0: required). */
static int num_attr(struct loader *ld, const xmlNode *n, const char *name,
		    int64_t def, uint64_t *out)
{
	const char *v = attr(n, name);
	char why[128];

	if (!v) {
		if (def < 0) {
			snprintf(why, sizeof(why), "<%s> lacks %s", n->name, name);
			return fail(ld, n, why);
		}
		*out = (uint64_t)def;
		return 0;
	}
	if (parse_u64(v, out)) {
		snprintf(why, sizeof(why), "%s=\"%.40s\" is not a number", name, v);
		return fail(ld, n, why);
	}
	return 0;
}

static size_t count_elems(const xmlNode *parent, const char *name)
{
	size_t n = 0;

	for (const xmlNode *c = parent->children; c; c = c->next)
		n += is_elem(c, name);
	return n;
}

static int parse_anchor(struct loader *ld, const xmlNode *n,
			struct sig_subseq *ss)
{
	xmlChar *text = xmlNodeGetContent(n);
	struct sig_frag f;
	char why[160], msg[200];
	int rc = 0;

	if (!text)
		return err_nomem(ld->err);
	if (sig_parse_fragment(&ld->s->arena, (const char *)text, &f, why,
			       sizeof(why))) {
		snprintf(msg, sizeof(msg), "bad Sequence: %s", why);
		rc = fail(ld, n, msg);
	} else if (f.natoms != 1 || f.atoms[0].kind != SIG_ATOM_BYTES) {
		rc = fail(ld, n, "Sequence must be plain hex");
	} else {
		ss->anchor = f.atoms[0].data;
		ss->alen = f.len;
	}
	xmlFree(text);
	return rc;
}

/* Count the fragment Positions of side NAME and size their groups. */
static int side_groups(struct loader *ld, const xmlNode *sub, const char *name,
		       struct sig_fgroup **groups, uint32_t *ngroups)
{
	uint64_t maxpos = 0, pos;
	struct sig_fgroup *g;

	for (const xmlNode *c = sub->children; c; c = c->next) {
		if (!is_elem(c, name))
			continue;
		if (num_attr(ld, c, "Position", -1, &pos))
			return -1;
		if (pos == 0 || pos > SIGFILE_MAX_FRAGPOS)
			return fail(ld, c, "fragment Position out of range");
		maxpos = pos > maxpos ? pos : maxpos;
	}
	*ngroups = (uint32_t)maxpos;
	if (!maxpos)
		return 0;
	g = arena_calloc(&ld->s->arena, maxpos, sizeof(*g));
	if (!g)
		return err_nomem(ld->err);
	*groups = g;
	for (const xmlNode *c = sub->children; c; c = c->next)
		if (is_elem(c, name) && !num_attr(ld, c, "Position", -1, &pos))
			g[pos - 1].nalts++;
	for (uint64_t i = 0; i < maxpos; i++) {
		if (!g[i].nalts)
			return fail(ld, sub, "fragment Positions are not contiguous");
		g[i].alts = arena_calloc(&ld->s->arena, g[i].nalts,
					 sizeof(*g[i].alts));
		if (!g[i].alts)
			return err_nomem(ld->err);
		g[i].nalts = 0;
	}
	return 0;
}

/* One Left/RightFragment element C into the next slot of group G. */
static int parse_fragment(struct loader *ld, const xmlNode *c,
			  const char *name, struct sig_fgroup *g)
{
	struct sig_frag *f = &g->alts[g->nalts++];
	char why[160], msg[200];
	uint64_t lo, hi;
	xmlChar *text;
	int rc;

	if (num_attr(ld, c, "MinOffset", 0, &lo) ||
	    num_attr(ld, c, "MaxOffset", (int64_t)lo, &hi))
		return -1;
	if (hi < lo || hi > UINT32_MAX)
		return fail(ld, c, "bad MinOffset/MaxOffset");
	text = xmlNodeGetContent(c);
	if (!text)
		return err_nomem(ld->err);
	rc = sig_parse_fragment(&ld->s->arena, (const char *)text, f, why,
				sizeof(why));
	xmlFree(text);
	if (rc) {
		snprintf(msg, sizeof(msg), "bad %s: %s", name, why);
		return fail(ld, c, msg);
	}
	f->min = (uint32_t)lo;
	f->max = (uint32_t)hi;
	return 0;
}

/* Fill the fragment groups of one side (NAME) of SUB into *groups. */
static int parse_side(struct loader *ld, const xmlNode *sub, const char *name,
		      struct sig_fgroup **groups, uint32_t *ngroups)
{
	uint64_t pos;

	if (side_groups(ld, sub, name, groups, ngroups))
		return -1;
	for (const xmlNode *c = sub->children; c; c = c->next) {
		if (!is_elem(c, name))
			continue;
		num_attr(ld, c, "Position", -1, &pos);
		if (parse_fragment(ld, c, name, &(*groups)[pos - 1]))
			return -1;
	}
	return 0;
}

static int parse_subseq(struct loader *ld, const xmlNode *n,
			struct sig_subseq *ss)
{
	const xmlNode *seq = NULL;

	if (!attr(n, "SubSeqMaxOffset"))
		ss->maxoff = SIG_NO_MAX;
	else if (num_attr(ld, n, "SubSeqMaxOffset", 0, &ss->maxoff))
		return -1;
	if (num_attr(ld, n, "SubSeqMinOffset", 0, &ss->minoff))
		return -1;
	if (ss->maxoff != SIG_NO_MAX && ss->maxoff < ss->minoff)
		return fail(ld, n, "SubSeqMaxOffset below SubSeqMinOffset");
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is_elem(c, "Sequence"))
			seq = c;
	if (!seq)
		return fail(ld, n, "SubSequence without Sequence");
	if (parse_anchor(ld, seq, ss) ||
	    parse_side(ld, n, "LeftFragment", &ss->left, &ss->nleft) ||
	    parse_side(ld, n, "RightFragment", &ss->right, &ss->nright))
		return -1;
	sig_subseq_spans(ss);
	return 0;
}

static int parse_byteseq(struct loader *ld, const xmlNode *n,
			 struct sig_byteseq *bs)
{
	const char *ref = attr(n, "Reference");
	uint64_t pos, prev = 0;
	size_t k = 0;

	if (!ref || !*ref || !strcmp(ref, "Variable"))
		bs->ref = SIG_REF_VAR;
	else if (!strcmp(ref, "BOFoffset"))
		bs->ref = SIG_REF_BOF;
	else if (!strcmp(ref, "EOFoffset"))
		bs->ref = SIG_REF_EOF;
	else
		return fail(ld, n, "unsupported ByteSequence Reference "
			    "(indirect offsets are not supported)");
	bs->key = -1;
	bs->nsubs = (uint32_t)count_elems(n, "SubSequence");
	if (!bs->nsubs)
		return fail(ld, n, "ByteSequence without SubSequence");
	bs->subs = arena_calloc(&ld->s->arena, bs->nsubs, sizeof(*bs->subs));
	if (!bs->subs)
		return err_nomem(ld->err);
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!is_elem(c, "SubSequence"))
			continue;
		if (num_attr(ld, c, "Position", (int64_t)k + 1, &pos))
			return -1;
		if (pos <= prev)
			return fail(ld, c, "SubSequence Positions out of order");
		prev = pos;
		if (parse_subseq(ld, c, &bs->subs[k++]))
			return -1;
	}
	return 0;
}

static int parse_internal(struct loader *ld, const xmlNode *n,
			  struct sig_internal *is)
{
	uint64_t id;
	size_t k = 0;

	if (num_attr(ld, n, "ID", -1, &id))
		return -1;
	if (id > UINT32_MAX)
		return fail(ld, n, "InternalSignature ID out of range");
	is->id = (uint32_t)id;
	is->line = (uint32_t)xmlGetLineNo(n);
	is->nseqs = (uint32_t)count_elems(n, "ByteSequence");
	if (!is->nseqs)
		return fail(ld, n, "InternalSignature without ByteSequence");
	is->seqs = arena_calloc(&ld->s->arena, is->nseqs, sizeof(*is->seqs));
	if (!is->seqs)
		return err_nomem(ld->err);
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is_elem(c, "ByteSequence") &&
		    parse_byteseq(ld, c, &is->seqs[k++]))
			return -1;
	return 0;
}

static const char *dup_attr(struct loader *ld, const xmlNode *n,
			    const char *name)
{
	const char *v = attr(n, name);

	return arena_strdup(&ld->s->arena, v ? v : "");
}

/* Text of element N as a u32 into *out. */
static int text_u32(struct loader *ld, const xmlNode *n, uint32_t *out)
{
	xmlChar *t = xmlNodeGetContent(n);
	uint64_t v;
	int bad;

	if (!t)
		return err_nomem(ld->err);
	bad = parse_u64((const char *)t, &v) || v > UINT32_MAX;
	xmlFree(t);
	if (bad)
		return fail(ld, n, "expected a number");
	*out = (uint32_t)v;
	return 0;
}

static int parse_ext(struct loader *ld, const xmlNode *n, const char **out)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *e;

	if (!t)
		return err_nomem(ld->err);
	e = arena_strdup(&ld->s->arena, (const char *)t);
	xmlFree(t);
	if (!e)
		return err_nomem(ld->err);
	for (char *p = e; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	*out = e;
	return 0;
}

static int parse_format(struct loader *ld, const xmlNode *n,
			struct sig_format *f)
{
	struct arena *a = &ld->s->arena;
	uint64_t id;
	uint32_t ks = 0, ke = 0, kp = 0;

	if (num_attr(ld, n, "ID", -1, &id))
		return -1;
	if (id > UINT32_MAX || !attr(n, "PUID") || !*attr(n, "PUID"))
		return fail(ld, n, "FileFormat needs an ID and a PUID");
	f->id = (uint32_t)id;
	f->puid = dup_attr(ld, n, "PUID");
	f->name = dup_attr(ld, n, "Name");
	f->version = dup_attr(ld, n, "Version");
	f->mime = dup_attr(ld, n, "MIMEType");
	f->nsigs = (uint32_t)count_elems(n, "InternalSignatureID");
	f->nexts = (uint32_t)count_elems(n, "Extension");
	f->nprio = (uint32_t)count_elems(n, "HasPriorityOverFileFormatID");
	f->sigs = arena_calloc(a, f->nsigs, sizeof(*f->sigs));
	f->exts = arena_calloc(a, f->nexts, sizeof(*f->exts));
	f->prio = arena_calloc(a, f->nprio, sizeof(*f->prio));
	f->line = (uint32_t)xmlGetLineNo(n);
	if (!f->puid || !f->name || !f->version || !f->mime || !f->sigs ||
	    !f->exts || !f->prio)
		return err_nomem(ld->err);
	for (const xmlNode *c = n->children; c; c = c->next) {
		int rc = 0;

		if (is_elem(c, "InternalSignatureID"))
			rc = text_u32(ld, c, &f->sigs[ks++]);
		else if (is_elem(c, "Extension"))
			rc = parse_ext(ld, c, &f->exts[ke++]);
		else if (is_elem(c, "HasPriorityOverFileFormatID"))
			rc = text_u32(ld, c, &f->prio[kp++]);
		if (rc)
			return -1;
	}
	return 0;
}

static int parse_collections(struct loader *ld, const xmlNode *root)
{
	struct sigset *s = ld->s;
	const xmlNode *isc = NULL, *ffc = NULL;
	size_t k;

	for (const xmlNode *c = root->children; c; c = c->next) {
		if (is_elem(c, "InternalSignatureCollection"))
			isc = c;
		else if (is_elem(c, "FileFormatCollection"))
			ffc = c;
	}
	if (!ffc)
		return fail(ld, root, "no FileFormatCollection");
	s->ninternals = isc ? (uint32_t)count_elems(isc, "InternalSignature") : 0;
	s->nformats = (uint32_t)count_elems(ffc, "FileFormat");
	s->internals = arena_calloc(&s->arena, s->ninternals,
				    sizeof(*s->internals));
	s->formats = arena_calloc(&s->arena, s->nformats, sizeof(*s->formats));
	if (!s->internals || !s->formats)
		return err_nomem(ld->err);
	k = 0;
	for (const xmlNode *c = isc ? isc->children : NULL; c; c = c->next)
		if (is_elem(c, "InternalSignature") &&
		    parse_internal(ld, c, &s->internals[k++]))
			return -1;
	k = 0;
	for (const xmlNode *c = ffc->children; c; c = c->next)
		if (is_elem(c, "FileFormat") &&
		    parse_format(ld, c, &s->formats[k++]))
			return -1;
	return 0;
}

static int parse_doc(struct loader *ld, xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	const char *v;
	char buf[64];

	if (!root || !is_elem(root, "FFSignatureFile"))
		return fail(ld, root, "root element is not FFSignatureFile");
	v = attr(root, "Version");
	snprintf(buf, sizeof(buf), "V%.40s", v ? v : "?");
	ld->s->version = arena_strdup(&ld->s->arena, buf);
	if (!ld->s->version)
		return err_nomem(ld->err);
	if (parse_collections(ld, root))
		return -1;
	return sigset_link(ld->s, ld->shown, ld->err);
}

struct first_error {
	int line;
	char msg[200];
};

/* Keep the first parser error: later ones are usually its echoes. */
static void on_xml_error(void *user, xmlError *e)
{
	xmlParserCtxt *ctxt = user;
	struct first_error *fe = ctxt ? ctxt->_private : NULL;

	if (!fe || fe->msg[0] || !e || e->level < XML_ERR_ERROR)
		return;
	fe->line = e->line;
	snprintf(fe->msg, sizeof(fe->msg), "%s",
		 e->message ? e->message : "not XML");
	fe->msg[strcspn(fe->msg, "\n")] = '\0';
}

int sigset_load_droid_mem(struct sigset **out, const char *buf, size_t len,
			  const char *shown, struct custos_err *err)
{
	struct loader ld = { .shown = shown, .err = err };
	struct first_error fe = { 0, "" };
	xmlParserCtxt *ctxt;
	xmlDoc *doc;
	int rc = -1;

	*out = NULL;
	if (len > INT32_MAX)
		return err_set(err, CUSTOS_ELIMIT, shown,
			       "signature file '%s' is too large", shown);
	ld.s = calloc(1, sizeof(*ld.s));
	ctxt = xmlNewParserCtxt();
	if (!ld.s || !ctxt) {
		free(ld.s);
		xmlFreeParserCtxt(ctxt);
		return err_nomem(err);
	}
	ctxt->_private = &fe;
	ctxt->sax->serror = on_xml_error;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, shown, NULL,
				XML_PARSE_NONET | XML_PARSE_BIG_LINES |
				XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		err_set(err, CUSTOS_EFORMAT, shown,
			"malformed signature file '%s' line %d: %s", shown,
			fe.line, fe.msg[0] ? fe.msg : "not XML");
	} else {
		rc = parse_doc(&ld, doc);
		xmlFreeDoc(doc);
	}
	xmlFreeParserCtxt(ctxt);
	if (rc) {
		sigset_free(ld.s);
		return -1;
	}
	*out = ld.s;
	return 0;
}

int sigset_load_droid(struct sigset **out, const char *path,
		      struct custos_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (fio_read_file(&buf, &len, AT_FDCWD, path, SIGFILE_MAX_BYTES,
			  err))
		return -1;
	rc = sigset_load_droid_mem(out, buf, len, path, err);
	free(buf);
	return rc;
}
