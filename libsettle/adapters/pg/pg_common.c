/*
 * pg_common.c — what the Toss and NicePay adapters share (pg_common.h),
 * and pg_status_name from port_pg.h. Rule: nothing here is cut to fit.
 */
#include "adapters/pg/pg_common.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *pg_status_name(enum pg_status st)
{
	switch (st) {
	case PG_ST_READY: return "READY";
	case PG_ST_IN_PROGRESS: return "IN_PROGRESS";
	case PG_ST_WAITING_FOR_DEPOSIT: return "WAITING_FOR_DEPOSIT";
	case PG_ST_DONE: return "DONE";
	case PG_ST_CANCELED: return "CANCELED";
	case PG_ST_PARTIAL_CANCELED: return "PARTIAL_CANCELED";
	case PG_ST_ABORTED: return "ABORTED";
	case PG_ST_EXPIRED: return "EXPIRED";
	case PG_ST_NOT_FOUND: return "NOT_FOUND";
	default: return "UNKNOWN";
	}
}

static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
}

int pg_result_set(struct pg_result *res, enum pg_outcome outcome, const char *code, const char *fmt, ...)
{
	va_list ap;

	res->outcome = outcome;
	snprintf(res->code, sizeof res->code, "%s", code ? code : "");
	one_line(res->code);
	va_start(ap, fmt);
	vsnprintf(res->message, sizeof res->message, fmt, ap);
	va_end(ap);
	one_line(res->message);
	return (int)outcome;
}

int pg_result_transport(struct pg_result *res, const struct http_response *resp)
{
	const char *code;

	switch (resp->xerr) {
	case HTTP_XERR_CONNECT: code = "CONNECTION"; break;
	case HTTP_XERR_TIMEOUT: code = "TIMEOUT"; break;
	case HTTP_XERR_RECV: code = "CONNECTION_LOST"; break;
	default: code = "TRANSPORT"; break;
	}
	res->http_status = 0;
	return pg_result_set(res, PG_IN_DOUBT, code, "%s", resp->errmsg[0] ? resp->errmsg : "transport error");
}

int pg_check_answer(struct pg_result *res, const char *payment_key, const char *order_id, int64_t amount)
{
	if (res->outcome != PG_OK || res->payment.status == PG_ST_NOT_FOUND)
		return (int)res->outcome;
	if (payment_key && *payment_key && strcmp(payment_key, res->payment.payment_key))
		return pg_result_set(res, PG_IN_DOUBT, "KEY_MISMATCH",
				     "PG answered for payment %s, not the one asked about (%s)",
				     res->payment.payment_key, payment_key);
	if (order_id && *order_id && strcmp(order_id, res->payment.order_id))
		return pg_result_set(res, PG_IN_DOUBT, "ORDER_MISMATCH",
				     "PG answered for order %s, not %s", res->payment.order_id, order_id);
	if (amount >= 0 && res->payment.total_amount != amount)
		return pg_result_set(res, PG_IN_DOUBT, "AMOUNT_MISMATCH",
				     "PG approved %" PRId64 " for order %s but settle recorded %" PRId64
				     "; possible tampering, do not fulfil",
				     res->payment.total_amount, res->payment.order_id, amount);
	return (int)res->outcome;
}

static void card_str(json_t *card, const char *name, char *out, size_t cap)
{
	json_t *v = json_object_get(card, name);

	out[0] = '\0';
	if (!json_is_string(v))
		return;
	if (json_string_length(v) >= cap)
		snprintf(out, cap, "?");
	else
		snprintf(out, cap, "%s", json_string_value(v));
}

void pg_json_card(json_t *root, const char *name, const char *number, const char *issuer, struct pg_payment *out)
{
	json_t *card = json_object_get(root, name);

	out->card_number[0] = out->card_issuer[0] = '\0';
	if (!json_is_object(card))
		return;
	card_str(card, number, out->card_number, sizeof out->card_number);
	card_str(card, issuer, out->card_issuer, sizeof out->card_issuer);
}

int pg_json_virtual_account(json_t *root, const char *name, const char *bank, const char *account, const char *due,
			    struct pg_payment *out, struct settle_err *err)
{
	json_t *va = json_object_get(root, name);

	if (!va || json_is_null(va))
		return 0;
	if (!json_is_object(va))
		return err_set(err, SETTLE_EX_DATAERR, "field %s is not an object", name);
	if (jread_str(va, bank, 0, out->va_bank, sizeof out->va_bank, err) < 0 ||
	    jread_str(va, account, 0, out->va_account, sizeof out->va_account, err) < 0 ||
	    jread_str(va, due, 0, out->va_due, sizeof out->va_due, err) < 0)
		return err_prefix(err, "%s", name);
	return 0;
}
