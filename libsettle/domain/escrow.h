/*
 * domain/escrow.h — an escrow: what one payment holds for its pod until
 * the pod completes, and the rules of how it is created and drawn down.
 *
 * Rule: an escrow is created by the capture that funds it, for exactly the
 * payment's amount; refunds draw it down, and it is REFUNDED once nothing
 * of it is left.
 */
#ifndef SETTLE_DOMAIN_ESCROW_H
#define SETTLE_DOMAIN_ESCROW_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/payment.h"

struct escrow {
	int64_t id;
	char public_id[41];
	int64_t payment_id;
	char pod_id[65];
	int64_t amount;
	int64_t refunded;
	int64_t released;  /* on released:{pod} (not yet settled, or settled by settlement_id) */
	int64_t settlement_id; /* the settlement that took the released money, or 0 */
	int release_asap;      /* a resolved dispute: release without waiting for the hold */
	char currency[4];
	enum escrow_status status;
};

/* The escrow a capture of p creates: HOLDING its whole amount. */
void escrow_on_capture(const struct payment_rec *p, struct escrow *out);

/* Draws a completed refund of amount out of e: out of what it holds
 * (REFUNDED when it empties), or, once RELEASED, out of what it released
 * (a refund after release: the status stays RELEASED). */
int escrow_apply_refund(struct escrow *e, int64_t amount, struct settle_err *err);

/* A dispute's resolution: of what the escrow holds, release_amount goes
 * to the pod and refund_amount back to the customer (they sum to what it
 * holds; either may be 0). DISPUTED → HOLDING, released as soon as no
 * refund is in flight. */
int escrow_resolve(struct escrow *e, int64_t release_amount, int64_t refund_amount, struct settle_err *err);

/* Releases what remains of a HOLDING escrow: RELEASED, released = amount
 * − refunded. Refuses any other status and an escrow with nothing left. */
int escrow_release(struct escrow *e, struct settle_err *err);

#endif
