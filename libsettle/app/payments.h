/*
 * payments.h — the payment use cases: order, capture, refund, sweep.
 *
 * Rule (DESIGN.md §7): record the intent with its idempotency key and
 * commit; call the PG outside any transaction; record the outcome in a new
 * transaction. An outcome in doubt is left for the sweep, which asks the PG
 * what happened before doing anything else.
 */
#ifndef SETTLE_APP_PAYMENTS_H
#define SETTLE_APP_PAYMENTS_H

#include <stdint.h>

#include "domain/err.h"
#include "ports/clock.h"
#include "ports/pg.h"
#include "ports/store.h"
#include "ports/study.h"

struct pay_settings {
	char default_pg[16];      /* "toss" */
	int confirm_sweep_age_s;  /* CONFIRMING older than this is swept */
	int pending_expiry_s;     /* PENDING older than this expires (the PG's window) */
	int doubt_backoff_s;      /* first re-check after a doubt; doubles per doubt */
	int breaker_window_s;     /* failures counted over this window */
	int breaker_max_failures; /* this many trips the breaker */
	int breaker_open_s;       /* a tripped PG gets one probe order this often */
	int sweep_concurrency;    /* PG calls in flight during a sweep */
	int sweep_batch;          /* items claimed and committed per batch */
};

/* Opens a PG port by name ("toss", "nicepay"); each sweep worker opens its
 * own, because an HTTP client is not shared between threads. */
typedef struct pg_port *(*pg_open_fn)(void *arg, const char *name, struct settle_err *err);
typedef void (*pg_close_fn)(struct pg_port *pg);

struct pay_ctx {
	const struct store_port *store;
	const struct study_port *study;
	const struct clock_port *clock;
	pg_open_fn pg_open;
	pg_close_fn pg_close;
	void *pg_arg;
	const char *actor; /* who acts, for payment_events: "pay-capture", an operator … */
	int no_health;     /* set in sweep workers: they must not touch the store */
	struct pay_settings set;
};

void pay_settings_default(struct pay_settings *s);

/* pay-order: pg_forced may be NULL (then default PG unless its breaker
 * tripped); method may be NULL (CARD). */
int pay_order(const struct pay_ctx *c, const char *pod_id, const char *user_id, const char *method,
	      const char *pg_forced, struct payment_rec *out, int *existing, struct settle_err *err);

/* pay-capture of one order. Returns 0 when the order ended COMPLETED or
 * WAITING_FOR_DEPOSIT (or already was); -1 with err otherwise: EX_DATAERR
 * for bad input or a refusal (err->pg_code set), EX_TEMPFAIL when in
 * doubt (left CONFIRMING for the sweep). *out has the final state. */
int pay_capture(const struct pay_ctx *c, const char *order_id, const char *payment_key, const char *amount_text,
		struct payment_rec *out, struct settle_err *err);

/* pay-refund: amount_text NULL = all that remains. */
int pay_refund(const struct pay_ctx *c, const char *payment_id, const char *amount_text, const char *reason,
	       struct refund_rec *out, struct settle_err *err);

struct sweep_report {
	int64_t captured, awaiting, failed, expired, in_doubt, refunded, refund_failed, refund_doubt,
		participation_done, participation_retry, looked_at;
};

/* pay-capture --sweep: finishes everything unfinished, batch by batch. */
int pay_sweep(const struct pay_ctx *c, struct sweep_report *r, struct settle_err *err);

/* The confirm idempotency key of an order: derived from the operation, so a
 * re-run sends the same key and the PG answers without charging twice. */
void pay_confirm_key(char *buf, size_t len, const char *order_id);

#endif
