/*
 * internal.h — what the payment use cases share among themselves and
 * nobody else: the outcomes of PG calls and how they are applied, the
 * confirm and cancel calls, the breaker. Not for cmd/ or other areas.
 */
#ifndef SETTLE_APP_PAYMENTS_INTERNAL_H
#define SETTLE_APP_PAYMENTS_INTERNAL_H

#include <stddef.h>

#include "app/payments/payments.h"
#include "domain/timefmt.h"

/* What happened to one payment, refund or participation confirm. */
enum outcome_kind {
	OUT_CAPTURED,      /* payment COMPLETED: escrow HOLDING + journal + participation queued */
	OUT_AWAIT_DEPOSIT, /* payment WAITING_FOR_DEPOSIT with the VA details */
	OUT_FAILED,        /* payment FAILED with code; its attempted key is released */
	OUT_EXPIRED,       /* payment EXPIRED */
	OUT_DOUBT,         /* payment stays; doubt noted, next check scheduled */
	OUT_RECHECK,       /* payment stays (a deposit still awaited); next check scheduled */
	OUT_REFUNDED,      /* refund COMPLETED: payment/escrow amounts + journal */
	OUT_REFUND_FAILED, /* refund FAILED with code */
	OUT_REFUND_DOUBT,  /* refund stays REQUESTED; doubt noted */
	OUT_PARTICIPATION_DONE,
	OUT_PARTICIPATION_RETRY,
	OUT_PARTICIPATION_REFUSED, /* final: the place was refused; the payment is refunded */
};

struct outcome {
	enum outcome_kind kind;
	int64_t id;                  /* payment id, or refund id for OUT_REFUND* */
	const struct pg_payment *pg; /* the PG's view, where there is one */
	const char *code;
	const char *message;
	int64_t next_check_us;       /* OUT_DOUBT / OUT_RECHECK / *_RETRY: when to look again */
	int charged;                 /* the PG took the money, yet settle cannot complete the payment */
};

/* A batch of outcomes applied in one unit of work (one multi-row journal
 * insert). also (may be NULL) runs last in the same unit: the sweep gives
 * its claims back there. For OUT_PARTICIPATION_REFUSED with
 * refund_on_place_refused, the refund's intent is written in the same unit
 * and its id lands in refund_ids (room for n), n_refunds how many. */
struct outcomes_batch {
	const struct outcome *o;
	size_t n;
	uow_fn also;
	void *also_arg;
	int64_t *refund_ids;
	size_t n_refunds;
};

int outcomes_apply_batch(const struct pay_ctx *c, struct outcomes_batch *b, struct settle_err *err);

/* One outcome, or a few, with nothing else in the unit. */
int outcomes_apply(const struct pay_ctx *c, const struct outcome *o, size_t n, int64_t *refund_ids,
		   size_t *n_refunds, struct settle_err *err);

/* The confirm call, and the lookup-then-maybe-resend path for an order
 * already CONFIRMING. Fills *o from the PG's answer held in *res. */
void capture_call(const struct pay_ctx *c, struct pg_port *pg, const struct payment_rec *p, int lookup_first,
		  struct pg_result *res, struct outcome *o);

/* Decides a refund from the PG's cancel answer. */
void decide_refund(const struct refund_rec *r, const struct pg_result *res, int64_t now_us, int backoff_s,
		   struct outcome *o);

/* The PG cancel request of a refund. */
void refund_request(const struct payment_rec *p, const struct refund_rec *r, int64_t amount,
		    struct pg_cancel_req *req);

/* Sends a refund whose intent is committed and records the outcome (the
 * second half of pay-refund; also the place-refused refunds). *o gets the
 * outcome's kind. */
int refund_send(const struct pay_ctx *c, const struct payment_rec *p, const struct refund_rec *r,
		enum outcome_kind *kind, struct pg_result *res, struct settle_err *err);

/* The rest of pay-refund once the intent is committed: the PG call, its
 * outcome, and *out re-read; in doubt is EX_TEMPFAIL, a refusal
 * EX_DATAERR (both with err->pg_code). Shared with refund by policy. */
int refund_complete(const struct pay_ctx *c, const struct payment_rec *p, struct refund_rec *out,
		  struct settle_err *err);

/* Writes the intent of a refund of p (amount 0 = all that remains): the
 * refund row with its idempotency key, committed before any PG call. */
int refund_begin(const struct pay_ctx *c, const struct payment_rec *p, int64_t amount, const char *reason,
		 int after_release, struct refund_rec *out, struct settle_err *err);

/* The same inside a unit of work the caller runs (a dispute's resolution
 * writes its refund's intent with the resolution). */
int refund_write_intent(const struct pay_ctx *c, struct uow *tx, int64_t payment_id, int64_t amount_asked,
			const char *reason, int after_release, const char *now, struct refund_rec *out,
			struct settle_err *err);

/* Opens the named PG, or NULL with err naming it. */
struct pg_port *pay_pg_open(const struct pay_ctx *c, const char *name, struct settle_err *err);
void pay_pg_close(const struct pay_ctx *c, struct pg_port *pg);

/* The breaker: which PG takes a new order, and each call's health. */
int breaker_choose(const struct pay_ctx *c, const char *forced, const char *now, char *out, size_t len,
		   struct settle_err *err);
void breaker_record(const struct pay_ctx *c, const char *pg, const struct pg_result *res, const char *now);

/* The current time as SQL text and in microseconds. */
int64_t pay_now(const struct pay_ctx *c, char now[TIME_SQL_LEN]);

/* The outbox notes of the payments use cases (notes.c): one call where
 * the change is made, in its unit of work. */
int pay_note_completed(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p, const char *now,
		       struct settle_err *err);
int pay_note_refunded(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p,
		      const struct refund_rec *rf, const char *now, struct settle_err *err);
int pay_note_place_refused(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p, const char *why,
			   const char *now, struct settle_err *err);
/* To the customer and the operators: charged, but not completed (why). */
int pay_note_charged_failed(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p, const char *why,
			    const char *now, struct settle_err *err);
/* To the pod's leader and the operators; e is the escrow as it was while
 * disputed (what it held). */
int pay_note_dispute_opened(const struct pay_ctx *c, struct uow *tx, const struct dispute_rec *d,
			    const struct escrow *e, const char *now, struct settle_err *err);
int pay_note_dispute_resolved(const struct pay_ctx *c, struct uow *tx, const struct dispute_rec *d,
			      const struct escrow *held, const char *now, struct settle_err *err);

/* The reason of the refund a refused place starts: a failure of that
 * refund leaves a charged customer without their place or their money. */
#define PAY_PLACE_REFUSED_REASON "place refused by the Study Service"

/* card.c: keeps the card the PG reported for p (pg NULL or without a
 * card: nothing), in tx; a number that is not truncated is not kept. */
int pay_keep_card(const struct pay_ctx *c, struct uow *tx, const struct payment_rec *p, const struct pg_payment *pg,
		  struct settle_err *err);

/* tamper.c: records a capture refused because the asked amount differs
 * from the order's, in a unit of work of its own (no money moves). */
int pay_record_tamper(const struct pay_ctx *c, const struct payment_rec *p, int64_t asked, struct settle_err *err);

#endif
