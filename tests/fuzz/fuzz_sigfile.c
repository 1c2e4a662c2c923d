/*
 * tests/fuzz/fuzz_sigfile.c - libFuzzer target for the DROID signature-file
 * loader (XML, numbers, fragment syntax, id links): any input must load
 * or fail with an error, never crash or leak. What loads is compiled into
 * the prefilter and every signature is run over the input bytes
 * themselves, so hostile windows, gaps and fragments reach the matcher.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "formats/acindex.h"
#include "formats/matcher.h"
#include "formats/sigmodel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void match_all(const struct sigset *s, const uint8_t *data, size_t size)
{
	struct sig_view v = { .size = size, .whole = true };
	struct sig_span spans[64];

	v.head = (struct sig_segment){ data, size, 0 };
	v.tail = v.head;
	for (uint32_t i = 0; i < s->ninternals; i++)
		if (s->internals[i].nseqs <= 64)
			sig_internal_match(&s->internals[i], &v, spans);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigset *s = NULL;
	struct ac_index *ac = NULL;
	struct custos_err err;

	if (sigset_load_droid_mem(&s, (const char *)data, size, "fuzz", &err))
		return 0;
	if (ac_build(&ac, s, &err) == 0) {
		uint64_t *seen = calloc(ac_nkeys(ac) / 64 + 1, sizeof(*seen));

		if (seen)
			ac_scan(ac, data, size, seen);
		free(seen);
		ac_free(ac);
	}
	match_all(s, data, size);
	sigset_free(s);
	return 0;
}
