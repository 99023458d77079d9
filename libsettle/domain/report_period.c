/* report_period.c — Korea-time report periods as UTC bounds (see report_period.h). */
#include "domain/report_period.h"

#include <stdio.h>
#include <string.h>

#include "domain/timefmt.h"

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), so no time zone of the process is involved. */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Midnight KST of y-m-d as a UTC instant. */
static int64_t kst_midnight_us(int y, int m, int d)
{
	return (days_from_civil(y, m, d) * 86400 - KST_OFFSET_S) * 1000000;
}

struct ymd {
	int y, m, d;
};

static int parse_ym(const char *field, const char *t, struct ymd *o, struct settle_err *err)
{
	if (!t || strlen(t) != 7 || !is_digits(t, 4) || t[4] != '-' || !is_digits(t + 5, 2))
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%.20s\" is not a month (YYYY-MM)", field, t ? t : "");
	o->y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
	o->m = (t[5] - '0') * 10 + (t[6] - '0');
	o->d = 1;
	if (o->y < 2000 || o->y > 2999 || o->m < 1 || o->m > 12)
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%s\" is not a month (YYYY-MM, 01–12, years 2000–2999)", field,
			       t);
	return 0;
}

static int parse_ymd(const char *field, const char *t, struct ymd *o, struct settle_err *err)
{
	if (!t || strlen(t) != 10 || t[7] != '-' || !is_digits(t + 8, 2))
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%.20s\" is not a date (YYYY-MM-DD)", field, t ? t : "");
	{
		char ym[8];

		memcpy(ym, t, 7);
		ym[7] = '\0';
		if (parse_ym(field, ym, o, err) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "%s \"%s\" is not a date (YYYY-MM-DD)", field, t);
	}
	o->d = (t[8] - '0') * 10 + (t[9] - '0');
	if (o->d < 1 || o->d > days_in(o->y, o->m))
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%s\" is not a date: %04d-%02d has %d days", field, t, o->y, o->m,
			       days_in(o->y, o->m));
	return 0;
}

/* Fills p for first..last (inclusive KST days). */
static void fill(struct period *p, struct ymd a, struct ymd b)
{
	int ny = b.y, nm = b.m, nd = b.d + 1;

	if (nd > days_in(b.y, b.m)) {
		nd = 1;
		if (++nm > 12) {
			nm = 1;
			ny++;
		}
	}
	snprintf(p->first_day, sizeof p->first_day, "%04d-%02d-%02d", a.y, a.m, a.d);
	snprintf(p->last_day, sizeof p->last_day, "%04d-%02d-%02d", b.y, b.m, b.d);
	p->from_us = kst_midnight_us(a.y, a.m, a.d);
	p->to_us = kst_midnight_us(ny, nm, nd);
	time_sql(p->from_us, p->from_sql);
	time_sql(p->to_us, p->to_sql);
}

int period_month(const char *field, const char *text, struct period *p, struct settle_err *err)
{
	struct ymd a, b;

	memset(p, 0, sizeof *p);
	if (parse_ym(field, text, &a, err) < 0)
		return -1;
	b = a;
	b.d = days_in(a.y, a.m);
	fill(p, a, b);
	snprintf(p->label, sizeof p->label, "%s", text);
	return 0;
}

int period_quarter(const char *field, const char *t, struct period *p, struct settle_err *err)
{
	struct ymd a, b;

	memset(p, 0, sizeof *p);
	if (!t || strlen(t) != 7 || !is_digits(t, 4) || t[4] != '-' || t[5] != 'Q' || t[6] < '1' || t[6] > '4')
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%.20s\" is not a quarter (YYYY-Qn, n 1–4)", field, t ? t : "");
	a.y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
	if (a.y < 2000 || a.y > 2999)
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%s\" is not a quarter (years 2000–2999)", field, t);
	a.m = (t[6] - '1') * 3 + 1;
	a.d = 1;
	b = a;
	b.m = a.m + 2;
	b.d = days_in(b.y, b.m);
	fill(p, a, b);
	snprintf(p->label, sizeof p->label, "%s", t);
	return 0;
}

int period_day(const char *field, const char *text, struct period *p, struct settle_err *err)
{
	struct ymd a;

	memset(p, 0, sizeof *p);
	if (parse_ymd(field, text, &a, err) < 0)
		return -1;
	fill(p, a, a);
	snprintf(p->label, sizeof p->label, "%s", text);
	return 0;
}

int period_range(const char *from, const char *to, struct period *p, struct settle_err *err)
{
	struct ymd a, b;

	memset(p, 0, sizeof *p);
	if (parse_ymd("--from", from, &a, err) < 0 || parse_ymd("--to", to, &b, err) < 0)
		return -1;
	if (days_from_civil(a.y, a.m, a.d) > days_from_civil(b.y, b.m, b.d))
		return err_set(err, SETTLE_EX_DATAERR, "--from %s is after --to %s", from, to);
	fill(p, a, b);
	snprintf(p->label, sizeof p->label, "%s..%s", from, to);
	return 0;
}

void period_quarter_of(const struct period *month, char out[8])
{
	int m = (month->first_day[5] - '0') * 10 + (month->first_day[6] - '0');

	snprintf(out, 8, "%.4s-Q%d", month->first_day, (m - 1) / 3 + 1);
}

int period_ended(const struct period *p, int64_t now_us)
{
	return now_us >= p->to_us;
}

void rrn_format(const char *rrn, char *out, size_t len)
{
	size_t n = strlen(rrn), i;

	if (len == 0)
		return;
	if (n == 13 && is_digits(rrn, 13)) {
		snprintf(out, len, "%.6s-%.7s", rrn, rrn + 6);
		return;
	}
	if (n == 14 && rrn[6] == '-' && is_digits(rrn, 6) && is_digits(rrn + 7, 7)) {
		snprintf(out, len, "%s", rrn);
		return;
	}
	for (i = 0; i < n && i + 1 < len; i++)
		out[i] = '*';
	out[i] = '\0';
}
