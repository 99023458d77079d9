/*
 * test_nicepay_parse.c — the NicePay adapter's pure half: signData and
 * signature, ediDate, result-code sorting and net-cancel outcome, from
 * canned answers. One rule under test: an answer whose signature does not
 * verify is never believed.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "adapters/canned.h"
#include "adapters/pg/nicepay/nicepay.h"
#include "adapters/pg/nicepay/nicepay_parse.h"

#define SECRET "secretKeyXYZ"
#define TID "nictest00m01012401011200001234"
#define EDI "2024-01-01T12:00:00+09:00"

/* Known vectors, computed by hand:
 *   printf '%s' 'nictest00m0101240101120000123410042024-01-01T12:00:00+09:00secretKeyXYZ' | sha256sum
 *   printf '%s' 'ORD-20240101-00012024-01-01T12:00:00+09:00secretKeyXYZ' | sha256sum
 *   printf '%s' 'nictest00m010124010112000012342024-01-01T12:00:00+09:00secretKeyXYZ' | sha256sum */
#define SIG_APPROVE "9ee6a6b6e638f7e36cb98fe5cdfead6b5179999fa0e64a9abc2c6e039bc03e0c"
#define SIG_NETCANCEL "e5a0e41bb574aed2be206f1e0757b4ab901a2da05a04f1efb0744d52191fdd3b"
#define SIG_CANCEL "128b29a376f99b91a29959d9596509c6e049ccefff9273e70e3f639d8b99d260"

static char body_buf[4096];

/* A NicePay answer signed with SECRET; sig NULL = compute it, "" = omit. */
static const char *answer(const char *code, const char *status, const char *method, int64_t amount,
			  int64_t balance, const char *sig, const char *extra)
{
	char amt[24], want[65], sig_field[120] = "";

	snprintf(amt, sizeof amt, "%" PRId64, amount);
	if (!sig) {
		cr_assert_eq(nicepay_sign_hex(want, TID, amt, EDI, SECRET, NULL), 0);
		sig = want;
	}
	if (*sig)
		snprintf(sig_field, sizeof sig_field, "\"signature\":\"%s\",", sig);
	snprintf(body_buf, sizeof body_buf,
		 "{\"resultCode\":\"%s\",\"resultMsg\":\"msg %s\",\"tid\":\"" TID "\",\"cancelledTid\":null,"
		 "\"orderId\":\"ORD-20240101-0001\",\"ediDate\":\"" EDI "\",%s\"status\":\"%s\","
		 "\"paidAt\":\"2024-01-01T12:00:01.000+0900\",\"failedAt\":\"0\",\"cancelledAt\":\"0\","
		 "\"payMethod\":\"%s\",\"amount\":%s,\"balanceAmt\":%" PRId64 ",\"goodsName\":\"pod\","
		 "\"currency\":\"KRW\",\"useEscrow\":false%s}",
		 code, code, sig_field, status, method, amt, balance, extra ? extra : "");
	return body_buf;
}

static struct pg_result classify(int op, long status, const char *body)
{
	struct http_response r = canned(status, body);
	struct pg_result res;

	nicepay_classify(op, &r, SECRET, &res);
	return res;
}

static const char *result_only(const char *code)
{
	snprintf(body_buf, sizeof body_buf, "{\"resultCode\":\"%s\",\"resultMsg\":\"msg %s\"}", code, code);
	return body_buf;
}

