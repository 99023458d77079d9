/*
 * payout-send --register-sellers against the real database and the
 * loopback sandbox (Toss payouts v2): leaders registered (APPROVAL_REQUIRED:
 * their payouts stay HELD), approved in the sandbox, refreshed, then paid;
 * a registration whose answer was lost is found by its refSellerId and
 * never sent twice; killed at either failpoint and run again, nothing is
 * sent twice; incomplete leaders and refusals are listed and the others go
 * on; load-leaders' phone column is checked.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/payfix.h"
#include "sandbox/payouts.h"

static struct payfix f;
static char keyfile[96], csv[128];

static void setup_channel(const char *channel)
{
	char extra[1024];
	FILE *k;
	int fd;

	snprintf(keyfile, sizeof keyfile, "/tmp/settle-sellers-XXXXXX");
	fd = mkstemp(keyfile);
	cr_assert_geq(fd, 0);
	close(fd);
	k = fopen(keyfile, "w");
	cr_assert_not_null(k);
	fputs(SANDBOX_PAYOUTS_SECURITY_KEY "\n", k);
	fclose(k);
	chmod(keyfile, 0600);
	snprintf(csv, sizeof csv, "%s.csv", keyfile);
	snprintf(extra, sizeof extra,
		 "[escrow]\nhold_days = 7\n[payout]\nchannel = %s\n[bulk-file]\noutbox_dir = /tmp\n"
		 "[toss-payouts]\nbase_url = BASE\nsecret_key_file = SECRET\nsecurity_key_file = %s\ntimeout_ms = 3000\n",
		 channel, keyfile);
	payfix_setup(&f, extra);
	{
		char *c = strstr(f.t.extra_conf, "base_url = BASE"), tail[1024], secret[128];

		snprintf(secret, sizeof secret, "%s/toss", f.dir);
		cr_assert_not_null(c);
		snprintf(tail, sizeof tail, "%s", c + strlen("base_url = BASE\nsecret_key_file = SECRET"));
		snprintf(c, sizeof f.t.extra_conf - (size_t)(c - f.t.extra_conf), "base_url = %s/toss\nsecret_key_file = %s%s",
			 f.sp.base_url, secret, tail);
		testdb_write_config(&f.t);
	}
}

static void setup_toss(void)
{
	setup_channel("toss-payouts");
}

static void setup_bulk(void)
{
	setup_channel("bulk-file");
}

static void teardown(void)
{
	payfix_teardown(&f);
	unlink(keyfile);
	unlink(csv);
}

static void run(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

static void write_csv(const char *text)
{
	FILE *o = fopen(csv, "w");

	cr_assert_not_null(o);
	fputs(text, o);
	fclose(o);
}

static void load_fixture_leaders(void)
{
	char path[512];
	struct run_result r;

	run((const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL},
	    &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
}

/* Paid, released, leaders loaded (none a seller yet), settled: three HELD payouts. */
static void settled_world(void)
{
	char o[80];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o); /* leader-kim 50 000 × 2 */
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o);  /* leader-lee 30 000 */
	pf_paid(&f, "pod-rust-301", "user-a", NULL, o, sizeof o); /* leader-park 70 000 */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', "
				      "completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	load_fixture_leaders();
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'HELD'"), 3);
}

static void approve_all(void)
{
	char id[80], body[256], resp[1024];
	static const char *const leaders[] = {"leader-kim", "leader-lee", "leader-park", "leader-choi"};

	for (size_t i = 0; i < 4; i++) {
		pf_string(&f, id, sizeof id, "SELECT COALESCE(toss_seller_id, '') FROM leaders WHERE leader_id = '%s'",
			  leaders[i]);
		cr_assert_neq(id[0], '\0', "%s has no seller id", leaders[i]);
		snprintf(body, sizeof body, "{\"id\":\"%s\",\"status\":\"APPROVED\"}", id);
		cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/sellers", body, resp, sizeof resp), 200, "%s", resp);
	}
}

static void due_now(void)
{
	cr_assert_eq(testdb_sql(&f.t, "UPDATE leaders SET seller_next_check_at = NULL, claimed_until = NULL"), 0u);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET claimed_until = NULL"), 0u);
}

