/*
 * cli/suggest.c - "did you mean": the command or option name closest to
 * what was typed, by prefix or by edit distance (a swap of two neighbouring
 * letters counts as one edit).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/exit.h"

#define MAX_WORD 64

/* Optimal string alignment distance of A and B (both < MAX_WORD long). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[MAX_WORD + 1][MAX_WORD + 1];

	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], best = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *cli_suggest(const char *word, const char *const *names, size_t n)
{
	size_t len = strlen(word), best = (size_t)-1, limit = len < 4 ? 1 : 2;
	const char *pick = NULL;

	if (!len || len >= MAX_WORD)
		return NULL;
	for (size_t i = 0; i < n; i++)          /* an abbreviation */
		if (!strncmp(names[i], word, len))
			return names[i];
	for (size_t i = 0; i < n; i++) {
		size_t d;

		if (strlen(names[i]) >= MAX_WORD)
			continue;
		d = distance(word, names[i]);
		if (d < best) {
			best = d;
			pick = names[i];
		}
	}
	return best <= limit && best < len ? pick : NULL;
}

int cli_unknown_subcommand(const char *word, const char *const *names, size_t n)
{
	const char *pick = cli_suggest(word, names, n);

	if (pick)
		cli_errorf("unknown subcommand '%s'; did you mean '%s'?", word, pick);
	else
		cli_errorf("unknown subcommand '%s'; see --help", word);
	return CLI_EXIT_USAGE;
}