Test(adapters_nicepay, sign_known_vectors)
{
	char out[65];

	cr_assert_eq(nicepay_sign_hex(out, TID, "1004", EDI, SECRET, NULL), 0);
	cr_assert_str_eq(out, SIG_APPROVE);
	cr_assert_eq(nicepay_sign_hex(out, "ORD-20240101-0001", EDI, SECRET, NULL), 0);
	cr_assert_str_eq(out, SIG_NETCANCEL);
	cr_assert_eq(nicepay_sign_hex(out, TID, EDI, SECRET, NULL), 0);
	cr_assert_str_eq(out, SIG_CANCEL);
	/* Concatenation, not field-wise: the split does not matter. */
	cr_assert_eq(nicepay_sign_hex(out, TID "1004" EDI SECRET, NULL), 0);
	cr_assert_str_eq(out, SIG_APPROVE);
	cr_assert_eq(nicepay_sign_hex(out, "", NULL), 0);
	cr_assert_str_eq(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

Test(adapters_nicepay, signature_compare_ignores_case_only)
{
	char upper[65];

	for (int i = 0; i < 65; i++)
		upper[i] = (char)(SIG_APPROVE[i] >= 'a' && SIG_APPROVE[i] <= 'f' ? SIG_APPROVE[i] - 32 : SIG_APPROVE[i]);
	cr_assert(nicepay_sig_equal(SIG_APPROVE, SIG_APPROVE));
	cr_assert(nicepay_sig_equal(SIG_APPROVE, upper));
	cr_assert_not(nicepay_sig_equal(SIG_APPROVE, SIG_CANCEL));
	cr_assert_not(nicepay_sig_equal(SIG_APPROVE, "9ee6a6"));
	cr_assert_not(nicepay_sig_equal(SIG_APPROVE, ""));
	cr_assert_not(nicepay_sig_equal(SIG_APPROVE, NULL));
}

Test(adapters_nicepay, edi_date_is_korea_time)
{
	char out[32];

	nicepay_edi_date(out, 0);
	cr_assert_str_eq(out, "1970-01-01T09:00:00+09:00");
	nicepay_edi_date(out, 1704078000); /* 2024-01-01T03:00:00Z */
	cr_assert_str_eq(out, EDI);
	nicepay_edi_date(out, 1704121199); /* 2024-01-01T14:59:59Z: next day in Korea */
	cr_assert_str_eq(out, "2024-01-01T23:59:59+09:00");
	nicepay_edi_date(out, 1704121200);
	cr_assert_str_eq(out, "2024-01-02T00:00:00+09:00");
}

Test(adapters_nicepay, confirm_card_paid_is_ok)
{
	struct pg_result res = classify(NICEPAY_OP_CONFIRM, 200, answer("0000", "paid", "card", 1004, 1004, NULL, NULL));

	cr_assert_eq(res.outcome, PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.http_status, 200);
	cr_assert_str_eq(res.code, "");
	cr_assert_str_eq(res.payment.payment_key, TID);
	cr_assert_str_eq(res.payment.order_id, "ORD-20240101-0001");
	cr_assert_eq(res.payment.status, PG_ST_DONE);
	cr_assert_eq(res.payment.total_amount, 1004);
	cr_assert_eq(res.payment.balance_amount, 1004);
	cr_assert_str_eq(res.payment.method, "CARD");
	cr_assert_str_eq(res.payment.currency, "KRW");
	cr_assert_str_eq(res.payment.approved_at, "2024-01-01T12:00:01.000+0900");
	cr_assert_str_eq(res.payment.last_transaction_key, "");
}

Test(adapters_nicepay, confirm_known_vector_signature_is_ok)
{
	struct pg_result res = classify(NICEPAY_OP_CONFIRM, 200,
					answer("0000", "paid", "card", 1004, 1004, SIG_APPROVE, NULL));

	cr_assert_eq(res.outcome, PG_OK, "%s %s", res.code, res.message);
}

Test(adapters_nicepay, confirm_upper_case_signature_is_ok)
{
	char upper[65];

	for (int i = 0; i < 65; i++)
		upper[i] = (char)(SIG_APPROVE[i] >= 'a' && SIG_APPROVE[i] <= 'f' ? SIG_APPROVE[i] - 32 : SIG_APPROVE[i]);
	cr_assert_eq(classify(NICEPAY_OP_CONFIRM, 200, answer("0000", "paid", "card", 1004, 1004, upper, NULL)).outcome,
		     PG_OK);
}

Test(adapters_nicepay, confirm_bad_signature_is_in_doubt)
{
	struct pg_result res = classify(NICEPAY_OP_CONFIRM, 200,
					answer("0000", "paid", "card", 1004, 1004, SIG_CANCEL, NULL));

	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "BAD_SIGNATURE");
	cr_assert_null(strstr(res.message, SECRET));
	/* Signed for 1004 but claiming 1005: the amount was changed. */
	res = classify(NICEPAY_OP_CONFIRM, 200, answer("0000", "paid", "card", 1005, 1005, SIG_APPROVE, NULL));
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "BAD_SIGNATURE");
}

