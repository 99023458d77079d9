/*
 * test_toss_sellers.c — the Toss sellers adapter against the real
 * settle-sandbox over loopback: individuals and companies registered,
 * found by refSellerId across pages, their status read; applications
 * refused without traffic; every refusal, fault and broken answer sorted
 * into refused or in doubt; idempotent replays.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/bank/toss_sellers.h"
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

TestSuite(adapters_bank_toss_sellers, .init = start, .fini = stop, .timeout = 60);

static struct seller_registry *open_reg_key(long timeout_ms, const char *key, int pages)
{
	char url[128];
	struct toss_payouts_config cfg = {url, "test_sk_sandbox", key, 1000, timeout_ms, pages};
	struct settle_err err = {0};
	struct seller_registry *g;

	snprintf(url, sizeof url, "%s/toss", sp.base_url);
	g = toss_sellers_new(&cfg, &err);
	cr_assert_not_null(g, "%s", err.msg);
	return g;
}

static struct seller_registry *open_reg(void)
{
	return open_reg_key(5000, SANDBOX_PAYOUTS_SECURITY_KEY, 0);
}

static struct seller_application person(const char *ref, const char *key)
{
	return (struct seller_application){.leader_id = ref, .ref_seller_id = ref, .idempotency_key = key,
					   .kind = LEADER_INDIVIDUAL, .name = "김민지", .email = "minji@example.com",
					   .phone = "01012345678", .bank_code = "004", .account = "12345678901234",
					   .holder = "김민지"};
}

static struct seller_application company(const char *ref, const char *key)
{
	struct seller_application a = person(ref, key);

	a.kind = LEADER_CORPORATE;
	a.name = "Park Study Co.";
	a.representative_name = "Park Jisoo";
	a.business_number = "2208123456";
	return a;
}

static void fault(const char *json)
{
	cr_assert_eq(sandbox_fault(&sp, json), 0, "%s", json);
}

static void approve(const char *id, const char *status)
{
	char body[256], resp[1024];

	snprintf(body, sizeof body, "{\"id\":\"%s\",\"status\":\"%s\"}", id, status);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/payouts/sellers", body, resp, sizeof resp), 200, "%s", resp);
}

Test(adapters_bank_toss_sellers, registered_found_approved)
{
	struct seller_registry *g = open_reg();
	struct seller_application a = person("leader-kim", "seller-leader-kim-1"), b = company("leader-park", "k-park");
	struct seller_result r, c, s;

	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_OK, "%s %s", r.code, r.message);
	cr_assert_eq(r.status, SELLER_ST_APPROVAL_REQUIRED);
	cr_assert(!strncmp(r.seller_id, "seller_", 7), "%s", r.seller_id);
	g->register_seller(g->self, &b, &c);
	cr_assert_eq(c.outcome, SELLER_OK, "%s %s", c.code, c.message);
	cr_assert_str_neq(c.seller_id, r.seller_id);
	/* the same request again (same key, same body): Toss replays its answer */
	g->register_seller(g->self, &a, &s);
	cr_assert_eq(s.outcome, SELLER_OK, "%s %s", s.code, s.message);
	cr_assert_str_eq(s.seller_id, r.seller_id);
	cr_assert_eq(sandbox_stat(&sp, "seller_executed", NULL), 2);
	g->find(g->self, "leader-kim", &s);
	cr_assert_eq(s.outcome, SELLER_OK, "%s %s", s.code, s.message);
	cr_assert_str_eq(s.seller_id, r.seller_id);
	cr_assert_eq(s.status, SELLER_ST_APPROVAL_REQUIRED);
	g->find(g->self, "leader-nobody", &s);
	cr_assert_eq(s.outcome, SELLER_OK);
	cr_assert_eq(s.status, SELLER_ST_NOT_FOUND);
	approve(r.seller_id, "APPROVED");
	g->status(g->self, r.seller_id, &s);
	cr_assert_eq(s.outcome, SELLER_OK, "%s %s", s.code, s.message);
	cr_assert_eq(s.status, SELLER_ST_APPROVED);
	g->status(g->self, "seller_nope", &s);
	cr_assert_eq(s.outcome, SELLER_OK);
	cr_assert_eq(s.status, SELLER_ST_NOT_FOUND);
	g->find(g->self, "leader-park", &s);
	cr_assert_eq(s.outcome, SELLER_OK, "%s %s", s.code, s.message);
	cr_assert_str_eq(s.seller_id, c.seller_id);
	g->destroy(g->self);
}

