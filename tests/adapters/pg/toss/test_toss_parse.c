/*
 * test_toss_parse.c — the Toss adapter's pure half: Payment parsing and
 * the OK / REFUSED / IN_DOUBT sorting, from canned answers. One rule
 * under test above all: nothing uncertain is ever PG_REFUSED.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/canned.h"
#include "adapters/pg/pg_common.h"
#include "adapters/pg/toss/toss.h"
#include "adapters/pg/toss/toss_parse.h"

static const char card_done[] =
	"{\"version\":\"2022-11-16\",\"paymentKey\":\"tgen_20240101abcdEFGH\",\"orderId\":\"pod-42-u7-0001\","
	"\"orderName\":\"Study pod\",\"status\":\"DONE\",\"method\":\"카드\",\"totalAmount\":15000,"
	"\"balanceAmount\":15000,\"currency\":\"KRW\",\"approvedAt\":\"2024-01-01T12:00:05+09:00\","
	"\"requestedAt\":\"2024-01-01T11:59:40+09:00\",\"lastTransactionKey\":\"txk_0001\","
	"\"secret\":null,\"virtualAccount\":null,\"card\":{\"amount\":15000,\"number\":\"4330****\"},"
	"\"cancels\":null,\"suppliedAmount\":13636,\"vat\":1364}";

static const char va_waiting[] =
	"{\"paymentKey\":\"tvir_abc\",\"orderId\":\"pod-42-u8-0001\",\"status\":\"WAITING_FOR_DEPOSIT\","
	"\"method\":\"가상계좌\",\"totalAmount\":20000,\"balanceAmount\":20000,\"currency\":\"KRW\","
	"\"approvedAt\":null,\"secret\":\"ps_Z1aOwX7K8mYjR2\",\"lastTransactionKey\":null,"
	"\"virtualAccount\":{\"accountType\":\"일반\",\"accountNumber\":\"X6508001234567\",\"bankCode\":\"20\","
	"\"customerName\":\"홍길동\",\"dueDate\":\"2024-01-08T23:59:59+09:00\",\"refundStatus\":\"NONE\"}}";

static const char partial_cancel[] =
	"{\"paymentKey\":\"tgen_20240101abcdEFGH\",\"orderId\":\"pod-42-u7-0001\",\"status\":\"PARTIAL_CANCELED\","
	"\"method\":\"CARD\",\"totalAmount\":15000,\"balanceAmount\":10000,\"currency\":\"KRW\","
	"\"approvedAt\":\"2024-01-01T12:00:05+09:00\",\"lastTransactionKey\":\"txk_0002\","
	"\"cancels\":[{\"cancelAmount\":5000,\"cancelReason\":\"leave\",\"transactionKey\":\"txk_0002\"}]}";

static struct pg_result classify(int op, long status, const char *body)
{
	struct http_response r = canned(status, body);
	struct pg_result res;

	toss_classify(op, &r, &res);
	return res;
}

static char *err_body(const char *code)
{
	static char buf[256];

	snprintf(buf, sizeof buf, "{\"code\":\"%s\",\"message\":\"msg for %s\"}", code, code);
	return buf;
}

Test(adapters_toss, confirm_card_done_is_ok)
{
	struct pg_result res = classify(TOSS_OP_CONFIRM, 200, card_done);

	cr_assert_eq(res.outcome, PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.http_status, 200);
	cr_assert_str_eq(res.code, "");
	cr_assert_str_eq(res.payment.payment_key, "tgen_20240101abcdEFGH");
	cr_assert_str_eq(res.payment.order_id, "pod-42-u7-0001");
	cr_assert_eq(res.payment.status, PG_ST_DONE);
	cr_assert_eq(res.payment.total_amount, 15000);
	cr_assert_eq(res.payment.balance_amount, 15000);
	cr_assert_str_eq(res.payment.currency, "KRW");
	cr_assert_str_eq(res.payment.method, "CARD");
	cr_assert_str_eq(res.payment.approved_at, "2024-01-01T12:00:05+09:00");
	cr_assert_str_eq(res.payment.last_transaction_key, "txk_0001");
	cr_assert_str_eq(res.payment.secret, "");
	cr_assert_str_eq(res.payment.va_account, "");
}

Test(adapters_toss, confirm_va_with_secret)
{
	struct pg_result res = classify(TOSS_OP_CONFIRM, 200, va_waiting);

	cr_assert_eq(res.outcome, PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.payment.status, PG_ST_WAITING_FOR_DEPOSIT);
	cr_assert_str_eq(res.payment.method, "VIRTUAL_ACCOUNT");
	cr_assert_str_eq(res.payment.secret, "ps_Z1aOwX7K8mYjR2");
	cr_assert_str_eq(res.payment.va_bank, "20");
	cr_assert_str_eq(res.payment.va_account, "X6508001234567");
	cr_assert_str_eq(res.payment.va_due, "2024-01-08T23:59:59+09:00");
	cr_assert_str_eq(res.payment.approved_at, "");
	cr_assert_str_eq(res.payment.last_transaction_key, "");
}

Test(adapters_toss, cancel_partial_is_ok)
{
	struct pg_result res = classify(TOSS_OP_CANCEL, 200, partial_cancel);

	cr_assert_eq(res.outcome, PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.payment.status, PG_ST_PARTIAL_CANCELED);
	cr_assert_eq(res.payment.total_amount, 15000);
	cr_assert_eq(res.payment.balance_amount, 10000);
	cr_assert_str_eq(res.payment.method, "CARD");
	cr_assert_str_eq(res.payment.last_transaction_key, "txk_0002");
}

Test(adapters_toss, methods_korean_and_english)
{
	cr_assert_str_eq(toss_method("카드"), "CARD");
	cr_assert_str_eq(toss_method("계좌이체"), "TRANSFER");
	cr_assert_str_eq(toss_method("TRANSFER"), "TRANSFER");
	cr_assert_str_eq(toss_method("가상계좌"), "VIRTUAL_ACCOUNT");
	cr_assert_str_eq(toss_method("VIRTUAL_ACCOUNT"), "VIRTUAL_ACCOUNT");
	cr_assert_str_eq(toss_method("간편결제"), "OTHER");
	cr_assert_str_eq(toss_method("휴대폰"), "OTHER");
	cr_assert_str_eq(toss_method(""), "");
}

Test(adapters_toss, statuses_map)
{
	cr_assert_eq(toss_status("READY"), PG_ST_READY);
	cr_assert_eq(toss_status("IN_PROGRESS"), PG_ST_IN_PROGRESS);
	cr_assert_eq(toss_status("WAITING_FOR_DEPOSIT"), PG_ST_WAITING_FOR_DEPOSIT);
	cr_assert_eq(toss_status("DONE"), PG_ST_DONE);
	cr_assert_eq(toss_status("CANCELED"), PG_ST_CANCELED);
	cr_assert_eq(toss_status("PARTIAL_CANCELED"), PG_ST_PARTIAL_CANCELED);
	cr_assert_eq(toss_status("ABORTED"), PG_ST_ABORTED);
	cr_assert_eq(toss_status("EXPIRED"), PG_ST_EXPIRED);
	cr_assert_eq(toss_status("done"), PG_ST_UNKNOWN);
	cr_assert_str_eq(pg_status_name(PG_ST_PARTIAL_CANCELED), "PARTIAL_CANCELED");
	cr_assert_str_eq(pg_status_name(PG_ST_NOT_FOUND), "NOT_FOUND");
}

static void assert_in_doubt(int op, long status, const char *code)
{
	struct pg_result res = classify(op, status, err_body(code));

	cr_assert_eq(res.outcome, PG_IN_DOUBT, "%s on HTTP %ld should be in doubt", code, status);
	cr_assert_str_eq(res.code, code);
	cr_assert_eq(res.http_status, (int)status);
}

Test(adapters_toss, confirm_already_processed_is_in_doubt)
{
	assert_in_doubt(TOSS_OP_CONFIRM, 400, "ALREADY_PROCESSED_PAYMENT");
}

Test(adapters_toss, confirm_idempotent_request_processing_is_in_doubt)
{
	assert_in_doubt(TOSS_OP_CONFIRM, 409, "IDEMPOTENT_REQUEST_PROCESSING");
	assert_in_doubt(TOSS_OP_CANCEL, 400, "IDEMPOTENT_REQUEST_PROCESSING");
}

Test(adapters_toss, provider_error_is_in_doubt)
{
	assert_in_doubt(TOSS_OP_CONFIRM, 400, "PROVIDER_ERROR");
}

Test(adapters_toss, failed_processing_is_in_doubt)
{
	assert_in_doubt(TOSS_OP_CONFIRM, 400, "FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING");
	assert_in_doubt(TOSS_OP_CONFIRM, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING");
	assert_in_doubt(TOSS_OP_CANCEL, 400, "FAILED_REFUND_PROCESS");
}

Test(adapters_toss, common_and_unknown_errors_are_in_doubt)
{
	assert_in_doubt(TOSS_OP_CONFIRM, 400, "COMMON_ERROR");
	assert_in_doubt(TOSS_OP_CONFIRM, 400, "UNKNOWN_PAYMENT_ERROR");
}

Test(adapters_toss, consecutive_request_is_in_doubt)
{
	assert_in_doubt(TOSS_OP_LOOKUP, 403, "FORBIDDEN_CONSECUTIVE_REQUEST");
}

Test(adapters_toss, throttled_or_request_timeout_is_in_doubt)
{
	assert_in_doubt(TOSS_OP_CONFIRM, 429, "TOO_MANY_REQUESTS");
	assert_in_doubt(TOSS_OP_CONFIRM, 408, "REQUEST_TIMEOUT");
}

Test(adapters_toss, card_rejection_is_refused)
{
	struct pg_result res = classify(TOSS_OP_CONFIRM, 403, err_body("REJECT_CARD_PAYMENT"));

	cr_assert_eq(res.outcome, PG_REFUSED);
	cr_assert_str_eq(res.code, "REJECT_CARD_PAYMENT");
	cr_assert_str_eq(res.message, "msg for REJECT_CARD_PAYMENT");
	cr_assert_eq(res.http_status, 403);
}

Test(adapters_toss, validation_error_is_refused)
{
	struct pg_result res = classify(TOSS_OP_CANCEL, 403, err_body("NOT_CANCELABLE_AMOUNT"));

	cr_assert_eq(res.outcome, PG_REFUSED);
	cr_assert_str_eq(res.code, "NOT_CANCELABLE_AMOUNT");
	res = classify(TOSS_OP_CONFIRM, 401, err_body("UNAUTHORIZED_KEY"));
	cr_assert_eq(res.outcome, PG_REFUSED);
}

Test(adapters_toss, lookup_not_found_payment_is_definite_not_found)
{
	struct pg_result res = classify(TOSS_OP_LOOKUP, 404, err_body("NOT_FOUND_PAYMENT"));

	cr_assert_eq(res.outcome, PG_OK);
	cr_assert_eq(res.payment.status, PG_ST_NOT_FOUND);
	cr_assert_eq(res.http_status, 404);
	cr_assert_str_eq(res.code, "");
}

Test(adapters_toss, confirm_not_found_payment_is_refused)
{
	struct pg_result res = classify(TOSS_OP_CONFIRM, 404, err_body("NOT_FOUND_PAYMENT_SESSION"));

	cr_assert_eq(res.outcome, PG_REFUSED);
	cr_assert_str_eq(res.code, "NOT_FOUND_PAYMENT_SESSION");
	res = classify(TOSS_OP_CONFIRM, 404, err_body("NOT_FOUND_PAYMENT"));
	cr_assert_eq(res.outcome, PG_REFUSED);
}

Test(adapters_toss, server_error_is_in_doubt)
{
	struct pg_result res = classify(TOSS_OP_CONFIRM, 500, err_body("FAILED_INTERNAL_SYSTEM_PROCESSING"));

	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	res = classify(TOSS_OP_CONFIRM, 502, "<html>Bad Gateway</html>");
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "SERVER_ERROR");
	cr_assert_eq(res.http_status, 502);
	res = classify(TOSS_OP_CANCEL, 503, NULL);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
}

Test(adapters_toss, client_error_without_toss_body_is_in_doubt)
{
	struct pg_result res = classify(TOSS_OP_CONFIRM, 400, "<html>bad request</html>");

	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "MALFORMED_RESPONSE");
	res = classify(TOSS_OP_CONFIRM, 403, "{\"message\":\"no code\"}");
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
}

Test(adapters_toss, transport_errors_are_in_doubt)
{
	struct http_response r = canned_xerr(HTTP_XERR_TIMEOUT, "Timeout was reached");
	struct pg_result res;

	toss_classify(TOSS_OP_CONFIRM, &r, &res);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "TIMEOUT");
	cr_assert_eq(res.http_status, 0);
	cr_assert_str_eq(res.message, "Timeout was reached");

	r = canned_xerr(HTTP_XERR_CONNECT, "Couldn't connect to server");
	toss_classify(TOSS_OP_CONFIRM, &r, &res);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "CONNECTION");

	r = canned_xerr(HTTP_XERR_RECV, "Server returned nothing");
	toss_classify(TOSS_OP_CANCEL, &r, &res);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "CONNECTION_LOST");

	r = canned_xerr(HTTP_XERR_OTHER, "response body larger than 1 MiB");
	toss_classify(TOSS_OP_LOOKUP, &r, &res);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "TRANSPORT");
}

static void assert_malformed(const char *body, const char *field)
{
	struct pg_result res = classify(TOSS_OP_CONFIRM, 200, body);

	cr_assert_eq(res.outcome, PG_IN_DOUBT, "body %s", body);
	cr_assert_str_eq(res.code, "MALFORMED_RESPONSE");
	cr_assert_eq(res.http_status, 200);
	cr_assert(strstr(res.message, field), "message '%s' should name %s", res.message, field);
	cr_assert_str_eq(res.payment.payment_key, "");
}

Test(adapters_toss, missing_fields_are_malformed)
{
	assert_malformed("{\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":1,\"balanceAmount\":1}",
			 "paymentKey");
	assert_malformed("{\"paymentKey\":\"k\",\"status\":\"DONE\",\"totalAmount\":1,\"balanceAmount\":1}",
			 "orderId");
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"totalAmount\":1,\"balanceAmount\":1}",
			 "status");
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"DONE\",\"balanceAmount\":1}",
			 "totalAmount");
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":1}",
			 "balanceAmount");
	assert_malformed("{\"paymentKey\":null,\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":1,"
			 "\"balanceAmount\":1}", "paymentKey");
}

Test(adapters_toss, wrong_types_are_malformed)
{
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":\"15000\","
			 "\"balanceAmount\":15000}", "totalAmount");
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":15000.0,"
			 "\"balanceAmount\":15000}", "totalAmount");
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":-1,"
			 "\"balanceAmount\":0}", "totalAmount");
	assert_malformed("{\"paymentKey\":42,\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":1,"
			 "\"balanceAmount\":1}", "paymentKey");
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":1,"
			 "\"balanceAmount\":true}", "balanceAmount");
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":1,"
			 "\"balanceAmount\":1,\"secret\":7}", "secret");
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":1,"
			 "\"balanceAmount\":1,\"virtualAccount\":\"x\"}", "virtualAccount");
	assert_malformed("{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"DONE\",\"totalAmount\":1,"
			 "\"balanceAmount\":1,\"virtualAccount\":{\"accountNumber\":123}}", "accountNumber");
}

Test(adapters_toss, unparsable_body_is_malformed)
{
	assert_malformed("{\"paymentKey\":\"k\",", "JSON");
	assert_malformed("<html>ok</html>", "JSON");
	assert_malformed("[1,2]", "object");
	assert_malformed("", "empty");
}

Test(adapters_toss, over_long_payment_key_is_malformed)
{
	char body[600], key[260];

	memset(key, 'k', 201);
	key[201] = '\0';
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s\",\"orderId\":\"o1\",\"status\":\"DONE\","
		 "\"totalAmount\":1,\"balanceAmount\":1}", key);
	assert_malformed(body, "paymentKey");
}

Test(adapters_toss, unknown_status_is_in_doubt)
{
	struct pg_result res = classify(TOSS_OP_LOOKUP, 200,
		"{\"paymentKey\":\"k\",\"orderId\":\"o1\",\"status\":\"HALF_DONE\",\"totalAmount\":1,\"balanceAmount\":1}");

	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "UNKNOWN_STATUS");
}

Test(adapters_toss, parse_payment_direct)
{
	struct settle_err err = {0};
	struct pg_payment p;

	cr_assert_eq(toss_parse_payment(card_done, strlen(card_done), &p, &err), 0, "%s", err.msg);
	cr_assert_eq(p.total_amount, 15000);
	cr_assert_eq(toss_parse_payment("{}", 2, &p, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "paymentKey"));
}

Test(adapters_toss, confirm_amount_mismatch_is_in_doubt_and_reported)
{
	struct pg_result res = classify(TOSS_OP_CONFIRM, 200, card_done);

	cr_assert_eq(pg_check_answer(&res, "tgen_20240101abcdEFGH", "pod-42-u7-0001", 10000), PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "AMOUNT_MISMATCH");
	cr_assert(strstr(res.message, "15000") && strstr(res.message, "10000"), "%s", res.message);
	/* What the PG said stays visible for the operator. */
	cr_assert_eq(res.payment.total_amount, 15000);
	cr_assert_eq(res.payment.status, PG_ST_DONE);
}

