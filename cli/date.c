/*
 * cli/date.c - the one strict reading of a date option (--since): a day
 * YYYY-MM-DD, or an ISO 8601 time with seconds and Z or an offset, turned
 * into the UTC form the catalog stores ("YYYY-MM-DDTHH:MM:SSZ").
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

/* N digits at *P as a number (advancing *P), or -1. */
static int digits(const char **p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

static int days_in(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* The offset after the seconds (Z, +HH:MM, -HH:MM, +HHMM) in seconds. */
static int parse_offset(const char *p, long *offset)
{
	int sign, hh, mm;

	if (!strcmp(p, "Z")) {
		*offset = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if ((hh = digits(&p, 2)) < 0 || hh > 23)
		return -1;
	if (*p == ':')
		p++;
	if ((mm = digits(&p, 2)) < 0 || mm > 59 || *p)
		return -1;
	*offset = sign * (hh * 3600L + mm * 60L);
	return 0;
}

static int parse(char out[21], const char *s)
{
	const char *p = s;
	struct tm tm = { 0 };
	long offset = 0;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	time_t t;

	if ((y = digits(&p, 4)) < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 1 || mo > 12 ||
	    *p++ != '-' || (d = digits(&p, 2)) < 1 || d > days_in(y, mo))
		return -1;
	if (*p) {
		if (*p++ != 'T' || (h = digits(&p, 2)) < 0 || h > 23 || *p++ != ':' ||
		    (mi = digits(&p, 2)) < 0 || mi > 59 || *p++ != ':' ||
		    (sec = digits(&p, 2)) < 0 || sec > 59)
			return -1;
		if (*p == '.' && isdigit((unsigned char)p[1]))   /* fractions: dropped */
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (parse_offset(p, &offset) < 0)
			return -1;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm) - offset;
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
		return -1;
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

int cli_parse_date(char out[21], const char *option, const char *value)
{
	if (parse(out, value) == 0)
		return 0;
	cli_errorf("%s takes a date, YYYY-MM-DD or ISO 8601 such as "
		   "2026-11-01T12:00:00Z, not '%s'", option, value);
	return -1;
}