Test(adapters_bank_toss_sellers, applications_refused_without_traffic)
{
	struct seller_registry *g = open_reg();
	struct seller_result r;
	struct seller_application a;
	static const char *const codes3[] = {"04", "0041", "abc"};

	a = person("leader-1", "k1");
	a.phone = "";
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_REFUSED);
	cr_assert_str_eq(r.code, "INVALID_REQUEST");
	cr_assert(strstr(r.message, "phone"), "%s", r.message);
	a = company("leader-2", "k2");
	a.representative_name = NULL;
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_REFUSED);
	cr_assert(strstr(r.message, "representativeName"), "%s", r.message);
	a = company("leader-3", "k3");
	a.business_number = "12345";
	g->register_seller(g->self, &a, &r);
	cr_assert(strstr(r.message, "businessRegistrationNumber"), "%s", r.message);
	for (size_t i = 0; i < 3; i++) {
		a = person("leader-4", "k4");
		a.bank_code = codes3[i];
		g->register_seller(g->self, &a, &r);
		cr_assert_eq(r.outcome, SELLER_REFUSED);
		cr_assert(strstr(r.message, "bankCode"), "%s", r.message);
	}
	a = person("leader.5", "k5");
	g->register_seller(g->self, &a, &r);
	cr_assert(strstr(r.message, "refSellerId"), "%s", r.message);
	a = person("leader-6", "");
	g->register_seller(g->self, &a, &r);
	cr_assert(strstr(r.message, "Idempotency-Key"), "%s", r.message);
	a = person("leader-7", "k7");
	a.account = "1234-5678";
	g->register_seller(g->self, &a, &r);
	cr_assert(strstr(r.message, "accountNumber"), "%s", r.message);
	cr_assert_null(strstr(r.message, "1234"), "no account digits in messages: %s", r.message);
	a = person("leader-8", "k8");
	a.email = "nobody";
	g->register_seller(g->self, &a, &r);
	cr_assert(strstr(r.message, "email"), "%s", r.message);
	cr_assert_eq(sandbox_stat(&sp, "seller", NULL), 0, "nothing was sent");
	g->destroy(g->self);
}

Test(adapters_bank_toss_sellers, refusals_and_duplicates)
{
	struct seller_registry *g = open_reg();
	struct seller_application a = person("leader-r", "kr-1");
	struct seller_result r;

	/* a definite no from Toss: refused with its code */
	fault("{\"fault\":\"refuse\",\"op\":\"seller\",\"status\":400,\"code\":\"INVALID_BANK_ACCOUNT\"}");
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_REFUSED, "%s %s", r.code, r.message);
	cr_assert_str_eq(r.code, "INVALID_BANK_ACCOUNT");
	fault("{\"fault\":\"refuse\",\"op\":\"seller\",\"status\":403,\"code\":\"FORBIDDEN_REQUEST\"}");
	a.idempotency_key = "kr-2";
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_REFUSED);
	cr_assert_str_eq(r.code, "FORBIDDEN_REQUEST");
	/* registered; then the same refSellerId under another key: it exists, so in doubt (look it up) */
	a.idempotency_key = "kr-3";
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_OK, "%s %s", r.code, r.message);
	a.idempotency_key = "kr-4";
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_IN_DOUBT);
	cr_assert_str_eq(r.code, "DUPLICATED_REF_SELLER_ID");
	/* the same key with another body: 422, in doubt */
	a = person("leader-r2", "kr-3");
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_IN_DOUBT);
	cr_assert_str_eq(r.code, "INVALID_IDEMPOTENCY_KEY");
	g->destroy(g->self);
	/* a wrong security key: Toss cannot decrypt the body (400 before decryption, plain) */
	g = open_reg_key(5000, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 0);
	a = person("leader-w", "kw");
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_REFUSED, "%s %s", r.code, r.message);
	cr_assert_str_eq(r.code, "INVALID_REQUEST");
	g->destroy(g->self);
}

