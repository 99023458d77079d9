/*
 * pay-webhookd as systemd runs it (a passed listening socket, a
 * NOTIFY_SOCKET of the test's own) against the real database, with the
 * sandbox sending webhooks the way the PGs do: a deposit callback
 * completes a virtual-account payment and creates its escrow (before and
 * after the sweep saw the deposit); duplicates and out-of-order events
 * change nothing; a cancellation seen only at the PG is flagged; a signed
 * payout.changed moves the payout; bad secrets and signatures, stale
 * times, unknown payments, oversized and malformed bodies get a 4xx, are
 * logged without secrets and change nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adapters/pg/webhook_parse.h"
#include "lib/daemon_proc.h"
#include "lib/payfix.h"
#include "sandbox/payouts.h"

static struct payfix f;
static struct daemon_proc d;
static char keyfile[96];

static void start_daemon(void)
{
	cr_assert_eq(daemon_start(&d, (const char *const[]){"pay-webhookd", NULL}, f.t.config_path, NULL, 0), 0);
	cr_assert_eq(daemon_wait_notify(&d, "READY=1", 10000), 0, "no READY=1");
}

static void setup_with(const char *channel)
{
	char extra[1024];
	FILE *k;

	snprintf(keyfile, sizeof keyfile, "/tmp/settle-whkey-%d", (int)getpid());
	k = fopen(keyfile, "w");
	cr_assert_not_null(k);
	fputs(SANDBOX_PAYOUTS_SECURITY_KEY "\n", k);
	fclose(k);
	chmod(keyfile, 0600);
	snprintf(extra, sizeof extra,
		 "[escrow]\nhold_days = 7\n[payout]\nchannel = %s\n"
		 "[toss-payouts]\nbase_url = BASE\nsecret_key_file = SECRET\nsecurity_key_file = %s\ntimeout_ms = 3000\n"
		 "[webhookd]\nmax_skew_s = 300\nbody_max = 8192\n",
		 channel, keyfile);
	payfix_setup(&f, extra);
	{
		char *c = strstr(f.t.extra_conf, "base_url = BASE"), tail[1024], secret[128];

		snprintf(secret, sizeof secret, "%s/toss", f.dir);
		cr_assert_not_null(c);
		snprintf(tail, sizeof tail, "%s", c + strlen("base_url = BASE\nsecret_key_file = SECRET"));
		snprintf(c, sizeof f.t.extra_conf - (size_t)(c - f.t.extra_conf),
			 "base_url = %s/toss\nsecret_key_file = %s%s", f.sp.base_url, secret, tail);
		testdb_write_config(&f.t);
	}
	start_daemon();
}

static void setup(void)
{
	setup_with("toss-payouts");
}

static void teardown(void)
{
	int rc = d.pid ? daemon_stop(&d, 10000) : 0;

	payfix_teardown(&f);
	unlink(keyfile);
	unlink(d.log_path);
	cr_assert_eq(rc, 0, "pay-webhookd did not stop cleanly: %d", rc);
}

TestSuite(cmd_pay_webhookd, .init = setup, .fini = teardown, .timeout = 90);

/* Sends a webhook through the sandbox; the receiver's status. */
static int send_hook(const char *fmt_json, const char *order, char *resp, size_t len)
{
	char body[1024], url[96];
	const char *p;
	int status = -1;

	snprintf(url, sizeof url, "%s/webhooks/%s", d.base_url, strstr(fmt_json, "nicepay") ? "nicepay"
							      : strstr(fmt_json, "payout.changed") ? "toss-payouts"
												  : "toss");
	snprintf(body, sizeof body, fmt_json, url, order);
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/webhooks/send", body, resp, len), 200, "%s", resp);
	p = strstr(resp, "\"status\":");
	cr_assert_not_null(p, "%s", resp);
	status = atoi(p + 9);
	return status;
}

