/*
 * pg_common.h — helpers the PG adapters share: filling a pg_result,
 * turning a transport failure into PG_IN_DOUBT, copying JSON strings into
 * the fixed-size fields of struct pg_payment.
 *
 * Rule: a field that does not fit is an error, never silently cut — a cut
 * paymentKey or secret would name a different payment.
 */
#ifndef SETTLE_ADAPTERS_PG_COMMON_H
#define SETTLE_ADAPTERS_PG_COMMON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "adapters/http/http.h"
#include "domain/err.h"
#include "ports/pg.h"

/* Sets outcome, code and a one-line message; keeps http_status and
 * payment. Returns the outcome. */
int pg_result_set(struct pg_result *res, enum pg_outcome outcome, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* resp->xerr != NONE: PG_IN_DOUBT, http_status 0, code TIMEOUT /
 * CONNECTION / CONNECTION_LOST / TRANSPORT. */
int pg_result_transport(struct pg_result *res, const struct http_response *resp);

/* Copies the string member `name` of obj into dst[cap].
 * required: absent, null or not a string → -1 with err naming the field.
 * optional: absent or null → ""; present but not a string → -1.
 * Too long for dst → -1. */
int pg_json_str(json_t *obj, const char *name, int required, char *dst, size_t cap, struct settle_err *err);

/* Integer member `name` (a JSON integer, >= 0) into *out; -1 with err when
 * absent, not an integer or negative. */
int pg_json_amount(json_t *obj, const char *name, int64_t *out, struct settle_err *err);

/* Checks a PG_OK answer names the payment we asked about: payment_key,
 * order_id (each skipped when NULL or "") and amount (skipped when < 0).
 * A mismatch turns res into PG_IN_DOUBT with code KEY_MISMATCH,
 * ORDER_MISMATCH or AMOUNT_MISMATCH; res->payment is kept so the caller
 * can see what the PG said. Returns res->outcome. */
int pg_check_answer(struct pg_result *res, const char *payment_key, const char *order_id, int64_t amount);

/* 1 when s is safe in an HTTP header value (printable ASCII: no CR, LF,
 * other control characters or bytes above 0x7e) and 1–max bytes. */
int pg_header_value_ok(const char *s, size_t max);

/* Parses a PG answer that must be one JSON object (duplicate keys refused).
 * Returns a new reference, or NULL with err set. */
json_t *pg_json_object_body(const char *body, size_t len, struct settle_err *err);

/* Fills the virtual-account fields of out from the optional object member
 * `name` of root (absent or null: left empty), reading the bank, account
 * and due-date members by the names this PG uses. */
int pg_json_virtual_account(json_t *root, const char *name, const char *bank, const char *account, const char *due,
			    struct pg_payment *out, struct settle_err *err);

#endif
