/*
 * toss.h — the Toss Payments adapter behind struct pg_port.
 *
 * Rule: the secret key is turned into the Authorization header once and
 * never printed; every answer that is not a definite yes or no is
 * PG_IN_DOUBT (see port_pg.h).
 */
#ifndef SETTLE_ADAPTERS_TOSS_H
#define SETTLE_ADAPTERS_TOSS_H

#include "domain/err.h"
#include "port_pg.h"

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
