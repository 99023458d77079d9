/*
 * test_toss_payouts.c — the Toss payouts v2 adapter against the real
 * settle-sandbox over loopback: batches paid, sellers refused, idempotent
 * replays, every fault in doubt, answers that do not decrypt or parse,
 * status look-ups across pages.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/bank/toss_payouts.h"
#include "lib/sandbox_proc.h"
#include "sandbox/payouts.h"

static struct sandbox_proc sp;

static void start(void)
{
	cr_assert_eq(sandbox_start(&sp, NULL), 0, "settle-sandbox did not start (SETTLE_BIN_DIR?)");
}

static void stop(void)
{
	sandbox_stop(&sp);
}

TestSuite(adapters_bank_toss_payouts, .init = start, .fini = stop, .timeout = 60);

static struct bank_port *open_port_key(long timeout_ms, const char *key)
{
	char url[128];
	struct toss_payouts_config cfg = {url, "test_sk_sandbox", key, 1000, timeout_ms, 0};
	struct settle_err err = {0};
	struct bank_port *p;

	snprintf(url, sizeof url, "%s/toss", sp.base_url);
	p = toss_payouts_new(&cfg, &err);
	cr_assert_not_null(p, "%s", err.msg);
	return p;
}

static struct bank_port *open_port(void)
{
	return open_port_key(5000, SANDBOX_PAYOUTS_SECURITY_KEY);
}

static void seller(const char *id, const char *status)
{
	char body[256], resp[1024];

	snprintf(body, sizeof body, "{\"id\":\"%s\",\"status\":\"%s\"}", id, status);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/payouts/sellers", body, resp, sizeof resp), 200, "%s", resp);
}

static void complete(const char *ref, const char *status)
{
	char body[256], resp[2048];

	snprintf(body, sizeof body, "{\"refPayoutId\":\"%s\",\"status\":\"%s\"}", ref, status);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/payouts/complete", body, resp, sizeof resp), 200, "%s", resp);
}

static void fault(const char *json)
{
	cr_assert_eq(sandbox_fault(&sp, json), 0, "%s", json);
}

static struct payout_order order(const char *id, const char *seller_id, int64_t amount)
{
	return (struct payout_order){.payout_id = id, .idempotency_key = "", .leader_id = "ldr_1", .seller_id = seller_id,
				     .bank_code = "004", .account = "", .holder = "", .amount = amount,
				     .currency = "KRW", .memo = "settle 정산 11월분"};
}

Test(adapters_bank_toss_payouts, batch_accepted_then_paid_and_looked_up)
{
	struct bank_port *p = open_port();
	struct payout_order o[2] = {order("pyo_b", "seller_1", 96700), order("pyo_a", "seller_1", 147650)};
	struct bank_result r[2], s;

	seller("seller_1", "APPROVED");
	p->send(p->self, o, 2, r);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(r[i].outcome, BANK_OK, "%d: %s %s", i, r[i].code, r[i].message);
		cr_assert_eq(r[i].status, BANK_ST_ACCEPTED);
		cr_assert(!strncmp(r[i].reference, "po_", 3), "%s", r[i].reference);
	}
	cr_assert_str_neq(r[0].reference, r[1].reference);
	{
		char list[8192];

		cr_assert_eq(sandbox_get(&sp, "/_sandbox/payouts/list", list, sizeof list), 200);
		/* Sorted by payout id; the memo cut to 7 characters, no trailing space. */
		cr_assert(strstr(list, "\"refPayoutId\":\"pyo_a\""), "%s", list);
		cr_assert(strstr(list, "pyo_a") < strstr(list, "pyo_b"), "%s", list);
		cr_assert(strstr(list, "\"transactionDescription\":\"settle\""), "%s", list);
		cr_assert(strstr(list, "\"scheduleType\":\"EXPRESS\""), "%s", list);
	}
	complete("pyo_a", "COMPLETED");
	complete("pyo_b", "FAILED");
	p->status(p->self, &o[1], &s);
	cr_assert_eq(s.outcome, BANK_OK, "%s %s", s.code, s.message);
	cr_assert_eq(s.status, BANK_ST_PAID);
	cr_assert_str_eq(s.reference, r[1].reference);
	p->status(p->self, &o[0], &s);
	cr_assert_eq(s.outcome, BANK_OK);
	cr_assert_eq(s.status, BANK_ST_FAILED);
	cr_assert_str_eq(s.code, "INVALID_ACCOUNT");
	o[0].payout_id = "pyo_never";
	p->status(p->self, &o[0], &s);
	cr_assert_eq(s.outcome, BANK_OK);
	cr_assert_eq(s.status, BANK_ST_NOT_FOUND);
	/* A look-up with another amount than Toss holds: tampering, in doubt. */
	o[1].amount = 1;
	p->status(p->self, &o[1], &s);
	cr_assert_eq(s.outcome, BANK_IN_DOUBT);
	cr_assert_str_eq(s.code, "AMOUNT_MISMATCH");
	p->destroy(p->self);
}

