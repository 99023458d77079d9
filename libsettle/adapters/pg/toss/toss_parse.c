/*
 * toss_parse.c — reading Toss answers (toss_parse.h). Its one rule: only
 * a well-formed Payment object or a known definite error code is
 * definite; everything else is PG_IN_DOUBT.
 */
#include "adapters/pg/toss/toss_parse.h"

#include <jansson.h>
#include <string.h>

#include "adapters/json/json_read.h"
#include "adapters/pg/pg_common.h"

enum pg_status toss_status(const char *s)
{
	static const struct {
		const char *name;
		enum pg_status st;
	} map[] = {
		{"READY", PG_ST_READY},
		{"IN_PROGRESS", PG_ST_IN_PROGRESS},
		{"WAITING_FOR_DEPOSIT", PG_ST_WAITING_FOR_DEPOSIT},
		{"DONE", PG_ST_DONE},
		{"CANCELED", PG_ST_CANCELED},
		{"PARTIAL_CANCELED", PG_ST_PARTIAL_CANCELED},
		{"ABORTED", PG_ST_ABORTED},
		{"EXPIRED", PG_ST_EXPIRED},
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(s, map[i].name))
			return map[i].st;
	return PG_ST_UNKNOWN;
}

const char *toss_method(const char *s)
{
	/* Toss sends Korean names today; English ones are accepted in case
	 * an API version or the sandbox uses them. */
	if (!strcmp(s, "카드") || !strcmp(s, "CARD"))
		return "CARD";
	if (!strcmp(s, "계좌이체") || !strcmp(s, "TRANSFER"))
		return "TRANSFER";
	if (!strcmp(s, "가상계좌") || !strcmp(s, "VIRTUAL_ACCOUNT"))
		return "VIRTUAL_ACCOUNT";
	return *s ? "OTHER" : "";
}

int toss_code_in_doubt(const char *code)
{
	static const char *const codes[] = {
		"ALREADY_PROCESSED_PAYMENT",
		"IDEMPOTENT_REQUEST_PROCESSING",
		"PROVIDER_ERROR",
		"COMMON_ERROR",
		"UNKNOWN_PAYMENT_ERROR",
		"FORBIDDEN_CONSECUTIVE_REQUEST",
	};

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (!strcmp(code, codes[i]))
			return 1;
	/* FAILED_INTERNAL_SYSTEM_PROCESSING, FAILED_REFUND_PROCESS,
	 * FAILED_PARTIAL_REFUND, ...: a Toss-side failure says nothing
	 * definite about what was done, whatever the HTTP status. */
	return !strncmp(code, "FAILED_", 7);
}

int toss_parse_payment(const char *body, size_t len, struct pg_payment *out, struct settle_err *err)
{
	char status[32], method[64];
	json_t *root;
	int rc = -1;

	memset(out, 0, sizeof *out);
	root = jread_object_body(body, len, err);
	if (!root)
		return -1;
	if (jread_str(root, "paymentKey", 1, out->payment_key, sizeof out->payment_key, err) < 0 ||
	    jread_str(root, "orderId", 1, out->order_id, sizeof out->order_id, err) < 0 ||
	    jread_str(root, "status", 1, status, sizeof status, err) < 0 ||
	    jread_amount(root, "totalAmount", &out->total_amount, err) < 0 ||
	    jread_amount(root, "balanceAmount", &out->balance_amount, err) < 0 ||
	    jread_str(root, "currency", 0, out->currency, sizeof out->currency, err) < 0 ||
	    jread_str(root, "method", 0, method, sizeof method, err) < 0 ||
	    jread_str(root, "approvedAt", 0, out->approved_at, sizeof out->approved_at, err) < 0 ||
	    jread_str(root, "secret", 0, out->secret, sizeof out->secret, err) < 0 ||
	    jread_str(root, "lastTransactionKey", 0, out->last_transaction_key,
			sizeof out->last_transaction_key, err) < 0)
		goto out;
	out->status = toss_status(status);
	snprintf(out->method, sizeof out->method, "%s", toss_method(method));

	if (pg_json_virtual_account(root, "virtualAccount", "bankCode", "accountNumber", "dueDate", out, err) < 0)
		goto out;
	pg_json_card(root, "card", "number", "issuerCode", out);
	rc = 0;
out:
	json_decref(root);
	if (rc < 0)
		memset(out, 0, sizeof *out);
	return rc;
}

/* Reads Toss's error body {code, message}; 0 when it has a string code. */
static int parse_error(const struct http_response *resp, char *code, size_t code_cap, char *msg, size_t msg_cap)
{
	json_t *root, *c, *m;
	int rc = -1;

	code[0] = msg[0] = '\0';
	if (!resp->body || !resp->body_len)
		return -1;
	root = json_loadb(resp->body, resp->body_len, 0, NULL);
	if (!root)
		return -1;
	c = json_object_get(root, "code");
	m = json_object_get(root, "message");
	if (json_is_string(c) && json_string_length(c) > 0) {
		snprintf(code, code_cap, "%s", json_string_value(c));
		if (json_is_string(m))
			snprintf(msg, msg_cap, "%s", json_string_value(m));
		rc = 0;
	}
	json_decref(root);
	return rc;
}

void toss_classify(int op, const struct http_response *resp, struct pg_result *res)
{
	struct settle_err err = {0};
	char code[sizeof res->code], msg[sizeof res->message];
	long st = resp->status;

	memset(res, 0, sizeof *res);
	if (resp->xerr != HTTP_XERR_NONE || st == 0) {
		pg_result_transport(res, resp);
		return;
	}
	res->http_status = (int)st;
	if (st >= 200 && st < 300) {
		if (toss_parse_payment(resp->body, resp->body_len, &res->payment, &err) < 0) {
			pg_result_set(res, PG_IN_DOUBT, "MALFORMED_RESPONSE", "HTTP %ld with a bad Payment: %s",
				      st, err.msg);
			return;
		}
		if (res->payment.status == PG_ST_UNKNOWN) {
			/* A status settle does not know cannot be acted on. */
			pg_result_set(res, PG_IN_DOUBT, "UNKNOWN_STATUS", "Toss sent an unknown payment status");
			return;
		}
		pg_result_set(res, PG_OK, "", "%s", "");
		return;
	}
	if (parse_error(resp, code, sizeof code, msg, sizeof msg) < 0) {
		/* No Toss error body: a proxy or load balancer may have
		 * answered, so nothing is known about the payment. */
		pg_result_set(res, PG_IN_DOUBT, st >= 500 ? "SERVER_ERROR" : "MALFORMED_RESPONSE",
			      "HTTP %ld without a Toss error body", st);
		return;
	}
	if (st >= 500 || st < 400 || st == 408 || st == 429 || toss_code_in_doubt(code)) {
		pg_result_set(res, PG_IN_DOUBT, code, "%s", msg);
		return;
	}
	if (op == TOSS_OP_LOOKUP && !strcmp(code, "NOT_FOUND_PAYMENT")) {
		res->payment.status = PG_ST_NOT_FOUND;
		pg_result_set(res, PG_OK, "", "%s", msg);
		return;
	}
	pg_result_set(res, PG_REFUSED, code, "%s", msg);
}
