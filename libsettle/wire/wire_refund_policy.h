/*
 * wire_refund_policy.h — pay-refund's wiring: the payments context plus
 * the refund terms repository and the default policy, [refund] policy.
 */
#ifndef SETTLE_WIRE_REFUND_POLICY_H
#define SETTLE_WIRE_REFUND_POLICY_H

#include "app/payments/refund_by_policy.h"
#include "wire/wire_payments.h"

struct refund_policy_wiring {
	struct payments_wiring pay;
	struct refund_terms_repo terms;
	struct policy_versions default_policy;
	struct policy_refund_ctx ctx;
};

/* [refund] policy, parsed into out (out->n == 0 when it is not set);
 * a malformed one is a configuration error naming the file. */
int refund_policy_config_read(const struct config *cfg, struct policy_versions *out, struct settle_err *err);

/* The cli_run hook: cli->wired is a struct refund_policy_wiring. */
extern const struct cli_wiring refund_policy_wiring;

#endif