/* Waits until the payment of order has status st (the work runs after the answer). */
static void wait_status(const char *order, const char *st)
{
	char buf[32] = "";

	for (int i = 0; i < 500; i++) {
		if (!strcmp(pf_status(&f, order, buf, sizeof buf), st))
			return;
		nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
	}
	cr_assert_str_eq(buf, st, "order %s", order);
}

/* Waits until no event is RECEIVED (all acted on). */
static void wait_events_done(void)
{
	for (int i = 0; i < 500; i++) {
		if (pf_count(&f, "SELECT COUNT(*) FROM webhook_events WHERE status = 'RECEIVED'") == 0)
			return;
		nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
	}
	cr_assert_fail("events still RECEIVED");
}

static void va_waiting(const char *pod, const char *user, char *order, size_t len)
{
	struct run_result r;
	char key[128], st[32];

	pf_order(&f, pod, user, (const char *const[]){"--method", "VIRTUAL_ACCOUNT", NULL}, order, len);
	pf_checkout(&f, order, "VIRTUAL_ACCOUNT", key, sizeof key);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(pf_status(&f, order, st, sizeof st), "WAITING_FOR_DEPOSIT");
}

#define DEPOSIT "{\"url\":\"%s\",\"kind\":\"deposit\",\"orderId\":\"%s\"}"
#define DEPOSIT_AGAIN "{\"url\":\"%s\",\"kind\":\"deposit\",\"orderId\":\"%s\",\"move\":false}"

Test(cmd_pay_webhookd, deposit_callback_completes_the_payment_once)
{
	char order[80], resp[4096], log[16384], secret[160];

	va_waiting("pod-algo-101", "user-dan", order, sizeof order);
	pf_string(&f, secret, sizeof secret, "SELECT va_secret FROM payments WHERE order_id = '%s'", order);
	cr_assert_neq(secret[0], '\0', "the PG's secret is kept with the payment");
	cr_assert_eq(send_hook(DEPOSIT, order, resp, sizeof resp), 200, "%s", resp);
	wait_status(order, "COMPLETED");
	pf_assert_captured(&f, order, "COMPLETED");
	wait_events_done();
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM webhook_events WHERE status = 'PROCESSED' AND flag IS NULL"), 1);
	/* The PG's retry of the same event: stored once, acted on once. */
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(send_hook(DEPOSIT_AGAIN, order, resp, sizeof resp), 200, "%s", resp);
		cr_assert(strstr(resp, "duplicate"), "%s", resp);
	}
	wait_events_done();
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM webhook_events"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture'"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows"), 1);
	pf_ledger_ok(&f);
	daemon_log(&d, log, sizeof log);
	cr_assert_null(strstr(log, secret), "the secret was logged");
	/* nor kept with the stored body (adapters/pg/webhook_redact.h) */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM webhook_events WHERE body LIKE '%%\"secret\":null%%'"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM webhook_events e JOIN payments p ON LOCATE(p.va_secret, e.body) > 0"),
		     0, "the deposit secret was stored with the webhook");
}

Test(cmd_pay_webhookd, deposit_after_the_sweep_saw_it_changes_nothing)
{
	char order[80], resp[4096], body[160], before[4096];
	struct run_result r;

	va_waiting("pod-sql-201", "user-eve", order, sizeof order);
	snprintf(body, sizeof body, "{\"orderId\":\"%s\"}", order);
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/deposit", body, resp, sizeof resp), 200, "%s", resp);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payments SET next_check_at = NULL"), 0u);
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	pf_assert_captured(&f, order, "COMPLETED");
	testdb_fingerprint(&f.t, before, sizeof before);
	cr_assert_eq(send_hook(DEPOSIT_AGAIN, order, resp, sizeof resp), 200, "%s", resp);
	wait_events_done();
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM webhook_events WHERE status = 'PROCESSED'"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture'"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows"), 1);
	pf_ledger_ok(&f);
}

/* The issuance callback (WAITING_FOR_DEPOSIT) arriving after the deposit's: the PG's
 * answer decides, and the payment stays COMPLETED. */
