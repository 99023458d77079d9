/*
 * webhook_parse.h — the PGs' notifications (research/pg-apis.md T7, N4),
 * read and, where the PG signs them, verified, into a struct
 * webhook_event. Every PG-specific fact about webhooks is here.
 *
 *  toss          DEPOSIT_CALLBACK (flat {createdAt, secret, status,
 *                transactionKey, orderId}: unsigned; the secret is checked
 *                against the payment's by app/webhooks) and
 *                PAYMENT_STATUS_CHANGED ({eventType, createdAt, data}:
 *                unsigned; acted on only through a look-up).
 *  nicepay       the notification: the approve answer's fields with
 *                signature = hex(sha256(tid + amount + ediDate + secretKey)).
 *  toss-payouts  payouts v2 payout.changed / seller.changed: header
 *                tosspayments-webhook-signature "v1:<b64>,<b64>" = base64 of
 *                HMAC-SHA256(security key, body ":" transmission-time); either
 *                value may match (key rotation); the transmission time must be
 *                within max_skew_s of now (replay).
 */
#ifndef SETTLE_ADAPTERS_PG_WEBHOOK_PARSE_H
#define SETTLE_ADAPTERS_PG_WEBHOOK_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/webhook.h"

typedef const char *(*webhook_header_fn)(void *arg, const char *name);

struct webhook_keys {
	const char *nicepay_secret_key;    /* NULL: NicePay notifications are refused */
	const char *payouts_security_key;  /* NULL: payout notifications are refused */
	int max_skew_s;                    /* transmission-time window, seconds */
};

/* source: "toss", "nicepay" or "toss-payouts". 0, or -1 with err:
 * EX_DATAERR malformed or missing fields (400), EX_NOPERM a signature that
 * does not verify or a time outside the window (401), EX_CONFIG no key to
 * verify with (503). Never copies a secret into err. */
int webhook_parse(const char *source, const char *body, size_t len, webhook_header_fn header, void *header_arg,
		  const struct webhook_keys *keys, int64_t now_us, struct webhook_event *ev, struct settle_err *err);

/* The signature header value for body/time under key (the sandbox signs
 * with it; tests too). out holds "v1:" + base64 of 32 bytes. 0 or -1. */
int webhook_payout_sign(const char *key, const char *body, size_t len, const char *time, char *out, size_t cap);

/* An ISO 8601 time with a zone ("2024-09-05T12:19:21+09:00", "...Z",
 * fractions allowed) in microseconds since the epoch. 0 or -1. */
int webhook_time_parse(const char *s, int64_t *us);

#endif
