/*
 * deposit.c — a deposit the PG told us about (a webhook), finished the way
 * the sweep finishes a payment waiting for its deposit: ask the PG, then
 * apply what it answers through the same outcomes. The PG's answer decides,
 * never the notification: a forged or stale one at worst costs a look-up.
 */
#include <stdio.h>
#include <string.h>

#include "app/payments/sweep.h"

int pay_deposit_seen(const struct pay_ctx *c, const char *order_id, struct payment_rec *out, struct settle_err *err)
{
	const struct payments_repo *pr = c->r.payments;
	struct sweep_item it;
	struct pg_result res;
	struct outcome o;
	struct pg_port *pg;
	char now[TIME_SQL_LEN];
	int64_t now_us;
	int rc;

	memset(&it, 0, sizeof it);
	rc = pr->find(pr->self, NULL, PAY_BY_ORDER_ID, order_id, &it.pay, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, SETTLE_EX_NOINPUT, "no payment with order id %s", order_id);
	if (it.pay.status != PAY_WAITING_FOR_DEPOSIT) {
		*out = it.pay; /* already done (by the sweep or an earlier event), or never waiting */
		return 0;
	}
	pg = pay_pg_open(c, it.pay.pg, err);
	if (!pg)
		return -1;
	memset(&res, 0, sizeof res);
	memset(&o, 0, sizeof o);
	o.id = it.pay.id;
	now_us = pay_now(c, now);
	sweep_ask(c, PH_WAITING, pg, &it, &res, &o, now_us);
	pay_pg_close(c, pg);
	if (outcomes_apply(c, &o, 1, NULL, NULL, err) < 0)
		return -1;
	rc = pr->find(pr->self, NULL, PAY_BY_ORDER_ID, order_id, out, err);
	return rc == 1 ? 0 : -1;
}