static void expect_in_doubt(struct seller_registry *g, const char *ref, const char *code)
{
	struct seller_application a = person(ref, ref);
	struct seller_result r;

	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_IN_DOUBT, "%s: %s %s", ref, r.code, r.message);
	cr_assert_str_eq(r.code, code, "%s: %s %s", ref, r.code, r.message);
	cr_assert_null(strchr(r.message, '\n'));
}

Test(adapters_bank_toss_sellers, every_fault_is_in_doubt)
{
	struct seller_registry *g = open_reg_key(1500, SANDBOX_PAYOUTS_SECURITY_KEY, 0);
	struct seller_result s;

	fault("{\"fault\":\"http500\",\"op\":\"seller\"}");
	expect_in_doubt(g, "ldr-f1", "FAILED_INTERNAL_SYSTEM_PROCESSING");
	fault("{\"fault\":\"malformed\",\"op\":\"seller\"}");
	expect_in_doubt(g, "ldr-f2", "MALFORMED_RESPONSE");
	fault("{\"fault\":\"undecryptable\",\"op\":\"seller\"}");
	expect_in_doubt(g, "ldr-f3", "UNDECRYPTABLE_RESPONSE");
	fault("{\"fault\":\"drop_after_commit\",\"op\":\"seller\"}");
	g->destroy(g->self);
	g = open_reg_key(1500, SANDBOX_PAYOUTS_SECURITY_KEY, 0);
	expect_in_doubt(g, "ldr-f4", "CONNECTION_LOST");
	fault("{\"fault\":\"delay\",\"op\":\"seller\",\"delayMs\":3000}");
	expect_in_doubt(g, "ldr-f5", "TIMEOUT");
	fault("{\"fault\":\"refuse\",\"op\":\"seller\",\"status\":503,\"code\":\"PROVIDER_ERROR\"}");
	expect_in_doubt(g, "ldr-f6", "PROVIDER_ERROR");
	fault("{\"fault\":\"refuse\",\"op\":\"seller\",\"status\":429,\"code\":\"TOO_MANY_REQUESTS\"}");
	expect_in_doubt(g, "ldr-f7", "TOO_MANY_REQUESTS");
	fault("{\"fault\":\"refuse\",\"op\":\"seller\",\"status\":409,\"code\":\"IDEMPOTENT_REQUEST_PROCESSING\"}");
	expect_in_doubt(g, "ldr-f8", "IDEMPOTENT_REQUEST_PROCESSING");
	/* what was committed behind a broken answer is found by its refSellerId */
	g->find(g->self, "ldr-f2", &s);
	cr_assert_eq(s.outcome, SELLER_OK, "%s %s", s.code, s.message);
	cr_assert_eq(s.status, SELLER_ST_APPROVAL_REQUIRED);
	g->find(g->self, "ldr-f4", &s);
	cr_assert_eq(s.status, SELLER_ST_APPROVAL_REQUIRED);
	g->find(g->self, "ldr-f1", &s); /* the 500 committed nothing */
	cr_assert_eq(s.outcome, SELLER_OK);
	cr_assert_eq(s.status, SELLER_ST_NOT_FOUND);
	/* broken look-ups are in doubt, never "not found" */
	fault("{\"fault\":\"undecryptable\",\"op\":\"payout_get\"}");
	g->find(g->self, "ldr-f2", &s);
	cr_assert_eq(s.outcome, SELLER_IN_DOUBT);
	cr_assert_str_eq(s.code, "UNDECRYPTABLE_RESPONSE");
	fault("{\"fault\":\"malformed\",\"op\":\"payout_get\"}");
	g->find(g->self, "ldr-f2", &s);
	cr_assert_eq(s.outcome, SELLER_IN_DOUBT);
	cr_assert_str_eq(s.code, "MALFORMED_RESPONSE");
	fault("{\"fault\":\"http500\",\"op\":\"payout_get\"}");
	g->status(g->self, "seller_x", &s);
	cr_assert_eq(s.outcome, SELLER_IN_DOUBT);
	g->destroy(g->self);
	/* nothing listens */
	sandbox_stop(&sp);
	g = open_reg_key(1500, SANDBOX_PAYOUTS_SECURITY_KEY, 0);
	expect_in_doubt(g, "ldr-f9", "CONNECTION");
	g->find(g->self, "ldr-f9", &s);
	cr_assert_eq(s.outcome, SELLER_IN_DOUBT);
	g->destroy(g->self);
}

