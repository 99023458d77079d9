/* clock.c — CLOCK_REALTIME, or a fixed instant in test builds. */
#include "adapters/clock/clock.h"

#include <stdlib.h>
#include <time.h>

#include "domain/timefmt.h"

static int64_t system_now(void *self)
{
	struct timespec ts;

	(void)self;
#ifdef SETTLE_FAILPOINTS
	const char *fixed = getenv("SETTLE_NOW");
	int64_t us;

	if (fixed && *fixed && time_parse_utc(fixed, &us) == 0)
		return us;
#endif
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const struct clock_port system_clock = {NULL, system_now};

const struct clock_port *clock_system(void)
{
	return &system_clock;
}

void clock_now_sql(const struct clock_port *clock, char buf[27])
{
	time_sql(clock->now_us(clock->self), buf);
}
