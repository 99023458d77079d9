/*
 * clock.h — the system clock behind the clock port. In test builds
 * (SETTLE_FAILPOINTS) the environment variable SETTLE_NOW
 * ("2026-11-24T10:00:00Z") fixes it; production builds ignore it.
 */
#ifndef SETTLE_ADAPTERS_CLOCK_H
#define SETTLE_ADAPTERS_CLOCK_H

#include "ports/clock.h"

const struct clock_port *clock_system(void);
/* Convenience: now as a SQL DATETIME(6) string. */
void clock_now_sql(const struct clock_port *clock, char buf[27]);

#endif
