/* schedule.c — the scheduled jobs and their periods (see schedule.h). */
#include "app/ops/schedule.h"

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

static const struct job_schedule schedules[] = {
	{"pay-capture", "settle-pay-sweep.timer", MINUTE, 10 * MINUTE},
	{"escrow-release", "settle-escrow-release.timer", DAY, 6 * HOUR},
	{"settle-run", "settle-run.timer", DAY, 6 * HOUR},
	/* The daily run after settle-run, and the polls in between. */
	{"payout-send", "settle-payout-poll.timer", 15 * MINUTE, 2 * HOUR},
	{"ledger-check", "settle-ledger-check.timer", DAY, 6 * HOUR},
	/* Monthly: a month is at most 31 days; the grace covers the days
	 * before the 10th that an invoice may still be issued in. */
	{"invoice-issue", "settle-invoice-issue.timer", 31 * DAY, 7 * DAY},
	{"close", "settle-finance-close.timer", 31 * DAY, 7 * DAY},
};

const struct job_schedule *ops_schedules(size_t *n)
{
	*n = sizeof schedules / sizeof schedules[0];
	return schedules;
}

bool ops_overdue(const struct job_schedule *s, int64_t last_success_us, int64_t now_us)
{
	if (last_success_us <= 0)
		return true;
	return now_us - last_success_us > (s->every_s + s->grace_s) * 1000000;
}