Test(adapters_bank_toss_payouts, auto_complete_answers_paid)
{
	struct bank_port *p = open_port();
	struct payout_order o = order("pyo_c", "seller_2", 5000);
	struct bank_result r;
	char resp[256];

	seller("seller_2", "PARTIALLY_APPROVED");
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/payouts/knobs", "{\"autoComplete\":true}", resp, sizeof resp), 200);
	p->send(p->self, &o, 1, &r);
	cr_assert_eq(r.outcome, BANK_OK, "%s %s", r.code, r.message);
	cr_assert_eq(r.status, BANK_ST_PAID);
	p->destroy(p->self);
}

Test(adapters_bank_toss_payouts, sellers_not_approved_or_unknown_refused)
{
	struct bank_port *p = open_port();
	struct payout_order o[2] = {order("pyo_1", "seller_ok", 1000), order("pyo_2", "seller_kyc", 2000)};
	struct bank_result r[2];
	enum toss_seller_status st;

	seller("seller_ok", "APPROVED");
	seller("seller_kyc", "KYC_REQUIRED");
	p->send(p->self, o, 2, r);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(r[i].outcome, BANK_REFUSED, "%d: %s %s", i, r[i].code, r[i].message);
		cr_assert_eq(r[i].status, BANK_ST_FAILED);
		cr_assert_str_eq(r[i].code, "FORBIDDEN_SELLER_PAYOUT");
		cr_assert(strstr(r[i].message, "seller_kyc"), "%s", r[i].message);
	}
	/* New ids: the same ids would reuse the first request's key, whose
	 * stored refusal is for another body (422, in doubt). */
	o[0].payout_id = "pyo_3";
	o[1].payout_id = "pyo_4";
	o[1].seller_id = "seller_nobody";
	p->send(p->self, o, 2, r);
	cr_assert_eq(r[0].outcome, BANK_REFUSED);
	cr_assert_str_eq(r[0].code, "NOT_FOUND_SELLER");
	cr_assert_eq(sandbox_stat(&sp, "payout_executed", NULL), 0);

	cr_assert_eq(toss_seller_status(p, "seller_kyc", &st, &r[0]), BANK_OK, "%s", r[0].message);
	cr_assert_eq(st, TOSS_SELLER_KYC_REQUIRED);
	cr_assert_not(toss_seller_may_receive(st));
	cr_assert_eq(toss_seller_status(p, "seller_ok", &st, &r[0]), BANK_OK);
	cr_assert_eq(st, TOSS_SELLER_APPROVED);
	cr_assert(toss_seller_may_receive(st));
	cr_assert_eq(toss_seller_status(p, "seller_nobody", &st, &r[0]), BANK_OK);
	cr_assert_eq(st, TOSS_SELLER_NOT_FOUND);
	cr_assert_eq(toss_seller_status(p, "../etc", &st, &r[0]), BANK_REFUSED);
	fault("{\"fault\":\"http500\",\"op\":\"payout_get\"}");
	cr_assert_eq(toss_seller_status(p, "seller_ok", &st, &r[0]), BANK_IN_DOUBT);
	p->destroy(p->self);
}

Test(adapters_bank_toss_payouts, same_batch_replayed_other_body_in_doubt)
{
	struct bank_port *p = open_port();
	struct payout_order o[2] = {order("pyo_x", "seller_1", 1000), order("pyo_y", "seller_1", 2000)};
	struct payout_order swapped[2];
	struct bank_result r[2], again[2];

	seller("seller_1", "APPROVED");
	p->send(p->self, o, 2, r);
	cr_assert_eq(r[0].outcome, BANK_OK, "%s %s", r[0].code, r[0].message);
	/* The same payouts in another order: the same key, the same body, the stored answer. */
	swapped[0] = o[1];
	swapped[1] = o[0];
	p->send(p->self, swapped, 2, again);
	cr_assert_eq(again[0].outcome, BANK_OK, "%s %s", again[0].code, again[0].message);
	cr_assert_str_eq(again[0].reference, r[1].reference);
	cr_assert_str_eq(again[1].reference, r[0].reference);
	cr_assert_eq(sandbox_stat(&sp, "payout", NULL), 2);
	cr_assert_eq(sandbox_stat(&sp, "payout_executed", NULL), 1);
	/* Same ids, another amount: Toss refuses the key; settle cannot know
	 * what the first request did, so it is in doubt, never refused. */
	o[1].amount = 2500;
	p->send(p->self, o, 2, again);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(again[i].outcome, BANK_IN_DOUBT, "%s", again[i].code);
		cr_assert_str_eq(again[i].code, "INVALID_IDEMPOTENCY_KEY");
	}
	/* A payout already requested in another batch: in doubt too. */
	p->send(p->self, &o[0], 1, again);
	cr_assert_eq(again[0].outcome, BANK_IN_DOUBT, "%s %s", again[0].code, again[0].message);
	cr_assert_str_eq(again[0].code, "DUPLICATED_REF_PAYOUT_ID");
	cr_assert_eq(sandbox_stat(&sp, "payout_executed", NULL), 1);
	p->destroy(p->self);
}

