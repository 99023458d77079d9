/*
 * domain/report_period.h — the periods finance reports cover: a month
 * (YYYY-MM), a quarter (YYYY-Qn), a range of days (--from/--to, both
 * inclusive) and one day (--at), all Korea-time calendar dates
 * (DESIGN.md §7: Asia/Seoul, UTC+9, no daylight saving), turned into the
 * UTC instants the database stores: [from, to).
 *
 * Rule: every date is checked whole ("2026-02-30" and "2026-13" are
 * refused, 65, naming the option), a range whose --from is after its --to
 * is refused, and a period that has not ended yet is known as such (remit
 * and close refuse it).
 */
#ifndef SETTLE_DOMAIN_REPORT_PERIOD_H
#define SETTLE_DOMAIN_REPORT_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

struct period {
	char label[24];      /* "2026-11", "2026-Q4", "2026-11-01..2026-11-30", "2026-11-30" */
	char first_day[11];  /* KST, inclusive */
	char last_day[11];   /* KST, inclusive */
	int64_t from_us;     /* UTC instant of first_day 00:00 KST */
	int64_t to_us;       /* UTC instant of the day after last_day, 00:00 KST (exclusive) */
	char from_sql[27];   /* the same as UTC DATETIME(6) text */
	char to_sql[27];
};

/* Each refuses malformed text with SETTLE_EX_DATAERR naming field. */
int period_month(const char *field, const char *text, struct period *p, struct settle_err *err);
int period_quarter(const char *field, const char *text, struct period *p, struct settle_err *err);
int period_day(const char *field, const char *text, struct period *p, struct settle_err *err);
/* --from and --to: both days inclusive; from after to is refused. */
int period_range(const char *from, const char *to, struct period *p, struct settle_err *err);

/* The quarter ("2026-Q4") a month ("2026-11") is in. */
void period_quarter_of(const struct period *month, char out[8]);
/* True once the period is over at instant now_us. */
int period_ended(const struct period *p, int64_t now_us);

/* A resident registration number as people write it: 13 digits (as
 * stored) or already "900101-1234567" -> "900101-1234567"; anything else
 * is shown as stars of its length, never echoed. */
void rrn_format(const char *rrn, char *out, size_t len);
/* What a report shows for a number on file when it may not be shown:
 * every digit hidden, without opening it ("******-*******"). */
#define RRN_MASKED "******-*******"

#endif