Test(cmd_pay_webhookd, out_of_order_events_change_nothing)
{
	char order[80], resp[4096], secret[160], raw[1024], out[1024];

	va_waiting("pod-rust-301", "user-fay", order, sizeof order);
	cr_assert_eq(send_hook(DEPOSIT, order, resp, sizeof resp), 200, "%s", resp);
	wait_status(order, "COMPLETED");
	wait_events_done();
	pf_string(&f, secret, sizeof secret, "SELECT va_secret FROM payments WHERE order_id = '%s'", order);
	snprintf(raw, sizeof raw,
		 "{\"createdAt\":\"2026-01-01T00:00:00.000000\",\"secret\":\"%s\",\"status\":\"WAITING_FOR_DEPOSIT\","
		 "\"transactionKey\":\"tx-issued\",\"orderId\":\"%s\"}",
		 secret, order);
	cr_assert_eq(daemon_http(&d, "POST", "/webhooks/toss", "Content-Type: application/json\r\n", raw, out, sizeof out),
		     200, "%s", out);
	wait_events_done();
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM webhook_events"), 2);
	pf_assert_captured(&f, order, "COMPLETED");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture'"), 1);
	pf_ledger_ok(&f);
}

Test(cmd_pay_webhookd, cancellation_seen_only_at_the_pg_is_flagged)
{
	char order[80], resp[4096], flag[64];

	pf_paid(&f, "pod-algo-101", "user-gus", NULL, order, sizeof order);
	cr_assert_eq(send_hook("{\"url\":\"%s\",\"kind\":\"cancel\",\"orderId\":\"%s\"}", order, resp, sizeof resp), 200,
		     "%s", resp);
	wait_events_done();
	cr_assert_str_eq(pf_string(&f, flag, sizeof flag, "SELECT COALESCE(flag, '') FROM webhook_events"),
			 "CANCELED_AT_PG");
	pf_assert_captured(&f, order, "COMPLETED"); /* a refund is an operator's decision */
	pf_ledger_ok(&f);
}

Test(cmd_pay_webhookd, nicepay_notification_is_verified_and_answered_ok)
{
	char order[80], resp[4096];

	pf_paid(&f, "pod-rust-301", "user-hal", (const char *const[]){"--pg", "nicepay", NULL}, order, sizeof order);
	cr_assert_eq(send_hook("{\"url\":\"%s\",\"kind\":\"nicepay\",\"orderId\":\"%s\"}", order, resp, sizeof resp),
		     200, "%s", resp);
	cr_assert(strstr(resp, "\"answer\":\"OK\""), "NicePay wants OK: %s", resp);
	wait_events_done();
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM webhook_events WHERE source = 'nicepay' AND status = 'PROCESSED'"),
		     1);
	/* A forged signature: 401, nothing stored. */
	cr_assert_eq(send_hook("{\"url\":\"%s\",\"kind\":\"nicepay\",\"orderId\":\"%s\",\"move\":false,"
			       "\"signature\":\"0000000000000000000000000000000000000000000000000000000000000000\"}",
			       order, resp, sizeof resp),
		     401, "%s", resp);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM webhook_events"), 1);
}

