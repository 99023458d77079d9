/*
 * timefmt.h — formatting instants for SQL and people. Storage is UTC;
 * business dates are Korea time (UTC+9, no daylight saving).
 */
#ifndef SETTLE_DOMAIN_TIMEFMT_H
#define SETTLE_DOMAIN_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define KST_OFFSET_S (9 * 3600)
#define TIME_SQL_LEN 27 /* "YYYY-MM-DD HH:MM:SS.ffffff" + NUL */

/* "2026-11-24 10:00:00.000000" (UTC), as DATETIME(6) columns take it. */
void time_sql(int64_t us, char buf[TIME_SQL_LEN]);
/* "20261124": the Korea-time calendar date of an instant. */
void time_kst_yyyymmdd(int64_t us, char buf[9]);
/* The UTC instant (microseconds) of 00:00 Korea time on y-m-d; m may be
 * 13 (January of y+1), so a month's end is the next month's start. */
int64_t time_kst_midnight_us(int y, unsigned m, unsigned d);
/* Parses "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" or "YYYY-MM-DD HH:MM:SS[.ffffff]"
 * (UTC) into microseconds; -1 when malformed. */
int time_parse_utc(const char *s, int64_t *us);

#endif