Test(adapters_toss, answer_for_another_order_or_key_is_in_doubt)
{
	struct pg_result res = classify(TOSS_OP_CONFIRM, 200, card_done);

	cr_assert_eq(pg_check_answer(&res, "tgen_20240101abcdEFGH", "pod-42-u7-0001", 15000), PG_OK);
	cr_assert_eq(pg_check_answer(&res, "tgen_20240101abcdEFGH", "other-order", 15000), PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "ORDER_MISMATCH");
	res = classify(TOSS_OP_LOOKUP, 200, card_done);
	cr_assert_eq(pg_check_answer(&res, "another-key", NULL, -1), PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "KEY_MISMATCH");
	res = classify(TOSS_OP_LOOKUP, 404, err_body("NOT_FOUND_PAYMENT"));
	cr_assert_eq(pg_check_answer(&res, "k", "o", -1), PG_OK);
}

/* The adapter end to end against a closed loopback port: no network,
 * but the request building, headers and clean-up all run under ASan. */
Test(adapters_toss, adapter_unreachable_is_in_doubt)
{
	struct toss_config cfg = {"http://127.0.0.1:1", "test_sk_zXLkKEypNArWmo50nX3lmeaxYG5R", 500, 2000};
	struct pg_confirm_req creq = {"tgen_1", "order-0001", 15000, "KRW", "confirm:order-0001"};
	struct pg_cancel_req xreq = {.payment_key = "tgen_1", .order_id = "order-0001", .amount = 5000,
		.currency = "KRW", .reason = "leave", .idempotency_key = "cancel:1"};
	struct pg_lookup_req lreq = {"order-0001", NULL, "20240101"};
	struct settle_err err = {0};
	struct pg_result res;
	struct pg_port *pg = toss_pg_new(&cfg, &err);

	cr_assert_not_null(pg, "%s", err.msg);
	cr_assert_str_eq(pg->name, "toss");
	cr_assert_eq(pg->confirm(pg->self, &creq, &res), PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "CONNECTION");
	cr_assert_eq(res.http_status, 0);
	cr_assert_eq(pg->get_by_order(pg->self, &lreq, &res), PG_IN_DOUBT);
	/* Was "tgen_1/../x": such a key is now refused before any call
	 * (issue 7 §5, test_toss_ids.c), so it would never reach the port. */
	cr_assert_eq(pg->get_by_key(pg->self, "tgen_1-x", &res), PG_IN_DOUBT);
	cr_assert_eq(pg->cancel(pg->self, &xreq, &res), PG_IN_DOUBT);
	creq.amount = 0;
	cr_assert_eq(pg->confirm(pg->self, &creq, &res), PG_REFUSED);
	cr_assert_str_eq(res.code, "INVALID_REQUEST");
	creq.amount = 1;
	creq.idempotency_key = "bad\r\nX-Injected: 1";
	cr_assert_eq(pg->confirm(pg->self, &creq, &res), PG_REFUSED);
	pg->destroy(pg->self);
}

Test(adapters_toss, adapter_refuses_plain_http_to_remote_host)
{
	struct toss_config cfg = {"http://api.tosspayments.com", "test_sk_secretvalue", 0, 0};
	struct settle_err err = {0};

	cr_assert_null(toss_pg_new(&cfg, &err));
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert(strstr(err.msg, "loopback"), "%s", err.msg);
	cr_assert_null(strstr(err.msg, "test_sk_secretvalue"));
	cfg.base_url = "https://api.tosspayments.com";
	cfg.secret_key = "";
	cr_assert_null(toss_pg_new(&cfg, &err));
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
}
