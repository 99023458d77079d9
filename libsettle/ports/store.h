/*
 * ports/store.h — the payments store port: what the payment use cases ask
 * of the ledger database. The MySQL adapter implements it.
 *
 * Rule: each operation is one database transaction (retried on deadlock
 * inside the adapter) and never overlaps a call to the outside world. An
 * operation that moves money writes its journal entry in that same
 * transaction.
 */
#ifndef SETTLE_PORT_STORE_H
#define SETTLE_PORT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/payment.h"
#include "ports/pg.h"
#include "ports/study.h"

struct payment_rec {
	int64_t id;
	char public_id[41];
	char order_id[65];
	char pod_id[65];
	char user_id[65];
	char order_name[201];    /* the pod's title: what the PG window shows */
	int64_t amount;
	int64_t refunded;        /* completed refunds */
	int64_t refund_pending;  /* refunds requested, outcome not yet known */
	char currency[4];
	char method[24];
	char pg[16];
	char payment_key[201];
	enum payment_status status;
	char confirm_key[129];
	char pg_code[65];
	char pg_message[256];
	char va_bank[17];
	char va_account[65];
	char va_due[41];
	char approved_at[32];
	char created_at[32];     /* UTC, 'YYYY-MM-DD HH:MM:SS' */
	int doubt_count;
	/* the escrow, once captured */
	char escrow_id[41];
	char escrow_status[16];
	int64_t escrow_amount;
	int64_t escrow_refunded;
};

struct refund_rec {
	int64_t id;
	char public_id[41];
	int64_t payment_id;
	int64_t amount;
	char currency[4];
	char status[16];
	char reason[201];
	char idempotency_key[129];
	char cancel_order_id[65];
	char pg_code[65];
	char pg_message[256];
	char created_at[32];
	int doubt_count;
};

struct new_order {
	const struct study_pod *pod; /* fresh from the Study port */
	const char *user_id;
	const char *method;
	const char *pg;
	const char *actor;
	const char *now;
};

/* What happened to one payment or refund, applied by apply_outcomes. */
enum outcome_kind {
	OUT_CAPTURED,      /* payment COMPLETED: escrow HOLDING + journal + participation queued */
	OUT_AWAIT_DEPOSIT, /* payment WAITING_FOR_DEPOSIT with the VA details */
	OUT_FAILED,        /* payment FAILED with code */
	OUT_EXPIRED,       /* payment EXPIRED */
	OUT_DOUBT,         /* payment stays; doubt noted, next check scheduled */
	OUT_REFUNDED,      /* refund COMPLETED: payment/escrow amounts + journal */
	OUT_REFUND_FAILED, /* refund FAILED with code */
	OUT_REFUND_DOUBT,  /* refund stays REQUESTED; doubt noted */
	OUT_PARTICIPATION_DONE,
	OUT_PARTICIPATION_RETRY,
};

struct outcome {
	enum outcome_kind kind;
	int64_t id;                 /* payment id, or refund id for OUT_REFUND* */
	const struct pg_payment *pg;/* the PG's view, where there is one */
	const char *code;
	const char *message;
	int64_t next_check_us;      /* OUT_DOUBT / *_RETRY: when to look again */
};

/* Work a sweep claims; claimed rows are hidden from other sweepers until
 * claim_until passes, so several sweepers share the work. */
enum sweep_kind { SWEEP_CONFIRMING, SWEEP_WAITING, SWEEP_PENDING_EXPIRED, SWEEP_REFUNDS, SWEEP_PARTICIPATION };

struct sweep_item {
	struct payment_rec pay;
	struct refund_rec refund; /* SWEEP_REFUNDS */
};

struct store_port {
	void *self;

	/* pay-order: refreshes settle's copy of the pod, then creates a
	 * PENDING payment, or returns the user's existing PENDING one
	 * (*existing = 1). Refuses a full pod and a user who already paid. */
	int (*create_order)(void *self, const struct new_order *o, struct payment_rec *out, int *existing,
			    struct settle_err *err);

	/* by is "order", "public" or "key" (payment_key). 1 found, 0 none. */
	int (*get_payment)(void *self, const char *by, const char *id, struct payment_rec *out, struct settle_err *err);

	/* PENDING -> CONFIRMING with the PG's payment key and the confirm
	 * idempotency key (recorded before the PG is called). */
	int (*begin_confirm)(void *self, int64_t payment_id, const char *payment_key, const char *confirm_key,
			     const char *actor, const char *now, struct settle_err *err);

	/* Refund intent: locks the payment, checks what remains, inserts a
	 * REQUESTED refund with its idempotency key. amount 0 = all that
	 * remains. */
	int (*begin_refund)(void *self, int64_t payment_id, int64_t amount, const char *reason, const char *actor,
			    const char *now, struct refund_rec *out, struct settle_err *err);
	int (*get_refund)(void *self, const char *public_id, struct refund_rec *out, struct settle_err *err);

	/* Applies outcomes in one transaction (a batch, or just one). */
	int (*apply_outcomes)(void *self, const struct outcome *o, size_t n, const char *actor, const char *now,
			      struct settle_err *err);

	/* Claims up to limit due items of a kind, hiding them for claim_s. */
	int (*claim)(void *self, enum sweep_kind kind, const char *now, int64_t older_than_s, int claim_s,
		     struct sweep_item *items, size_t limit, size_t *n, struct settle_err *err);

	/* Multi-PG health. */
	int (*pg_record)(void *self, const char *pg, int ok, const char *code, const char *now, struct settle_err *err);
	int (*pg_failures)(void *self, const char *pg, int window_s, const char *now, int64_t *failures,
			   struct settle_err *err);
	/* 1 when this caller may send one probe order to the PG now. */
	int (*pg_take_probe)(void *self, const char *pg, int every_s, const char *now, struct settle_err *err);
	/* Deletes health rows older than keep_s (in bounded chunks). */
	int (*pg_prune)(void *self, int keep_s, const char *now, struct settle_err *err);

	/* Look-ups for pay-show: calls fn per row. */
	int (*list_payments)(void *self, const char *by, const char *id, int (*fn)(void *arg, const struct payment_rec *p),
			     void *arg, struct settle_err *err);
	int (*list_refunds)(void *self, int64_t payment_id, int (*fn)(void *arg, const struct refund_rec *r), void *arg,
			    struct settle_err *err);
	int (*list_events)(void *self, int64_t payment_id,
			   int (*fn)(void *arg, const char *at, const char *from, const char *to, const char *actor,
				     const char *code, const char *message),
			   void *arg, struct settle_err *err);
};

#endif
