/*
 * webhooks.h — pay-webhookd's use cases: take a PG notification (already
 * read and, where the PG signs, verified by the adapter), check it against
 * what settle holds, store it by its id, and — after the PG has had its
 * answer — act on it through the same use cases as the sweep.
 *
 * Rule: nothing but the stored event changes before the answer; a
 * duplicate or a stale event changes nothing at all, because acting asks
 * the PG (payments) or goes through the payout state machine, which moves
 * only forward.
 */
#ifndef SETTLE_APP_WEBHOOKS_H
#define SETTLE_APP_WEBHOOKS_H

#include <stdint.h>

#include "app/payments/payments.h"
#include "app/payouts/payouts.h"
#include "domain/webhook.h"
#include "ports/webhook_events.h"

struct webhook_ctx {
	const struct pay_ctx *pay;                 /* payments, the PGs, the clock */
	const struct webhook_events_repo *events;
	const struct payout_ctx *payouts;          /* payout notifications */
	const char *payouts_source;                /* the ledger account the notifying bank pays from */
};

/* What receiving decided. An event of a kind settle does not act on is
 * answered but not stored: unsigned, it would let anyone fill the table. */
enum webhook_taken { WH_TAKEN_NEW, WH_TAKEN_DUPLICATE, WH_TAKEN_IGNORED };

/* Checks ev against settle's records (a payment event must name a payment
 * we hold, a deposit callback must carry that payment's secret) and stores
 * it. 0 with *taken and *id, or -1 with err: EX_NOINPUT unknown payment or
 * payout (404), EX_NOPERM secret mismatch (401); nothing stored then. */
int webhook_receive(const struct webhook_ctx *c, const struct webhook_event *ev, const char *body,
		    enum webhook_taken *taken, int64_t *id, struct settle_err *err);

/* Acts on a stored new event and records the end (PROCESSED, IGNORED,
 * FAILED, with a flag for an operator where one is due). 0 or -1 with err
 * (the event is then FAILED, for an operator or a re-delivery). */
int webhook_act(const struct webhook_ctx *c, int64_t id, const struct webhook_event *ev, struct settle_err *err);

#endif
