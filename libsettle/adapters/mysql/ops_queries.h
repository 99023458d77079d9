/*
 * ops_queries.h — what operations read from the database: the last run of
 * a job (settle-db status --jobs, the metrics' last-success time) and the
 * gauges the metrics report (money held in escrow, payouts in doubt).
 *
 * Rule: read-only; every role may run these (they read job_runs, escrows
 * and payouts, which every role may select).
 */
#ifndef SETTLE_ADAPTERS_MYSQL_OPS_QUERIES_H
#define SETTLE_ADAPTERS_MYSQL_OPS_QUERIES_H

#include <stdint.h>

#include "domain/err.h"

struct db;

struct job_last_run {
	char status[17];       /* RUNNING, DONE, PARTIAL, FAILED; "" when it never ran */
	char started_at[27], finished_at[27];
	char host[65];
	char counts[501], message[501];
	char last_success[27]; /* finished_at of the last DONE run; "" if none */
	int64_t runs;          /* how many runs are recorded */
};

/* 0 (out filled; status "" when never run) or -1. */
int ops_job_last_run(struct db *db, const char *job, struct job_last_run *out, struct settle_err *err);

/* Money still held in escrow (HOLDING or DISPUTED, what was neither
 * refunded nor released), in currency's minor units. */
int ops_escrow_held(struct db *db, const char *currency, int64_t *out, struct settle_err *err);
/* Payouts sent whose outcome is not known yet (SENDING). */
int ops_payouts_in_doubt(struct db *db, int64_t *out, struct settle_err *err);

#endif
