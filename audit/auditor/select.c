/*
 * audit/auditor/select.c - which files of a copy this run reads: the files not yet
 * verified in the copy's cycle, oldest verification first, while the byte
 * budget lasts (a run always makes progress: its first file is read even
 * if larger than the budget); then the policy's sample: each other file
 * with probability `sample`, as extra checks that do not count for the
 * cycle. Copies that are not due get the same sample (run.c), so the
 * expected number of extra files per run is sample x all files.
 */
#include "audit/auditor/audit_int.h"

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

size_t audit_sample_count(struct audit_ctx *a, uint64_t n)
{
	double share = repo_policy(a->r)->sample;
	size_t k = 0;

	if (share <= 0)
		return 0;
	for (uint64_t i = 0; i < n; i++)
		k += (double)(next_random(a) >> 11) / 9007199254740992.0 < share;
	return k;
}

static void sample(struct audit_copy *c)
{
	size_t want, pool = 0, *cand;

	want = c->sample_only ? c->sample_only : audit_sample_count(c->a, c->nfiles);
	if (want == 0 || c->nfiles == 0)
		return;
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
	for (size_t i = 0; !c->sample_only && i < c->nfiles; i++) {
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
