/*
 * payment.h — the payment, refund and escrow state machines (DESIGN.md §6).
 *
 * Rule: every status change goes through *_transition(), which refuses an
 * illegal move with a clear error; adapters never pick a status themselves.
 */
#ifndef SETTLE_DOMAIN_PAYMENT_H
#define SETTLE_DOMAIN_PAYMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/err.h"

enum payment_status {
	PAY_PENDING = 0,
	PAY_CONFIRMING,
	PAY_WAITING_FOR_DEPOSIT,
	PAY_COMPLETED,
	PAY_FAILED,
	PAY_EXPIRED,
	PAY_PARTIALLY_REFUNDED,
	PAY_REFUNDED,
	PAY_STATUS_COUNT
};

enum escrow_status { ESCROW_HOLDING = 0, ESCROW_DISPUTED, ESCROW_RELEASED, ESCROW_REFUNDED, ESCROW_STATUS_COUNT };
enum refund_status { REFUND_REQUESTED = 0, REFUND_COMPLETED, REFUND_FAILED, REFUND_STATUS_COUNT };
enum pay_method { METHOD_CARD = 0, METHOD_TRANSFER, METHOD_VIRTUAL_ACCOUNT, METHOD_COUNT };

const char *payment_status_name(enum payment_status s);
int payment_status_parse(const char *name, enum payment_status *out);
int payment_transition(enum payment_status from, enum payment_status to, struct settle_err *err);
/* A status that holds a place in the pod (counts toward capacity). */
bool payment_holds_place(enum payment_status s);
/* Does a payment in this status own its PG key? Only once the PG has
 * confirmed the key for the order (a deposit awaited or money taken);
 * while CONFIRMING, or after a refusal, the key is only an attempt. */
bool payment_owns_key(enum payment_status s);

const char *escrow_status_name(enum escrow_status s);
int escrow_status_parse(const char *name, enum escrow_status *out);
int escrow_transition(enum escrow_status from, enum escrow_status to, struct settle_err *err);

const char *refund_status_name(enum refund_status s);
int refund_status_parse(const char *name, enum refund_status *out);
int refund_transition(enum refund_status from, enum refund_status to, struct settle_err *err);

const char *pay_method_name(enum pay_method m);
int pay_method_parse(const char *name, enum pay_method *out, struct settle_err *err);

/* A payment as settle keeps it (the payments repository loads and saves
 * it). The escrow fields are a read-only summary for look-ups. */
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
	/* The PG's key for this payment. While CONFIRMING it is only the key
	 * the redirect brought (attempted); it belongs to the payment once the
	 * PG has confirmed it for this order (DESIGN.md §7, issue 7 §2). */
	char payment_key[201];
	enum payment_status status;
	char confirm_key[129];
	char pg_code[65];
	char pg_message[256];
	char va_secret[129];
	char va_bank[17];
	char va_account[65];
	char va_due[41];
	char approved_at[32];
	char created_at[32];     /* UTC, 'YYYY-MM-DD HH:MM:SS' */
	char next_check_at[32];  /* UTC, or "" */
	int doubt_count;
	/* the escrow, once captured (read-only: the escrows repository owns it) */
	char escrow_id[41];
	char escrow_status[16];
	int64_t escrow_amount;
	int64_t escrow_refunded;
};

#endif
