/*
 * core/array.h - growing a heap array one element at a time, with the
 * size arithmetic checked: the one realloc loop every module uses.
 */
#ifndef CUSTOS_CORE_ARRAY_H
#define CUSTOS_CORE_ARRAY_H

#include <stddef.h>

/* Make room for element COUNT of the array whose pointer is at ARRP
 * (*CAP elements of ELEM bytes allocated): the capacity doubles, starting
 * at MIN. The new elements are zero-filled. 0, or -1 when the size would
 * overflow or memory runs out; the array is then unchanged and valid. */
int array_grow(void *arrp, size_t *cap, size_t count, size_t elem, size_t min);

/* ARRAY_GROW(v, n, cap, 16): room for v[n]. */
#define ARRAY_GROW(arr, count, cap, min) \
	array_grow(&(arr), &(cap), (count), sizeof(*(arr)), (min))

#endif
