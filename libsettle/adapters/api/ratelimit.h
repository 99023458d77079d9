/*
 * ratelimit.h — per-client token buckets for settle-apid: each client (the
 * token's subject, or the peer address before authentication) gets `burst`
 * requests at once and `rate` more per second; past that the answer is
 * 429 with Retry-After. Integer arithmetic in microtokens; a fixed table,
 * the stalest bucket reused when full, so memory stays bounded whatever
 * the number of clients. Thread-safe.
 */
#ifndef SETTLE_ADAPTERS_API_RATELIMIT_H
#define SETTLE_ADAPTERS_API_RATELIMIT_H

#include <pthread.h>
#include <stdint.h>

#define RL_SLOTS 4096

struct rl_bucket {
	char key[72];
	int64_t micro; /* tokens × 1e6 */
	int64_t at_us; /* last refill */
};

struct ratelimit {
	pthread_mutex_t mu;
	int64_t rate, burst; /* tokens per second, bucket size (each ≤ 1e6) */
	struct rl_bucket b[RL_SLOTS];
};

void rl_init(struct ratelimit *rl, int64_t rate, int64_t burst);
void rl_destroy(struct ratelimit *rl);

/* Takes one token for key at now_us: 0 when allowed, else the whole
 * seconds to wait (≥ 1) for the Retry-After header. */
int rl_take(struct ratelimit *rl, const char *key, int64_t now_us);

#endif
