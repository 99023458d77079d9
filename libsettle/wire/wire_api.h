/*
 * wire_api.h — settle-apid's wiring: from settle.conf, the JWT keys
 * ([api] hs256_key / rs256_public_key, each pinned to its algorithm), the
 * rate limit and the body limit; and, per libmicrohttpd thread, a
 * connection of its own with the same ports the programs use (payments
 * with the refund policy, settlement, the leader's settlements read model).
 */
#ifndef SETTLE_WIRE_API_H
#define SETTLE_WIRE_API_H

#include "adapters/api/jwt_verify.h"
#include "ports/settlement_queries.h"
#include "wire/wire_refund_policy.h"
#include "wire/wire_settlement.h"

struct api_settings {
	struct jwt_verifier jwt;
	int64_t rate_per_s, rate_burst;
	int64_t body_max;
	int64_t idempotency_keep_h; /* how long an Idempotency-Key is remembered */
	int64_t threads;
	const char *listen; /* [api] listen: used when no socket is passed */
};

/* Reads [api]: issuer, audience, clock_skew_s, hs256_key (a secret:
 * hs256_key_file, credential api.hs256_key, $SETTLE_API_HS256_KEY) with
 * hs256_kid, rs256_public_key (a PEM file) with rs256_kid, rate_per_s,
 * rate_burst, body_max, idempotency_keep_h, threads, listen. At least one key. */
int wire_api_settings(const struct config *cfg, struct api_settings *s, struct settle_err *err);

/* One thread's connection and ports. */
struct api_conn {
	struct cli cli; /* the shared configuration, this thread's database */
	struct refund_policy_wiring refund; /* .pay: the payments context */
	struct settlement_wiring settle;
	struct settlement_queries settlements;
};

/* proto: the daemon's cli (its spec and loaded configuration). */
int wire_api_conn(const struct cli *proto, struct api_conn *c, struct settle_err *err);
void unwire_api_conn(struct api_conn *c);

#endif
