/*
 * nicepay.h — the NicePay (start.nicepay.co.kr JSON API) adapter behind
 * struct pg_port, "Server 승인" model.
 *
 * Rule: every answer that claims success must carry a signature that
 * verifies, or it is PG_IN_DOUBT; a confirm whose answer is lost after
 * the request went out is net-cancelled (the documented NicePay rule).
 *
 * Decisions where NicePay leaves room:
 *  - the confirm answer must carry a verifying signature; lookups and
 *    cancels are checked when they carry one. Hex case is ignored.
 *  - "sent, no answer" means a read time-out, a reset or an empty reply
 *    after the request left; all three trigger the net-cancel. A connect
 *    failure does not (nothing was sent): PG_IN_DOUBT CONNECTION.
 *  - net-cancel success is 0000/2001/2211 only; then the confirm is
 *    PG_REFUSED NET_CANCELED. Anything else leaves it PG_IN_DOUBT.
 *  - 3001/4000/4100/A000 (per-method "approved" codes) count as success
 *    besides 0000/2001/2211; only A118 counts as "no such payment".
 *  - amount / tid / orderId mismatch on confirm: PG_IN_DOUBT, as Toss.
 *  - a partial cancel needs req->cancel_order_id; a full cancel falls
 *    back to req->order_id. get_by_order needs order_date (YYYYMMDD).
 */
#ifndef SETTLE_ADAPTERS_NICEPAY_H
#define SETTLE_ADAPTERS_NICEPAY_H

#include "domain/err.h"
#include "ports/pg.h"

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
