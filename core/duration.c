/*
 * core/duration.c - lengths of time as people write them in policies and
 * options ("90d", "12 months"). No locale, no floating point.
 */
#include "core/duration.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct unit {
	const char *name;
	int64_t seconds;
};

static const struct unit units[] = {
	{ "s", 1 }, { "sec", 1 }, { "secs", 1 }, { "second", 1 },
	{ "seconds", 1 },
	{ "m", DURATION_MINUTE }, { "min", DURATION_MINUTE },
	{ "mins", DURATION_MINUTE }, { "minute", DURATION_MINUTE },
	{ "minutes", DURATION_MINUTE },
	{ "h", DURATION_HOUR }, { "hr", DURATION_HOUR }, { "hrs", DURATION_HOUR },
	{ "hour", DURATION_HOUR }, { "hours", DURATION_HOUR },
	{ "d", DURATION_DAY }, { "day", DURATION_DAY }, { "days", DURATION_DAY },
	{ "w", DURATION_WEEK }, { "week", DURATION_WEEK },
	{ "weeks", DURATION_WEEK },
	{ "mo", DURATION_MONTH }, { "month", DURATION_MONTH },
	{ "months", DURATION_MONTH },
	{ "y", DURATION_YEAR }, { "yr", DURATION_YEAR }, { "year", DURATION_YEAR },
	{ "years", DURATION_YEAR },
};

static int unit_seconds(int64_t *out, const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].name) == len &&
		    strncasecmp(units[i].name, name, len) == 0) {
			*out = units[i].seconds;
			return 0;
		}
	}
	return -1;
}

int duration_parse(int64_t *out, const char *s)
{
	int64_t n = 0, mult, total;
	const char *p = s, *u;
	size_t ulen;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		if (__builtin_mul_overflow(n, 10, &n) ||
		    __builtin_add_overflow(n, *p - '0', &n))
			return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	u = p;
	while (isalpha((unsigned char)*p))
		p++;
	ulen = (size_t)(p - u);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p || ulen == 0 || unit_seconds(&mult, u, ulen) < 0 || n == 0 ||
	    __builtin_mul_overflow(n, mult, &total))
		return -1;
	*out = total;
	return 0;
}

void duration_format(char *buf, size_t size, int64_t seconds)
{
	static const struct unit shown[] = {
		{ "year", DURATION_YEAR }, { "month", DURATION_MONTH },
		{ "week", DURATION_WEEK }, { "day", DURATION_DAY },
		{ "hour", DURATION_HOUR }, { "minute", DURATION_MINUTE },
		{ "second", 1 },
	};

	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		int64_t n;

		if (seconds <= 0 || seconds % shown[i].seconds)
			continue;
		/* weeks read worse than days for intervals like 14d */
		if (shown[i].seconds == DURATION_WEEK)
			continue;
		n = seconds / shown[i].seconds;
		snprintf(buf, size, "%lld %s%s", (long long)n, shown[i].name,
			 n == 1 ? "" : "s");
		return;
	}
	snprintf(buf, size, "%lld seconds", (long long)seconds);
}
