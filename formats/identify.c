/*
 * formats/identify.c - load an identifier: binary signatures (DROID file
 * or built-in), container signatures, the prefilter, the extension index,
 * and the window sizes the signatures need (clamped, see identify.h).
 */
#include "formats/identifier.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

static size_t clamp_window(uint64_t need)
{
	uint64_t w = (need + 4095) & ~(uint64_t)4095;

	if (w < FMT_WINDOW_MIN)
		return FMT_WINDOW_MIN;
	return w > FMT_WINDOW_MAX ? FMT_WINDOW_MAX : (size_t)w;
}

/* Furthest byte from BOF (EOF) the first (last) subsequences can need. */
static void window_needs(struct fmt_identifier *id)
{
	uint64_t bof = 0, eof = 0;

	for (uint32_t i = 0; i < id->sigs->ninternals; i++) {
		const struct sig_internal *is = &id->sigs->internals[i];

		id->maxseqs = is->nseqs > id->maxseqs ? is->nseqs : id->maxseqs;
		for (uint32_t j = 0; j < is->nseqs; j++) {
			const struct sig_byteseq *bs = &is->seqs[j];
			const struct sig_subseq *ss;
			uint64_t need;

			if (bs->ref == SIG_REF_VAR)
				continue;
			ss = bs->ref == SIG_REF_BOF ? &bs->subs[0] :
						      &bs->subs[bs->nsubs - 1];
			if (ss->maxoff == SIG_NO_MAX)
				continue;
			need = ss->maxoff + ss->alen + ss->leftmax + ss->rightmax;
			if (bs->ref == SIG_REF_BOF)
				bof = need > bof ? need : bof;
			else
				eof = need > eof ? need : eof;
		}
	}
	id->head = clamp_window(bof);
	id->tail = clamp_window(eof);
}

static int load_parts(struct fmt_identifier *id, const char *sigpath,
		      const char *containerpath, struct custos_err *err)
{
	if (sigpath ? sigset_load_droid(&id->sigs, sigpath, err) :
		      sigset_builtin(&id->sigs, err))
		return -1;
	if (containerpath ? container_sigs_load(&id->cs, containerpath, err) :
			    container_sigs_builtin(&id->cs, err))
		return -1;
	if (ac_build(&id->ac, id->sigs, err) ||
	    ext_index_build(&id->ext, id->sigs, err))
		return -1;
	id->text = sigset_find_puid(id->sigs, "x-fmt/111");
	id->seenwords = (ac_nkeys(id->ac) + 63) / 64;
	if (!id->seenwords)
		id->seenwords = 1;
	window_needs(id);
	return 0;
}

int fmt_identifier_load(struct fmt_identifier **out, const char *sigpath,
			const char *containerpath, struct custos_err *err)
{
	struct fmt_identifier *id = calloc(1, sizeof(*id));

	*out = NULL;
	if (!id)
		return err_nomem(err);
	xmlInitParser();
	if (load_parts(id, sigpath, containerpath, err)) {
		fmt_identifier_free(id);
		return -1;
	}
	*out = id;
	return 0;
}

void fmt_identifier_free(struct fmt_identifier *id)
{
	if (!id)
		return;
	sigset_free(id->sigs);
	ac_free(id->ac);
	ext_index_free(id->ext);
	container_sigs_free(id->cs);
	free(id);
}

void fmt_identifier_set_prefilter(struct fmt_identifier *id, bool on)
{
	id->verify_all = !on;
}

const char *fmt_identifier_version(const struct fmt_identifier *id)
{
	return id->sigs->version;
}

size_t fmt_identifier_head(const struct fmt_identifier *id)
{
	return id->head;
}

size_t fmt_identifier_tail(const struct fmt_identifier *id)
{
	return id->tail;
}

int fmt_identifier_lookup(const struct fmt_identifier *id, const char *puid,
			  const char **name, const char **version,
			  const char **mime)
{
	const struct sig_format *f = sigset_find_puid(id->sigs, puid);

	if (!f)
		return -1;
	if (name)
		*name = f->name;
	if (version)
		*version = f->version;
	if (mime)
		*mime = f->mime;
	return 0;
}

const char *fmt_basis_name(enum fmt_basis b)
{
	switch (b) {
	case FMT_BASIS_SIGNATURE: return "signature";
	case FMT_BASIS_CONTAINER: return "container";
	case FMT_BASIS_EXTENSION: return "extension";
	}
	return "signature";
}
