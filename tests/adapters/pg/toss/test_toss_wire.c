/*
 * test_toss_wire.c — the Toss adapter against a scripted loopback server:
 * what goes on the wire (path, Authorization, Idempotency-Key, body) and
 * that the answer is sorted the same way as in the pure tests.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "adapters/loopback.h"
#include "adapters/pg/toss/toss.h"

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static const char payment[] =
	"{\"paymentKey\":\"tgen_1\",\"orderId\":\"order-0001\",\"status\":\"DONE\",\"method\":\"카드\","
	"\"totalAmount\":15000,\"balanceAmount\":15000,\"currency\":\"KRW\"}";
static const char canceled[] =
	"{\"paymentKey\":\"tgen_1\",\"orderId\":\"order-0001\",\"status\":\"PARTIAL_CANCELED\",\"method\":\"카드\","
	"\"totalAmount\":15000,\"balanceAmount\":10000,\"currency\":\"KRW\"}";

static struct pg_port *open_toss(struct lb_server *lb)
{
	struct toss_config cfg = {lb->base_url, "test_sk_abc", 1000, 2000};
	struct settle_err err = {0};
	struct pg_port *pg = toss_pg_new(&cfg, &err);

	cr_assert_not_null(pg, "%s", err.msg);
	return pg;
}

Test(adapters_toss, wire_confirm_sends_auth_idempotency_and_body)
{
	static const struct lb_reply script[] = {{0, 200, payment}, {0, 200, payment}};
	struct pg_confirm_req req = {"tgen_1", "order-0001", 15000, "KRW", "confirm:order-0001"};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;

	cr_assert_eq(lb_start(&lb, script, 2), 0);
	pg = open_toss(&lb);
	cr_assert_eq(pg->confirm(pg->self, &req, &res), PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.payment.status, PG_ST_DONE);
	/* Same answer, but settle recorded 10000: tamper, reported. */
	req.amount = 10000;
	cr_assert_eq(pg->confirm(pg->self, &req, &res), PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "AMOUNT_MISMATCH");
	pg->destroy(pg->self);
	lb_stop(&lb);

	cr_assert_eq(lb.nreq, 2);
	cr_assert(starts(lb.requests[0], "POST /v1/payments/confirm HTTP/1.1\r\n"), "%s", lb.requests[0]);
	cr_assert(strstr(lb.requests[0], "\r\nAuthorization: Basic dGVzdF9za19hYmM6\r\n"), "%s", lb.requests[0]);
	cr_assert(strstr(lb.requests[0], "\r\nIdempotency-Key: confirm:order-0001\r\n"));
	cr_assert(strstr(lb.requests[0], "\r\nContent-Type: application/json\r\n"));
	cr_assert(strstr(lb.requests[0], "\r\nAccept: application/json\r\n"));
	cr_assert(strstr(lb.requests[0], "\"paymentKey\":\"tgen_1\""));
	cr_assert(strstr(lb.requests[0], "\"orderId\":\"order-0001\""));
	cr_assert(strstr(lb.requests[0], "\"amount\":15000"));
	cr_assert(strstr(lb.requests[1], "\"amount\":10000"));
}

Test(adapters_toss, wire_lookups_escape_path_parts)
{
	static const struct lb_reply script[] = {
		{0, 404, "{\"code\":\"NOT_FOUND_PAYMENT\",\"message\":\"none\"}"},
		{0, 200, payment},
	};
	/* An id outside Toss's charset is now refused before any call
	 * (issue 7 §5, test_toss_ids.c); this lookup uses a valid one. */
	struct pg_lookup_req lreq = {"order_1-x", NULL, NULL};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;

	cr_assert_eq(lb_start(&lb, script, 2), 0);
	pg = open_toss(&lb);
	cr_assert_eq(pg->get_by_order(pg->self, &lreq, &res), PG_OK);
	cr_assert_eq(res.payment.status, PG_ST_NOT_FOUND);
	cr_assert_eq(pg->get_by_key(pg->self, "tgen_1", &res), PG_OK);
	cr_assert_eq(res.payment.total_amount, 15000);
	pg->destroy(pg->self);
	lb_stop(&lb);
	cr_assert(starts(lb.requests[0], "GET /v1/payments/orders/order_1-x HTTP/1.1\r\n"), "%s",
		  lb.requests[0]);
	cr_assert(starts(lb.requests[1], "GET /v1/payments/tgen_1 HTTP/1.1\r\n"), "%s", lb.requests[1]);
	cr_assert_null(strstr(lb.requests[1], "Idempotency-Key"));
}

Test(adapters_toss, wire_cancel_omits_amount_for_full_cancel)
{
	static const struct lb_reply script[] = {{0, 200, canceled}, {0, 200, canceled}};
	struct pg_cancel_req req = {.payment_key = "tgen_1", .order_id = "order-0001", .amount = 5000,
		.currency = "KRW", .reason = "leader left", .idempotency_key = "cancel:1"};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;

	cr_assert_eq(lb_start(&lb, script, 2), 0);
	pg = open_toss(&lb);
	cr_assert_eq(pg->cancel(pg->self, &req, &res), PG_OK, "%s %s", res.code, res.message);
	cr_assert_eq(res.payment.balance_amount, 10000);
	req.amount = 0;
	req.idempotency_key = "cancel:2";
	req.refund_bank = "20";
	req.refund_account = "1002123456789";
	req.refund_holder = "홍길동";
	cr_assert_eq(pg->cancel(pg->self, &req, &res), PG_OK);
	pg->destroy(pg->self);
	lb_stop(&lb);
	cr_assert(starts(lb.requests[0], "POST /v1/payments/tgen_1/cancel HTTP/1.1\r\n"), "%s", lb.requests[0]);
	cr_assert(strstr(lb.requests[0], "\"cancelReason\":\"leader left\""));
	cr_assert(strstr(lb.requests[0], "\"cancelAmount\":5000"));
	cr_assert(strstr(lb.requests[0], "\r\nIdempotency-Key: cancel:1\r\n"));
	cr_assert_null(strstr(lb.requests[1], "cancelAmount"));
	cr_assert(strstr(lb.requests[1], "\r\nIdempotency-Key: cancel:2\r\n"));
	cr_assert(strstr(lb.requests[1], "\"refundReceiveAccount\":{"), "%s", lb.requests[1]);
	cr_assert(strstr(lb.requests[1], "\"accountNumber\":\"1002123456789\""));
	cr_assert(strstr(lb.requests[1], "\"bank\":\"20\""));
	cr_assert_null(strstr(lb.requests[0], "refundReceiveAccount"));
}

Test(adapters_toss, wire_confirm_time_out_is_in_doubt)
{
	static const struct lb_reply script[] = {{1, 0, NULL}};
	struct pg_confirm_req req = {"tgen_1", "order-0001", 15000, "KRW", "confirm:order-0001"};
	struct toss_config cfg = {NULL, "test_sk_abc", 1000, 500};
	struct settle_err err = {0};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;

	cr_assert_eq(lb_start(&lb, script, 1), 0);
	cfg.base_url = lb.base_url;
	pg = toss_pg_new(&cfg, &err);
	cr_assert_not_null(pg, "%s", err.msg);
	cr_assert_eq(pg->confirm(pg->self, &req, &res), PG_IN_DOUBT);
	cr_assert_str_eq(res.code, "TIMEOUT", "%s %s", res.code, res.message);
	cr_assert_eq(res.http_status, 0);
	pg->destroy(pg->self);
	lb_stop(&lb);
}
