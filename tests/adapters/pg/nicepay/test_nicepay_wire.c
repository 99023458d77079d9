/*
 * test_nicepay_wire.c — the NicePay adapter against a scripted loopback
 * server: signData on the wire, the signed answer, and the net-cancel
 * that follows a confirm whose answer never comes.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "adapters/loopback.h"
#include "adapters/pg/nicepay/nicepay.h"
#include "adapters/pg/nicepay/nicepay_parse.h"

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

#define SECRET "secretKeyXYZ"
#define TID "nictest00m01012401011200001234"
#define EDI "2024-01-01T12:00:00+09:00"

static struct pg_port *open_nicepay(struct lb_server *lb, long timeout_ms)
{
	struct nicepay_config cfg = {lb->base_url, "S2_id", SECRET, 1000, timeout_ms};
	struct settle_err err = {0};
	struct pg_port *pg = nicepay_pg_new(&cfg, &err);

	cr_assert_not_null(pg, "%s", err.msg);
	return pg;
}

/* The JSON body of a recorded request. */
static json_t *req_body(const char *request)
{
	const char *b = strstr(request, "\r\n\r\n");
	json_t *j;

	cr_assert_not_null(b);
	j = json_loads(b + 4, 0, NULL);
	cr_assert_not_null(j, "%s", request);
	return j;
}

static const char *jstr(json_t *j, const char *k)
{
	const char *s = json_string_value(json_object_get(j, k));

	cr_assert_not_null(s, "field %s", k);
	return s;
}

static char paid[1024];

static void make_paid(void)
{
	char sig[65];

	cr_assert_eq(nicepay_sign_hex(sig, TID, "1004", EDI, SECRET, NULL), 0);
	snprintf(paid, sizeof paid,
		 "{\"resultCode\":\"0000\",\"resultMsg\":\"ok\",\"tid\":\"" TID "\",\"orderId\":\"ORD-1\","
		 "\"ediDate\":\"" EDI "\",\"signature\":\"%s\",\"status\":\"paid\",\"payMethod\":\"card\","
		 "\"amount\":1004,\"balanceAmt\":1004,\"paidAt\":\"" EDI "\"}", sig);
}

Test(adapters_nicepay, wire_confirm_signs_and_verifies)
{
	struct lb_reply script[] = {{0, 200, paid}};
	struct pg_confirm_req req = {TID, "ORD-1", 1004, "KRW", "confirm:1"};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;
	char want[65];
	json_t *b;

	make_paid();
	cr_assert_eq(lb_start(&lb, script, 1), 0);
	pg = open_nicepay(&lb, 2000);
	cr_assert_eq(pg->confirm(pg->self, &req, &res), PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.payment.status, PG_ST_DONE);
	pg->destroy(pg->self);
	lb_stop(&lb);

	cr_assert(starts(lb.requests[0], "POST /v1/payments/" TID " HTTP/1.1\r\n"), "%s",
		  lb.requests[0]);
	cr_assert(strstr(lb.requests[0], "\r\nAuthorization: Basic UzJfaWQ6c2VjcmV0S2V5WFla\r\n"));
	b = req_body(lb.requests[0]);
	cr_assert_eq(json_integer_value(json_object_get(b, "amount")), 1004);
	cr_assert_eq(strlen(jstr(b, "ediDate")), 25);
	cr_assert_eq(nicepay_sign_hex(want, TID, "1004", jstr(b, "ediDate"), SECRET, NULL), 0);
	cr_assert_str_eq(jstr(b, "signData"), want);
	cr_assert_null(strstr(lb.requests[0], SECRET));
	json_decref(b);
}