Test(adapters_bank_toss_sellers, find_pages_through_the_list)
{
	struct seller_registry *g = open_reg(), *one;
	struct seller_application a = person("ldr-first", "k-first");
	struct seller_result r, s;
	char body[128], resp[512];

	/* the one to find is the oldest; 150 newer ones push it to page 2 */
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_OK);
	for (int i = 0; i < 150; i++) {
		snprintf(body, sizeof body, "{\"id\":\"seller_p%d\",\"status\":\"APPROVED\",\"refSellerId\":\"p%d\"}", i, i);
		cr_assert_eq(sandbox_post(&sp, "/_sandbox/payouts/sellers", body, resp, sizeof resp), 200, "%s", resp);
	}
	g->find(g->self, "ldr-first", &s);
	cr_assert_eq(s.outcome, SELLER_OK, "%s %s", s.code, s.message);
	cr_assert_str_eq(s.seller_id, r.seller_id);
	g->find(g->self, "p149", &s);
	cr_assert_str_eq(s.seller_id, "seller_p149");
	cr_assert_eq(s.status, SELLER_ST_APPROVED);
	/* a look-up that gives up before the end is in doubt, not "not found" */
	one = open_reg_key(5000, SANDBOX_PAYOUTS_SECURITY_KEY, 1);
	one->find(one->self, "ldr-first", &s);
	cr_assert_eq(s.outcome, SELLER_IN_DOUBT);
	cr_assert_str_eq(s.code, "LOOKUP_INCOMPLETE");
	one->destroy(one->self);
	g->destroy(g->self);
}

Test(adapters_bank_toss_sellers, config_refused)
{
	struct toss_payouts_config cfg = {"http://127.0.0.1:1", "", SANDBOX_PAYOUTS_SECURITY_KEY, 0, 0, 0};
	struct settle_err err = {0};

	cr_assert_null(toss_sellers_new(&cfg, &err));
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cfg.secret_key = "test_sk_x";
	cfg.security_key = "abc";
	cr_assert_null(toss_sellers_new(&cfg, &err));
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
}

/* The account number is spliced into the JSON text after jansson wrote it
 * (so it is never in a jansson value); a name that looks like the place
 * holder must not draw it. */
Test(adapters_bank_toss_sellers, account_lands_in_its_field_only)
{
	struct seller_registry *g = open_reg();
	struct seller_application a = person("leader-mark", "k-mark");
	struct seller_result r;

	a.name = "@@ACCOUNT_NUMBER@@";
	a.holder = "\"accountNumber\":\"@@ACCOUNT_NUMBER@@\"";
	g->register_seller(g->self, &a, &r);
	cr_assert_eq(r.outcome, SELLER_OK, "%s %s", r.code, r.message);
	g->destroy(g->self);
}
