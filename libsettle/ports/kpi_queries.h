/*
 * ports/kpi_queries.h — what settle-report kpi reads: aggregates over a
 * period [from, to) of UTC instants, streamed row by row where there may
 * be many (pods), single rows where there is one answer.
 *
 * What counts: a confirm attempt is a payment's move to CONFIRMING in the
 * period; it completed when the payment is (or was) COMPLETED — its status
 * is COMPLETED, PARTIALLY_REFUNDED or REFUNDED now. An order is a payment
 * row created in the period; it converted when it completed. Completion
 * time is approved_at − created_at of the payments approved in the period;
 * volume, tickets and the refund base are those payments. A refund counts
 * when COMPLETED and created in the period, split by its basis (POLICY,
 * OVERRIDE, MANUAL). Disputes: opened in the period, and how those ended.
 */
#ifndef SETTLE_PORTS_KPI_QUERIES_H
#define SETTLE_PORTS_KPI_QUERIES_H

#include <stdint.h>

#include "domain/err.h"

struct kq_attempts {
	char pg[17], method[25];
	int64_t attempts, completed;
};

struct kq_month {
	char month[8]; /* YYYY-MM, Korea time */
	char currency[4];
	int64_t payments, amount;
};

/* One pod's payments approved in the period and its completed refunds:
 * the counts are of payments refunded (a payment refunded twice counts
 * once), the amounts of what was refunded. */
struct kq_pod {
	char pod_id[65];
	char currency[4];
	int64_t payments, amount;
	int64_t refunds, refunded;               /* all bases */
	int64_t policy_n, policy_amount;         /* basis POLICY */
	int64_t override_n, override_amount;     /* basis OVERRIDE */
};

struct kq_orders {
	int64_t orders, converted;
};

struct kq_times {
	int64_t n, sum_us; /* completions and their order→completion time */
};

struct kq_disputes {
	int64_t opened, open, released, refunded, split;
};

struct kpi_queries {
	void *self;
	/* By PG and method, ordered by them. */
	int (*attempts)(void *self, int64_t from_us, int64_t to_us, int (*fn)(void *arg, const struct kq_attempts *r),
			void *arg, struct settle_err *err);
	int (*times)(void *self, int64_t from_us, int64_t to_us, struct kq_times *out, struct settle_err *err);
	/* The rank-th shortest (1-based) order→completion time, microseconds. */
	int (*time_at_rank)(void *self, int64_t from_us, int64_t to_us, int64_t rank, int64_t *us,
			    struct settle_err *err);
	int (*orders)(void *self, int64_t from_us, int64_t to_us, struct kq_orders *out, struct settle_err *err);
	/* Per Korea month and currency, oldest first. */
	int (*months)(void *self, int64_t from_us, int64_t to_us, int (*fn)(void *arg, const struct kq_month *r),
		      void *arg, struct settle_err *err);
	/* Per pod with a payment approved or a refund completed in the period, by pod id. */
	int (*pods)(void *self, int64_t from_us, int64_t to_us, int (*fn)(void *arg, const struct kq_pod *r), void *arg,
		    struct settle_err *err);
	int (*disputes)(void *self, int64_t from_us, int64_t to_us, struct kq_disputes *out, struct settle_err *err);
};

#endif
