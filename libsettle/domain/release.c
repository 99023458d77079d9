/* release.c — the hold period after a pod completes (see release.h). */
#include "domain/release.h"

#include <stdio.h>

#define US_PER_DAY (86400LL * 1000000LL)
#define KST_OFFSET_US (9LL * 3600LL * 1000000LL)

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t civil_days(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int64_t yy, era, yoe, doy, doe;

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	/* Howard Hinnant's days_from_civil. */
	yy = m <= 2 ? y - 1 : y;
	era = floor_div(yy, 400);
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void kst_date(int64_t us, char out[11])
{
	int y, m, d;

	civil_from_days(floor_div(us + KST_OFFSET_US, US_PER_DAY), &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

int64_t release_due_us(int64_t completed_us, int hold_days)
{
	/* The KST day it completed, plus hold_days, at 00:00 KST. */
	int64_t kst_day = floor_div(completed_us + KST_OFFSET_US, US_PER_DAY);

	return (kst_day + hold_days) * US_PER_DAY - KST_OFFSET_US;
}

int64_t release_cutoff_us(int64_t now_us, int hold_days)
{
	int64_t today = floor_div(now_us + KST_OFFSET_US, US_PER_DAY);

	return (today - hold_days + 1) * US_PER_DAY - KST_OFFSET_US;
}
