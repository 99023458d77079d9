/*
 * domain/refund.h — a refund and the rules of refunding a payment: what
 * remains, one refund in flight, what the escrow must be.
 *
 * Rule: a refund never takes more than remains of the payment, and while
 * one refund's outcome is in doubt no second one starts (the sweep tells
 * whether a refund landed from the PG's balance, which two in doubt at once
 * would make ambiguous).
 */
#ifndef SETTLE_DOMAIN_REFUND_H
#define SETTLE_DOMAIN_REFUND_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/payment.h"

struct refund_rec {
	int64_t id;
	char public_id[41];
	int64_t payment_id;
	int64_t amount;
	char currency[4];
	enum refund_status status;
	char reason[201];
	char idempotency_key[129];
	char cancel_order_id[65];
	char pg_code[65];
	char pg_message[256];
	char pg_transaction_key[129];
	char created_at[32];
	char next_check_at[32];  /* UTC, or "" */
	int doubt_count;
};

/* May payment p be refunded by amount (0 = all that remains)? On success
 * *amount_out is what the refund takes. Refusals name the payment and why:
 * not completed, escrow released or not holding, another refund in flight
 * (EX_TEMPFAIL), nothing left, more than remains. A released escrow is
 * refunded only with after_release (an operator's explicit word): before
 * its settlement out of released:{pod}, after it as a clawback. */
int refund_check(const struct payment_rec *p, int64_t amount, int after_release, int64_t *amount_out,
		 struct settle_err *err);

/* The payment's status once a refund of amount has completed, and its new
 * refunded total; refuses a total above the payment. */
int refund_apply_to_payment(const struct payment_rec *p, int64_t amount, struct payment_rec *after,
			    struct settle_err *err);

#endif
