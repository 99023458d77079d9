/* ratelimit.c — token buckets (see ratelimit.h). */
#include "adapters/api/ratelimit.h"

#include <stdio.h>
#include <string.h>

void rl_init(struct ratelimit *rl, int64_t rate, int64_t burst)
{
	memset(rl, 0, sizeof *rl);
	pthread_mutex_init(&rl->mu, NULL);
	rl->rate = rate < 1 ? 1 : rate > 1000000 ? 1000000 : rate;
	rl->burst = burst < 1 ? 1 : burst > 1000000 ? 1000000 : burst;
}

void rl_destroy(struct ratelimit *rl)
{
	pthread_mutex_destroy(&rl->mu);
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Open addressing over 8 slots from the hash; when all 8 hold other keys,
 * the one refilled longest ago is taken over (it is the most likely full). */
static struct rl_bucket *slot(struct ratelimit *rl, const char *key, int64_t now_us)
{
	uint64_t h = fnv1a(key);
	struct rl_bucket *old = NULL;

	for (unsigned i = 0; i < 8; i++) {
		struct rl_bucket *b = &rl->b[(h + i) % RL_SLOTS];

		if (!strcmp(b->key, key))
			return b;
		if (!b->key[0] || !old || b->at_us < old->at_us)
			old = b;
		if (!b->key[0])
			break;
	}
	snprintf(old->key, sizeof old->key, "%s", key);
	old->micro = rl->burst * 1000000;
	old->at_us = now_us;
	return old;
}

int rl_take(struct ratelimit *rl, const char *key, int64_t now_us)
{
	struct rl_bucket *b;
	int wait = 0;

	pthread_mutex_lock(&rl->mu);
	b = slot(rl, key, now_us);
	if (now_us > b->at_us) {
		int64_t dt = now_us - b->at_us, add;

		/* Cap dt first, so rate × dt cannot overflow after a long idle. */
		if (dt > 3600LL * 1000000)
			dt = 3600LL * 1000000;
		add = dt * rl->rate; /* µs × tokens/s = microtokens: exact */
		b->micro = b->micro + add > rl->burst * 1000000 ? rl->burst * 1000000 : b->micro + add;
		b->at_us = now_us;
	}
	if (b->micro >= 1000000)
		b->micro -= 1000000;
	else
		wait = (int)((1000000 - b->micro + rl->rate * 1000000 - 1) / (rl->rate * 1000000));
	pthread_mutex_unlock(&rl->mu);
	return wait;
}