static void expect_in_doubt(struct bank_port *p, const char *id, const char *code)
{
	struct payout_order o = order(id, "seller_1", 3000);
	struct bank_result r;

	p->send(p->self, &o, 1, &r);
	cr_assert_eq(r.outcome, BANK_IN_DOUBT, "%s: %s %s", id, r.code, r.message);
	cr_assert_eq(r.status, BANK_ST_UNKNOWN);
	cr_assert_str_eq(r.code, code, "%s: %s %s", id, r.code, r.message);
	cr_assert_null(strchr(r.message, '\n'));
}

Test(adapters_bank_toss_payouts, every_fault_is_in_doubt)
{
	struct bank_port *p = open_port_key(1500, SANDBOX_PAYOUTS_SECURITY_KEY);
	struct payout_order o = order("pyo_f3", "seller_1", 3000);
	struct bank_result s;

	seller("seller_1", "APPROVED");
	fault("{\"fault\":\"http500\",\"op\":\"payout\"}");
	expect_in_doubt(p, "pyo_f1", "FAILED_INTERNAL_SYSTEM_PROCESSING");
	fault("{\"fault\":\"malformed\",\"op\":\"payout\"}");
	expect_in_doubt(p, "pyo_f2", "MALFORMED_RESPONSE");
	fault("{\"fault\":\"undecryptable\",\"op\":\"payout\"}");
	expect_in_doubt(p, "pyo_f3", "UNDECRYPTABLE_RESPONSE");
	/* On a kept-alive connection curl sends a request again, once, when
	 * the connection dies before any answer; the same Idempotency-Key
	 * makes that harmless (the replay answers). A fresh client sees the
	 * drop itself. */
	fault("{\"fault\":\"drop_after_commit\",\"op\":\"payout\"}");
	p->destroy(p->self);
	p = open_port_key(1500, SANDBOX_PAYOUTS_SECURITY_KEY);
	expect_in_doubt(p, "pyo_f4", "CONNECTION_LOST");
	fault("{\"fault\":\"delay\",\"op\":\"payout\",\"delayMs\":3000}");
	expect_in_doubt(p, "pyo_f5", "TIMEOUT");
	fault("{\"fault\":\"refuse\",\"op\":\"payout\",\"status\":503,\"code\":\"PROVIDER_ERROR\"}");
	expect_in_doubt(p, "pyo_f6", "PROVIDER_ERROR");
	fault("{\"fault\":\"refuse\",\"op\":\"payout\",\"status\":429,\"code\":\"TOO_MANY_REQUESTS\"}");
	expect_in_doubt(p, "pyo_f7", "TOO_MANY_REQUESTS");
	/* What was committed behind the broken answers is found by status(). */
	p->status(p->self, &o, &s);
	cr_assert_eq(s.outcome, BANK_OK, "%s %s", s.code, s.message);
	cr_assert_eq(s.status, BANK_ST_ACCEPTED);
	o.payout_id = "pyo_f1"; /* the 500 committed nothing */
	p->status(p->self, &o, &s);
	cr_assert_eq(s.status, BANK_ST_NOT_FOUND);
	/* Broken look-ups are in doubt too. */
	fault("{\"fault\":\"undecryptable\",\"op\":\"payout_get\"}");
	p->status(p->self, &o, &s);
	cr_assert_eq(s.outcome, BANK_IN_DOUBT);
	cr_assert_str_eq(s.code, "UNDECRYPTABLE_RESPONSE");
	fault("{\"fault\":\"malformed\",\"op\":\"payout_get\"}");
	p->status(p->self, &o, &s);
	cr_assert_eq(s.outcome, BANK_IN_DOUBT);
	cr_assert_str_eq(s.code, "MALFORMED_RESPONSE");
	p->destroy(p->self);
	/* Nothing listens: in doubt (the port says so for every transport error). */
	sandbox_stop(&sp);
	p = open_port_key(1500, SANDBOX_PAYOUTS_SECURITY_KEY);
	expect_in_doubt(p, "pyo_f8", "CONNECTION");
	p->destroy(p->self);
}

