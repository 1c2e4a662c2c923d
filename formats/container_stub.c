/*
 * formats/container_stub.c - TEMPORARY STUB of the container API: loads
 * nothing, triggers on nothing, matches nothing. Exists only so the binary
 * engine links before the container helper's work lands; delete at merge.
 */
#include "formats/container.h"

#include <stdlib.h>

struct container_sigs {
	int unused;
};

int container_sigs_load(struct container_sigs **out, const char *path,
			struct custos_err *err)
{
	(void)path;
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : err_nomem(err);
}

int container_sigs_builtin(struct container_sigs **out, struct custos_err *err)
{
	return container_sigs_load(out, NULL, err);
}

bool container_is_trigger(const struct container_sigs *cs, const char *puid)
{
	(void)cs;
	(void)puid;
	return false;
}

int container_identify(const struct container_sigs *cs, int fd,
		       const char *trigger_puid, struct container_match *out,
		       size_t max, struct custos_err *err)
{
	(void)cs;
	(void)fd;
	(void)trigger_puid;
	(void)out;
	(void)max;
	(void)err;
	return 0;
}

void container_sigs_free(struct container_sigs *cs)
{
	free(cs);
}
