/* fake_clock.c — a fixed clock a test advances by hand. */
#include "fakes/fakes.h"

static int64_t now_us(void *self)
{
	const struct fake_clock *k = self;

	return __atomic_load_n(&k->now_us, __ATOMIC_SEQ_CST);
}

void fake_clock_port(struct clock_port *out, struct fake_clock *k)
{
	*out = (struct clock_port){.self = k, .now_us = now_us};
}
