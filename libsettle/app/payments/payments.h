/*
 * payments.h — the payment use cases: order, capture, refund, sweep.
 *
 * Rule (DESIGN.md §7): record the intent with its idempotency key and
 * commit; call the PG outside any transaction; record the outcome in a new
 * transaction. An outcome in doubt is left for the sweep, which asks the PG
 * what happened before doing anything else.
 *
 * The use cases see only ports: a unit of work and one repository per
 * aggregate, the PGs by name (never which ones), the Study Service and the
 * clock. wire/ builds them from settle.conf; tests/fakes/ builds them in
 * memory.
 */
#ifndef SETTLE_APP_PAYMENTS_H
#define SETTLE_APP_PAYMENTS_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/payment.h"
#include "domain/refund.h"
#include "ports/breaker_repo.h"
#include "ports/amount_refusals.h"
#include "ports/clawbacks_repo.h"
#include "ports/claims.h"
#include "ports/clock.h"
#include "ports/disputes_repo.h"
#include "ports/escrows_repo.h"
#include "ports/ledger_repo.h"
#include "ports/participation_repo.h"
#include "ports/payment_queries.h"
#include "ports/payments_repo.h"
#include "ports/pg_directory.h"
#include "ports/pods_repo.h"
#include "ports/refunds_repo.h"
#include "ports/study.h"
#include "ports/outbox.h"
#include "ports/uow.h"

struct pay_settings {
	char default_pg[16];      /* the PG orders go to */
	char fallback_pg[16];     /* where they go while default_pg's breaker is open; "" = none */
	int confirm_sweep_age_s;  /* CONFIRMING older than this is swept */
	int pending_expiry_s;     /* PENDING older than this expires (the PG's window) */
	int doubt_backoff_s;      /* first re-check after a doubt; doubles per doubt */
	int deposit_recheck_s;    /* how often a virtual account still waiting is asked about */
	int breaker_window_s;     /* failures counted over this window */
	int breaker_max_failures; /* this many trips the breaker */
	int breaker_open_s;       /* a tripped PG gets one probe order this often */
	int sweep_concurrency;    /* PG calls in flight during a sweep */
	int sweep_batch;          /* items claimed and committed per batch */
	int sweep_lease_s;        /* a claim's lease; a live sweeper renews it */
	int refund_on_place_refused; /* refund a payment whose place the Study Service refused */
	int participation_report_after; /* attempts after which a stuck confirm is reported */
};

/* The repositories the payment use cases compose. */
struct pay_repos {
	const struct uow_port *uow;
	const struct payments_repo *payments;
	const struct refunds_repo *refunds;
	const struct escrows_repo *escrows;
	const struct participation_repo *participation;
	const struct pods_repo *pods;
	const struct ledger_repo *ledger;
	const struct breaker_repo *breaker;
	const struct claims_port *claims;
	const struct payment_queries *queries;
	const struct clawbacks_repo *clawbacks; /* refunds after a settlement */
	const struct disputes_repo *disputes;   /* escrow-dispute */
	const struct outbox_port *outbox;       /* notifications (issue 14); NULL: none */
	const struct amount_refusals_repo *refusals; /* tamper refusals (issue 14); NULL: only logged */
};

struct pay_ctx {
	struct pay_repos r;
	const struct study_port *study;
	const struct clock_port *clock;
	const struct pg_directory *pgs;
	const char *actor; /* who acts, for payment_events: "pay-capture", an operator … */
	const char *owner; /* this process as a claimer: host:pid:nonce */
	int no_health;     /* set in sweep workers: they must not touch the database */
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

/* A refund as an operator asks for it. after_release: the escrow was
 * released to the leader; the refund comes out of released:{pod} before
 * the pod's settlement, and is a clawback after it. */
struct refund_ask {
	const char *payment_id, *amount_text, *reason;
	int after_release;
};

int pay_refund_ask(const struct pay_ctx *c, const struct refund_ask *ask, struct refund_rec *out,
		   struct settle_err *err);

struct sweep_report {
	int64_t captured, awaiting, failed, expired, in_doubt, refunded, refund_failed, refund_doubt,
		participation_done, participation_retry, participation_refused, participation_stuck,
		place_refunds, looked_at;
	int64_t held_by_others;   /* work another live sweeper holds: not done by this run */
	char held_until[32];      /* when the latest of those claims expires (UTC) */
};

/* pay-capture --sweep: finishes everything unfinished, batch by batch.
 * When work is left that other live sweepers hold, the rest is still done,
 * r->held_by_others says how much, and it returns -1 with EX_TEMPFAIL. */
int pay_sweep(const struct pay_ctx *c, struct sweep_report *r, struct settle_err *err);

/* escrow-dispute open: HOLDING → DISPUTED, a dispute with its reason. A
 * released or refunded escrow is refused (a refund after release is a
 * clawback: pay-refund --after-release). */
int dispute_open(const struct pay_ctx *c, const char *escrow_id, const char *reason, struct dispute_rec *out,
		 struct settle_err *err);

enum dispute_how { DISPUTE_RELEASE, DISPUTE_REFUND, DISPUTE_SPLIT };

/* escrow-dispute resolve: --release (all of what is held goes to the pod),
 * --refund [--amount N] (N, default all, back to the customer; the rest to
 * the pod), --split LEADER_AMOUNT (that much to the pod, the rest back).
 * Resolved once; the refund part goes through the refund use case (its
 * intent written with the resolution, then the PG); the released part is
 * released by the next escrow-release without waiting for the hold. */
int dispute_resolve(const struct pay_ctx *c, const char *escrow_id, enum dispute_how how, const char *amount_text,
		    struct dispute_rec *out, struct refund_rec *refund, struct settle_err *err);

/* A deposit the PG notified (pay-webhookd): a WAITING_FOR_DEPOSIT payment
 * is asked about and finished as the sweep would (COMPLETED with its
 * escrow, or left waiting); any other status is left as it is. *out has
 * the state after. -1 with err: EX_NOINPUT for an unknown order, else the
 * PG's or the database's trouble. */
int pay_deposit_seen(const struct pay_ctx *c, const char *order_id, struct payment_rec *out, struct settle_err *err);

/* The confirm idempotency key of an order: derived from the operation, so a
 * re-run sends the same key and the PG answers without charging twice. */
void pay_confirm_key(char *buf, size_t len, const char *order_id);

#endif