Test(adapters_nicepay, confirm_without_signature_is_in_doubt)
{
	struct pg_result res = classify(NICEPAY_OP_CONFIRM, 200, answer("0000", "paid", "card", 1004, 1004, "", NULL));

	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "BAD_SIGNATURE");
}

Test(adapters_nicepay, lookup_without_signature_is_ok_but_bad_one_is_not)
{
	struct pg_result res = classify(NICEPAY_OP_LOOKUP, 200, answer("0000", "paid", "card", 1004, 1004, "", NULL));

	cr_assert_eq(res.outcome, PG_OK, "%s %s", res.code, res.message);
	res = classify(NICEPAY_OP_LOOKUP, 200, answer("0000", "paid", "card", 1004, 1004, SIG_CANCEL, NULL));
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "BAD_SIGNATURE");
}

Test(adapters_nicepay, confirm_vbank_ready_is_waiting_for_deposit)
{
	struct pg_result res = classify(NICEPAY_OP_CONFIRM, 200, answer("0000", "ready", "vbank", 20000, 20000, NULL,
		",\"vbank\":{\"vbankCode\":\"004\",\"vbankName\":\"KB\",\"vbankNumber\":\"12345678901234\","
		"\"vbankExpDate\":\"2024-01-08T23:59:59.000+0900\",\"vbankHolder\":\"settle\"}"));

	cr_assert_eq(res.outcome, PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.payment.status, PG_ST_WAITING_FOR_DEPOSIT);
	cr_assert_str_eq(res.payment.method, "VIRTUAL_ACCOUNT");
	cr_assert_str_eq(res.payment.va_bank, "004");
	cr_assert_str_eq(res.payment.va_account, "12345678901234");
	cr_assert_str_eq(res.payment.va_due, "2024-01-08T23:59:59.000+0900");
}

Test(adapters_nicepay, cancel_partial_is_ok_with_cancelled_tid)
{
	char extra[] = ",\"cancels\":[{\"tid\":\"nictest00m0101240101130000999\",\"amount\":4000}]";
	const char *body = answer("2001", "partialCancelled", "bank", 10000, 6000, NULL, extra);
	char *patched = strstr(body_buf, "\"cancelledTid\":null");
	struct pg_result res;

	cr_assert_not_null(patched);
	/* Same length replacement keeps the buffer intact. */
	memcpy(patched, "\"cancelledTid\":\"c9\"", strlen("\"cancelledTid\":null"));
	res = classify(NICEPAY_OP_CANCEL, 200, body);
	cr_assert_eq(res.outcome, PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.payment.status, PG_ST_PARTIAL_CANCELED);
	cr_assert_eq(res.payment.total_amount, 10000);
	cr_assert_eq(res.payment.balance_amount, 6000);
	cr_assert_str_eq(res.payment.method, "TRANSFER");
	cr_assert_str_eq(res.payment.last_transaction_key, "c9");
}

Test(adapters_nicepay, cancel_refund_code_2211_is_ok)
{
	struct pg_result res = classify(NICEPAY_OP_CANCEL, 200, answer("2211", "cancelled", "vbank", 5000, 0, NULL, NULL));

	cr_assert_eq(res.outcome, PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.payment.status, PG_ST_CANCELED);
	cr_assert_eq(res.payment.balance_amount, 0);
}

Test(adapters_nicepay, statuses_and_methods_map)
{
	cr_assert_eq(nicepay_status("paid"), PG_ST_DONE);
	cr_assert_eq(nicepay_status("ready"), PG_ST_WAITING_FOR_DEPOSIT);
	cr_assert_eq(nicepay_status("failed"), PG_ST_ABORTED);
	cr_assert_eq(nicepay_status("cancelled"), PG_ST_CANCELED);
	cr_assert_eq(nicepay_status("canceled"), PG_ST_CANCELED);
	cr_assert_eq(nicepay_status("partialCancelled"), PG_ST_PARTIAL_CANCELED);
	cr_assert_eq(nicepay_status("expired"), PG_ST_EXPIRED);
	cr_assert_eq(nicepay_status("weird"), PG_ST_UNKNOWN);
	cr_assert_str_eq(nicepay_method("card"), "CARD");
	cr_assert_str_eq(nicepay_method("bank"), "TRANSFER");
	cr_assert_str_eq(nicepay_method("vbank"), "VIRTUAL_ACCOUNT");
	cr_assert_str_eq(nicepay_method("kakaopay"), "OTHER");
}

