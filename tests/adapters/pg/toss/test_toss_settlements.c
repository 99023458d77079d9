/*
 * test_toss_settlements.c — the Toss settlement lookup adapter: what it
 * sends (GET /v1/settlements with the dates, page and size, Basic auth),
 * every field variant Toss is known to return (research/pg-apis.md T10:
 * fees[] or a scalar fee, supplyAmount or suppliedAmount, dates or
 * date-times, a cancel object or a negative amount), paging, and every
 * malformed answer refused naming the record, with the exit class the
 * program will show (78 auth, 69 unavailable, 65 bad data).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "adapters/loopback.h"
#include "adapters/pg/toss/toss_settlements.h"
#include "lib/sandbox_proc.h"

#define REC(extra)                                                                                               \
	"{\"paymentKey\":\"pk_1\",\"transactionKey\":\"tx_1\",\"orderId\":\"order-0001\",\"currency\":\"KRW\","  \
	"\"method\":\"카드\",\"amount\":34000,\"payOutAmount\":33200,\"soldDate\":\"2026-11-24\","                \
	"\"paidOutDate\":\"2026-11-26\"" extra "}"

struct got {
	struct recon_record r[8];
	size_t n;
};

static int keep(void *arg, const struct recon_record *r, struct settle_err *err)
{
	struct got *g = arg;

	(void)err;
	if (g->n < 8)
		g->r[g->n] = *r;
	g->n++;
	return 0;
}

static struct pg_settlements_port *open_at(const char *base, int page_size)
{
	struct toss_settlements_config cfg = {base, "test_sk_abc", 1000, 2000, page_size};
	struct settle_err err = {0};
	struct pg_settlements_port *p = toss_settlements_new(&cfg, &err);

	cr_assert_not_null(p, "%s", err.msg);
	return p;
}

/* One answer, one listing: rc, what was kept, the error. */
static int list_one(const char *body, long status, struct got *g, struct settle_err *err, char *request, size_t len)
{
	const struct lb_reply script[] = {{0, status, body}};
	struct lb_server lb;
	struct pg_settlements_port *p;
	int rc;

	memset(g, 0, sizeof *g);
	memset(err, 0, sizeof *err);
	cr_assert_eq(lb_start(&lb, script, 1), 0);
	p = open_at(lb.base_url, 100);
	rc = p->list(p->self, "2026-11-01", "2026-11-30", keep, g, err);
	p->destroy(p->self);
	lb_stop(&lb);
	if (request)
		snprintf(request, len, "%s", lb.requests[0]);
	return rc;
}

Test(adapters_toss_settlements, request_and_each_variant)
{
	static const struct {
		const char *what, *body;
		int64_t fee, supply, vat;
		enum recon_kind kind;
	} v[] = {
		{"docs: fees[] + supplyAmount",
		 "[" REC(",\"fees\":[{\"type\":\"BASE\",\"fee\":700},{\"type\":\"INSTALLMENT\",\"fee\":100}],"
			 "\"supplyAmount\":728,\"vat\":72,\"cancel\":null") "]",
		 800, 728, 72, RECON_PAYMENT},
		{"spec: suppliedAmount",
		 "[" REC(",\"fees\":[{\"type\":\"BASE\",\"fee\":800}],\"suppliedAmount\":728,\"vat\":72") "]", 800, 728, 72,
		 RECON_PAYMENT},
		{"live 2025: scalar fee, no fees[]", "[" REC(",\"fee\":800,\"supplyAmount\":728,\"vat\":72") "]", 800, 728, 72,
		 RECON_PAYMENT},
		{"both fee and fees[] agreeing", "[" REC(",\"fee\":800,\"fees\":[{\"type\":\"BASE\",\"fee\":800}]") "]", 800,
		 0, 0, RECON_PAYMENT},
		{"no fee at all: what the payout lacks", "[" REC("") "]", 800, 0, 0, RECON_PAYMENT},
		{"a scalar fee and no split", "[" REC(",\"fee\":800") "]", 800, 0, 0, RECON_PAYMENT},
	};
	struct got g;
	struct settle_err err;
	char req[8192];

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		cr_assert_eq(list_one(v[i].body, 200, &g, &err, req, sizeof req), 0, "%s: %s", v[i].what, err.msg);
		cr_assert_eq(g.n, 1, "%s", v[i].what);
		cr_assert_str_eq(g.r[0].payment_key, "pk_1");
		cr_assert_str_eq(g.r[0].transaction_key, "tx_1");
		cr_assert_str_eq(g.r[0].pg, "toss");
		cr_assert_eq(g.r[0].kind, v[i].kind, "%s", v[i].what);
		cr_assert_eq(g.r[0].amount, 34000);
		cr_assert_eq(g.r[0].fee, v[i].fee, "%s", v[i].what);
		cr_assert_eq(g.r[0].fee_supply, v[i].supply, "%s", v[i].what);
		cr_assert_eq(g.r[0].fee_vat, v[i].vat, "%s", v[i].what);
		cr_assert_eq(g.r[0].payout, 33200);
		cr_assert_str_eq(g.r[0].sold_date, "2026-11-24");
		cr_assert(strstr(req, "GET /v1/settlements?startDate=2026-11-01&endDate=2026-11-30&page=1&size=100 "),
			  "%s", req);
		cr_assert(strstr(req, "Authorization: Basic dGVzdF9za19hYmM6\r\n"), "%s", req); /* test_sk_abc: */
	}
}

