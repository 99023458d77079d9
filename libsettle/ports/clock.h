/*
 * ports/clock.h — the clock is a port so tests can fix time. Every
 * timestamp settle stores comes from here, never from the server's NOW().
 */
#ifndef SETTLE_PORT_CLOCK_H
#define SETTLE_PORT_CLOCK_H

#include <stdint.h>

struct clock_port {
	void *self;
	int64_t (*now_us)(void *self); /* microseconds since 1970-01-01 UTC */
};

#endif
