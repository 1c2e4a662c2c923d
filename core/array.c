/*
 * core/array.c - checked doubling of heap arrays (see array.h).
 */
#include "core/array.h"

#include <stdlib.h>
#include <string.h>

#include "core/ckd.h"

int array_grow(void *arrp, size_t *cap, size_t count, size_t elem, size_t min)
{
	size_t ncap = *cap, bytes;
	void *arr, *grown;

	if (count < *cap)
		return 0;
	if (ncap == 0)
		ncap = min ? min : 1;
	while (ncap <= count)
		if (ckd_mul_size(&ncap, ncap, 2))
			return -1;
	if (ckd_mul_size(&bytes, ncap, elem))
		return -1;
	memcpy(&arr, arrp, sizeof(arr));
	grown = realloc(arr, bytes);
	if (!grown)
		return -1;
	memset((char *)grown + *cap * elem, 0, (ncap - *cap) * elem);
	memcpy(arrp, &grown, sizeof(grown));
	*cap = ncap;
	return 0;
}
