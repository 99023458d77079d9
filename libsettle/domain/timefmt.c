/* timefmt.c — pure calendar arithmetic (days from civil, no time zones
 * database: Korea has a fixed offset). */
#include "domain/timefmt.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days-from-civil and civil-from-days algorithms. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

void time_sql(int64_t us, char buf[TIME_SQL_LEN])
{
	int64_t secs = floor_div(us, 1000000), frac = us - secs * 1000000;
	int64_t days = floor_div(secs, 86400), sod = secs - days * 86400;
	int y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, TIME_SQL_LEN, "%04d-%02u-%02u %02d:%02d:%02d.%06d", y, m, d, (int)(sod / 3600),
		 (int)(sod % 3600 / 60), (int)(sod % 60), (int)frac);
}

void time_kst_yyyymmdd(int64_t us, char buf[9])
{
	int64_t days = floor_div(floor_div(us, 1000000) + KST_OFFSET_S, 86400);
	int y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, 9, "%04d%02u%02u", y % 10000, m % 100, d % 100);
}

int64_t time_kst_midnight_us(int y, unsigned m, unsigned d)
{
	if (m > 12) {
		y += (int)((m - 1) / 12);
		m = (m - 1) % 12 + 1;
	}
	return (days_from_civil(y, m, d) * 86400 - KST_OFFSET_S) * 1000000;
}

/* n ASCII digits at s as a number; -1 when any is not a digit (so no sign,
 * blank or short field slips through as sscanf's %d would let it). */
static int fixed_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int time_parse_utc(const char *s, int64_t *us)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, se, n = 19;
	long frac = 0;
	size_t len = strlen(s);

	if (len < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	y = fixed_digits(s, 4);
	mo = fixed_digits(s + 5, 2);
	d = fixed_digits(s + 8, 2);
	h = fixed_digits(s + 11, 2);
	mi = fixed_digits(s + 14, 2);
	se = fixed_digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
		return -1;
	if (d > mdays[mo - 1] + (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return -1;
	if (s[n] == '.') {
		int digits = 0;

		for (n++; s[n] >= '0' && s[n] <= '9'; n++, digits++)
			if (digits < 6)
				frac = frac * 10 + (s[n] - '0');
		if (!digits)
			return -1;
		for (; digits < 6; digits++)
			frac *= 10;
	}
	if (s[n] == 'Z')
		n++;
	if ((size_t)n != len)
		return -1;
	*us = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400) + h * 3600 + mi * 60 + se) * 1000000 + frac;
	return 0;
}
