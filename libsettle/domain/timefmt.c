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

int time_parse_utc(const char *s, int64_t *us)
{
	int y, mo, d, h, mi, se, n = 0;
	long frac = 0;
	size_t len = strlen(s);

	if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || n != 19)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
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
