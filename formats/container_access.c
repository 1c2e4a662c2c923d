/*
 * formats/container_access.c - read-only questions about a loaded set of
 * container signatures (triggers, listing) and its release.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include "formats/container.h"
#include "formats/container_int.h"

bool cpath_hit(const struct cpath *p, const char *name)
{
	if (p->is_dir)
		return strncmp(name, p->path, strlen(p->path)) == 0;
	if (strcmp(name, p->path) == 0)
		return true;
	return p->is_glob && fnmatch(p->path, name, 0) == 0;
}

bool container_is_trigger(const struct container_sigs *cs, const char *puid)
{
	size_t i;

	if (cs == NULL || puid == NULL)
		return false;
	for (i = 0; i < cs->ntrig; i++)
		if (strcmp(cs->trig[i].puid, puid) == 0)
			return true;
	return false;
}

size_t container_sigs_count(const struct container_sigs *cs)
{
	return cs->nsig;
}

int container_sigs_id(const struct container_sigs *cs, size_t i)
{
	return i < cs->nsig ? cs->sig[i].id : -1;
}

const char *const *container_sigs_puids(const struct container_sigs *cs,
					size_t i)
{
	static const char *const none[] = { NULL };

	if (i >= cs->nsig || cs->sig[i].puids == NULL)
		return none;
	return (const char *const *)cs->sig[i].puids;
}

const char *container_sigs_version(const struct container_sigs *cs)
{
	return cs->version;
}

static void free_isig(struct cisig *s)
{
	size_t b, k;

	for (b = 0; b < s->nbs; b++) {
		for (k = 0; k < s->bs[b].nsub; k++)
			cpat_release(&s->bs[b].sub[k].pat);
		free(s->bs[b].sub);
	}
	free(s->bs);
}

static void free_sig(struct csig *s)
{
	size_t f, k;

	for (f = 0; f < s->nfile; f++) {
		for (k = 0; k < s->file[f].nsig; k++)
			free_isig(&s->file[f].sig[k]);
		free(s->file[f].sig);
		free(s->file[f].path);
	}
	free(s->file);
	for (k = 0; k < s->npuid; k++)
		free(s->puids[k]);
	free(s->puids);
}

void container_sigs_free(struct container_sigs *cs)
{
	size_t i, t;

	if (cs == NULL)
		return;
	for (i = 0; i < cs->nsig; i++)
		free_sig(&cs->sig[i]);
	free(cs->sig);
	for (i = 0; i < cs->ntrig; i++)
		free(cs->trig[i].puid);
	free(cs->trig);
	for (t = 0; t < CTYPE_COUNT; t++) {
		for (i = 0; i < cs->npaths[t]; i++)
			free(cs->paths[t][i].path);
		free(cs->paths[t]);
	}
	free(cs);
}