Test(cmd_payout_sellers, registered_then_approved_then_paid, .init = setup_toss, .fini = teardown, .timeout = 90)
{
	struct run_result r;
	char resp[512];

	settled_world();
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "4 registered"), "%s", r.out);
	cr_assert_eq(sandbox_stat(&f.sp, "seller_executed", NULL), 4);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'WAITING' AND toss_seller_id LIKE "
				  "'seller\\_%%' AND toss_seller_status = 'APPROVAL_REQUIRED' AND toss_seller_ref = leader_id "
				  "AND seller_reg_attempt = 1"),
		     4);
	/* APPROVAL_REQUIRED: Toss will not pay them, so the payouts stay HELD */
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/knobs", "{\"autoComplete\":true}", resp, sizeof resp), 200);
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'HELD' AND "
				  "failure_code = 'FORBIDDEN_SELLER_PAYOUT'"),
		     3, "%s", r.out);
	cr_assert_eq(sandbox_stat(&f.sp, "payout", NULL), 0);
	/* a second registration run sends nothing (nothing due yet) */
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "seller", NULL), 4);
	/* Toss approves them; the refresh records it */
	approve_all();
	due_now();
	run((const char *[]){"payout-send", "--register-sellers", "--json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "\"refreshed\": 4") || strstr(r.out, "\"refreshed\":4"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'READY' AND "
				  "toss_seller_status = 'APPROVED'"),
		     4);
	cr_assert_eq(sandbox_stat(&f.sp, "seller", NULL), 4, "a refresh registers nothing");
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PAID'"), 3, "%s", r.out);
	pf_ledger_ok(&f);
}

/* Issue 14: a payout held tells its leader why, and the operators, once
 * per reason — settle-run holds them (not a seller yet), payout-send holds
 * them again (registered, not approved), and a later run adds nothing. */
Test(cmd_payout_sellers, held_payouts_are_told_once_per_reason, .init = setup_toss, .fini = teardown, .timeout = 90)
{
	struct run_result r;

	settled_world();
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications n JOIN payouts p "
				  "ON n.notify_key = CONCAT('payout.held:', p.public_id, ':not-seller') "
				  "AND n.recipient_kind = 'leader' AND n.recipient_id = p.leader_id"),
		     3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE template = 'payout.held' "
				  "AND recipient_kind = 'operator'"),
		     3);
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications n JOIN payouts p "
				  "ON n.notify_key = CONCAT('payout.held:', p.public_id, ':not-approved') "
				  "AND n.recipient_id = p.leader_id AND p.status = 'HELD' "
				  "AND JSON_VALUE(n.facts, '$.reason') LIKE '%%not approved%%'"),
		     3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE template = 'payout.held'"), 12);
	due_now();
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'HELD'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE template = 'payout.held'"), 12);
}

/* The answer is lost after Toss registered the seller: in doubt (75); the
 * next run finds it by refSellerId and never sends it again. */
Test(cmd_payout_sellers, lost_answer_found_by_lookup, .init = setup_toss, .fini = teardown, .timeout = 90)
{
	struct run_result r;
	char id[80];
	long sent;

	load_fixture_leaders();
	pf_fault(&f, "{\"fault\":\"drop_after_commit\",\"op\":\"seller\",\"orderId\":\"leader-lee\",\"count\":2}");
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 75, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "leader leader-lee: in doubt"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE leader_id = 'leader-lee' AND seller_reg = "
				  "'IN_DOUBT' AND toss_seller_id IS NULL"),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'WAITING'"), 3);
	cr_assert_eq(sandbox_stat(&f.sp, "seller_executed", "leader-lee"), 1);
	/* curl itself may repeat a request on a kept-alive connection that died
	 * without an answer: the same Idempotency-Key makes that harmless */
	sent = sandbox_stat(&f.sp, "seller", "leader-lee");
	pf_clear_faults(&f);
	/* past its back-off */
	due_now();
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "1 registered"), "%s", r.out);
	pf_string(&f, id, sizeof id, "SELECT COALESCE(toss_seller_id, '') FROM leaders WHERE leader_id = 'leader-lee'");
	cr_assert(!strncmp(id, "seller_", 7), "%s", id);
	cr_assert_eq(sandbox_stat(&f.sp, "seller", "leader-lee"), sent, "looked up, never sent again");
	cr_assert_eq(sandbox_stat(&f.sp, "seller_executed", NULL), 4);
}

/* Killed after the intent (before the call): the re-run asks Toss, which
 * never saw it, and sends it once with the same key. Killed after the
 * call: the re-run finds it. */
