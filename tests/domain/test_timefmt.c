/* test_timefmt.c — timefmt.h contract: UTC SQL text, Korea-time business dates, strict UTC parsing. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/timefmt.h"

#define US(s) ((int64_t)(s) * 1000000)

/* 2026-11-24 10:00:00 UTC */
static const int64_t KNOWN_S = 1795514400;

static const char *sql(int64_t us)
{
	static char buf[TIME_SQL_LEN];

	time_sql(us, buf);
	return buf;
}

static const char *kst(int64_t us)
{
	static char buf[9];

	time_kst_yyyymmdd(us, buf);
	return buf;
}

static int64_t parsed(const char *s)
{
	int64_t us = -12345;

	cr_assert_eq(time_parse_utc(s, &us), 0, "\"%s\" refused", s);
	return us;
}

/* ---------------------------------------------------------------- time_sql */

Test(domain_timefmt, sql_epoch)
{
	cr_assert_str_eq(sql(0), "1970-01-01 00:00:00.000000");
	cr_assert_eq(strlen(sql(0)), TIME_SQL_LEN - 1);
}

Test(domain_timefmt, sql_known_instant)
{
	cr_assert_str_eq(sql(US(KNOWN_S)), "2026-11-24 10:00:00.000000");
	cr_assert_str_eq(sql(US(951782400)), "2000-02-29 00:00:00.000000");
	cr_assert_str_eq(sql(US(1830297599)), "2027-12-31 23:59:59.000000");
}

Test(domain_timefmt, sql_microseconds)
{
	cr_assert_str_eq(sql(US(KNOWN_S) + 1), "2026-11-24 10:00:00.000001");
	cr_assert_str_eq(sql(US(KNOWN_S) + 123456), "2026-11-24 10:00:00.123456");
	cr_assert_str_eq(sql(US(KNOWN_S) + 999999), "2026-11-24 10:00:00.999999");
}

Test(domain_timefmt, sql_negative)
{
	cr_assert_str_eq(sql(-1), "1969-12-31 23:59:59.999999");
	cr_assert_str_eq(sql(-1000000), "1969-12-31 23:59:59.000000");
	cr_assert_str_eq(sql(-1500000), "1969-12-31 23:59:58.500000");
	cr_assert_str_eq(sql(US(-86400)), "1969-12-31 00:00:00.000000");
	cr_assert_str_eq(sql(US(-86400) - 1), "1969-12-30 23:59:59.999999");
}

/* ---------------------------------------------------------------- KST date */

Test(domain_timefmt, kst_crosses_midnight_at_utc_15)
{
	int64_t day = US(1795478400); /* 2026-11-24 00:00:00 UTC */

	cr_assert_str_eq(kst(day), "20261124");
	cr_assert_str_eq(kst(day + US(14 * 3600 + 3599) + 999999), "20261124"); /* 23:59:59.999999 KST */
	cr_assert_str_eq(kst(day + US(15 * 3600)), "20261125");                 /* 00:00 KST next day */
	cr_assert_str_eq(kst(day - 1), "20261124");                             /* 08:59:59 KST */
	cr_assert_str_eq(kst(day - US(9 * 3600)), "20261124");
	cr_assert_str_eq(kst(day - US(9 * 3600) - 1), "20261123");
}

Test(domain_timefmt, kst_year_and_epoch_edges)
{
	cr_assert_str_eq(kst(US(1798729200)), "20270101"); /* 2026-12-31 15:00 UTC */
	cr_assert_str_eq(kst(US(1798729199)), "20261231");
	cr_assert_str_eq(kst(0), "19700101");
	cr_assert_str_eq(kst(US(-9 * 3600) - 1), "19691231");
}

/* ---------------------------------------------------------------- parse */

Test(domain_timefmt, parse_forms)
{
	int64_t k = US(KNOWN_S);

	cr_assert_eq(parsed("2026-11-24T10:00:00Z"), k);
	cr_assert_eq(parsed("2026-11-24T10:00:00"), k);
	cr_assert_eq(parsed("2026-11-24 10:00:00"), k);
	cr_assert_eq(parsed("2026-11-24 10:00:00Z"), k);
	cr_assert_eq(parsed("2026-11-24T10:00:00.5Z"), k + 500000);
	cr_assert_eq(parsed("2026-11-24 10:00:00.000001"), k + 1);
	cr_assert_eq(parsed("2026-11-24T10:00:00.123456Z"), k + 123456);
	cr_assert_eq(parsed("1970-01-01T00:00:00Z"), 0);
	cr_assert_eq(parsed("2028-02-29T23:59:59Z"), US(1835481599));
}

Test(domain_timefmt, parse_round_trips_time_sql)
{
	const int64_t samples[] = {0, 1, -1, US(KNOWN_S) + 123456, US(951782400), US(-86400) - 1, US(4102444800) - 1};

	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		char buf[TIME_SQL_LEN];

		time_sql(samples[i], buf);
		cr_assert_eq(parsed(buf), samples[i], "%s", buf);
	}
	for (int64_t us = -US(86400) * 800; us < US(86400) * 800; us += US(86399) + 7777) {
		char buf[TIME_SQL_LEN];

		time_sql(us, buf);
		cr_assert_eq(parsed(buf), us, "%s", buf);
	}
}

Test(domain_timefmt, parse_rejects_garbage)
{
	const char *bad[] = {
		"",
		"garbage",
		"2026-11-24",
		"2026-11-24T10:00",
		"2026-11-24X10:00:00",
		"2026-11-24T10:00:00ZZ",
		"2026-11-24T10:00:00Z ",
		"2026-11-24T10:00:00 extra",
		"2026-11-24T10:00:00.",
		"2026-11-24T10:00:00.Z",
		"2026-11-24T10:00:00+09:00",
		"2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z",
		"2026-11-00T00:00:00Z",
		"2026-11-32T00:00:00Z",
		"2026-11-24T24:00:00Z",
		"2026-11-24T10:60:00Z",
		"26-11-24T10:00:00Z",
		"2026-1-24T10:00:00Z",
		" 2026-11-24T10:00:00Z",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t us = 777;

		cr_assert_eq(time_parse_utc(bad[i], &us), -1, "\"%s\" accepted", bad[i]);
		cr_assert_eq(us, 777, "output written for \"%s\"", bad[i]);
	}
}

/* sscanf's %d took signs and blanks inside fixed-width fields, and any day
 * up to 31 was accepted in every month (2026-02-30 became 2026-03-02). */
Test(domain_timefmt, parse_rejects_signs_blanks_and_impossible_days)
{
	const char *bad[] = {
		"+026-11-24T10:00:00Z", "-026-11-24T10:00:00Z", "2026-+1-24T10:00:00Z", "2026-11--1T10:00:00Z",
		"2026-11-24T-1:00:00Z", "2026-11-24T10:-1:00Z", "2026-11-24T10:00:-1Z", "2026-11-24T 1:00:00Z",
		"2026-11- 4T10:00:00Z", "2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z",
		"2100-02-29T00:00:00Z", "2026-11-24T10:00:60Z", "2026-11-24T10:00:00.-1Z",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t us = 777;

		cr_assert_eq(time_parse_utc(bad[i], &us), -1, "\"%s\" accepted as %lld", bad[i], (long long)us);
		cr_assert_eq(us, 777, "output written for \"%s\"", bad[i]);
	}
	cr_assert_eq(parsed("2000-02-29T00:00:00Z"), US(951782400));
	cr_assert_eq(parsed("2026-12-31T23:59:59Z"), US(1798761599));
}
