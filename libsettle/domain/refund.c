/* refund.c — the rules of refunding a payment (see refund.h). */
#include "domain/refund.h"

#include <string.h>

int refund_check(const struct payment_rec *p, int64_t amount, int after_release, int64_t *amount_out,
		 struct settle_err *err)
{
	int64_t remaining = p->amount - p->refunded;

	if (p->status != PAY_COMPLETED && p->status != PAY_PARTIALLY_REFUNDED)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s is %s; only a completed payment can be refunded",
			       p->public_id, payment_status_name(p->status));
	if (!strcmp(p->escrow_status, "RELEASED") && !after_release)
		return err_set(err, SETTLE_EX_DATAERR,
			       "payment %s: escrow %s was already released to the leader; a refund now comes out of the "
			       "leader's share (a clawback once settled) and needs --after-release",
			       p->public_id, p->escrow_id);
	if (strcmp(p->escrow_status, "HOLDING") && strcmp(p->escrow_status, "DISPUTED") &&
	    strcmp(p->escrow_status, "RELEASED"))
		return err_set(err, SETTLE_EX_DATAERR, "payment %s: escrow is %s; nothing is held to refund",
			       p->public_id, p->escrow_status[0] ? p->escrow_status : "missing");
	if (p->refund_pending > 0)
		return err_set(err, SETTLE_EX_TEMPFAIL,
			       "payment %s: another refund (of %lld) is in flight, still in doubt; "
			       "`pay-capture --sweep` settles it before a new one",
			       p->public_id, (long long)p->refund_pending);
	if (remaining <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s has nothing left to refund (%lld refunded, %lld "
			       "pending)", p->public_id, (long long)p->refunded, (long long)p->refund_pending);
	if (amount < 0)
		return err_set(err, SETTLE_EX_DATAERR, "a refund amount must be positive");
	if (amount > remaining)
		return err_set(err, SETTLE_EX_DATAERR, "refund of %lld %s exceeds what remains of payment %s (%lld)",
			       (long long)amount, p->currency, p->public_id, (long long)remaining);
	*amount_out = amount ? amount : remaining;
	return 0;
}

int refund_apply_to_payment(const struct payment_rec *p, int64_t amount, struct payment_rec *after,
			    struct settle_err *err)
{
	enum payment_status to;

	*after = *p;
	if (amount <= 0 || amount > p->amount - p->refunded)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s would be refunded %lld of %lld", p->public_id,
			       (long long)(p->refunded + amount), (long long)p->amount);
	to = p->refunded + amount == p->amount ? PAY_REFUNDED : PAY_PARTIALLY_REFUNDED;
	if (payment_transition(p->status, to, err) < 0)
		return err_prefix(err, "payment %s", p->public_id);
	after->status = to;
	after->refunded = p->refunded + amount;
	return 0;
}
