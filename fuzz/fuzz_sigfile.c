/*
 * fuzz/fuzz_sigfile.c - libFuzzer target for the DROID signature-file
 * loader (XML, numbers, fragment syntax, id links): any input must load
 * or fail with an error, never crash or leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "formats/sigmodel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigset *s = NULL;
	struct custos_err err;

	if (sigset_load_droid_mem(&s, (const char *)data, size, "fuzz", &err))
		return 0;
	sigset_free(s);
	return 0;
}
