/*
 * formats/container_identify.c - DROID container matching: after the
 * binary step gave a trigger PUID, scan the ZIP or OLE2 container once for
 * every path its signatures name, then a signature matches when each of
 * its Files is present and (if it has byte signatures) one of them
 * matches that entry. Every matching signature's PUIDs are reported; the
 * caller applies the binary file's priorities.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "formats/container.h"
#include "formats/container_int.h"

static const char *const type_name[CTYPE_COUNT] = { "ZIP", "OLE2" };

/* Append TEXT to the evidence buffer, ending in "..." when it is full. */
static void ev_add(char *ev, size_t evsz, size_t *len, const char *text)
{
	int n;

	if (*len >= evsz - 1)
		return;
	n = snprintf(ev + *len, evsz - *len, "%s", text);
	if (n < 0)
		return;
	if ((size_t)n >= evsz - *len) {
		*len = evsz - 1;
		memcpy(ev + evsz - 4, "...", 4);
		return;
	}
	*len += (size_t)n;
}

static bool file_matches(const struct cfile *f, const struct centry *e,
			 size_t *steps)
{
	size_t i;

	if (!e->present)
		return false;
	if (f->nsig == 0)
		return true;
	for (i = 0; i < f->nsig; i++)
		if (cisig_match(&f->sig[i], e, steps))
			return true;
	return false;
}

/* True if S matches; then EV holds the evidence. */
static bool sig_matches(const struct csig *s, const struct centry *ents,
			size_t *total, char *ev, size_t evsz)
{
	size_t i, len = 0, steps;
	char part[200];
	bool ok = true;

	steps = *total < CONTAINER_STEPS_SIG ? *total : CONTAINER_STEPS_SIG;
	*total -= steps;
	for (i = 0; i < s->nfile && ok; i++)
		ok = file_matches(&s->file[i], &ents[s->file[i].path_index],
				  &steps);
	*total += steps;
	if (!ok)
		return false;
	snprintf(part, sizeof(part), "container %s: ", type_name[s->type]);
	ev_add(ev, evsz, &len, part);
	for (i = 0; i < s->nfile; i++) {
		snprintf(part, sizeof(part), "%s%.120s %s", i ? "; " : "",
			 s->file[i].path,
			 s->file[i].nsig ? "matched" : "present");
		ev_add(ev, evsz, &len, part);
	}
	snprintf(part, sizeof(part), " (container signature %d)", s->id);
	ev_add(ev, evsz, &len, part);
	return true;
}

static size_t add_matches(const struct csig *s, const char *ev,
			  struct container_match *out, size_t n, size_t max)
{
	size_t k, j;

	for (k = 0; k < s->npuid && n < max; k++) {
		for (j = 0; j < n; j++)
			if (strcmp(out[j].puid, s->puids[k]) == 0)
				break;
		if (j < n)
			continue;
		snprintf(out[n].puid, sizeof(out[n].puid), "%s",
			 s->puids[k]);
		snprintf(out[n].evidence, sizeof(out[n].evidence), "%s", ev);
		n++;
	}
	return n;
}

static int trigger_type(const struct container_sigs *cs, const char *puid,
			enum ctype *type)
{
	size_t i;

	for (i = 0; i < cs->ntrig; i++)
		if (strcmp(cs->trig[i].puid, puid) == 0) {
			*type = cs->trig[i].type;
			return 0;
		}
	return -1;
}

static void free_entries(struct centry *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(e[i].head);
		free(e[i].tail);
	}
	free(e);
}

int container_identify(const struct container_sigs *cs, int fd,
		       const char *trigger_puid, struct container_match *out,
		       size_t max, struct custos_err *err)
{
	size_t i, n = 0, npaths, total = CONTAINER_STEPS_TOTAL;
	struct centry *e;
	enum ctype t;
	char ev[sizeof(out->evidence)];
	int rc;

	if (trigger_puid == NULL || trigger_type(cs, trigger_puid, &t) < 0)
		return 0;
	npaths = cs->npaths[t];
	if (npaths == 0)
		return 0;
	e = calloc(npaths, sizeof(*e));
	if (e == NULL)
		return err_nomem(err);
	rc = t == CTYPE_ZIP ? container_zip_scan(cs->paths[t], npaths, e, fd,
						 err)
			    : container_ole2_scan(cs->paths[t], npaths, e, fd,
						  err);
	for (i = 0; rc == 0 && i < cs->nsig && n < max; i++) {
		if (cs->sig[i].type != t || cs->sig[i].npuid == 0)
			continue;
		if (sig_matches(&cs->sig[i], e, &total, ev, sizeof(ev)))
			n = add_matches(&cs->sig[i], ev, out, n, max);
	}
	free_entries(e, npaths);
	return rc < 0 ? -1 : (int)n;
}