Test(cmd_payout_sellers, killed_at_failpoints_then_rerun, .init = setup_toss, .fini = teardown, .timeout = 90)
{
	struct run_result r;

	load_fixture_leaders();
	run_program(&f.t, (const char *[]){"payout-send", "--register-sellers", NULL},
		    (const char *[]){"SETTLE_FAILPOINT=seller.after_intent", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'SENDING'"), 4);
	cr_assert_eq(sandbox_stat(&f.sp, "seller", NULL), 0);
	/* within the lease a live run might still be sending: left alone */
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(sandbox_stat(&f.sp, "seller", NULL), 0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'SENDING'"), 4);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE leaders SET claimed_until = NULL, "
				      "seller_reg_at = seller_reg_at - INTERVAL 10 MINUTE"),
		     0u);
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "seller_executed", NULL), 4);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'WAITING' AND seller_reg_attempt = 1"),
		     4);
	/* the second kind of crash, on a fresh leader */
	write_csv("leader_id,name,kind,business_number,email,bank_code,account_number,holder_name,resident_number,phone\n"
		  "leader-new,New One,INDIVIDUAL,,new@example.com,004,12345678901,New One,9001012345678,01099998888\n");
	run((const char *[]){"settle-db", "load-leaders", csv, NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&f.t, (const char *[]){"payout-send", "--register-sellers", NULL},
		    (const char *[]){"SETTLE_FAILPOINT=seller.after_call", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "seller_executed", "leader-new"), 1);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE leaders SET claimed_until = NULL, "
				      "seller_reg_at = seller_reg_at - INTERVAL 10 MINUTE"),
		     0u);
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "seller", "leader-new"), 1, "found, never sent twice");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE leader_id = 'leader-new' AND seller_reg = "
				  "'WAITING' AND toss_seller_id IS NOT NULL"),
		     1);
}

/* Killed after claiming a registration in doubt, before the look-up: the
 * re-run (past the lease) looks it up and records it; nothing sent again. */
Test(cmd_payout_sellers, killed_during_a_lookup_then_rerun, .init = setup_toss, .fini = teardown, .timeout = 90)
{
	struct run_result r;
	long sent;

	load_fixture_leaders();
	pf_fault(&f, "{\"fault\":\"drop_after_commit\",\"op\":\"seller\",\"orderId\":\"leader-kim\",\"count\":2}");
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 75, "%d %s %s", r.status, r.out, r.err);
	pf_clear_faults(&f);
	sent = sandbox_stat(&f.sp, "seller", NULL);
	due_now();
	run_program(&f.t, (const char *[]){"payout-send", "--register-sellers", NULL},
		    (const char *[]){"SETTLE_FAILPOINT=seller.after_claim", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE leader_id = 'leader-kim' AND seller_reg = 'IN_DOUBT' "
				  "AND claimed_until IS NOT NULL"),
		     1);
	due_now();
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'WAITING' AND toss_seller_id IS NOT NULL"),
		     4);
	cr_assert_eq(sandbox_stat(&f.sp, "seller", NULL), sent, "looked up, never sent again");
	cr_assert_eq(sandbox_stat(&f.sp, "seller_executed", NULL), 4);
}

/* A leader without a phone (or a company without its representative) is
 * listed and not sent; the others are registered; the exit says 65. */
Test(cmd_payout_sellers, incomplete_leaders_listed_others_registered, .init = setup_toss, .fini = teardown,
     .timeout = 90)
{
	struct run_result r;

	write_csv("leader_id,name,kind,business_number,email,bank_code,account_number,holder_name,resident_number,phone,"
		  "representative_name\n"
		  "leader-ok,Ok One,INDIVIDUAL,,ok@example.com,004,12345678901,Ok One,9001012345678,010-1111-2222,\n"
		  "leader-nophone,No Phone,INDIVIDUAL,,np@example.com,004,12345678902,No Phone,9001012345678,,\n"
		  "leader-norep,No Rep Co.,CORPORATE,2208123456,co@example.com,020,12345678903,No Rep Co.,,0212345678,\n");
	run((const char *[]){"settle-db", "load-leaders", csv, NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(testdb_sql(&f.t, "INSERT INTO leaders (leader_id, name, kind, email, phone, created_at, updated_at) "
				      "VALUES ('leader-noacct', 'No Account', 'INDIVIDUAL', 'na@example.com', "
				      "'01012341234', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"),
		     0u);
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "leader leader-nophone: incomplete: INCOMPLETE: leader leader-nophone cannot be "
				"registered as a seller: no phone"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "leader leader-norep: incomplete") && strstr(r.out, "no representative_name"), "%s",
		  r.out);
	cr_assert(strstr(r.out, "leader leader-noacct: incomplete") && strstr(r.out, "no bank account"), "%s", r.out);
	cr_assert(strstr(r.err, "3 leader(s) could not be registered"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'WAITING'"), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'NONE' AND toss_seller_ref IS NULL "
				  "AND seller_reg_code = 'INCOMPLETE'"),
		     3);
	cr_assert_eq(sandbox_stat(&f.sp, "seller", NULL), 1);
	/* the phone arrives: the next run registers that leader */
	write_csv("leader_id,name,kind,business_number,email,bank_code,account_number,holder_name,resident_number,phone\n"
		  "leader-nophone,No Phone,INDIVIDUAL,,np@example.com,004,12345678902,No Phone,9001012345678,0109876543\n");
	run((const char *[]){"settle-db", "load-leaders", csv, NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	due_now();
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'WAITING'"), 2);
}

/* A definite refusal is recorded with Toss's code and listed; corrected
 * data (load-leaders) gives it another try under a new key. */
Test(cmd_payout_sellers, refusal_recorded_then_retried, .init = setup_toss, .fini = teardown, .timeout = 90)
{
	struct run_result r;
	char path[512];

	load_fixture_leaders();
	pf_fault(&f, "{\"fault\":\"refuse\",\"op\":\"seller\",\"orderId\":\"leader-park\",\"status\":400,"
		     "\"code\":\"INVALID_BANK_ACCOUNT\",\"message\":\"account holder does not match\"}");
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "leader leader-park: refused: INVALID_BANK_ACCOUNT"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE leader_id = 'leader-park' AND seller_reg = "
				  "'REFUSED' AND seller_reg_code = 'INVALID_BANK_ACCOUNT' AND toss_seller_id IS NULL"),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg = 'WAITING'"), 3);
	/* refused stays refused: nothing sent again */
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "seller", "leader-park"), 1);
	run((const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL},
	    &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE leader_id = 'leader-park' AND seller_reg = "
				  "'WAITING' AND seller_reg_attempt = 2"),
		     1);
}