Test(adapters_toss_settlements, cancels_and_date_times)
{
	static const char body[] =
		"[{\"paymentKey\":\"pk_1\",\"transactionKey\":\"tx_c\",\"amount\":-10000,\"fees\":[{\"type\":\"BASE\","
		"\"fee\":-235}],\"payOutAmount\":-9765,\"soldDate\":\"2026-11-24T00:00:00+09:00\","
		"\"paidOutDate\":\"2026-11-26T00:00:00+09:00\",\"cancel\":{\"cancelAmount\":10000}},"
		"{\"paymentKey\":\"pk_2\",\"transactionKey\":\"tx_d\",\"amount\":-500,\"fee\":0,\"payOutAmount\":-500,"
		"\"soldDate\":\"2026-11-25\",\"paidOutDate\":\"2026-11-27\"}]";
	struct got g;
	struct settle_err err;

	cr_assert_eq(list_one(body, 200, &g, &err, NULL, 0), 0, "%s", err.msg);
	cr_assert_eq(g.n, 2);
	cr_assert_eq(g.r[0].kind, RECON_CANCEL);
	cr_assert_eq(g.r[0].fee, -235);
	cr_assert_str_eq(g.r[0].sold_date, "2026-11-24");
	cr_assert_str_eq(g.r[0].paid_out_date, "2026-11-26");
	cr_assert_eq(g.r[1].kind, RECON_CANCEL); /* a negative amount without a cancel object */
	cr_assert_str_eq(g.r[1].currency, "KRW");
}