static void assert_in_doubt(int op, const char *code)
{
	struct pg_result res = classify(op, 200, result_only(code));

	cr_assert_eq(res.outcome, PG_IN_DOUBT, "%s should be in doubt", code);
	cr_assert_str_eq(res.code, code);
}

Test(adapters_nicepay, confirm_already_approved_is_in_doubt)
{
	assert_in_doubt(NICEPAY_OP_CONFIRM, "2201");
}

Test(adapters_nicepay, duplicate_request_is_in_doubt)
{
	assert_in_doubt(NICEPAY_OP_CONFIRM, "2156");
	assert_in_doubt(NICEPAY_OP_CANCEL, "2015");
}

Test(adapters_nicepay, lookup_no_data_is_definite_not_found)
{
	struct pg_result res = classify(NICEPAY_OP_LOOKUP, 200, result_only("A118"));

	cr_assert_eq(res.outcome, PG_OK);
	cr_assert_eq(res.payment.status, PG_ST_NOT_FOUND);
	res = classify(NICEPAY_OP_CONFIRM, 200, result_only("A118"));
	cr_assert_eq(res.outcome, PG_REFUSED);
}

Test(adapters_nicepay, other_codes_are_refused)
{
	struct pg_result res = classify(NICEPAY_OP_CONFIRM, 200, result_only("3011"));

	cr_assert_eq(res.outcome, PG_REFUSED);
	cr_assert_str_eq(res.code, "3011");
	cr_assert_str_eq(res.message, "msg 3011");
	res = classify(NICEPAY_OP_CANCEL, 200, result_only("2032"));
	cr_assert_eq(res.outcome, PG_REFUSED);
	res = classify(NICEPAY_OP_CONFIRM, 401, result_only("U104"));
	cr_assert_eq(res.outcome, PG_REFUSED);
	cr_assert_eq(res.http_status, 401);
	res = classify(NICEPAY_OP_CONFIRM, 200, result_only("A101"));
	cr_assert_eq(res.outcome, PG_REFUSED);
}

Test(adapters_nicepay, server_error_is_in_doubt)
{
	struct pg_result res = classify(NICEPAY_OP_CONFIRM, 500, result_only("9999"));

	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	res = classify(NICEPAY_OP_CONFIRM, 502, "<html>bad gateway</html>");
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "SERVER_ERROR");
	res = classify(NICEPAY_OP_CANCEL, 404, "not json");
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "MALFORMED_RESPONSE");
	/* Success code on a non-2xx status is contradictory. */
	res = classify(NICEPAY_OP_CONFIRM, 403, answer("0000", "paid", "card", 1004, 1004, NULL, NULL));
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
}

Test(adapters_nicepay, transport_error_is_in_doubt)
{
	struct http_response r = canned_xerr(HTTP_XERR_TIMEOUT, "Operation timed out");
	struct pg_result res;

	nicepay_classify(NICEPAY_OP_CONFIRM, &r, SECRET, &res);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "TIMEOUT");
	cr_assert_eq(res.http_status, 0);
}

static void assert_malformed(const char *body, const char *field)
{
	struct pg_result res = classify(NICEPAY_OP_CONFIRM, 200, body);

	cr_assert_eq(res.outcome, PG_IN_DOUBT, "%s", body);
	cr_assert_str_eq(res.code, "MALFORMED_RESPONSE");
	cr_assert(strstr(res.message, field), "message '%s' should name %s", res.message, field);
}

