/*
 * formats/container_sigs.c - load a DROID container signature file
 * (container-signature-YYYYMMDD.xml, formats.md sec. 5.2) with libxml2
 * into struct container_sigs: signatures, their Files and embedded byte
 * signatures, the PUID mappings and the trigger PUIDs. Errors name the
 * line. Never fetches anything (no network, no DTD, no entities).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "core/array.h"
#include "core/fileio.h"
#include "formats/container.h"
#include "formats/container_int.h"

#define CSIG_FILE_MAX (16u * 1024 * 1024)   /* signature file bytes */
#define CSIG_ITEMS_MAX 100000               /* elements of one kind */
#define CSIG_FRAGS_MAX 64                   /* fragments of one SubSequence */
#define CSIG_TOKENS_MAX (1u << 20)          /* pattern tokens, whole file */

struct loader {
	const char *shown;
	struct custos_err *err;
	struct container_sigs *cs;
	size_t tokens;          /* pattern tokens so far (memory bound) */
};

static size_t count_tokens(const struct cpat *p)
{
	size_t i, n = p->ntok;

	for (i = 0; i < p->nalt; i++)
		n += count_tokens(&p->alt[i]);
	return n;
}

static int fail(struct loader *ld, const xmlNode *n, const char *what,
		const char *name)
{
	return err_set(ld->err, CUSTOS_EFORMAT, ld->shown,
		       "line %ld: %s '%s'", xmlGetLineNo(n), what, name);
}

/* ARR (N used, *CAP allocated, ELSZ each) with room for one more
 * element, zero-filled: ARR itself or its reallocation. NULL with *err
 * on failure, ARR then still valid. */
static void *grow(void *arr, size_t *cap, size_t n, size_t elsz,
		  struct custos_err *err)
{
	if (n < *cap)
		return arr;
	if (n >= CSIG_ITEMS_MAX) {
		err_set(err, CUSTOS_ELIMIT, NULL,
			"over %d elements of one kind", CSIG_ITEMS_MAX);
		return NULL;
	}
	if (array_grow(&arr, cap, n, elsz, 4) < 0) {
		err_nomem(err);
		return NULL;
	}
	return arr;
}

static bool is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

/* Attribute NAME as a non-negative decimal; DEF if absent. */
static int attr_uint(struct loader *ld, const xmlNode *n, const char *name,
		     uint32_t def, uint32_t *out)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	const char *s = (const char *)v;
	uint64_t x = 0;
	size_t i;
	int rc = 0;

	*out = def;
	if (v == NULL)
		return 0;
	for (i = 0; s[i] == ' '; i++)
		;
	if (s[i] == '\0')
		rc = fail(ld, n, "empty number in attribute", name);
	for (; rc == 0 && s[i] != '\0' && s[i] != ' '; i++) {
		if (s[i] < '0' || s[i] > '9')
			rc = fail(ld, n, "bad number in attribute", name);
		else if ((x = x * 10 + (uint64_t)(s[i] - '0')) >= CPAT_INF)
			rc = fail(ld, n, "number too large in attribute",
				  name);
	}
	if (rc == 0)
		*out = (uint32_t)x;
	xmlFree(v);
	return rc;
}

/* Attribute or element text NAME copied into a new trimmed string. */
static char *dup_trim(const xmlChar *v)
{
	const char *s = (const char *)v;
	size_t len;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
			   s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	return strndup(s, len);
}

static int attr_str(struct loader *ld, const xmlNode *n, const char *name,
		    char **out)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);

	*out = NULL;
	if (v == NULL)
		return fail(ld, n, "missing attribute", name);
	*out = dup_trim(v);
	xmlFree(v);
	return *out ? 0 : err_nomem(ld->err);
}

static int parse_text(struct loader *ld, const xmlNode *n, struct cpat *p)
{
	xmlChar *v = xmlNodeGetContent(n);
	int rc;

	if (v == NULL)
		return err_nomem(ld->err);
	rc = cpat_parse(p, (const char *)v, ld->shown, xmlGetLineNo(n),
			ld->err);
	xmlFree(v);
	return rc;
}

/* One fragment group (all alternatives at POS) moved into TOP. Left
 * fragments are FRAGMENT then gap; right fragments gap then FRAGMENT. */
