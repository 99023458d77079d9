/*
 * ports/refund_terms.h — what a refund by policy needs beyond the payment:
 * its pod's dates and the policy the pod names, the versions of a named
 * policy, and the record of how a refund's amount was decided.
 */
#ifndef SETTLE_PORTS_REFUND_TERMS_H
#define SETTLE_PORTS_REFUND_TERMS_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/refund_policy.h"
#include "ports/uow.h"

struct pod_terms {
	char starts_on[11], ends_on[11]; /* YYYY-MM-DD, Korea time */
	char policy[POLICY_NAME_MAX + 1]; /* "" = the default policy */
};

enum refund_basis { REFUND_MANUAL, REFUND_POLICY, REFUND_OVERRIDE };

/* How a refund's amount was decided, recorded on the refund. */
struct refund_basis_rec {
	enum refund_basis basis;
	const char *policy;      /* "default" or the pod's; NULL when none applied */
	const char *policy_from; /* the version's first day */
	int64_t policy_amount;   /* what the policy gave */
	const char *override_reason;
};

struct refund_terms_repo {
	void *self;
	/* 1 with the pod's dates and policy, 0 when settle has no copy of it. */
	int (*pod)(void *self, struct uow *tx, const char *pod_id, struct pod_terms *out, struct settle_err *err);
	/* The versions of a named policy, oldest first (out->n == 0: none loaded). */
	int (*versions)(void *self, struct uow *tx, const char *name, struct policy_versions *out,
			struct settle_err *err);
	int (*record)(void *self, struct uow *tx, int64_t refund_id, const struct refund_basis_rec *b,
		      struct settle_err *err);
};

#endif
