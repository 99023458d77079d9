/*
 * bank_common.h — what the bank adapters share: filling a bank_result and
 * checking the fields of a payout order before anything leaves settle.
 *
 * Rule: a check names the field and the payout, never the value of an
 * account number.
 */
#ifndef SETTLE_ADAPTERS_BANK_COMMON_H
#define SETTLE_ADAPTERS_BANK_COMMON_H

#include <stddef.h>

#include "ports/bank.h"

#define BANK_ID_MAX 64 /* payout, seller and leader ids */

/* Sets outcome, status, code and a one-line message (cut to fit).
 * Returns the outcome. */
int bank_result_set(struct bank_result *res, enum bank_outcome outcome, enum bank_status status, const char *code,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* 1 when s is 1..BANK_ID_MAX of [A-Za-z0-9_-]. */
int bank_id_ok(const char *s);

/* 1 when s is valid UTF-8 of at most max bytes, without control
 * characters (C0, DEL). */
int bank_text_ok(const char *s, size_t max);

/* 1 when s (len bytes) is valid UTF-8 (no overlongs, no surrogates). */
int bank_utf8_ok(const char *s, size_t len);

/* Checks what every adapter needs of an order: payout id, amount > 0,
 * currency "KRW". 0, or -1 with res set to BANK_REFUSED INVALID_REQUEST. */
int bank_order_check(const struct payout_order *o, struct bank_result *res);

#endif
