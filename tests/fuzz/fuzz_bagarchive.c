/*
 * tests/fuzz/fuzz_bagarchive.c - libFuzzer target for a serialized bag: the
 * input becomes a file (memfd) that the deposit classifier looks at and,
 * when it holds a bag or breaks off, that the bag check reads in full
 * (libarchive's headers, the tag file cache, the manifest stream, the
 * digest pass). Any verdict is fine; crashes, sanitizer reports, leaks
 * and hangs are not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "preserve/bagit/bagsrc.h"
#include "preserve/bagit/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct validate_opts vo = { .mode = VALIDATE_FULL, .jobs = 1 };
	struct validate_result vr;
	struct custos_err err;
	struct problems r;
	struct bagsrc *src = NULL;
	enum bagsrc_kind kind;
	char path[64];
	int fd = memfd_create("fuzz_bagarchive", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	problems_init(&r);
	err_clear(&err);
	if (bagsrc_classify(path, &kind, &src, &r, &err) == 0) {
		if (src) {
			err_clear(&err);
			if (bag_validate_source(src, &vo, &vr, &err) == 0)
				validate_result_release(&vr);
		} else if (kind == BAGSRC_BAG_ARCHIVE) {
			err_clear(&err);
			if (bag_validate(path, &vo, &vr, &err) == 0)
				validate_result_release(&vr);
		}
	}
	bagsrc_close(src);
	problems_release(&r);
	close(fd);
	return 0;
}
