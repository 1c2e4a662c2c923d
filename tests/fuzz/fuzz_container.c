/*
 * tests/fuzz/fuzz_container.c - libFuzzer target for the container paths: the
 * input becomes a file (memfd) and goes through container_identify with
 * the built-in signatures as OLE2 (fmt/111) and as ZIP (x-fmt/263). Any
 * result is fine; crashes, sanitizer reports, leaks and hangs are not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "formats/container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct container_sigs *sigs;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const triggers[] = { "fmt/111", "x-fmt/263" };
	struct container_match m[8];
	struct custos_err err;
	size_t i;
	int fd;

	if (sigs == NULL) {
		const char *path = getenv("FUZZ_CONTAINER_SIGS");

		if ((path ? container_sigs_load(&sigs, path, &err)
			  : container_sigs_builtin(&sigs, &err)) < 0)
			abort();
	}
	fd = memfd_create("fuzz_container", 0);
	if (fd < 0)
		return 0;
	if (size == 0 || write(fd, data, size) == (ssize_t)size)
		for (i = 0; i < 2; i++)
			(void)container_identify(sigs, fd, triggers[i], m, 8,
						 &err);
	close(fd);
	return 0;
}
