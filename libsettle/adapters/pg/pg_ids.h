/*
 * pg_ids.h — what may be sent to a PG as an id or a text, checked before
 * any request is built.
 *
 * Rule: nothing leaves settle that the PG could not have issued or would
 * refuse: an id outside its documented charset or length, or text that is
 * not well-formed UTF-8, is PG_REFUSED INVALID_REQUEST with a message
 * naming the PG and the field, and no request is sent. Ids also become
 * URL path segments; the charsets below leave nothing ('/', '.', '%',
 * '?', '#') that could change which endpoint is called, and the path is
 * escaped besides (http_path_escape).
 */
#ifndef SETTLE_ADAPTERS_PG_IDS_H
#define SETTLE_ADAPTERS_PG_IDS_H

#include <stddef.h>

#include "ports/pg.h"

struct pg_id_rule {
	const char *field; /* as the PG names it: "orderId", "paymentKey", "tid" */
	size_t lo, hi;     /* length in bytes */
	const char *extra; /* allowed besides ASCII letters and digits */
	const char *rule;  /* how an error message states the charset */
};

/* Toss (pg-apis.md T2, T2 table, T5). */
extern const struct pg_id_rule pg_toss_order_id;    /* 6–64 of [A-Za-z0-9_-] */
extern const struct pg_id_rule pg_toss_payment_key; /* 1–200 of [A-Za-z0-9_-] */
/* NicePay (N-api/status-transaction.md: tid String 30, orderId String 64). */
extern const struct pg_id_rule pg_nicepay_tid;      /* 30 of [A-Za-z0-9] */
extern const struct pg_id_rule pg_nicepay_order_id; /* 1–64 of [A-Za-z0-9_-] */

/* 0 when v follows rule; otherwise fills res (PG_REFUSED, INVALID_REQUEST,
 * "<pg>: <why>; not sent") and returns PG_REFUSED. */
int pg_id_refused(struct pg_result *res, const char *pg, const struct pg_id_rule *rule, const char *v);

/* Free text for a request body (a cancel reason): non-empty, well-formed
 * UTF-8, no control characters, at most max_bytes. Same contract. */
int pg_text_refused(struct pg_result *res, const char *pg, const char *field, const char *v, size_t max_bytes);

/* Optional digits-only value (a refund account or bank code): NULL or ""
 * passes. Same contract. */
int pg_digits_refused(struct pg_result *res, const char *pg, const char *field, const char *v, size_t max_bytes);

#endif
