/*
 * ports/watch_queries.h — settle-watch's own read model over the business
 * tables (payments, payment_events, refunds, payouts, pg_outcomes,
 * job_runs), and its one write: an alert row, once per rule, subject and
 * window. Times are 'YYYY-MM-DD HH:MM:SS.ffffff' UTC.
 */
#ifndef SETTLE_PORTS_WATCH_QUERIES_H
#define SETTLE_PORTS_WATCH_QUERIES_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/watch.h"
#include "ports/uow.h"

typedef int (*watch_row_fn)(void *arg, const char *subject, int64_t a, int64_t b, struct settle_err *err);
typedef int (*watch_card_fn)(void *arg, const char *masked, const char *issuer, int64_t failed, int64_t paid,
			     struct settle_err *err);

struct watch_queries {
	void *self;
	/* Payments that ended in [since, now): completed (or later refunded)
	 * and failed. */
	int (*payment_counts)(void *self, const char *since, int64_t *completed, int64_t *failed,
			      struct settle_err *err);
	/* Per pod ("" first: all pods): payments completed since, refunds
	 * completed since. */
	int (*refund_counts)(void *self, const char *since, watch_row_fn fn, void *arg, struct settle_err *err);
	/* Users with more than min failed or paid payments since. */
	int (*user_counts)(void *self, const char *since, int64_t min, watch_row_fn fn, void *arg,
			   struct settle_err *err);
	/* Amount-tamper refusals recorded since: captures refused for another
	 * amount (amount_refusals) and PG answers with one (AMOUNT_MISMATCH). */
	int (*tamper_count)(void *self, const char *since, int64_t *n, struct settle_err *err);
	/* Per PG: seconds since its last success (or its first failure when
	 * none), failures since then; only PGs whose last outcome failed. */
	int (*failing_pgs)(void *self, const char *now, watch_row_fn fn, void *arg, struct settle_err *err);
	/* Payouts in doubt since before older_than: how many, the oldest's age. */
	int (*payouts_in_doubt)(void *self, const char *older_than, const char *now, int64_t *n, int64_t *oldest_s,
				struct settle_err *err);
	/* The last run of job: status ('' none) and message; its last success
	 * (0 none) and whether it ran at all. */
	int (*job_last)(void *self, const char *job, char *status, size_t status_len, char *message, size_t msg_len,
			int64_t *last_success_us, struct settle_err *err);
	/* Masked cards (with their issuer) with more than min failed or paid
	 * payments since; payments without a kept card are not counted. */
	int (*card_counts)(void *self, const char *since, int64_t min, watch_card_fn fn, void *arg,
			   struct settle_err *err);
	/* 1 when the alert is new (inserted in tx), 0 when this rule, subject
	 * and window fired already. */
	int (*add_alert)(void *self, struct uow *tx, const struct watch_fire *f, const char *window_start,
			 const char *now, struct settle_err *err);
};

#endif
