/*
 * toss.h — the Toss Payments adapter behind struct pg_port.
 *
 * Rule: the secret key is turned into the Authorization header once and
 * never printed; every answer that is not a definite yes or no is
 * PG_IN_DOUBT (see port_pg.h).
 *
 * Decisions where Toss leaves room:
 *  - a confirm answer whose totalAmount (or orderId, paymentKey) differs
 *    from the request is PG_IN_DOUBT with code AMOUNT_MISMATCH (ORDER_ /
 *    KEY_MISMATCH) and res->payment as Toss sent it: money may have moved,
 *    so settle must neither fulfil nor forget it; the message says
 *    "possible tampering". PG_REFUSED would let settle drop a captured
 *    payment.
 *  - every FAILED_* code, 408, 429, any 3xx/5xx, a 4xx without a Toss
 *    error body and an unknown status string are PG_IN_DOUBT.
 *  - NOT_FOUND_PAYMENT is "no such payment" only on a lookup; on confirm
 *    or cancel it is PG_REFUSED.
 *  - a request settle itself cannot send (missing key, amount <= 0, an
 *    idempotency key with control characters or over 300 bytes) is
 *    PG_REFUSED INVALID_REQUEST, without any traffic.
 */
#ifndef SETTLE_ADAPTERS_TOSS_H
#define SETTLE_ADAPTERS_TOSS_H

#include "domain/err.h"
#include "ports/pg.h"

struct toss_config {
	const char *base_url;     /* https://api.tosspayments.com, or loopback http:// */
	const char *secret_key;   /* test_sk_... / live_sk_... */
	long connect_timeout_ms;  /* <= 0: 5 s */
	long timeout_ms;          /* <= 0: 30 s */
};

/* Copies what it keeps from cfg. NULL with err (EX_CONFIG) on a bad
 * configuration. Free with port->destroy(port->self). */
struct pg_port *toss_pg_new(const struct toss_config *cfg, struct settle_err *err);

#endif