Test(adapters_bank_toss_payouts, refusals_without_traffic_and_with_a_wrong_key)
{
	struct bank_port *p = open_port(), *wrong;
	struct payout_order o[101];
	struct bank_result r[101];
	char ids[101][16];

	seller("seller_1", "APPROVED");
	for (int i = 0; i < 101; i++) {
		snprintf(ids[i], sizeof ids[i], "pyo_%03d", i);
		o[i] = order(ids[i], "seller_1", 100);
	}
	p->send(p->self, o, 101, r);
	cr_assert_eq(r[0].outcome, BANK_REFUSED);
	cr_assert(strstr(r[100].message, "larger than"), "%s", r[100].message);
	o[0].payout_id = "pyo/../x";
	o[1].amount = 0;
	o[2].seller_id = "";
	o[3].currency = "USD";
	o[4].memo = "line\nbreak";
	o[5].payout_id = "pyo_006"; /* twice: o[6] is pyo_006 too */
	p->send(p->self, o, 7, r);
	for (int i = 0; i < 7; i++) {
		if (i == 5)
			continue;
		cr_assert_eq(r[i].outcome, BANK_REFUSED, "%d", i);
		cr_assert_str_eq(r[i].code, "INVALID_REQUEST");
	}
	cr_assert(strstr(r[6].message, "twice"), "%s", r[6].message);
	cr_assert_eq(r[5].outcome, BANK_OK, "%s %s", r[5].code, r[5].message);
	cr_assert_eq(sandbox_stat(&sp, "payout", NULL), 1);
	p->destroy(p->self);

	/* A wrong security key: the sandbox cannot decrypt the request (a
	 * plain JSON refusal), and nothing is created. */
	wrong = open_port_key(5000, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	o[0] = order("pyo_w", "seller_1", 100);
	wrong->send(wrong->self, o, 1, r);
	cr_assert_eq(r[0].outcome, BANK_REFUSED, "%s %s", r[0].code, r[0].message);
	cr_assert_str_eq(r[0].code, "INVALID_REQUEST");
	wrong->destroy(wrong->self);
}

Test(adapters_bank_toss_payouts, status_pages_through_the_list)
{
	struct bank_port *p = open_port();
	static struct payout_order o[100];
	static struct bank_result r[100];
	static char ids[250][16];
	struct bank_result s;

	seller("seller_1", "APPROVED");
	for (int b = 0; b < 2; b++) {
		for (int i = 0; i < 100; i++) {
			snprintf(ids[b * 100 + i], sizeof ids[0], "pyo_%d", b * 100 + i);
			o[i] = order(ids[b * 100 + i], "seller_1", 100 + i);
		}
		p->send(p->self, o, 100, r);
		cr_assert_eq(r[99].outcome, BANK_OK, "%s %s", r[99].code, r[99].message);
	}
	/* The oldest is on the second page (newest first, 100 a page). */
	o[0] = order("pyo_0", "seller_1", 100);
	p->status(p->self, &o[0], &s);
	cr_assert_eq(s.outcome, BANK_OK, "%s %s", s.code, s.message);
	cr_assert_eq(s.status, BANK_ST_ACCEPTED);
	cr_assert_eq(sandbox_stat(&sp, "payout_get", NULL), 2);
	p->destroy(p->self);
}

Test(adapters_bank_toss_payouts, plain_auth_error_refused)
{
	char url[128];
	struct toss_payouts_config cfg = {url, "live_sk_wrong", SANDBOX_PAYOUTS_SECURITY_KEY, 1000, 5000, 0};
	struct settle_err err = {0};
	struct payout_order o = order("pyo_auth", "seller_1", 100);
	struct bank_result r;
	struct bank_port *p;

	snprintf(url, sizeof url, "%s/toss", sp.base_url);
	p = toss_payouts_new(&cfg, &err);
	cr_assert_not_null(p, "%s", err.msg);
	p->send(p->self, &o, 1, &r);
	cr_assert_eq(r.outcome, BANK_REFUSED, "%s %s", r.code, r.message);
	cr_assert_str_eq(r.code, "UNAUTHORIZED_KEY");
	p->status(p->self, &o, &r);
	cr_assert_eq(r.outcome, BANK_IN_DOUBT, "a look-up never refuses");
	p->destroy(p->self);
}

Test(adapters_bank_toss_payouts, config_refused)
{
	struct toss_payouts_config cfg = {"http://127.0.0.1:1", "test_sk_x", "abc", 0, 0, 0};
	struct settle_err err = {0};

	cr_assert_null(toss_payouts_new(&cfg, &err));
	cr_assert_eq(err.code, 78);
	cr_assert(strstr(err.msg, "security key"), "%s", err.msg);
	cfg.security_key = SANDBOX_PAYOUTS_SECURITY_KEY;
	cfg.secret_key = "";
	cr_assert_null(toss_payouts_new(&cfg, &err));
	cfg.secret_key = "test_sk_x";
	cfg.base_url = "http://example.com";
	cr_assert_null(toss_payouts_new(&cfg, &err));
	cr_assert_eq(err.code, 78);
}
