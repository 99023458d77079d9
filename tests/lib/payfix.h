/*
 * payfix.h — the fixture of the payment program tests: a fresh database,
 * a private sandbox holding fixtures/pods.csv, secrets in temp files and
 * a config wiring pay-* to both; plus the steps tests repeat (order,
 * checkout + capture, sweep) and queries on the final state.
 *
 * Rule: every helper asserts, so a test reads as the scenario it checks.
 */
#ifndef SETTLE_TESTS_PAYFIX_H
#define SETTLE_TESTS_PAYFIX_H

#include <stdint.h>

#include "lib/sandbox_proc.h"
#include "lib/testdb.h"

struct payfix {
	struct testdb t;
	struct sandbox_proc sp;
	char dir[64]; /* secrets */
};

/* extra: more config text appended after the standard sections (may be NULL). */
void payfix_setup(struct payfix *f, const char *extra);
void payfix_teardown(struct payfix *f);

/* A count from a printf-style SQL text. */
int64_t pf_count(struct payfix *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A single string cell from a printf-style SQL text ("" when no row). */
const char *pf_string(struct payfix *f, char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* pay-order for pod and user (plus extra argv, NULL-ended list, may be NULL); asserts exit 0; returns the order id. */
const char *pf_order(struct payfix *f, const char *pod, const char *user, const char *const *extra, char *order,
		     size_t len);
/* The payments row's amount/pg/status/public_id of an order. */
int64_t pf_amount(struct payfix *f, const char *order);
const char *pf_status(struct payfix *f, const char *order, char *buf, size_t len);
const char *pf_payment_id(struct payfix *f, const char *order, char *buf, size_t len);
/* Browser step for an order (pg and amount from the DB); the key in key. */
void pf_checkout(struct payfix *f, const char *order, const char *method, char *key, size_t len);
/* pay-capture --order --payment-key --amount (amount from the DB); env may be NULL. */
void pf_capture(struct payfix *f, const char *order, const char *key, const char *const *env, struct run_result *r);
/* pay-capture --sweep. */
void pf_sweep(struct payfix *f, struct run_result *r);
/* Arms a fault (printf-style JSON); asserts. */
void pf_fault(struct payfix *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pf_clear_faults(struct payfix *f);
/* ledger-check exits 0. */
void pf_ledger_ok(struct payfix *f);
/* The state of a captured order: status, one escrow HOLDING/REFUNDED..., one capture entry balanced. */
void pf_assert_captured(struct payfix *f, const char *order, const char *status);
/* Order + checkout + capture ending COMPLETED; the order id in order. */
void pf_paid(struct payfix *f, const char *pod, const char *user, const char *const *order_args, char *order,
	     size_t len);
/* The refund entries of a payment: count and the sum moved back to pg_clearing. */
int64_t pf_refund_entries(struct payfix *f, const char *order, int64_t *sum);
/* Nothing about money for this order: no escrow, no journal entry. */
void pf_assert_no_money(struct payfix *f, const char *order);
/* Starts a program without waiting (stdout discarded); pf_wait gives its
 * status (or 128+signal) and its stderr in err (may be NULL). */
int pf_spawn(struct payfix *f, const char *const *argv, const char *const *env);
int pf_wait(int pid, char *err, size_t len);
/* Sleeps past doubt_backoff_s (1 s). */
void pf_backoff(void);
/* stderr is exactly one line. */
int pf_one_line(const char *s);
/* stderr holds exactly one "prog: ..." error line; any other line is a key=value log line. */
int pf_one_error(const char *s, const char *prog);

#endif