Test(adapters_nicepay, wrong_types_and_missing_fields_are_malformed)
{
	assert_malformed("{\"resultCode\":\"0000\",\"tid\":\"t\",\"orderId\":\"o\",\"status\":\"paid\","
			 "\"amount\":\"1004\",\"balanceAmt\":1004}", "amount");
	assert_malformed("{\"resultCode\":\"0000\",\"tid\":\"t\",\"orderId\":\"o\",\"status\":\"paid\","
			 "\"amount\":1004}", "balanceAmt");
	assert_malformed("{\"resultCode\":\"0000\",\"orderId\":\"o\",\"status\":\"paid\","
			 "\"amount\":1004,\"balanceAmt\":1004}", "tid");
	assert_malformed("{\"resultCode\":\"0000\",\"tid\":\"t\",\"orderId\":\"o\",\"status\":3,"
			 "\"amount\":1004,\"balanceAmt\":1004}", "status");
	assert_malformed("{\"resultCode\":\"0000\",\"tid\":\"t\",\"orderId\":\"o\",\"status\":\"paid\","
			 "\"amount\":1004,\"balanceAmt\":1004,\"vbank\":[]}", "vbank");
}

Test(adapters_nicepay, unparsable_body_is_malformed)
{
	struct pg_result res = classify(NICEPAY_OP_CONFIRM, 200, "{\"resultCode\":");

	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "MALFORMED_RESPONSE");
	res = classify(NICEPAY_OP_CONFIRM, 200, "{\"resultCode\":7}");
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	res = classify(NICEPAY_OP_LOOKUP, 200, "");
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
}

Test(adapters_nicepay, paid_at_zero_is_empty)
{
	struct settle_err err = {0};
	struct pg_payment p;
	const char *body = "{\"tid\":\"t\",\"orderId\":\"o\",\"status\":\"ready\",\"amount\":5,\"balanceAmt\":5,"
			   "\"paidAt\":\"0\"}";

	cr_assert_eq(nicepay_parse_payment(body, strlen(body), &p, &err), 0, "%s", err.msg);
	cr_assert_str_eq(p.approved_at, "");
	body = "{\"tid\":\"t\",\"orderId\":\"o\",\"status\":\"ready\",\"amount\":5,\"balanceAmt\":5,\"paidAt\":0}";
	cr_assert_eq(nicepay_parse_payment(body, strlen(body), &p, &err), 0, "%s", err.msg);
}

static struct pg_result lost_confirm(void)
{
	struct http_response r = canned_xerr(HTTP_XERR_TIMEOUT, "Operation timed out after 30000 ms");
	struct pg_result res;

	nicepay_classify(NICEPAY_OP_CONFIRM, &r, SECRET, &res);
	return res;
}

Test(adapters_nicepay, net_cancel_success_makes_confirm_refused)
{
	static const char *const ok[] = {"0000", "2001", "2211"};

	for (size_t i = 0; i < 3; i++) {
		struct pg_result res = lost_confirm();
		struct http_response nc = canned(200, result_only(ok[i]));

		nicepay_after_netcancel(&nc, &res);
		cr_assert_eq(res.outcome, PG_REFUSED, "%s", ok[i]);
		cr_assert_str_eq(res.code, "NET_CANCELED");
		cr_assert_eq(res.http_status, 0);
	}
}

Test(adapters_nicepay, net_cancel_failure_leaves_confirm_in_doubt)
{
	struct pg_result res = lost_confirm();
	struct http_response nc = canned(200, result_only("2003"));

	nicepay_after_netcancel(&nc, &res);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "TIMEOUT");
	cr_assert(strstr(res.message, "2003"), "%s", res.message);

	res = lost_confirm();
	nc = canned_xerr(HTTP_XERR_TIMEOUT, "again");
	nicepay_after_netcancel(&nc, &res);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);

	res = lost_confirm();
	nc = canned(200, result_only("3001")); /* an approval code does not prove a cancel */
	nicepay_after_netcancel(&nc, &res);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);

	res = lost_confirm();
	nc = canned(500, "oops");
	nicepay_after_netcancel(&nc, &res);
	cr_assert_eq(res.outcome, PG_IN_DOUBT);
}

/* End to end against a closed loopback port: a connect failure means the
 * confirm never left, so no net-cancel, just PG_IN_DOUBT. */