Test(cmd_payout_sellers, bulk_channel_and_usage_refused, .init = setup_bulk, .fini = teardown, .timeout = 60)
{
	struct run_result r;

	load_fixture_leaders();
	run((const char *[]){"payout-send", "--register-sellers", NULL}, &r);
	cr_assert_eq(r.status, 78, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.err, "registers no sellers"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE seller_reg <> 'NONE'"), 0);
	write_csv("payout_id,amount,status,reference,message\n");
	run((const char *[]){"payout-send", "--register-sellers", "--import-result", csv, NULL}, &r);
	cr_assert_eq(r.status, 64, "%d %s %s", r.status, r.out, r.err);
}

/* load-leaders' phone: a malformed one refuses the whole file, naming the
 * line; nothing is loaded. */
Test(cmd_payout_sellers, malformed_phone_refuses_the_file, .init = setup_toss, .fini = teardown, .timeout = 60)
{
	static const char *const bad[] = {"010-12", "1012345678", "010--1234-5678", "010 1234 5678", "-01012345678",
					  "0101234567890"};
	struct run_result r;
	char text[1024];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text,
			 "leader_id,name,kind,business_number,email,bank_code,account_number,holder_name,resident_number,"
			 "phone\n"
			 "leader-a,A,INDIVIDUAL,,a@example.com,004,12345678901,A,9001012345678,01011112222\n"
			 "leader-b,B,INDIVIDUAL,,b@example.com,004,12345678902,B,9001012345678,%s\n",
			 bad[i]);
		write_csv(text);
		run((const char *[]){"settle-db", "load-leaders", csv, NULL}, &r);
		cr_assert_eq(r.status, 65, "%s: %d %s", bad[i], r.status, r.err);
		cr_assert(strstr(r.err, ":3:") && strstr(r.err, "phone"), "%s: %s", bad[i], r.err);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders"), 0, "nothing loaded");
	}
	/* an INDIVIDUAL with a representative_name, and an unknown 12th column */
	write_csv("leader_id,name,kind,business_number,email,bank_code,account_number,holder_name,resident_number,phone,"
		  "representative_name\n"
		  "leader-a,A,INDIVIDUAL,,a@example.com,004,12345678901,A,9001012345678,01011112222,Someone\n");
	run((const char *[]){"settle-db", "load-leaders", csv, NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, ":2:") && strstr(r.err, "representative_name"), "%s", r.err);
	write_csv("leader_id,name,kind,business_number,email,bank_code,account_number,holder_name,resident_number,phone,"
		  "representative_name,extra\n"
		  "leader-a,A,INDIVIDUAL,,a@example.com,004,12345678901,A,9001012345678,01011112222,,x\n");
	run((const char *[]){"settle-db", "load-leaders", csv, NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "extra"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders"), 0, "nothing loaded");
	/* hyphens are stored as digits */
	write_csv("leader_id,name,kind,business_number,email,bank_code,account_number,holder_name,resident_number,phone\n"
		  "leader-a,A,INDIVIDUAL,,a@example.com,004,12345678901,A,9001012345678,010-1111-2222\n");
	run((const char *[]){"settle-db", "load-leaders", csv, NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM leaders WHERE phone = '01011112222'"), 1);
}
