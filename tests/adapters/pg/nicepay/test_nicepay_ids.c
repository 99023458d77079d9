/*
 * test_nicepay_ids.c — a tid that is not 30 of [A-Za-z0-9], an orderId
 * outside 1–64 of [A-Za-z0-9_-], and a cancel reason over 100 bytes or
 * not clean UTF-8 are refused by the adapter before any request:
 * PG_REFUSED INVALID_REQUEST naming the field; the loopback server sees
 * only the one good request sent afterwards.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "adapters/loopback.h"
#include "adapters/pg/nicepay/nicepay.h"

#define TID "nictest00m01012401011200001234"

static const char *const bad_tids[] = {
	".", "..", "nictest00m0101240101120000123",   /* 29 */
	"nictest00m010124010112000012345",          /* 31 */
	"nictest00m/../../../netcancel/000", "nictest00m0101240101120000%2F34", "nictest00m01012401011200001_34",
	"nictest00m01012401011200001-34", "nictest00m0101240101120000?=34", "nictest00m0101240101120000 #34",
	"nictest00m010124010112000\r\n34",
};
static const char *const bad_order_ids[] = {
	"..", "ORD/1", "ORD.1", "ORD?1", "ORD#1", "ORD%1", "ORD 1", "주문1", "ORD\n1",
	"x12345678901234567890123456789012345678901234567890123456789012345",
};

static struct pg_port *open_nicepay(struct lb_server *lb)
{
	struct nicepay_config cfg = {lb->base_url, "S2_id", "secretKeyXYZ", 1000, 2000};
	struct settle_err err = {0};
	struct pg_port *pg = nicepay_pg_new(&cfg, &err);

	cr_assert_not_null(pg, "%s", err.msg);
	return pg;
}

static void refused(int rc, const struct pg_result *res, const char *field)
{
	cr_assert_eq(rc, PG_REFUSED, "%s %s", res->code, res->message);
	cr_assert_str_eq(res->code, "INVALID_REQUEST");
	cr_assert_eq(res->http_status, 0);
	cr_assert(strstr(res->message, "nicepay: ") && strstr(res->message, field) && strstr(res->message, "not sent"),
		  "%s", res->message);
	cr_assert_null(strpbrk(res->message, "\r\n"), "%s", res->message);
}

Test(adapters_nicepay_ids, bad_ids_never_reach_the_wire)
{
	static const struct lb_reply script[] = {{0, 200, "{\"resultCode\":\"A118\",\"resultMsg\":\"no data\"}"}};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;

	cr_assert_eq(lb_start(&lb, script, 1), 0);
	pg = open_nicepay(&lb);
	for (size_t i = 0; i < sizeof bad_tids / sizeof bad_tids[0]; i++) {
		struct pg_confirm_req c = {bad_tids[i], "ORD-1", 1004, "KRW", NULL};
		struct pg_cancel_req k = {.payment_key = bad_tids[i], .order_id = "ORD-1", .reason = "left"};

		refused(pg->confirm(pg->self, &c, &res), &res, "tid");
		refused(pg->get_by_key(pg->self, bad_tids[i], &res), &res, "tid");
		refused(pg->cancel(pg->self, &k, &res), &res, "tid");
	}
	for (size_t i = 0; i < sizeof bad_order_ids / sizeof bad_order_ids[0]; i++) {
		struct pg_confirm_req c = {TID, bad_order_ids[i], 1004, "KRW", NULL};
		struct pg_lookup_req l = {bad_order_ids[i], NULL, "20240101"};
		struct pg_cancel_req full = {.payment_key = TID, .order_id = bad_order_ids[i], .reason = "left"};
		struct pg_cancel_req part = {.payment_key = TID, .order_id = "ORD-1",
			.cancel_order_id = bad_order_ids[i], .amount = 10, .reason = "left"};

		refused(pg->confirm(pg->self, &c, &res), &res, "orderId");
		refused(pg->get_by_order(pg->self, &l, &res), &res, "orderId");
		refused(pg->cancel(pg->self, &full, &res), &res, "orderId");
		refused(pg->cancel(pg->self, &part, &res), &res, "orderId");
	}
	cr_assert_eq(pg->get_by_key(pg->self, TID, &res), PG_OK, "%s %s", res.code, res.message);
	pg->destroy(pg->self);
	lb_stop(&lb);
	cr_assert_eq(lb.nreq, 1);
	cr_assert(!strncmp(lb.requests[0], "GET /v1/payments/" TID " ", 48), "%s", lb.requests[0]);
}

Test(adapters_nicepay_ids, bad_cancel_texts_never_reach_the_wire)
{
	static const struct lb_reply script[] = {{0, 200, "{\"resultCode\":\"2032\",\"resultMsg\":\"over\"}"}};
	char long_reason[102];
	const char *bad_reasons[] = {"two\nlines", "\x1b]0;x\x07", "caf\xE9", "\xE0\x80\xAF", "\xED\xB2\x80",
				     long_reason};
	struct pg_cancel_req k = {.payment_key = TID, .order_id = "ORD-1", .reason = "left"};
	struct lb_server lb;
	struct pg_result res;
	struct pg_port *pg;

	memset(long_reason, 'r', 101);
	long_reason[101] = '\0';
	cr_assert_eq(lb_start(&lb, script, 1), 0);
	pg = open_nicepay(&lb);
	for (size_t i = 0; i < sizeof bad_reasons / sizeof bad_reasons[0]; i++) {
		k.reason = bad_reasons[i];
		refused(pg->cancel(pg->self, &k, &res), &res, "reason");
	}
	k.reason = "left";
	k.refund_account = "1002-123";
	refused(pg->cancel(pg->self, &k, &res), &res, "refundAccount");
	k.refund_account = NULL;
	long_reason[100] = '\0'; /* 100 bytes is the documented maximum */
	k.reason = long_reason;
	cr_assert_eq(pg->cancel(pg->self, &k, &res), PG_REFUSED);
	cr_assert_str_eq(res.code, "2032");
	pg->destroy(pg->self);
	lb_stop(&lb);
	cr_assert_eq(lb.nreq, 1);
}