Test(cmd_pay_webhookd, refusals_are_4xx_logged_without_secrets_and_change_nothing)
{
	char order[80], resp[4096], before[4096], raw[2048], out[2048], log[32768], secret[160];
	char *big;
	struct {
		const char *what, *path, *body;
		int status;
	} cases[] = {
		{"not JSON", "/webhooks/toss", "not json", 400},
		{"an array", "/webhooks/toss", "[1,2]", 400},
		{"empty", "/webhooks/toss", "", 400},
		{"truncated", "/webhooks/toss", "{\"orderId\":", 400},
		{"duplicate keys", "/webhooks/toss", "{\"orderId\":\"a\",\"orderId\":\"b\"}", 400},
		{"missing secret", "/webhooks/toss",
		 "{\"createdAt\":\"x\",\"status\":\"DONE\",\"transactionKey\":\"t\",\"orderId\":\"ORDER\"}", 400},
		{"secret not a string", "/webhooks/toss",
		 "{\"createdAt\":\"x\",\"secret\":12,\"status\":\"DONE\",\"transactionKey\":\"t\",\"orderId\":\"ORDER\"}", 400},
		{"wrong secret", "/webhooks/toss",
		 "{\"createdAt\":\"x\",\"secret\":\"WRONGSECRET\",\"status\":\"DONE\",\"transactionKey\":\"t\",\"orderId\":\"ORDER\"}",
		 401},
		{"empty secret", "/webhooks/toss",
		 "{\"createdAt\":\"x\",\"secret\":\"\",\"status\":\"DONE\",\"transactionKey\":\"t\",\"orderId\":\"ORDER\"}", 400},
		{"unknown payment", "/webhooks/toss",
		 "{\"createdAt\":\"x\",\"secret\":\"SECRET\",\"status\":\"DONE\",\"transactionKey\":\"t\",\"orderId\":\"ord_nope_1\"}",
		 404},
		{"unknown payment status", "/webhooks/toss",
		 "{\"eventType\":\"PAYMENT_STATUS_CHANGED\",\"createdAt\":\"x\",\"data\":{\"paymentKey\":\"k\",\"orderId\":"
		 "\"ord_nope_2\",\"status\":\"DONE\"}}",
		 404},
		{"status without data", "/webhooks/toss", "{\"eventType\":\"PAYMENT_STATUS_CHANGED\"}", 400},
		{"status change, made-up key", "/webhooks/toss",
		 "{\"eventType\":\"PAYMENT_STATUS_CHANGED\",\"createdAt\":\"x\",\"data\":{\"paymentKey\":\"made-up\","
		 "\"orderId\":\"ORDER\",\"status\":\"CANCELED\"}}",
		 401},
		{"nicepay unsigned", "/webhooks/nicepay",
		 "{\"tid\":\"t\",\"orderId\":\"ORDER\",\"status\":\"paid\",\"ediDate\":\"x\",\"amount\":1}", 400},
		{"payout unsigned", "/webhooks/toss-payouts", "{\"eventType\":\"payout.changed\"}", 401},
		{"unknown source", "/webhooks/paypal", "{}", 404},
	};

	va_waiting("pod-algo-101", "user-ida", order, sizeof order);
	pf_string(&f, secret, sizeof secret, "SELECT va_secret FROM payments WHERE order_id = '%s'", order);
	testdb_fingerprint(&f.t, before, sizeof before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char body[1024], *p;

		snprintf(body, sizeof body, "%s", cases[i].body);
		while ((p = strstr(body, "ORDER"))) { /* the real order id in place of ORDER */
			char tail[1024];

			snprintf(tail, sizeof tail, "%s", p + 5);
			snprintf(p, sizeof body - (size_t)(p - body), "%s%s", order, tail);
		}
		while ((p = strstr(body, "\"SECRET\""))) {
			char tail[1024];

			snprintf(tail, sizeof tail, "%s", p + 8);
			snprintf(p, sizeof body - (size_t)(p - body), "\"%s\"%s", secret, tail);
		}
		cr_assert_eq(daemon_http(&d, "POST", cases[i].path, "", body, out, sizeof out), cases[i].status,
			     "%s: %s", cases[i].what, out);
		cr_assert(strstr(out, "\"code\""), "%s: %s", cases[i].what, out);
		cr_assert_null(strstr(out, secret), "%s: the answer holds the secret", cases[i].what);
	}
	/* An event type settle does not act on: answered, not stored. */
	cr_assert_eq(daemon_http(&d, "POST", "/webhooks/toss", "", "{\"eventType\":\"METHOD_UPDATED\",\"createdAt\":\"1\"}",
				 out, sizeof out),
		     200, "%s", out);
	cr_assert(strstr(out, "ignored"), "%s", out);
	/* GET is not a webhook. */
	cr_assert_eq(daemon_http(&d, "GET", "/webhooks/toss", "", NULL, out, sizeof out), 405, "%s", out);
	/* Over [webhookd] body_max (8192). */
	big = malloc(20000);
	memset(big, ' ', 19999);
	big[0] = '{';
	big[19998] = '}';
	big[19999] = '\0';
	cr_assert_eq(daemon_http(&d, "POST", "/webhooks/toss", "", big, out, sizeof out), 413, "%s", out);
	free(big);
	(void)raw;
	(void)resp;
	testdb_assert_unchanged(&f.t, before, "refused webhooks");
	cr_assert_str_eq(pf_status(&f, order, out, sizeof out), "WAITING_FOR_DEPOSIT");
	daemon_log(&d, log, sizeof log);
	cr_assert(strstr(log, "webhook.refused"), "%s", log);
	cr_assert_null(strstr(log, secret), "the payment's secret was logged");
	cr_assert_null(strstr(log, "WRONGSECRET"), "a sent secret was logged");
}

