/*
 * webhook.h — a PG's notification as settle understands it, whatever PG
 * sent it, and the rules for trusting one.
 *
 * Rule: a notification is only a hint. What it may change is decided by
 * the PG's own answer to a look-up (payments) or by a signature the PG
 * keyed with a secret we hold (payouts); its secrets are compared in
 * constant time and never logged.
 */
#ifndef SETTLE_DOMAIN_WEBHOOK_H
#define SETTLE_DOMAIN_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

/* What an event is about; each PG adapter (adapters/pg/webhook_parse.c) maps its
 * own event types onto these. */
enum webhook_kind {
	WH_DEPOSIT,        /* a virtual-account deposit: carries the payment's secret */
	WH_PAYMENT_STATUS, /* a payment's status changed at the PG */
	WH_PAYOUT_STATUS,  /* a payout's status changed (signed by the provider) */
	WH_OTHER,          /* understood and stored, nothing to do */
};

struct webhook_event {
	char source[16];      /* the name the receiving adapter registered under */
	char event_id[201];   /* the dedupe key: the PG's id, or derived from what identifies the event */
	char type[65];        /* the PG's event type */
	enum webhook_kind kind;
	char order_id[65];    /* payments: the order the event is about */
	char payment_key[201]; /* payments: the PG's own key for it, "" when not sent */
	char status[32];      /* the PG's status word ("DONE", "paid", "COMPLETED") */
	char secret[129];     /* WH_DEPOSIT: the payment's secret as sent */
	char payout_ref[65];  /* WH_PAYOUT_STATUS: our payout id (refPayoutId) */
	int payout_status;    /* WH_PAYOUT_STATUS: the status as a ports/bank.h enum bank_status */
};

/* 1 when a and b are equal, in time that depends only on their lengths. */
int webhook_secret_equal(const char *a, const char *b);

/* The PG's status word means the payment was cancelled, aborted or
 * expired there. */
int webhook_status_is_cancel(const char *status);

#endif
