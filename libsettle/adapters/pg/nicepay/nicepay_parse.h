/*
 * nicepay_parse.h — the pure half of the NicePay adapter: signatures,
 * ediDate, reading a payment answer and sorting it into PG_OK /
 * PG_REFUSED / PG_IN_DOUBT. No network here; unit-tested.
 *
 * Rule: when in doubt, PG_IN_DOUBT — never PG_REFUSED.
 */
#ifndef SETTLE_ADAPTERS_NICEPAY_PARSE_H
#define SETTLE_ADAPTERS_NICEPAY_PARSE_H

#include <stddef.h>
#include <time.h>

#include "adapters/http/http.h"
#include "domain/err.h"
#include "ports/pg.h"

enum nicepay_op {
	NICEPAY_OP_CONFIRM = 0,
	NICEPAY_OP_LOOKUP,  /* get_by_order, get_by_key */
	NICEPAY_OP_CANCEL,
	NICEPAY_OP_NETCANCEL,
};

/* out = lowercase hex(sha256(concatenation of the strings up to NULL)).
 * 0, or -1 when OpenSSL fails. */
int nicepay_sign_hex(char out[65], const char *first, ...) __attribute__((sentinel));

/* 1 when a and b are the same 64-digit hex string, compared without
 * regard to case and in constant time. */
int nicepay_sig_equal(const char *a, const char *b);

/* "YYYY-MM-DDTHH:MM:SS+09:00" for t, in Korea time. */
void nicepay_edi_date(char out[32], time_t t);

/* Parses the payment fields of an answer (tid, orderId, status, amount,
 * balanceAmt required). 0, or -1 with err naming the field. */
int nicepay_parse_payment(const char *body, size_t len, struct pg_payment *out, struct settle_err *err);

/* Fills res (zeroing it first) from one HTTP answer to op. secret_key
 * verifies the answer's signature; it is never copied into res. */
void nicepay_classify(int op, const struct http_response *resp, const char *secret_key, struct pg_result *res);

/* A confirm's answer was lost and a net-cancel was sent: nc is its
 * answer. A net-cancel that succeeded makes the confirm PG_REFUSED
 * NET_CANCELED; anything else leaves res PG_IN_DOUBT. */
void nicepay_after_netcancel(const struct http_response *nc, struct pg_result *res);

enum pg_status nicepay_status(const char *s);
const char *nicepay_method(const char *s);
int nicepay_code_success(const char *code);
int nicepay_code_in_doubt(const char *code);
int nicepay_code_not_found(const char *code);

#endif
