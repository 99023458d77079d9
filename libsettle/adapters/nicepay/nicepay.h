/*
 * nicepay.h — the NicePay (start.nicepay.co.kr JSON API) adapter behind
 * struct pg_port, "Server 승인" model.
 *
 * Rule: every answer that claims success must carry a signature that
 * verifies, or it is PG_IN_DOUBT; a confirm whose answer is lost after
 * the request went out is net-cancelled (the documented NicePay rule).
 */
#ifndef SETTLE_ADAPTERS_NICEPAY_H
#define SETTLE_ADAPTERS_NICEPAY_H

#include "domain/err.h"
#include "port_pg.h"

struct nicepay_config {
	const char *base_url;     /* https://api.nicepay.co.kr, sandbox-api..., or loopback http:// */
	const char *client_id;
	const char *secret_key;
	long connect_timeout_ms;  /* <= 0: 5 s */
	long timeout_ms;          /* <= 0: 30 s (NicePay asks for a 30 s read time-out) */
};

/* Copies what it keeps from cfg. NULL with err (EX_CONFIG) on a bad
 * configuration. Free with port->destroy(port->self). */
struct pg_port *nicepay_pg_new(const struct nicepay_config *cfg, struct settle_err *err);

#endif
