/*
 * watch.h — settle-watch's anomaly rules (issue 14), pure: each takes what
 * the queries measured over the window and the limits from [watch], and
 * says whether it fires, with the value, the threshold and a one-line
 * detail. Rates are compared in integers (a × 100 < pct × b), never in
 * floating point.
 */
#ifndef SETTLE_DOMAIN_WATCH_H
#define SETTLE_DOMAIN_WATCH_H

#include <stdint.h>

struct watch_limits {
	int64_t window_s;        /* the window every rate looks at (300) */
	int64_t min_payments;    /* fewer finished payments: no rate is judged (20) */
	int64_t min_success_pct; /* payment success rate below this fires (95) */
	int64_t max_refund_pct;  /* refund rate above this fires (5), overall and per pod */
	int64_t burst_count;     /* one user failing or paying more than this … (5) */
	int64_t burst_window_s;  /* … within this many seconds (600) */
	int64_t tamper_count;    /* amount-tamper refusals in the window above this (0) */
	int64_t breaker_open_s;  /* a PG failing with no success for longer than this (600) */
	int64_t payout_doubt_s;  /* a payout in doubt for longer than this (3600) */
	int64_t job_overdue_s;   /* extra grace over each job's schedule (0) */
	int64_t card_burst_count;    /* one masked card (and issuer) failing or paying more than this … (5) */
	int64_t card_burst_window_s; /* … within this many seconds (600) */
	int64_t tamper_window_s;     /* the window tamper_count looks at (300) */
};

void watch_limits_default(struct watch_limits *l);

struct watch_fire {
	char rule[48];     /* "payment.success_rate" */
	char subject[96];  /* "" overall, or the pod, user, PG, job */
	char value[64];
	char threshold[64];
	char detail[255];
};

/* Each returns 1 and fills f when the rule fires, else 0. */
int watch_success_rate(int64_t completed, int64_t failed, const struct watch_limits *l, struct watch_fire *f);
int watch_refund_rate(const char *pod, int64_t paid, int64_t refunded, const struct watch_limits *l,
		      struct watch_fire *f);
int watch_user_burst(const char *user, int64_t failed, int64_t paid, const struct watch_limits *l,
		     struct watch_fire *f);
/* The card as the PG returned it: truncated number and issuer code. */
int watch_card_burst(const char *masked, const char *issuer, int64_t failed, int64_t paid,
		     const struct watch_limits *l, struct watch_fire *f);
int watch_tamper(int64_t refusals, const struct watch_limits *l, struct watch_fire *f);
int watch_breaker(const char *pg, int64_t failing_for_s, int64_t failures, const struct watch_limits *l,
		  struct watch_fire *f);
int watch_payout_doubt(int64_t count, int64_t oldest_s, const struct watch_limits *l, struct watch_fire *f);
int watch_ledger_check(const char *last_status, const char *message, struct watch_fire *f);
int watch_job_overdue(const char *job, int64_t late_s, struct watch_fire *f);

#endif