static int add_frag_group(struct loader *ld, struct cpat *top,
			  xmlNode **frag, size_t nfrag, uint32_t pos,
			  bool left)
{
	struct cpat alts[CSIG_FRAGS_MAX];
	size_t i, n = 0;
	uint32_t p, mn, mx;
	int rc = -1;

	memset(alts, 0, sizeof(alts));
	for (i = 0; i < nfrag; i++) {
		if (attr_uint(ld, frag[i], "Position", 0, &p) < 0 ||
		    attr_uint(ld, frag[i], "MinOffset", 0, &mn) < 0 ||
		    attr_uint(ld, frag[i], "MaxOffset", mn, &mx) < 0)
			goto out;
		if (p != pos)
			continue;
		if (mx < mn)
			mx = mn;        /* as for SubSeqMaxOffset */
		if ((!left && cpat_push_gap(&alts[n], mn, mx, ld->err) < 0) ||
		    parse_text(ld, frag[i], &alts[n]) < 0 ||
		    (left && cpat_push_gap(&alts[n], mn, mx, ld->err) < 0)) {
			n++;
			goto out;
		}
		n++;
	}
	if (n == 0) {
		fail(ld, frag[0], "fragment positions not contiguous in",
		     "SubSequence");
		goto out;
	}
	rc = n == 1 ? cpat_append(top, &alts[0], ld->err)
		    : cpat_push_alt(top, alts, n, ld->err);
out:
	for (i = 0; i < n; i++)
		cpat_release(&alts[i]);
	return rc;
}

/* Collect the Left or Right fragments of SUBSEQUENCE; *maxpos gets the
 * highest Position. */
static int collect_frags(struct loader *ld, xmlNode *ss, const char *name,
			 xmlNode **frag, size_t *nfrag, uint32_t *maxpos)
{
	xmlNode *c;
	uint32_t p;

	*nfrag = 0;
	*maxpos = 0;
	for (c = ss->children; c != NULL; c = c->next) {
		if (!is_elem(c, name))
			continue;
		if (*nfrag == CSIG_FRAGS_MAX)
			return fail(ld, c, "too many fragments in", name);
		if (attr_uint(ld, c, "Position", 0, &p) < 0)
			return -1;
		if (p == 0 || p > CSIG_FRAGS_MAX)
			return fail(ld, c, "bad Position in", name);
		frag[(*nfrag)++] = c;
		if (p > *maxpos)
			*maxpos = p;
	}
	return 0;
}

static int load_subseq(struct loader *ld, xmlNode *ss, struct csub *sub)
{
	xmlNode *frag[CSIG_FRAGS_MAX], *c, *seq = NULL;
	struct cpat mid = { 0 };
	size_t nfrag;
	uint32_t maxpos, p;
	int rc = -1;

	if (attr_uint(ld, ss, "SubSeqMinOffset", 0, &sub->min) < 0 ||
	    attr_uint(ld, ss, "SubSeqMaxOffset", CPAT_INF, &sub->max) < 0)
		return -1;
	if (sub->max < sub->min)        /* in the real file: means exactly */
		sub->max = sub->min;    /* at the minimum, as DROID reads it */
	for (c = ss->children; c != NULL; c = c->next)
		if (is_elem(c, "Sequence"))
			seq = c;
	if (seq == NULL)
		return fail(ld, ss, "missing element", "Sequence");
	if (collect_frags(ld, ss, "LeftFragment", frag, &nfrag, &maxpos) < 0)
		goto out;
	for (p = maxpos; p >= 1; p--)
		if (add_frag_group(ld, &sub->pat, frag, nfrag, p, true) < 0)
			goto out;
	if (parse_text(ld, seq, &mid) < 0 ||
	    cpat_append(&sub->pat, &mid, ld->err) < 0)
		goto out;
	if (collect_frags(ld, ss, "RightFragment", frag, &nfrag, &maxpos) < 0)
		goto out;
	for (p = 1; p <= maxpos; p++)
		if (add_frag_group(ld, &sub->pat, frag, nfrag, p, false) < 0)
			goto out;
	cpat_measure(&sub->pat);
	ld->tokens += count_tokens(&sub->pat);
	if (ld->tokens > CSIG_TOKENS_MAX) {
		err_set(ld->err, CUSTOS_ELIMIT, ld->shown, "line %ld: over %u "
			"pattern tokens in the file", xmlGetLineNo(ss),
			CSIG_TOKENS_MAX);
		goto out;
	}
	rc = 0;
out:
	cpat_release(&mid);
	return rc;
}

