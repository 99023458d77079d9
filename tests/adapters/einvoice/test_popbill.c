/*
 * test_popbill.c — the e-invoice port over the Popbill-shaped API against
 * the sandbox: a LinkHub token signed as the SDK signs it, registIssue
 * gives a 24-character approval number, getInfo finds it (and says when a
 * key is unknown); a key sent twice is in doubt, never a second invoice;
 * a time-out after the provider issued, a 500 and a broken body are in
 * doubt (75) and a look-up then tells the truth; a refusal is definite; a
 * wrong secret is 78; a dead provider is 69 with nothing sent.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "adapters/einvoice/invoice_doc.h"
#include "adapters/einvoice/popbill.h"
#include "lib/sandbox_proc.h"

#define SECRET "c2V0dGxlLXNhbmRib3gtbGlua2h1Yi1zZWNyZXQta2V5IQ=="

static struct sandbox_proc sp;
static struct popbill *pb;
static struct einvoice_port port;
static char api[96], auth[96];

static struct popbill *client(const char *secret, const char *base, long timeout_ms, struct settle_err *err)
{
	struct popbill *p;
	struct popbill_config cfg = {base, auth, "POPBILL_TEST", "SETTLE_SANDBOX", secret, "2208100001", NULL, 1000,
				     timeout_ms};

	if (popbill_new(&p, &cfg, err) < 0) {
		popbill_free(p);
		return NULL;
	}
	return p;
}

static void setup(void)
{
	struct settle_err err = {0};

	cr_assert_eq(sandbox_start(&sp, NULL), 0);
	snprintf(api, sizeof api, "%s/popbill", sp.base_url);
	snprintf(auth, sizeof auth, "%s/linkhub", sp.base_url);
	pb = client(SECRET, api, 1500, &err);
	cr_assert_not_null(pb, "%s", err.msg);
	popbill_port(&port, pb);
}

static void teardown(void)
{
	popbill_free(pb);
	sandbox_stop(&sp);
}

TestSuite(adapters_einvoice_popbill, .init = setup, .fini = teardown, .timeout = 60);

static int submit(const char *key, struct einvoice_result *res, struct settle_err *err)
{
	struct invoice_doc d;
	struct invoice_line lines[2];

	test_invoice_doc(&d, lines, key);
	return port.submit(port.self, &d, res, err);
}

Test(adapters_einvoice_popbill, issues_and_finds)
{
	struct einvoice_result res, got;
	struct settle_err err = {0};

	cr_assert_eq(submit("S202610L1N0", &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.outcome, EINVOICE_ISSUED);
	cr_assert_eq(approval_number_check(res.issue_id, &err), 0, "%s", res.issue_id);
	cr_assert(!strncmp(res.issue_id, "20261031", 8), "%s", res.issue_id);
	cr_assert_eq(port.lookup(port.self, "S202610L1N0", &got, &err), 0, "%s", err.msg);
	cr_assert_eq(got.outcome, EINVOICE_ISSUED);
	cr_assert_str_eq(got.issue_id, res.issue_id);
	cr_assert_eq(port.lookup(port.self, "S202610L1N5", &got, &err), 0, "%s", err.msg);
	cr_assert_eq(got.outcome, EINVOICE_NOT_FOUND);
	/* the same key again: in doubt (look it up), never a second invoice */
	cr_assert_eq(submit("S202610L1N0", &res, &err), -1);
	cr_assert_eq(err.code, 75);
	cr_assert_eq(sandbox_stat(&sp, "einvoice_executed", NULL), 1);
}

Test(adapters_einvoice_popbill, timeout_after_commit_is_in_doubt)
{
	struct einvoice_result res;
	struct settle_err err = {0};

	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"delay\",\"op\":\"einvoice\",\"delayMs\":2500,\"count\":1}"), 0);
	cr_assert_eq(submit("S202610L2N0", &res, &err), -1);
	cr_assert_eq(err.code, 75, "%s", err.msg);
	cr_assert_eq(port.lookup(port.self, "S202610L2N0", &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.outcome, EINVOICE_ISSUED);
}

Test(adapters_einvoice_popbill, broken_body_and_drop_are_in_doubt)
{
	struct einvoice_result res;
	struct settle_err err = {0};

	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"malformed\",\"op\":\"einvoice\",\"count\":1}"), 0);
	cr_assert_eq(submit("S202610L3N0", &res, &err), -1);
	cr_assert_eq(err.code, 75, "%s", err.msg);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"drop_after_commit\",\"op\":\"einvoice\",\"count\":1}"), 0);
	cr_assert_eq(submit("S202610L4N0", &res, &err), -1);
	cr_assert_eq(err.code, 75, "%s", err.msg);
	cr_assert_eq(port.lookup(port.self, "S202610L3N0", &res, &err), 0);
	cr_assert_eq(res.outcome, EINVOICE_ISSUED);
	cr_assert_eq(port.lookup(port.self, "S202610L4N0", &res, &err), 0);
	cr_assert_eq(res.outcome, EINVOICE_ISSUED);
}

