/*
 * toss_parse.h — the pure half of the Toss adapter: reading a Payment
 * object and sorting an HTTP answer into PG_OK / PG_REFUSED / PG_IN_DOUBT.
 * No network here, so every case is unit-tested with canned bodies.
 *
 * Rule: when in doubt, PG_IN_DOUBT — never PG_REFUSED.
 */
#ifndef SETTLE_ADAPTERS_TOSS_PARSE_H
#define SETTLE_ADAPTERS_TOSS_PARSE_H

#include <stddef.h>

#include "adapters/http/http.h"
#include "domain/err.h"
#include "ports/pg.h"

enum toss_op {
	TOSS_OP_CONFIRM = 0,
	TOSS_OP_LOOKUP,  /* get_by_order, get_by_key */
	TOSS_OP_CANCEL,
};

/* Parses a Payment object. 0, or -1 with err (EX_DATAERR) naming the
 * missing or mistyped field. */
int toss_parse_payment(const char *body, size_t len, struct pg_payment *out, struct settle_err *err);

/* Fills res (zeroing it first) from one HTTP answer to operation op. */
void toss_classify(int op, const struct http_response *resp, struct pg_result *res);

/* Maps Toss's status / method strings (method in Korean or English). */
enum pg_status toss_status(const char *s);
const char *toss_method(const char *s);

/* 1 when a Toss error code means "the outcome is unknown, ask again". */
int toss_code_in_doubt(const char *code);

#endif