Test(adapters_nicepay, wire_confirm_timeout_net_cancels)
{
	static const struct lb_reply script[] = {
		{1, 0, NULL},
		{0, 200, "{\"resultCode\":\"0000\",\"resultMsg\":\"net cancel ok\"}"},
	};
	struct pg_confirm_req req = {TID, "ORD-1", 1004, "KRW", "confirm:1"};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;
	char want[65];
	json_t *b;

	cr_assert_eq(lb_start(&lb, script, 2), 0);
	pg = open_nicepay(&lb, 500);
	cr_assert_eq(pg->confirm(pg->self, &req, &res), PG_REFUSED, "%s %s", res.code, res.message);
	cr_assert_str_eq(res.code, "NET_CANCELED");
	pg->destroy(pg->self);
	lb_stop(&lb);

	cr_assert_eq(lb.nreq, 2);
	cr_assert(starts(lb.requests[1], "POST /v1/payments/netcancel HTTP/1.1\r\n"), "%s", lb.requests[1]);
	b = req_body(lb.requests[1]);
	cr_assert_str_eq(jstr(b, "orderId"), "ORD-1");
	cr_assert_eq(nicepay_sign_hex(want, "ORD-1", jstr(b, "ediDate"), SECRET, NULL), 0);
	cr_assert_str_eq(jstr(b, "signData"), want);
	json_decref(b);
}

Test(adapters_nicepay, wire_confirm_timeout_and_net_cancel_refused_is_in_doubt)
{
	static const struct lb_reply script[] = {
		{1, 0, NULL},
		{0, 200, "{\"resultCode\":\"2003\",\"resultMsg\":\"cancel failed\"}"},
	};
	struct pg_confirm_req req = {TID, "ORD-1", 1004, "KRW", "confirm:1"};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;

	cr_assert_eq(lb_start(&lb, script, 2), 0);
	pg = open_nicepay(&lb, 500);
	cr_assert_eq(pg->confirm(pg->self, &req, &res), PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "TIMEOUT");
	pg->destroy(pg->self);
	lb_stop(&lb);
}

Test(adapters_nicepay, wire_lookup_and_partial_cancel)
{
	static const struct lb_reply script[] = {
		{0, 200, "{\"resultCode\":\"A118\",\"resultMsg\":\"no data\"}"},
		{0, 200, "{\"resultCode\":\"2032\",\"resultMsg\":\"over cancelable\"}"},
	};
	struct pg_lookup_req lreq = {"ORD-1", NULL, "20240101"};
	struct pg_cancel_req creq = {.payment_key = TID, .order_id = "ORD-1", .cancel_order_id = "ORD-1-c1",
		.amount = 400, .currency = "KRW", .reason = "left", .idempotency_key = "cancel:1",
		.refund_bank = "004", .refund_account = "1002123456789", .refund_holder = "holder"};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;
	char want[65];
	json_t *b;

	cr_assert_eq(lb_start(&lb, script, 2), 0);
	pg = open_nicepay(&lb, 2000);
	cr_assert_eq(pg->get_by_order(pg->self, &lreq, &res), PG_OK);
	cr_assert_eq(res.payment.status, PG_ST_NOT_FOUND);
	cr_assert_eq(pg->cancel(pg->self, &creq, &res), PG_REFUSED);
	cr_assert_str_eq(res.code, "2032");
	pg->destroy(pg->self);
	lb_stop(&lb);

	cr_assert(starts(lb.requests[0], "GET /v1/payments/find/ORD-1?orderDate=20240101 HTTP/1.1\r\n"), "%s",
		  lb.requests[0]);
	cr_assert(starts(lb.requests[1], "POST /v1/payments/" TID "/cancel HTTP/1.1\r\n"),
		  "%s", lb.requests[1]);
	b = req_body(lb.requests[1]);
	cr_assert_str_eq(jstr(b, "reason"), "left");
	cr_assert_str_eq(jstr(b, "orderId"), "ORD-1-c1");
	cr_assert_eq(json_integer_value(json_object_get(b, "cancelAmt")), 400);
	cr_assert_str_eq(jstr(b, "refundAccount"), "1002123456789");
	cr_assert_str_eq(jstr(b, "refundBankCode"), "004");
	cr_assert_str_eq(jstr(b, "refundHolder"), "holder");
	cr_assert_eq(nicepay_sign_hex(want, TID, jstr(b, "ediDate"), SECRET, NULL), 0);
	cr_assert_str_eq(jstr(b, "signData"), want);
	json_decref(b);
}