Test(cmd_pay_webhookd, watchdog_and_sigterm_under_load)
{
	struct daemon_proc w;
	char out[256];

	/* A second instance with a watchdog. */
	cr_assert_eq(daemon_start(&w, (const char *const[]){"pay-webhookd", NULL}, f.t.config_path, NULL, 300000), 0);
	cr_assert_eq(daemon_wait_notify(&w, "READY=1", 10000), 0);
	cr_assert_eq(daemon_wait_notify(&w, "WATCHDOG=1", 3000), 0);
	cr_assert_eq(daemon_http(&w, "GET", "/healthz", "", NULL, out, sizeof out), 200, "%s", out);
	cr_assert_eq(daemon_stop(&w, 10000), 0);
}

Test(cmd_pay_webhookd, bad_configuration_is_one_line_and_78)
{
	struct run_result r;
	static const char *const bad[] = {"listen = 0.0.0.0:9999\n", "listen = nowhere\n", "body_max = 12\n",
					  "threads = 0\n", "max_skew_s = -5\n"};
	char saved[sizeof f.t.extra_conf];

	memcpy(saved, f.t.extra_conf, sizeof saved);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(f.t.extra_conf, sizeof f.t.extra_conf, "%s[webhookd]\n%s", saved, bad[i]);
		/* the later [webhookd] repeats the section; its key wins or conflicts, either way a refusal */
		testdb_write_config(&f.t);
		run_program(&f.t, (const char *[]){"pay-webhookd", NULL}, (const char *[]){"LISTEN_FDS=", NULL}, &r);
		cr_assert_eq(r.status, 78, "%s: %d %s", bad[i], r.status, r.err);
		cr_assert(pf_one_error(r.err, "pay-webhookd"), "%s: %s", bad[i], r.err);
	}
	memcpy(f.t.extra_conf, saved, sizeof saved);
	testdb_write_config(&f.t);
}

/* ------------------------------------------------------------ payouts */

