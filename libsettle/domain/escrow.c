/* escrow.c — how an escrow is created and drawn down (see escrow.h). */
#include "domain/escrow.h"

#include <stdio.h>
#include <string.h>

void escrow_on_capture(const struct payment_rec *p, struct escrow *out)
{
	memset(out, 0, sizeof *out);
	out->payment_id = p->id;
	snprintf(out->pod_id, sizeof out->pod_id, "%s", p->pod_id);
	out->amount = p->amount;
	memcpy(out->currency, p->currency, sizeof out->currency);
	out->status = ESCROW_HOLDING;
}

int escrow_apply_refund(struct escrow *e, int64_t amount, struct settle_err *err)
{
	if (e->status == ESCROW_RELEASED) {
		if (amount <= 0 || amount > e->released)
			return err_set(err, SETTLE_EX_DATAERR, "escrow %s released %lld; a refund of %lld does not fit",
				       e->public_id, (long long)e->released, (long long)amount);
		e->released -= amount;
		e->refunded += amount;
		return 0;
	}
	if (amount <= 0 || amount > e->amount - e->refunded)
		return err_set(err, SETTLE_EX_DATAERR, "escrow %s holds %lld; a refund of %lld does not fit",
			       e->public_id, (long long)(e->amount - e->refunded), (long long)amount);
	if (e->refunded + amount == e->amount) {
		if (escrow_transition(e->status, ESCROW_REFUNDED, err) < 0)
			return err_prefix(err, "escrow %s", e->public_id);
		e->status = ESCROW_REFUNDED;
	}
	e->refunded += amount;
	return 0;
}

int escrow_release(struct escrow *e, struct settle_err *err)
{
	if (e->amount - e->refunded <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "escrow %s holds nothing to release", e->public_id);
	if (escrow_transition(e->status, ESCROW_RELEASED, err) < 0)
		return err_prefix(err, "escrow %s", e->public_id);
	e->status = ESCROW_RELEASED;
	e->released = e->amount - e->refunded;
	return 0;
}

int escrow_resolve(struct escrow *e, int64_t release_amount, int64_t refund_amount, struct settle_err *err)
{
	int64_t held = e->amount - e->refunded;

	if (e->status != ESCROW_DISPUTED)
		return err_set(err, SETTLE_EX_DATAERR, "escrow %s is %s, not DISPUTED", e->public_id,
			       escrow_status_name(e->status));
	if (release_amount < 0 || refund_amount < 0 || release_amount + refund_amount != held)
		return err_set(err, SETTLE_EX_DATAERR, "escrow %s holds %lld: %lld released and %lld refunded do not add "
			       "up to it", e->public_id, (long long)held, (long long)release_amount,
			       (long long)refund_amount);
	if (escrow_transition(e->status, ESCROW_HOLDING, err) < 0)
		return err_prefix(err, "escrow %s", e->public_id);
	e->status = ESCROW_HOLDING;
	e->release_asap = release_amount > 0;
	return 0;
}
