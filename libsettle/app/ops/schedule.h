/*
 * schedule.h — when each scheduled job is expected to have run (the
 * timers in systemd/), so `settle-db status --jobs` can say what is
 * overdue.
 *
 * Rule: this table and the .timer units say the same thing; a timer that
 * changes changes its row here (tests/app/ops checks the two agree).
 */
#ifndef SETTLE_APP_OPS_SCHEDULE_H
#define SETTLE_APP_OPS_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct job_schedule {
	const char *job;   /* as job_runs records it: the program, or its verb */
	const char *timer; /* the systemd timer that starts it */
	int64_t every_s;   /* the timer's period */
	int64_t grace_s;   /* how late a success may be before it is overdue */
};

const struct job_schedule *ops_schedules(size_t *n);

/* Overdue: no successful run (last_success_us 0) or none within every_s +
 * grace_s before now_us. */
bool ops_overdue(const struct job_schedule *s, int64_t last_success_us, int64_t now_us);

#endif