static void settled_and_sent(void)
{
	char o[80], path[512], resp[512];
	struct run_result r;
	static const char *const ids[] = {"leader-kim", "leader-lee", "leader-park"};

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o);
	pf_paid(&f, "pod-rust-301", "user-a", NULL, o, sizeof o);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"),
		     0u);
	run_program(&f.t, (const char *[]){"escrow-release", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&f.t,
		    (const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path),
				     NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&f.t, (const char *[]){"settle-run", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	for (size_t i = 0; i < 3; i++) {
		char sql[256], body[256];

		snprintf(sql, sizeof sql, "UPDATE leaders SET toss_seller_id = 'seller_%zu' WHERE leader_id = '%s'", i, ids[i]);
		cr_assert_eq(testdb_sql(&f.t, sql), 0u);
		snprintf(body, sizeof body, "{\"id\":\"seller_%zu\",\"status\":\"APPROVED\"}", i);
		cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/sellers", body, resp, sizeof resp), 200, "%s", resp);
	}
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET status = 'PENDING' WHERE status = 'HELD'"), 0u);
	run_program(&f.t, (const char *[]){"payout-send", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_gt(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENT'"), 0, "%s", r.out);
}

Test(cmd_pay_webhookd, payout_changed_moves_the_payout_once)
{
	char ref[64], resp[4096], body[512], st[32], before[4096];
	int64_t entries;

	settled_and_sent();
	pf_string(&f, ref, sizeof ref, "SELECT public_id FROM payouts WHERE status = 'SENT' ORDER BY id LIMIT 1");
	entries = pf_count(&f, "SELECT COUNT(*) FROM journal_entries");
	snprintf(body, sizeof body,
		 "{\"url\":\"%%s\",\"kind\":\"payout.changed\",\"refPayoutId\":\"%%s\",\"status\":\"COMPLETED\","
		 "\"eventId\":\"evt-1\"}");
	cr_assert_eq(send_hook(body, ref, resp, sizeof resp), 200, "%s", resp);
	wait_events_done();
	cr_assert_str_eq(pf_string(&f, st, sizeof st, "SELECT status FROM payouts WHERE public_id = '%s'", ref), "PAID");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries"), entries + 1, "the paid entry");
	pf_ledger_ok(&f);
	/* The same event again, and a late REQUESTED: nothing moves. */
	testdb_fingerprint(&f.t, before, sizeof before);
	cr_assert_eq(send_hook(body, ref, resp, sizeof resp), 200, "%s", resp);
	cr_assert(strstr(resp, "duplicate"), "%s", resp);
	testdb_assert_unchanged(&f.t, before, "a duplicate payout event");
	snprintf(body, sizeof body,
		 "{\"url\":\"%%s\",\"kind\":\"payout.changed\",\"refPayoutId\":\"%%s\",\"status\":\"REQUESTED\","
		 "\"eventId\":\"evt-0\"}");
	cr_assert_eq(send_hook(body, ref, resp, sizeof resp), 200, "%s", resp);
	wait_events_done();
	cr_assert_str_eq(pf_string(&f, st, sizeof st, "SELECT status FROM payouts WHERE public_id = '%s'", ref), "PAID");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries"), entries + 1);
}

Test(cmd_pay_webhookd, payout_signature_time_and_unknown_are_refused)
{
	char ref[64], resp[4096], body[512], before[4096], old[40];
	time_t t = time(NULL) - 3600;
	struct tm tm;

	settled_and_sent();
	pf_string(&f, ref, sizeof ref, "SELECT public_id FROM payouts WHERE status = 'SENT' ORDER BY id LIMIT 1");
	gmtime_r(&t, &tm);
	strftime(old, sizeof old, "%Y-%m-%dT%H:%M:%SZ", &tm);
	testdb_fingerprint(&f.t, before, sizeof before);
	/* signed with another key */
	snprintf(body, sizeof body,
		 "{\"url\":\"%%s\",\"kind\":\"payout.changed\",\"refPayoutId\":\"%%s\",\"status\":\"COMPLETED\","
		 "\"key\":\"not-the-key\"}");
	cr_assert_eq(send_hook(body, ref, resp, sizeof resp), 401, "%s", resp);
	/* an hour old: a replay */
	snprintf(body, sizeof body,
		 "{\"url\":\"%%s\",\"kind\":\"payout.changed\",\"refPayoutId\":\"%%s\",\"status\":\"COMPLETED\","
		 "\"time\":\"%s\"}", old);
	cr_assert_eq(send_hook(body, ref, resp, sizeof resp), 401, "%s", resp);
	/* a payout settle never made */
	snprintf(body, sizeof body,
		 "{\"url\":\"%%s\",\"kind\":\"payout.changed\",\"refPayoutId\":\"%%s\",\"status\":\"COMPLETED\"}");
	cr_assert_eq(send_hook(body, "po_nope", resp, sizeof resp), 404, "%s", resp);
	testdb_assert_unchanged(&f.t, before, "refused payout events");
}
