/*
 * ports/pg.h — the payment-gateway port. Toss Payments and NicePay are
 * adapters behind it; use cases in app/ only ever see this struct.
 *
 * Rule: every call answers with one of three outcomes. PG_OK and
 * PG_REFUSED are definite; PG_IN_DOUBT (time-out, reset, 5xx, a body that
 * does not parse, ALREADY_PROCESSED_PAYMENT, IDEMPOTENT_REQUEST_PROCESSING)
 * means "ask the PG before deciding" and must never be treated as failure.
 */
#ifndef SETTLE_PORT_PG_H
#define SETTLE_PORT_PG_H

#include <stdint.h>

enum pg_outcome {
	PG_OK = 0,       /* the PG did it; res->payment describes the result */
	PG_REFUSED = 1,  /* definite, non-retryable refusal; res->code/message */
	PG_IN_DOUBT = 2, /* outcome unknown: look the payment up later */
};

/* The PG's view of a payment, normalised across PGs. */
enum pg_status {
	PG_ST_UNKNOWN = 0,
	PG_ST_READY,               /* window opened, not authenticated */
	PG_ST_IN_PROGRESS,         /* authenticated, waiting for confirm */
	PG_ST_WAITING_FOR_DEPOSIT, /* virtual account issued */
	PG_ST_DONE,                /* approved / paid */
	PG_ST_CANCELED,
	PG_ST_PARTIAL_CANCELED,
	PG_ST_ABORTED,             /* approval failed */
	PG_ST_EXPIRED,             /* window or deposit deadline passed */
	PG_ST_NOT_FOUND,           /* the PG has no such payment */
};

const char *pg_status_name(enum pg_status st);

struct pg_payment {
	char payment_key[201];   /* Toss paymentKey (≤ 200) / NicePay tid */
	char order_id[65];
	enum pg_status status;
	int64_t total_amount;    /* original amount */
	int64_t balance_amount;  /* still cancelable */
	char currency[4];
	char method[24];         /* CARD, TRANSFER, VIRTUAL_ACCOUNT, OTHER */
	char approved_at[40];    /* ISO 8601 as the PG sent it, or "" */
	char secret[129];        /* per-payment secret for deposit callbacks */
	char last_transaction_key[129]; /* Toss lastTransactionKey / NicePay cancelledTid */
	char va_bank[16];        /* virtual account: bank code */
	char va_account[64];     /* virtual account: number as shown to the payer */
	char va_due[40];         /* virtual account: deposit deadline */
	/* The card as the PG returned it: its number, which should be
	 * truncated already (never trusted: domain/card_mask.h decides what
	 * is kept), and the issuer code. "" when the answer has none. */
	char card_number[40];
	char card_issuer[24];
};

struct pg_result {
	enum pg_outcome outcome;
	int http_status;         /* 0 when no HTTP answer arrived */
	char code[64];           /* PG error/result code, "" on success */
	char message[256];       /* PG message or transport error, one line */
	struct pg_payment payment;
};

struct pg_confirm_req {
	const char *payment_key;     /* from the PG redirect (Toss paymentKey / NicePay tid) */
	const char *order_id;
	int64_t amount;              /* the amount settle recorded for the order */
	const char *currency;
	const char *idempotency_key; /* derived from the operation, ≤ 300 chars */
};

struct pg_cancel_req {
	const char *payment_key;
	const char *order_id;        /* the payment's order id */
	const char *cancel_order_id; /* NicePay: a fresh order id per partial cancel */
	int64_t amount;              /* 0 = cancel what remains (full cancel) */
	const char *currency;
	const char *reason;
	const char *idempotency_key;
	/* Refund of a virtual-account payment after deposit: the payer's
	 * account the money goes back to. NULL otherwise. Both PGs refuse
	 * such a cancel without it (Toss refundReceiveAccount, NicePay
	 * refundAccount/refundBankCode/refundHolder). */
	const char *refund_bank;     /* bank code */
	const char *refund_account;  /* digits only */
	const char *refund_holder;
};

struct pg_lookup_req {
	const char *order_id;
	const char *payment_key;     /* may be NULL or "" when not known yet */
	const char *order_date;      /* YYYYMMDD, Korea time (NicePay find needs it) */
};

struct pg_port {
	void *self;
	const char *name; /* "toss", "nicepay" */
	/* Each returns res->outcome (0, 1 or 2) and always fills res. */
	int (*confirm)(void *self, const struct pg_confirm_req *req, struct pg_result *res);
	int (*get_by_order)(void *self, const struct pg_lookup_req *req, struct pg_result *res);
	int (*get_by_key)(void *self, const char *payment_key, struct pg_result *res);
	int (*cancel)(void *self, const struct pg_cancel_req *req, struct pg_result *res);
	void (*destroy)(void *self);
};

#endif
