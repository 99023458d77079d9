/*
 * pg_common.h — helpers the PG adapters share: filling a pg_result,
 * turning a transport failure into PG_IN_DOUBT, checking an answer names
 * the payment asked about, reading a virtual account. JSON field readers
 * are in adapters/json/json_read.h.
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
#include "adapters/json/json_read.h"
#include "domain/err.h"
#include "ports/pg.h"

/* Sets outcome, code and a one-line message; keeps http_status and
 * payment. Returns the outcome. */
int pg_result_set(struct pg_result *res, enum pg_outcome outcome, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* resp->xerr != NONE: PG_IN_DOUBT, http_status 0, code TIMEOUT /
 * CONNECTION / CONNECTION_LOST / TRANSPORT. */
int pg_result_transport(struct pg_result *res, const struct http_response *resp);

/* Checks a PG_OK answer names the payment we asked about: payment_key,
 * order_id (each skipped when NULL or "") and amount (skipped when < 0).
 * A mismatch turns res into PG_IN_DOUBT with code KEY_MISMATCH,
 * ORDER_MISMATCH or AMOUNT_MISMATCH; res->payment is kept so the caller
 * can see what the PG said. Returns res->outcome. */
int pg_check_answer(struct pg_result *res, const char *payment_key, const char *order_id, int64_t amount);

/* Fills the virtual-account fields of out from the optional object member
 * `name` of root (absent or null: left empty), reading the bank, account
 * and due-date members by the names this PG uses. */
int pg_json_virtual_account(json_t *root, const char *name, const char *bank, const char *account, const char *due,
			    struct pg_payment *out, struct settle_err *err);

/* Fills card_number and card_issuer from the optional object member
 * `name` of root, by the names this PG uses. Never fails and never quotes
 * the value: a card object of an unexpected shape leaves them empty, and a
 * number too long to hold becomes "?" so that the caller refuses it rather
 * than keeping a cut-off part. */
void pg_json_card(json_t *root, const char *name, const char *number, const char *issuer, struct pg_payment *out);

#endif