Test(adapters_einvoice_popbill, server_error_is_in_doubt_and_did_nothing)
{
	struct einvoice_result res;
	struct settle_err err = {0};

	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"http500\",\"op\":\"einvoice\",\"count\":1}"), 0);
	cr_assert_eq(submit("S202610L5N0", &res, &err), -1);
	cr_assert_eq(err.code, 75, "%s", err.msg);
	cr_assert_eq(port.lookup(port.self, "S202610L5N0", &res, &err), 0);
	cr_assert_eq(res.outcome, EINVOICE_NOT_FOUND);
	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"http500\",\"op\":\"einvoice_get\",\"count\":1}"), 0);
	cr_assert_eq(port.lookup(port.self, "S202610L5N0", &res, &err), -1);
	cr_assert_eq(err.code, 75);
}

Test(adapters_einvoice_popbill, refusal_is_definite)
{
	struct einvoice_result res;
	struct settle_err err = {0};

	cr_assert_eq(sandbox_fault(&sp, "{\"fault\":\"refuse\",\"op\":\"einvoice\",\"code\":\"-10000001\","
					"\"message\":\"certificate not registered\"}"),
		     0);
	cr_assert_eq(submit("S202610L6N0", &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.outcome, EINVOICE_REFUSED);
	cr_assert_str_eq(res.code, "-10000001");
	cr_assert_str_eq(res.message, "certificate not registered");
}

Test(adapters_einvoice_popbill, sandbox_is_strict_about_the_document)
{
	struct einvoice_result res;
	struct settle_err err = {0};
	struct invoice_doc d;
	struct invoice_line lines[2];

	/* a total that is not supply + tax: the provider refuses it */
	test_invoice_doc(&d, lines, "S202610L8N0");
	d.total += 1;
	cr_assert_eq(port.submit(port.self, &d, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.outcome, EINVOICE_REFUSED);
	cr_assert(strstr(res.message, "totalAmount"), "%s", res.message);
	/* lines that do not add up */
	test_invoice_doc(&d, lines, "S202610L8N1");
	lines[0].supply += 1;
	cr_assert_eq(port.submit(port.self, &d, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.outcome, EINVOICE_REFUSED);
	/* an amendment without its original */
	test_invoice_doc(&d, lines, "S202610L8N2");
	d.type = INVOICE_AMENDMENT;
	memcpy(d.amendment_code, "02", 3);
	cr_assert_eq(port.submit(port.self, &d, &res, &err), 0, "%s", err.msg);
	cr_assert_eq(res.outcome, EINVOICE_REFUSED);
	cr_assert(strstr(res.message, "orgNTSConfirmNum"), "%s", res.message);
	cr_assert_eq(sandbox_stat(&sp, "einvoice_executed", NULL), 0);
}

Test(adapters_einvoice_popbill, wrong_secret_is_78)
{
	struct einvoice_result res;
	struct settle_err err = {0};
	struct invoice_doc d;
	struct invoice_line lines[2];
	struct popbill *bad = client("b3RoZXItc2VjcmV0LWtleS1vZi0zMi1ieXRlcy0hISE=", api, 1500, &err);
	struct einvoice_port bp;

	cr_assert_not_null(bad, "%s", err.msg);
	popbill_port(&bp, bad);
	test_invoice_doc(&d, lines, "S202610L9N0");
	cr_assert_eq(bp.submit(bp.self, &d, &res, &err), -1);
	cr_assert_eq(err.code, 78, "%s", err.msg);
	cr_assert_eq(sandbox_stat(&sp, "einvoice", NULL), 0);
	popbill_free(bad);
	/* not base64 at all */
	bad = client("not base64!", api, 1500, &err);
	cr_assert_not_null(bad, "%s", err.msg);
	popbill_port(&bp, bad);
	cr_assert_eq(bp.submit(bp.self, &d, &res, &err), -1);
	cr_assert_eq(err.code, 78, "%s", err.msg);
	popbill_free(bad);
}

Test(adapters_einvoice_popbill, dead_provider_is_69)
{
	struct einvoice_result res;
	struct settle_err err = {0};
	struct invoice_doc d;
	struct invoice_line lines[2];
	struct popbill *dead;
	struct einvoice_port dp;

	snprintf(auth, sizeof auth, "http://127.0.0.1:1/linkhub");
	dead = client(SECRET, "http://127.0.0.1:1/popbill", 1500, &err);
	cr_assert_not_null(dead, "%s", err.msg);
	popbill_port(&dp, dead);
	test_invoice_doc(&d, lines, "S202610L9N1");
	cr_assert_eq(dp.submit(dp.self, &d, &res, &err), -1);
	cr_assert_eq(err.code, 69, "%s", err.msg);
	popbill_free(dead);
}

Test(adapters_einvoice_popbill, request_body_is_popbill_shaped)
{
	struct invoice_doc d;
	struct invoice_line lines[2];
	char *body;

	test_invoice_doc(&d, lines, "S202610L1N0");
	body = popbill_issue_body(&d, "2208100001");
	cr_assert_not_null(body);
	cr_assert(strstr(body, "\"writeDate\":\"20261031\""), "%s", body);
	cr_assert(strstr(body, "\"invoicerMgtKey\":\"S202610L1N0\""), "%s", body);
	cr_assert(strstr(body, "\"supplyCostTotal\":\"23636\",\"taxTotal\":\"2364\",\"totalAmount\":\"26000\""), "%s",
		  body);
	cr_assert(strstr(body, "\"forceIssue\":false"), "%s", body);
	cr_assert(!strstr(body, "modifyCode"), "%s", body);
	free(body);
}
