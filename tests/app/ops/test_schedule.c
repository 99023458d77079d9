/* The scheduled jobs' table (app/ops/schedule.c): what is overdue, and
 * that every row names a timer that exists in systemd/ with the row's
 * period. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ops/schedule.h"
#include "lib/testdb.h"

#define S 1000000LL

Test(app_ops_schedule, overdue_after_the_period_and_its_grace)
{
	const struct job_schedule s = {"settle-run", "settle-run.timer", 86400, 3600};
	int64_t now = 1800000000LL * S;

	cr_assert(ops_overdue(&s, 0, now), "never ran");
	cr_assert(!ops_overdue(&s, now - 86400 * S, now));
	cr_assert(!ops_overdue(&s, now - (86400 + 3600) * S, now));
	cr_assert(ops_overdue(&s, now - (86400 + 3601) * S, now));
}

/* The OnCalendar= line of a timer, from the source tree. */
static void on_calendar(const char *timer, char *out, size_t len)
{
	char rel[128], path[512], line[256];
	FILE *f;

	snprintf(rel, sizeof rel, "systemd/%s", timer);
	f = fopen(test_repo_file(rel, path, sizeof path), "r");
	cr_assert_not_null(f, "%s: no such timer in systemd/", timer);
	out[0] = '\0';
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "OnCalendar=", 11))
			snprintf(out, len, "%.*s", (int)strcspn(line + 11, "\n"), line + 11);
	fclose(f);
	cr_assert(out[0], "%s has no OnCalendar=", timer);
}

Test(app_ops_schedule, every_row_matches_its_timer)
{
	size_t n;
	const struct job_schedule *s = ops_schedules(&n);

	cr_assert_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		char cal[128];

		on_calendar(s[i].timer, cal, sizeof cal);
		/* the period the calendar expression repeats at */
		if (s[i].every_s == 60)
			cr_assert_str_eq(cal, "*-*-* *:*:00", "%s", s[i].job);
		else if (s[i].every_s == 15 * 60)
			cr_assert_str_eq(cal, "*:0/15", "%s", s[i].job);
		else if (s[i].every_s == 86400)
			cr_assert(!strncmp(cal, "*-*-* ", 6) && !strchr(cal + 6, '*'), "%s: %s is not daily", s[i].job, cal);
		else if (s[i].every_s == 31 * 86400)
			cr_assert(!strncmp(cal, "*-*-", 4) && cal[4] != '*', "%s: %s is not monthly", s[i].job, cal);
		else
			cr_assert_fail("%s: a period of %lld s has no timer form here", s[i].job, (long long)s[i].every_s);
	}
}
