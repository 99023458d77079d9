/* test_ratelimit.c — ratelimit.h: a client gets its burst at once and then
 * `rate` per second; Retry-After says how long to wait; one client's
 * flood never takes another's tokens. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "adapters/api/ratelimit.h"

Test(adapters_api_ratelimit, burst_then_rate)
{
	struct ratelimit *rl = malloc(sizeof *rl);
	int64_t t = 1000000000;

	rl_init(rl, 2, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(rl_take(rl, "a", t), 0, "%d", i);
	cr_assert_eq(rl_take(rl, "a", t), 1);
	cr_assert_eq(rl_take(rl, "b", t), 0, "another client is not limited");
	cr_assert_eq(rl_take(rl, "a", t + 499999), 1);
	cr_assert_eq(rl_take(rl, "a", t + 500000), 0, "2/s: one token after half a second");
	cr_assert_eq(rl_take(rl, "a", t + 500000), 1);
	/* a long idle refills to the burst, never beyond */
	for (int i = 0; i < 5; i++)
		cr_assert_eq(rl_take(rl, "a", t + 3600000000LL * 24), 0);
	cr_assert_eq(rl_take(rl, "a", t + 3600000000LL * 24), 1);
	rl_destroy(rl);
	free(rl);
}

Test(adapters_api_ratelimit, slow_rate_retry_after)
{
	struct ratelimit *rl = malloc(sizeof *rl);

	rl_init(rl, 1, 1);
	cr_assert_eq(rl_take(rl, "x", 0), 0);
	cr_assert_eq(rl_take(rl, "x", 0), 1);
	cr_assert_eq(rl_take(rl, "x", 1000000), 0);
	rl_destroy(rl);
	free(rl);
}

Test(adapters_api_ratelimit, many_clients_bounded)
{
	struct ratelimit *rl = malloc(sizeof *rl);
	char k[32];

	rl_init(rl, 1, 1);
	/* far more clients than slots: memory stays put, each new one allowed */
	for (int i = 0; i < RL_SLOTS * 4; i++) {
		snprintf(k, sizeof k, "c%d", i);
		cr_assert_eq(rl_take(rl, k, i), 0, "%s", k);
	}
	rl_destroy(rl);
	free(rl);
}
