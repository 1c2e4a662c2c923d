/*
 * core/ckd.h - checked arithmetic for every size that comes from input.
 * Each returns true on overflow and leaves *out untouched then.
 */
#ifndef CUSTOS_CORE_CKD_H
#define CUSTOS_CORE_CKD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool ckd_add_u64(uint64_t *out, uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return true;
	*out = r;
	return false;
}

static inline bool ckd_mul_u64(uint64_t *out, uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return true;
	*out = r;
	return false;
}

static inline bool ckd_add_size(size_t *out, size_t a, size_t b)
{
	size_t r;

	if (__builtin_add_overflow(a, b, &r))
		return true;
	*out = r;
	return false;
}

static inline bool ckd_mul_size(size_t *out, size_t a, size_t b)
{
	size_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return true;
	*out = r;
	return false;
}

#endif