static int load_bseq(struct loader *ld, xmlNode *n, struct cbseq *bs)
{
	xmlChar *ref = xmlGetProp(n, (const xmlChar *)"Reference");
	struct csub *ns;
	size_t cap = 0;
	xmlNode *c;
	int rc = 0;

	bs->ref = CSEQ_VAR;
	if (ref != NULL && strcmp((const char *)ref, "BOFoffset") == 0)
		bs->ref = CSEQ_BOF;
	else if (ref != NULL && strcmp((const char *)ref, "EOFoffset") == 0)
		bs->ref = CSEQ_EOF;
	else if (ref != NULL && strcmp((const char *)ref, "Variable") != 0)
		rc = fail(ld, n, "unsupported Reference", (const char *)ref);
	xmlFree(ref);
	/* SubSequences in document order (the Position attribute is 0- or
	 * 1-based and sometimes starts at 2, so it is not used) */
	for (c = n->children; rc == 0 && c != NULL; c = c->next) {
		if (!is_elem(c, "SubSequence"))
			continue;
		ns = grow(bs->sub, &cap, bs->nsub, sizeof(*ns), ld->err);
		if (ns == NULL)
			return -1;
		bs->sub = ns;
		rc = load_subseq(ld, c, &bs->sub[bs->nsub++]);
	}
	return rc;
}

static int load_isig(struct loader *ld, xmlNode *n, struct cisig *s)
{
	struct cbseq *nb;
	size_t cap = 0;
	uint32_t id;
	xmlNode *c;

	if (attr_uint(ld, n, "ID", 0, &id) < 0)
		return -1;
	s->id = (int)id;
	for (c = n->children; c != NULL; c = c->next) {
		if (!is_elem(c, "ByteSequence"))
			continue;
		nb = grow(s->bs, &cap, s->nbs, sizeof(*nb), ld->err);
		if (nb == NULL)
			return -1;
		s->bs = nb;
		if (load_bseq(ld, c, &s->bs[s->nbs++]) < 0)
			return -1;
	}
	return 0;
}

/* File: Path and BinarySignatures/InternalSignatureCollection/... */
static int load_file(struct loader *ld, xmlNode *n, struct cfile *f)
{
	xmlNode *c, *coll, *is;
	struct cisig *ni;
	size_t cap = 0;
	xmlChar *v;

	for (c = n->children; c != NULL; c = c->next) {
		if (is_elem(c, "Path") && f->path == NULL) {
			v = xmlNodeGetContent(c);
			f->path = v ? dup_trim(v) : NULL;
			xmlFree(v);
			if (f->path == NULL)
				return err_nomem(ld->err);
		}
		if (!is_elem(c, "BinarySignatures"))
			continue;
		for (coll = c->children; coll; coll = coll->next) {
			if (!is_elem(coll, "InternalSignatureCollection"))
				continue;
			for (is = coll->children; is; is = is->next) {
				if (!is_elem(is, "InternalSignature"))
					continue;
				ni = grow(f->sig, &cap, f->nsig, sizeof(*ni),
					  ld->err);
				if (ni == NULL)
					return -1;
				f->sig = ni;
				if (load_isig(ld, is, &f->sig[f->nsig++]) < 0)
					return -1;
			}
		}
	}
	if (f->path == NULL || f->path[0] == '\0')
		return fail(ld, n, "missing or empty", "Path");
	return 0;
}

static int parse_type(struct loader *ld, xmlNode *n, enum ctype *out)
{
	char *t;
	int rc = 0;

	if (attr_str(ld, n, "ContainerType", &t) < 0)
		return -1;
	if (strcmp(t, "ZIP") == 0)
		*out = CTYPE_ZIP;
	else if (strcmp(t, "OLE2") == 0)
		*out = CTYPE_OLE2;
	else
		rc = fail(ld, n, "unknown ContainerType", t);
	free(t);
	return rc;
}

