/*
 * formats/container_ole2.c - the OLE2 side of a container check: open the
 * compound file (formats/ole2.c), mark which wanted paths exist and read
 * the first CONTAINER_HEAD_MAX bytes of each wanted stream, plus its last
 * CONTAINER_TAIL_MAX bytes when an EOF-anchored signature needs them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "formats/container_int.h"
#include "formats/ole2.h"

static int read_stream(struct ole2 *o, size_t i, const struct cpath *p,
		       struct centry *e, struct custos_err *err)
{
	uint64_t size = ole2_size(o, i);
	size_t want = size < CONTAINER_HEAD_MAX ? (size_t)size
						: CONTAINER_HEAD_MAX;

	e->head = malloc(want ? want : 1);
	if (e->head == NULL)
		return err_nomem(err);
	if (ole2_read(o, i, 0, e->head, want, &e->head_len, err) < 0)
		return -1;
	e->have_bytes = true;
	e->whole = size <= CONTAINER_HEAD_MAX;
	if (e->whole || !p->needs_tail || size > CONTAINER_OLE2_TAIL_STREAM)
		return 0;               /* no tail: EOF signatures fail */
	e->tail = malloc(CONTAINER_TAIL_MAX);
	if (e->tail == NULL)
		return err_nomem(err);
	if (ole2_read(o, i, size - CONTAINER_TAIL_MAX, e->tail,
		      CONTAINER_TAIL_MAX, &e->tail_len, err) < 0)
		return -1;
	e->have_tail = true;
	return 0;
}

int container_ole2_scan(const struct cpath *paths, size_t npaths,
			struct centry *e, int fd, struct custos_err *err)
{
	struct ole2 *o;
	size_t i, j;
	int rc = 0;

	if (ole2_open(&o, fd, err) < 0)
		return -1;
	for (i = 0; i < ole2_count(o) && rc == 0; i++) {
		const char *name = ole2_path(o, i);

		for (j = 0; j < npaths && rc == 0; j++) {
			if (e[j].present || !cpath_hit(&paths[j], name))
				continue;
			e[j].present = true;
			e[j].size = ole2_size(o, i);
			snprintf(e[j].name, sizeof(e[j].name), "%s", name);
			if (paths[j].needs_bytes && ole2_is_stream(o, i))
				rc = read_stream(o, i, &paths[j], &e[j], err);
		}
	}
	ole2_close(o);
	return rc;
}
