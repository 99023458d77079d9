/*
 * test_toss_ids.c — ids outside Toss's documented charset and length, and
 * texts that are not clean UTF-8, are refused by the adapter before any
 * request: PG_REFUSED INVALID_REQUEST naming the field, and the loopback
 * server sees only the one good request sent afterwards.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "adapters/loopback.h"
#include "adapters/pg/toss/toss.h"

static const char payment[] =
	"{\"paymentKey\":\"tgen_1\",\"orderId\":\"order-0001\",\"status\":\"DONE\",\"method\":\"카드\","
	"\"totalAmount\":15000,\"balanceAmount\":15000,\"currency\":\"KRW\"}";

/* Bad orderIds: too short, too long, and every character that could move
 * the request elsewhere or is outside [A-Za-z0-9_-]. */
static const char *const bad_order_ids[] = {
	"abc12", "ord.01", "../../v1/payouts", "order/0001", "order?x=1", "order#0001", "order%2F01",
	"order 0001", "order\r\n0001", "주문-000001", "order.0001", "..",
	"x123456789012345678901234567890123456789012345678901234567890123456789",
};
/* Bad paymentKeys: dot segments, separators, escapes, control bytes, and
 * one byte over 200. */
static const char *const bad_keys[] = {".", "..", "tgen_1/cancel", "tgen_1/../x", "tgen%2E%2E", "tgen?1",
				       "tgen#1", "tgen 1", "tgen\n1", "키"};

static struct pg_port *open_toss(struct lb_server *lb)
{
	struct toss_config cfg = {lb->base_url, "test_sk_abc", 1000, 2000};
	struct settle_err err = {0};
	struct pg_port *pg = toss_pg_new(&cfg, &err);

	cr_assert_not_null(pg, "%s", err.msg);
	return pg;
}

static void refused(int rc, const struct pg_result *res, const char *field)
{
	cr_assert_eq(rc, PG_REFUSED, "%s %s", res->code, res->message);
	cr_assert_eq(res->outcome, PG_REFUSED);
	cr_assert_str_eq(res->code, "INVALID_REQUEST");
	cr_assert_eq(res->http_status, 0);
	cr_assert(strstr(res->message, "toss: ") && strstr(res->message, field) && strstr(res->message, "not sent"),
		  "%s", res->message);
	cr_assert_null(strpbrk(res->message, "\r\n"), "%s", res->message);
}

Test(adapters_toss_ids, bad_ids_never_reach_the_wire)
{
	static const struct lb_reply script[] = {{0, 200, payment}};
	char long_key[202];
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;

	memset(long_key, 'k', 201);
	long_key[201] = '\0';
	cr_assert_eq(lb_start(&lb, script, 1), 0);
	pg = open_toss(&lb);
	for (size_t i = 0; i < sizeof bad_order_ids / sizeof bad_order_ids[0]; i++) {
		struct pg_confirm_req c = {"tgen_1", bad_order_ids[i], 15000, "KRW", "confirm:x"};
		struct pg_lookup_req l = {bad_order_ids[i], NULL, NULL};

		refused(pg->confirm(pg->self, &c, &res), &res, "orderId");
		refused(pg->get_by_order(pg->self, &l, &res), &res, "orderId");
	}
	for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
		struct pg_confirm_req c = {bad_keys[i], "order-0001", 15000, "KRW", "confirm:x"};
		struct pg_cancel_req k = {.payment_key = bad_keys[i], .order_id = "order-0001", .reason = "r",
			.idempotency_key = "cancel:1"};

		refused(pg->confirm(pg->self, &c, &res), &res, "paymentKey");
		refused(pg->get_by_key(pg->self, bad_keys[i], &res), &res, "paymentKey");
		refused(pg->cancel(pg->self, &k, &res), &res, "paymentKey");
	}
	refused(pg->get_by_key(pg->self, long_key, &res), &res, "201 bytes");
	long_key[200] = '\0'; /* 200 is the documented maximum: allowed */
	/* Sent: the scripted answer is about tgen_1, so it comes back as a mismatch. */
	cr_assert_eq(pg->get_by_key(pg->self, long_key, &res), PG_IN_DOUBT, "%s %s", res.code, res.message);
	cr_assert_str_eq(res.code, "KEY_MISMATCH");
	pg->destroy(pg->self);
	lb_stop(&lb);
	cr_assert_eq(lb.nreq, 1);
	cr_assert(!strncmp(lb.requests[0], "GET /v1/payments/kkkk", 21), "%s", lb.requests[0]);
}

Test(adapters_toss_ids, bad_cancel_texts_and_keys_never_reach_the_wire)
{
	static const struct lb_reply script[] = {{0, 200, payment}};
	static const char *const bad_reasons[] = {"", "line\nbreak", "tab\tin", "\x1b[2J", "caf\xE9",
						  "\xC0\xAF", "\xED\xA0\x80"};
	static const char *const bad_idem[] = {"key\r\nX-Evil: 1", "키", "a\x7f"};
	struct pg_cancel_req k = {.payment_key = "tgen_1", .order_id = "order-0001", .reason = "leader left",
		.idempotency_key = "cancel:1"};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;

	cr_assert_eq(lb_start(&lb, script, 1), 0);
	pg = open_toss(&lb);
	for (size_t i = 0; i < sizeof bad_reasons / sizeof bad_reasons[0]; i++) {
		k.reason = bad_reasons[i];
		cr_assert_eq(pg->cancel(pg->self, &k, &res), PG_REFUSED, "reason %zu", i);
		cr_assert_str_eq(res.code, "INVALID_REQUEST");
	}
	k.reason = "leader left";
	for (size_t i = 0; i < sizeof bad_idem / sizeof bad_idem[0]; i++) {
		k.idempotency_key = bad_idem[i];
		cr_assert_eq(pg->cancel(pg->self, &k, &res), PG_REFUSED, "idempotency key %zu", i);
		cr_assert_str_eq(res.code, "INVALID_REQUEST");
	}
	k.idempotency_key = "cancel:1";
	k.refund_account = "123-456";
	refused(pg->cancel(pg->self, &k, &res), &res, "accountNumber");
	k.refund_account = "123456";
	k.refund_bank = "0a";
	refused(pg->cancel(pg->self, &k, &res), &res, "bank");
	k.refund_account = NULL;
	k.refund_bank = NULL;
	cr_assert_eq(pg->cancel(pg->self, &k, &res), PG_OK, "%s %s", res.code, res.message);
	pg->destroy(pg->self);
	lb_stop(&lb);
	cr_assert_eq(lb.nreq, 1);
	cr_assert(!strncmp(lb.requests[0], "POST /v1/payments/tgen_1/cancel ", 32), "%s", lb.requests[0]);
}