Test(adapters_toss_settlements, malformed_answers_are_refused_naming_the_record)
{
	static const struct {
		long status;
		const char *body;
		int code;
		const char *why;
	} bad[] = {
		{200, "{\"items\":[]}", 65, "not a JSON array"},
		{200, "[" REC(",\"fee\":800") ",", 65, "not a JSON array"},
		{200, "[" REC(",\"fee\":800") "," REC(",\"fee\":700") "]", 65, "record 2 (page 1): payOutAmount 33200 is not"},
		{200, "[" REC(",\"fee\":800,\"fees\":[{\"type\":\"BASE\",\"fee\":700}]") "]", 65, "fee 800 is not the sum"},
		{200, "[" REC(",\"fee\":800,\"supplyAmount\":728,\"suppliedAmount\":700") "]", 65, "disagree"},
		{200, "[" REC(",\"fee\":800.0") "]", 65, "fee is not an integer"},
		{200, "[" REC(",\"fees\":{\"fee\":800}") "]", 65, "fees is not an array"},
		{200, "[" REC(",\"fees\":[{\"type\":\"BASE\"}]") "]", 65, "fees[0] has no integer fee"},
		{200, "[" REC(",\"fee\":800,\"supplyAmount\":700,\"vat\":72") "]", 65, "supplyAmount 700 + vat 72"},
		{200, "[{\"paymentKey\":\"pk_1\",\"amount\":1,\"payOutAmount\":1,\"soldDate\":\"2026-11-24\","
		      "\"paidOutDate\":\"2026-11-24\"}]", 65, "transactionKey"},
		{200, "[{\"paymentKey\":\"pk_1\",\"transactionKey\":\"t\",\"amount\":1,\"soldDate\":\"2026-11-24\","
		      "\"paidOutDate\":\"2026-11-24\"}]", 65, "payOutAmount is missing"},
		{200, "[{\"paymentKey\":\"pk_1\",\"transactionKey\":\"t\",\"amount\":1,\"payOutAmount\":1,"
		      "\"soldDate\":\"24/11/2026\",\"paidOutDate\":\"2026-11-24\"}]", 65, "soldDate"},
		{200, "[{\"paymentKey\":\"pk_1\",\"transactionKey\":\"t\",\"amount\":1000,\"payOutAmount\":900,"
		      "\"fee\":100,\"soldDate\":\"2026-11-24\",\"paidOutDate\":\"2026-11-24\",\"cancel\":{}}]", 65,
		 "of a cancel is positive"},
		{200, "[17]", 65, "not a JSON object"},
		{401, "{\"code\":\"UNAUTHORIZED_KEY\",\"message\":\"bad key\"}", 78, "HTTP 401 UNAUTHORIZED_KEY"},
		{403, "{\"code\":\"INCORRECT_BASIC_AUTH_FORMAT\",\"message\":\"x\"}", 78, "INCORRECT_BASIC_AUTH_FORMAT"},
		{400, "{\"code\":\"INVALID_REQUEST\",\"message\":\"startDate\"}", 65, "HTTP 400 INVALID_REQUEST"},
		{500, "{\"code\":\"FAILED_INTERNAL_SYSTEM_PROCESSING\",\"message\":\"x\"}", 69, "HTTP 500"},
		{502, "<html>bad gateway</html>", 69, "(no error code)"},
	};
	struct got g;
	struct settle_err err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(list_one(bad[i].body, bad[i].status, &g, &err, NULL, 0), -1, "accepted: %s", bad[i].why);
		cr_assert_eq(err.code, bad[i].code, "%s: %d %s", bad[i].why, err.code, err.msg);
		cr_assert(strstr(err.msg, bad[i].why), "%s: %s", bad[i].why, err.msg);
		cr_assert_null(strpbrk(err.msg, "\r\n"), "%s", err.msg);
	}
}

Test(adapters_toss_settlements, no_answer_is_unavailable_and_config_is_checked)
{
	struct toss_settlements_config cfg = {"http://127.0.0.1:9", "test_sk_abc", 300, 500, 100};
	struct settle_err err = {0};
	struct pg_settlements_port *p = toss_settlements_new(&cfg, &err);
	struct got g = {0};

	cr_assert_not_null(p, "%s", err.msg);
	cr_assert_eq(p->list(p->self, "2026-11-01", "2026-11-30", keep, &g, &err), -1);
	cr_assert_eq(err.code, 69, "%d %s", err.code, err.msg);
	p->destroy(p->self);

	cfg.secret_key = "";
	cr_assert_null(toss_settlements_new(&cfg, &err));
	cr_assert_eq(err.code, 78);
	cfg.secret_key = "test_sk_\r\nX-Evil: 1";
	cr_assert_null(toss_settlements_new(&cfg, &err));
	cr_assert_eq(err.code, 78);
	cfg.secret_key = "test_sk_abc";
	cfg.page_size = 5000;
	cr_assert_null(toss_settlements_new(&cfg, &err));
	cr_assert_eq(err.code, 78);
	cfg.page_size = 100;
	cfg.base_url = "http://example.com"; /* plain http off loopback */
	cr_assert_null(toss_settlements_new(&cfg, &err));
	cr_assert_eq(err.code, 78);
}

/* ---------------------------------------------------------------- against the sandbox */

static struct sandbox_proc sp;

static void sb_up(void)
{
	cr_assert_eq(sandbox_start(&sp, NULL), 0, "sandbox did not start");
}

static void sb_down(void)
{
	sandbox_stop(&sp);
}