static int load_sig(struct loader *ld, xmlNode *n, struct csig *s)
{
	struct cfile *nf;
	xmlNode *c, *f;
	size_t cap = 0;
	uint32_t id;

	if (attr_uint(ld, n, "Id", CPAT_INF, &id) < 0 ||
	    parse_type(ld, n, &s->type) < 0)
		return -1;
	if (id == CPAT_INF)
		return fail(ld, n, "missing attribute", "Id");
	s->id = (int)id;
	for (c = n->children; c != NULL; c = c->next) {
		if (!is_elem(c, "Files"))
			continue;
		for (f = c->children; f != NULL; f = f->next) {
			if (!is_elem(f, "File"))
				continue;
			nf = grow(s->file, &cap, s->nfile, sizeof(*nf),
				  ld->err);
			if (nf == NULL)
				return -1;
			s->file = nf;
			if (load_file(ld, f, &s->file[s->nfile++]) < 0)
				return -1;
		}
	}
	if (s->nfile == 0)
		return fail(ld, n, "no Files in ContainerSignature",
			    "ContainerSignature");
	return 0;
}

static int add_puid(struct loader *ld, xmlNode *n, struct csig *s,
		    char *puid)
{
	char **np;
	size_t i;

	for (i = 0; i < s->npuid; i++)
		if (strcmp(s->puids[i], puid) == 0) {
			free(puid);
			return 0;
		}
	if (strlen(puid) >= sizeof(((struct container_match *)0)->puid)) {
		fail(ld, n, "PUID too long", puid);
		free(puid);
		return -1;
	}
	np = realloc(s->puids, (s->npuid + 2) * sizeof(*np));
	if (np == NULL) {
		free(puid);
		return err_nomem(ld->err);
	}
	s->puids = np;
	s->puids[s->npuid++] = puid;
	s->puids[s->npuid] = NULL;
	return 0;
}

static int load_mapping(struct loader *ld, xmlNode *n)
{
	struct container_sigs *cs = ld->cs;
	uint32_t id;
	char *puid;
	size_t i;

	if (attr_uint(ld, n, "signatureId", CPAT_INF, &id) < 0 ||
	    attr_str(ld, n, "Puid", &puid) < 0)
		return -1;
	for (i = 0; i < cs->nsig; i++)
		if (cs->sig[i].id == (int)id)
			return add_puid(ld, n, &cs->sig[i], puid);
	free(puid);
	return fail(ld, n, "mapping names no known signature",
		    "FileFormatMapping");
}

static int load_trigger(struct loader *ld, xmlNode *n, size_t *cap)
{
	struct container_sigs *cs = ld->cs;
	struct ctrigger *t = grow(cs->trig, cap, cs->ntrig, sizeof(*t),
				  ld->err);

	if (t == NULL)
		return -1;
	cs->trig = t;
	t = &cs->trig[cs->ntrig];
	if (parse_type(ld, n, &t->type) < 0 ||
	    attr_str(ld, n, "Puid", &t->puid) < 0) {
		free(t->puid);
		t->puid = NULL;
		return -1;
	}
	cs->ntrig++;
	return 0;
}

static int load_one_sig(struct loader *ld, xmlNode *n, size_t *cap)
{
	struct container_sigs *cs = ld->cs;
	struct csig *ns = grow(cs->sig, cap, cs->nsig, sizeof(*ns), ld->err);

	if (ns == NULL)
		return -1;
	cs->sig = ns;
	return load_sig(ld, n, &cs->sig[cs->nsig++]);
}

/* Children named CHILD of every SECTION element under ROOT, in order. */
static int load_section(struct loader *ld, xmlNode *root,
			const char *section, const char *child, int which)
{
	size_t cap = 0, tcap = 0;
	xmlNode *s, *c;

	for (s = root->children; s != NULL; s = s->next) {
		if (!is_elem(s, section))
			continue;
		for (c = s->children; c != NULL; c = c->next) {
			if (!is_elem(c, child))
				continue;
			if (which == 0 && load_one_sig(ld, c, &cap) < 0)
				return -1;
			if (which == 1 && load_mapping(ld, c) < 0)
				return -1;
			if (which == 2 && load_trigger(ld, c, &tcap) < 0)
				return -1;
		}
	}
	return 0;
}

static bool needs_tail(const struct cfile *f)
{
	size_t i, k;

	for (i = 0; i < f->nsig; i++)
		for (k = 0; k < f->sig[i].nbs; k++)
			if (f->sig[i].bs[k].ref == CSEQ_EOF)
				return true;
	return false;
}

