/*
 * core/duration.h - read and write lengths of time: "90d", "12h", "30m",
 * "45s", "2w", "12 months", "1 year". Used by policies (interval, review)
 * and by options such as --budget-time. 'm' is always minutes; months are
 * "mo"/"month(s)". A month counts 1/12 of a Julian year (30.4375 days), a
 * year 365.25 days, so "12 months" equals "1 year".
 */
#ifndef CUSTOS_CORE_DURATION_H
#define CUSTOS_CORE_DURATION_H

#include <stddef.h>
#include <stdint.h>

#define DURATION_MINUTE INT64_C(60)
#define DURATION_HOUR   INT64_C(3600)
#define DURATION_DAY    INT64_C(86400)
#define DURATION_WEEK   INT64_C(604800)
#define DURATION_MONTH  INT64_C(2629800)    /* 365.25 days / 12 */
#define DURATION_YEAR   INT64_C(31557600)   /* 365.25 days */

/* Parse S: a whole number > 0, optional spaces, then a unit (s m h d w mo
 * y, or the words second minute hour day week month year, singular or
 * plural, any case). A bare number has no unit and is refused. 0 with
 * *out in seconds, or -1 (S malformed, zero, or over INT64_MAX seconds). */
int duration_parse(int64_t *out, const char *s);

/* Write SECONDS into BUF in the largest unit that divides it exactly:
 * "90 days", "1 year", "12 hours", "45 seconds". Truncates to SIZE. */
void duration_format(char *buf, size_t size, int64_t seconds);

#endif
