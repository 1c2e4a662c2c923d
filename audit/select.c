/*
 * audit/select.c - which files of a copy this run reads: the files not yet
 * verified in the copy's cycle, oldest verification first, while the byte
 * budget lasts (a run always makes progress: its first file is read even
 * if larger than the budget); then the policy's sample share of other
 * files, picked at random, as extra checks that do not count for the cycle.
 */
#include "audit/audit_internal.h"

#include <math.h>
#include <stdlib.h>

static uint64_t next_random(struct audit_ctx *a)
{
	uint64_t x = a->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	a->rng = x;
	return x;
}

/* Take file I if the budget allows; false when the budget is spent. */
static bool take(struct audit_copy *c, size_t i)
{
	struct audit_ctx *a = c->a;
	uint64_t size = c->files[i].size;

	if (a->budget_left != UINT64_MAX) {
		if (size > a->budget_left && (a->res->files || c->nslice ||
					      a->budget_left < a->o->budget_bytes)) {
			a->res->budget_reached = true;
			return false;
		}
		a->budget_left = size > a->budget_left ? 0 : a->budget_left - size;
	}
	c->selected[i] = true;
	c->slice[c->nslice++] = i;
	return true;
}

static void sample(struct audit_copy *c)
{
	double share = c->a->r->policy->sample;
	size_t want, pool = 0, *cand;

	if (share <= 0 || c->nfiles == 0)
		return;
	want = (size_t)ceil(share * (double)c->nfiles);
	if (!(cand = malloc(c->nfiles * sizeof(*cand))))
		return;        /* the sample is extra: skipping it loses nothing due */
	for (size_t i = 0; i < c->nfiles; i++)
		if (!c->selected[i] && c->mark[i] == MARK_NONE)
			cand[pool++] = i;
	for (size_t k = 0; k < want && pool; k++) {
		size_t j = (size_t)(next_random(c->a) % pool), i = cand[j];

		cand[j] = cand[--pool];
		if (!take(c, i))
			break;
		c->sampled[i] = true;
	}
	free(cand);
}

int audit_copy_select(struct audit_copy *c, struct custos_err *err)
{
	(void)err;
	for (size_t i = 0; i < c->nfiles; i++) {
		if (!c->files[i].pending)
			break;              /* pending files come first */
		if (c->mark[i] != MARK_NONE)
			continue;           /* already decided (missing) */
		if (!take(c, i))
			return 0;
	}
	sample(c);
	return 0;
}