static void today(char out[11])
{
	time_t t = time(NULL) + 9 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* A captured Toss payment in the sandbox; the key in key. */
static void captured(const char *order, int64_t amount, char *key, size_t len)
{
	char body[512], resp[4096];
	long st = 0;

	cr_assert_eq(sandbox_checkout(&sp, "toss", order, amount, "CARD", key, len), 0);
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s\",\"orderId\":\"%s\",\"amount\":%lld}", key, order,
		 (long long)amount);
	cr_assert_eq(sandbox_request(&sp, "POST", "/toss/v1/payments/confirm",
				     (const char *const[]){SANDBOX_TOSS_AUTH, "Content-Type: application/json", NULL},
				     body, 0, resp, sizeof resp, &st),
		     0);
	cr_assert_eq(st, 200, "%s", resp);
}

Test(adapters_toss_settlements_sandbox, every_variant_pages_and_cancels, .init = sb_up, .fini = sb_down,
     .timeout = 30)
{
	static const char *const variants[] = {"docs", "spec", "live"};
	char key[128], url[128], day[11], resp[512], body[256];
	long st = 0;
	struct got g;
	struct settle_err err = {0};
	struct toss_settlements_config cfg = {url, "test_sk_sandbox", 1000, 5000, 2};

	snprintf(url, sizeof url, "%s/toss", sp.base_url);
	today(day);
	captured("order-s-0001", 50000, key, sizeof key);
	captured("order-s-0002", 30000, key, sizeof key);
	captured("order-s-0003", 20000, key, sizeof key);
	snprintf(body, sizeof body, "/toss/v1/payments/%s/cancel", key);
	cr_assert_eq(sandbox_request(&sp, "POST", body,
				     (const char *const[]){SANDBOX_TOSS_AUTH, "Content-Type: application/json", NULL},
				     "{\"cancelReason\":\"test\",\"cancelAmount\":5000}", 0, resp, sizeof resp, &st),
		     0);
	cr_assert_eq(st, 200, "%s", resp);
	for (size_t i = 0; i < 3; i++) {
		struct pg_settlements_port *p;
		int64_t sum = 0, fees = 0;
		size_t cancels = 0;

		snprintf(body, sizeof body, "{\"variant\":\"%s\"}", variants[i]);
		cr_assert_eq(sandbox_post(&sp, "/_sandbox/settlements/knobs", body, resp, sizeof resp), 200, "%s", resp);
		p = toss_settlements_new(&cfg, &err);
		cr_assert_not_null(p, "%s", err.msg);
		memset(&g, 0, sizeof g);
		/* page size 2: four records take three pages, the last short */
		cr_assert_eq(p->list(p->self, day, day, keep, &g, &err), 0, "%s: %s", variants[i], err.msg);
		p->destroy(p->self);
		cr_assert_eq(g.n, 4, "%s", variants[i]);
		for (size_t k = 0; k < g.n; k++) {
			sum += g.r[k].amount;
			fees += g.r[k].fee;
			cancels += g.r[k].kind == RECON_CANCEL;
			cr_assert_str_eq(g.r[k].sold_date, day);
		}
		cr_assert_eq(sum, 95000, "%s", variants[i]);
		cr_assert_eq(fees, 1175 + 705 + 470 - 117, "%s", variants[i]);
		cr_assert_eq(cancels, 1);
	}
}

Test(adapters_toss_settlements_sandbox, a_wrong_key_is_configuration, .init = sb_up, .fini = sb_down, .timeout = 30)
{
	char url[128];
	struct toss_settlements_config cfg = {url, "live_sk_wrong", 1000, 5000, 100};
	struct settle_err err = {0};
	struct pg_settlements_port *p;
	struct got g = {0};

	snprintf(url, sizeof url, "%s/toss", sp.base_url);
	p = toss_settlements_new(&cfg, &err);
	cr_assert_not_null(p);
	cr_assert_eq(p->list(p->self, "2026-11-01", "2026-11-30", keep, &g, &err), -1);
	cr_assert_eq(err.code, 78, "%s", err.msg);
	cr_assert(strstr(err.msg, "UNAUTHORIZED_KEY"), "%s", err.msg);
	p->destroy(p->self);
}
