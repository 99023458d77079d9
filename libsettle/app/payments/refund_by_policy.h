/*
 * refund_by_policy.h — pay-refund under the payment's refund policy.
 *
 * Which policy: the one the payment's pod names, else the default
 * ([refund] policy); which version: the one in force on the Korea business
 * date the payment was paid (approved, or created when it never was).
 * The version is derived from that date rather than stored on the payment:
 * versions are dated data that only ever gain a later version, so the date
 * alone names one, and the capture path stays as it is.
 *
 * --policy refunds what the policy gives on today's business date (the
 * clock port, Korea time). An explicit amount — or a refund of everything
 * that remains — above what the policy gives needs override and a reason,
 * recorded on the refund (basis OVERRIDE); within it, the refund is
 * MANUAL with the policy's amount recorded beside it. When no policy can
 * apply (none configured, the pod unknown to settle, paid before the first
 * version) a plain --amount refund stays what it was before policies.
 *
 * The refund itself is pay-refund's: its intent (with the basis) is
 * committed in one unit of work after the payment is locked and the quote
 * recomputed under the lock; then the PG; then the outcome.
 */
#ifndef SETTLE_APP_PAYMENTS_REFUND_BY_POLICY_H
#define SETTLE_APP_PAYMENTS_REFUND_BY_POLICY_H

#include "app/payments/payments.h"
#include "domain/refund_policy.h"
#include "ports/refund_terms.h"

struct policy_refund_ctx {
	const struct pay_ctx *pay;
	const struct refund_terms_repo *terms;
	const struct policy_versions *default_policy; /* n == 0: [refund] policy not set */
};

struct policy_refund_ask {
	const char *payment_id, *amount_text, *reason;
	int after_release;
	int by_policy; /* --policy */
	int override;  /* --override */
	int dry_run;   /* quote and check only */
};

/* How the amount was decided, for printing. */
struct policy_refund_how {
	int applied; /* a policy applied; the fields below are set */
	char policy[POLICY_NAME_MAX + 1], version[11], paid_on[11], today[11], starts_on[11], ends_on[11];
	char step_text[64];
	struct policy_quote q;
	int64_t paid, refunded; /* refunded: completed and in flight, when quoted */
	int64_t amount;         /* what is (or, dry, would be) refunded; 0 = all that remains */
	char currency[4];
	enum refund_basis basis;
};

int pay_refund_by_policy(const struct policy_refund_ctx *c, const struct policy_refund_ask *ask,
			 struct policy_refund_how *how, struct refund_rec *out, struct settle_err *err);

#endif