Test(adapters_nicepay, adapter_unreachable_is_in_doubt)
{
	struct nicepay_config cfg = {"http://localhost:1", "S2_clientid", SECRET, 500, 2000};
	struct pg_confirm_req creq = {TID, "ORD-20240101-0001", 1004, "KRW", "confirm:1"};
	struct pg_cancel_req xreq = {.payment_key = TID, .order_id = "ORD-20240101-0001", .amount = 400,
		.currency = "KRW", .reason = "leave", .idempotency_key = "cancel:1"};
	struct pg_lookup_req lreq = {"ORD-20240101-0001", NULL, "20240101"};
	struct settle_err err = {0};
	struct pg_result res;
	struct pg_port *pg = nicepay_pg_new(&cfg, &err);

	cr_assert_not_null(pg, "%s", err.msg);
	cr_assert_str_eq(pg->name, "nicepay");
	cr_assert_eq(pg->confirm(pg->self, &creq, &res), PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "CONNECTION");
	cr_assert_eq(pg->get_by_key(pg->self, TID, &res), PG_IN_DOUBT);
	cr_assert_eq(pg->get_by_order(pg->self, &lreq, &res), PG_IN_DOUBT);
	lreq.order_date = "2024-01-01";
	cr_assert_eq(pg->get_by_order(pg->self, &lreq, &res), PG_REFUSED);
	cr_assert_str_eq(res.code, "INVALID_REQUEST");
	/* A partial cancel without a fresh order id is a caller bug. */
	cr_assert_eq(pg->cancel(pg->self, &xreq, &res), PG_REFUSED);
	xreq.cancel_order_id = "ORD-20240101-0001-c1";
	cr_assert_eq(pg->cancel(pg->self, &xreq, &res), PG_IN_DOUBT);
	xreq.cancel_order_id = NULL;
	xreq.amount = 0;
	cr_assert_eq(pg->cancel(pg->self, &xreq, &res), PG_IN_DOUBT);
	pg->destroy(pg->self);
}

Test(adapters_nicepay, adapter_config_errors)
{
	struct nicepay_config cfg = {"http://api.nicepay.co.kr", "R2_id", SECRET, 0, 0};
	struct settle_err err = {0};

	cr_assert_null(nicepay_pg_new(&cfg, &err));
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert_null(strstr(err.msg, SECRET));
	cfg.base_url = "https://api.nicepay.co.kr";
	cfg.client_id = "";
	cr_assert_null(nicepay_pg_new(&cfg, &err));
	cfg.client_id = "a:b";
	cr_assert_null(nicepay_pg_new(&cfg, &err));
}

/* Regression: "ready" means a virtual account waiting for its deposit only
 * when a vbank is there; without one it is a tid whose approve never
 * landed, which the sweep must re-send (it was once read as a deposit to
 * wait for, leaving card payments stuck). */
Test(adapters_nicepay, ready_without_vbank_is_in_progress)
{
	struct settle_err err = {0};
	struct pg_payment p;
	const char *card = "{\"tid\":\"t\",\"orderId\":\"o\",\"status\":\"ready\",\"amount\":5,\"balanceAmt\":5,"
			   "\"payMethod\":\"card\",\"vbank\":null}";
	const char *va = "{\"tid\":\"t\",\"orderId\":\"o\",\"status\":\"ready\",\"amount\":5,\"balanceAmt\":5,"
			 "\"payMethod\":\"vbank\",\"vbank\":{\"vbankCode\":\"004\",\"vbankNumber\":\"X1234\","
			 "\"vbankExpDate\":\"2026-12-01T00:00:00+09:00\"}}";

	cr_assert_eq(nicepay_parse_payment(card, strlen(card), &p, &err), 0, "%s", err.msg);
	cr_assert_eq(p.status, PG_ST_IN_PROGRESS);
	cr_assert_eq(nicepay_parse_payment(va, strlen(va), &p, &err), 0, "%s", err.msg);
	cr_assert_eq(p.status, PG_ST_WAITING_FOR_DEPOSIT);
	cr_assert_str_eq(p.va_account, "X1234");
	cr_assert_str_eq(p.va_bank, "004");
}
