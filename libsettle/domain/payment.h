/*
 * payment.h — the payment, refund and escrow state machines (DESIGN.md §6).
 *
 * Rule: every status change goes through *_transition(), which refuses an
 * illegal move with a clear error; adapters never pick a status themselves.
 */
#ifndef SETTLE_DOMAIN_PAYMENT_H
#define SETTLE_DOMAIN_PAYMENT_H

#include <stdbool.h>

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

const char *escrow_status_name(enum escrow_status s);
int escrow_status_parse(const char *name, enum escrow_status *out);
int escrow_transition(enum escrow_status from, enum escrow_status to, struct settle_err *err);

const char *refund_status_name(enum refund_status s);
int refund_transition(enum refund_status from, enum refund_status to, struct settle_err *err);

const char *pay_method_name(enum pay_method m);
int pay_method_parse(const char *name, enum pay_method *out, struct settle_err *err);

#endif
