/*
 * tests/fuzz/fuzz_policy.c - libFuzzer target for the policy loader: any bytes
 * must load or fail cleanly, never crash or leak.
 */
#include <stddef.h>
#include <stdint.h>

#include "preserve/policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy *p = NULL;
	struct custos_err err;

	if (policy_load_buffer(&p, data, size, "fuzz.ini", &err) == 0) {
		FILE *devnull = fopen("/dev/null", "w");

		if (devnull) {
			policy_explain(p, devnull);
			fclose(devnull);
		}
	}
	policy_free(p);
	return 0;
}
