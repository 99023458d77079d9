/*
 * The sandbox's e-invoice provider refuses what Popbill and LinkHub
 * refuse: a token request with a wrong signature, LinkID, stale date or
 * scope; an API call without x-pb-version, without or with an unknown
 * token, without the ISSUE override; and answers getInfo for an unknown
 * key with -11000005. Nothing refused is issued.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "adapters/einvoice/linkhub.h"
#include "lib/sandbox_proc.h"

#define SECRET "c2V0dGxlLXNhbmRib3gtbGlua2h1Yi1zZWNyZXQta2V5IQ=="
#define BODY "{\"access_id\":\"2208100001\",\"scope\":[\"member\",\"110\"]}"

static struct sandbox_proc sp;

static void start(void)
{
	cr_assert_eq(sandbox_start(&sp, NULL), 0);
}

static void stop(void)
{
	sandbox_stop(&sp);
}

TestSuite(sandbox_einvoice, .init = start, .fini = stop, .timeout = 30);

/* A token request; returns the HTTP status, the answer in resp. */
static long token_req(const char *link, const char *secret, long skew_s, const char *body, char *resp, size_t len)
{
	char date[32], sig[LINKHUB_SIG_LEN], h_date[64], h_auth[160];
	struct settle_err err = {0};
	time_t now = time(NULL) + skew_s;
	struct tm tm;
	long status = 0;

	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cr_assert_eq(linkhub_signature(secret, body, date, "/POPBILL_TEST/Token", sig, &err), 0, "%s", err.msg);
	snprintf(h_date, sizeof h_date, "x-lh-date: %s", date);
	snprintf(h_auth, sizeof h_auth, "Authorization: LINKHUB %s %s", link, sig);
	cr_assert_eq(sandbox_request(&sp, "POST", "/linkhub/POPBILL_TEST/Token",
				     (const char *const[]){h_date, "x-lh-version: 1.0", h_auth,
							   "Content-Type: application/json", NULL},
				     body, 0, resp, len, &status),
		     0);
	return status;
}

static void token(char *out, size_t len)
{
	char resp[1024];
	const char *p;

	cr_assert_eq(token_req("SETTLE_SANDBOX", SECRET, 0, BODY, resp, sizeof resp), 200, "%s", resp);
	p = strstr(resp, "\"session_token\":\"");
	cr_assert_not_null(p, "%s", resp);
	snprintf(out, len, "%.40s", p + strlen("\"session_token\":\""));
}

Test(sandbox_einvoice, token_refusals)
{
	char resp[1024];

	cr_assert_eq(token_req("OTHER_LINK", SECRET, 0, BODY, resp, sizeof resp), 401, "%s", resp);
	cr_assert_eq(token_req("SETTLE_SANDBOX", "b3RoZXItc2VjcmV0LWtleS1vZi0zMi1ieXRlcy0hISE=", 0, BODY, resp,
			       sizeof resp),
		     401, "%s", resp);
	cr_assert_eq(token_req("SETTLE_SANDBOX", SECRET, -3600, BODY, resp, sizeof resp), 401, "%s", resp);
	cr_assert_eq(token_req("SETTLE_SANDBOX", SECRET, 0, "{\"access_id\":\"2208100001\",\"scope\":[\"member\"]}",
			       resp, sizeof resp),
		     400, "%s", resp);
	cr_assert_eq(token_req("SETTLE_SANDBOX", SECRET, 0, "{\"access_id\":\"22081\",\"scope\":[\"110\"]}", resp,
			       sizeof resp),
		     400, "%s", resp);
	cr_assert_eq(token_req("SETTLE_SANDBOX", SECRET, 0, BODY, resp, sizeof resp), 200, "%s", resp);
}

Test(sandbox_einvoice, api_refusals)
{
	char tok[48], auth[80], resp[1024];
	long status = 0;

	token(tok, sizeof tok);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	/* no x-pb-version */
	sandbox_request(&sp, "GET", "/popbill/Taxinvoice/SELL/K1", (const char *const[]){auth, NULL}, NULL, 0, resp,
			sizeof resp, &status);
	cr_assert_eq(status, 400, "%s", resp);
	/* no token, an unknown token */
	sandbox_request(&sp, "GET", "/popbill/Taxinvoice/SELL/K1", (const char *const[]){"x-pb-version: 1.0", NULL},
			NULL, 0, resp, sizeof resp, &status);
	cr_assert_eq(status, 401, "%s", resp);
	sandbox_request(&sp, "GET", "/popbill/Taxinvoice/SELL/K1",
			(const char *const[]){"x-pb-version: 1.0", "Authorization: Bearer 0123456789abcdef", NULL}, NULL,
			0, resp, sizeof resp, &status);
	cr_assert_eq(status, 401, "%s", resp);
	/* an unknown key */
	sandbox_request(&sp, "GET", "/popbill/Taxinvoice/SELL/K1", (const char *const[]){"x-pb-version: 1.0", auth, NULL},
			NULL, 0, resp, sizeof resp, &status);
	cr_assert_eq(status, 400, "%s", resp);
	cr_assert(strstr(resp, "-11000005"), "%s", resp);
	/* registIssue without the ISSUE override, and with a body that is not JSON */
	sandbox_request(&sp, "POST", "/popbill/Taxinvoice",
			(const char *const[]){"x-pb-version: 1.0", auth, "Content-Type: application/json", NULL}, "{}",
			0, resp, sizeof resp, &status);
	cr_assert_eq(status, 400, "%s", resp);
	cr_assert(strstr(resp, "X-HTTP-Method-Override"), "%s", resp);
	sandbox_request(&sp, "POST", "/popbill/Taxinvoice",
			(const char *const[]){"x-pb-version: 1.0", auth, "X-HTTP-Method-Override: ISSUE",
					      "Content-Type: application/json", NULL},
			"[1,2", 0, resp, sizeof resp, &status);
	cr_assert_eq(status, 400, "%s", resp);
	/* an invoicer other than the token's corp */
	sandbox_request(&sp, "POST", "/popbill/Taxinvoice",
			(const char *const[]){"x-pb-version: 1.0", auth, "X-HTTP-Method-Override: ISSUE",
					      "Content-Type: application/json", NULL},
			"{\"writeDate\":\"20261031\",\"issueType\":\"정발행\",\"purposeType\":\"영수\",\"taxType\":\"과세\","
			"\"invoicerCorpNum\":\"1168200276\",\"invoicerMgtKey\":\"K1\"}",
			0, resp, sizeof resp, &status);
	cr_assert_eq(status, 400, "%s", resp);
	cr_assert(strstr(resp, "token's corp number"), "%s", resp);
	cr_assert_eq(sandbox_stat(&sp, "einvoice_executed", NULL), 0);
}