/* Index the distinct paths of each container type. */
static int index_paths(struct loader *ld)
{
	struct container_sigs *cs = ld->cs;
	size_t cap[CTYPE_COUNT] = { 0 }, i, k, j;

	for (i = 0; i < cs->nsig; i++) {
		enum ctype t = cs->sig[i].type;

		for (k = 0; k < cs->sig[i].nfile; k++) {
			struct cfile *f = &cs->sig[i].file[k];
			struct cpath *p;

			for (j = 0; j < cs->npaths[t]; j++)
				if (strcmp(cs->paths[t][j].path, f->path) == 0)
					break;
			if (j == cs->npaths[t]) {
				p = grow(cs->paths[t], &cap[t], j, sizeof(*p),
					 ld->err);
				if (p == NULL)
					return -1;
				cs->paths[t] = p;
				cs->paths[t][j].path = strdup(f->path);
				if (cs->paths[t][j].path == NULL)
					return err_nomem(ld->err);
				cs->paths[t][j].is_dir =
					f->path[strlen(f->path) - 1] == '/';
				cs->paths[t][j].is_glob =
					strpbrk(f->path, "*?") != NULL;
				cs->npaths[t]++;
			}
			p = &cs->paths[t][j];
			f->path_index = j;
			p->needs_bytes |= f->nsig > 0;
			p->needs_tail |= needs_tail(f);
		}
	}
	return 0;
}

static int load_doc(struct loader *ld, xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlChar *v;

	if (root == NULL || !is_elem(root, "ContainerSignatureMapping"))
		return err_set(ld->err, CUSTOS_EFORMAT, ld->shown,
			       "not a container signature file (root element "
			       "is not 'ContainerSignatureMapping')");
	v = xmlGetProp(root, (const xmlChar *)"signatureVersion");
	if (v != NULL)
		snprintf(ld->cs->version, sizeof(ld->cs->version), "%s",
			 (const char *)v);
	xmlFree(v);
	if (load_section(ld, root, "ContainerSignatures",
			 "ContainerSignature", 0) < 0 ||
	    load_section(ld, root, "FileFormatMappings",
			 "FileFormatMapping", 1) < 0 ||
	    load_section(ld, root, "TriggerPuids", "TriggerPuid", 2) < 0)
		return -1;
	return index_paths(ld);
}

int container_sigs_parse(struct container_sigs **out, const char *buf,
			 size_t len, const char *shown,
			 struct custos_err *err)
{
	struct loader ld = { shown, err, NULL, 0 };
	const xmlError *xe;
	xmlDoc *doc;
	int rc;

	*out = NULL;
	if (len > CSIG_FILE_MAX || len > INT_MAX)
		return err_set(err, CUSTOS_ELIMIT, shown,
			       "container signature file over %u bytes",
			       CSIG_FILE_MAX);
	doc = xmlReadMemory(buf, (int)len, shown, NULL,
			    XML_PARSE_NONET | XML_PARSE_BIG_LINES |
			    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		xe = xmlGetLastError();
		return err_set(err, CUSTOS_EFORMAT, shown,
			       "line %d: malformed XML: %s",
			       xe ? xe->line : 0,
			       xe && xe->message ? xe->message : "unknown");
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		/* no DTD, so no entities to expand (billion laughs) */
		xmlFreeDoc(doc);
		return err_set(err, CUSTOS_EFORMAT, shown,
			       "document type declarations are not allowed");
	}
	ld.cs = calloc(1, sizeof(*ld.cs));
	rc = ld.cs ? load_doc(&ld, doc) : err_nomem(err);
	xmlFreeDoc(doc);
	if (rc < 0) {
		container_sigs_free(ld.cs);
		return -1;
	}
	*out = ld.cs;
	return 0;
}

int container_sigs_load(struct container_sigs **out, const char *path,
			struct custos_err *err)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	if (fio_read_file(&buf, &len, AT_FDCWD, path, CSIG_FILE_MAX, err) < 0)
		return -1;
	rc = container_sigs_parse(out, buf, len, path, err);
	free(buf);
	return rc;
}

int container_sigs_builtin(struct container_sigs **out,
			   struct custos_err *err)
{
	return container_sigs_parse(out, container_builtin_xml,
				    strlen(container_builtin_xml),
				    "(built-in container signatures)", err);
}
