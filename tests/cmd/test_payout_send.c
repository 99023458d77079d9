/*
 * payout-send against the real database, the loopback sandbox (Toss
 * payouts v2) and a bulk-transfer outbox: payouts move PENDING → SENDING →
 * SENT/PAID with their entries; a failed payout is reversed and what it
 * carried is paid by the next run's new payout; a result file is applied
 * all or nothing, and a second import changes nothing; HELD payouts leave
 * HELD once the leader can be paid.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/payfix.h"
#include "sandbox/payouts.h"

static struct payfix f;
static char outbox[64], keyfile[96];

static void setup_channel(const char *channel)
{
	char extra[1024];
	FILE *k;

	snprintf(outbox, sizeof outbox, "/tmp/settle-outbox-XXXXXX");
	cr_assert_not_null(mkdtemp(outbox));
	snprintf(keyfile, sizeof keyfile, "%s.key", outbox);
	k = fopen(keyfile, "w");
	cr_assert_not_null(k);
	fputs(SANDBOX_PAYOUTS_SECURITY_KEY "\n", k);
	fclose(k);
	chmod(keyfile, 0600);
	/* the Toss secret key file the payfix wrote is reused for payouts */
	snprintf(extra, sizeof extra,
		 "[escrow]\nhold_days = 7\n[payout]\nchannel = %s\n[bulk-file]\noutbox_dir = %s\n"
		 "[toss-payouts]\nbase_url = BASE\nsecret_key_file = SECRET\nsecurity_key_file = %s\ntimeout_ms = 3000\n",
		 channel, outbox, keyfile);
	payfix_setup(&f, extra);
	/* now that the sandbox runs, point [toss-payouts] at it */
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

static void setup_bulk(void)
{
	setup_channel("bulk-file");
}

static void setup_toss(void)
{
	setup_channel("toss-payouts");
}

static void teardown(void)
{
	char cmd[256];

	payfix_teardown(&f);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", outbox, keyfile);
	cr_assert_eq(system(cmd), 0);
}

static void run(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

/* Paid, released, leaders loaded, settled: three payouts. */
static void settled_world(void)
{
	char o[80], path[512];
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
	run((const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL},
	    &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status IN ('PENDING', 'HELD')"), 3);
}

static int64_t balance(const char *account)
{
	return pf_count(&f, "SELECT COALESCE(SUM(amount), 0) FROM postings WHERE account = '%s'", account);
}

static const char *payout_of(const char *leader, char *buf, size_t len)
{
	return pf_string(&f, buf, len, "SELECT public_id FROM payouts WHERE leader_id = '%s' ORDER BY id DESC LIMIT 1",
			 leader);
}

/* The one file the bulk channel wrote. */
static void outbox_file(char *path, size_t len)
{
	DIR *d = opendir(outbox);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, len, "%s/%s", outbox, e->d_name);
			n++;
		}
	closedir(d);
	cr_assert_eq(n, 1, "%d files in the outbox", n);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
}

TestSuite(cmd_payout_send_bulk, .init = setup_bulk, .fini = teardown, .timeout = 60);

Test(cmd_payout_send_bulk, file_then_result_import)
{
	char file[512], body[8192], kim[48], lee[48], park[48], result[600], text[1024];
	struct run_result r;
	struct stat st;
	FILE *fp;
	size_t n;

	settled_world();
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENT'"), 3);
	outbox_file(file, sizeof file);
	cr_assert_eq(stat(file, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "the bank file holds account numbers");
	fp = fopen(file, "r");
	n = fread(body, 1, sizeof body - 1, fp);
	body[n] = '\0';
	fclose(fp);
	payout_of("leader-kim", kim, sizeof kim);
	payout_of("leader-lee", lee, sizeof lee);
	payout_of("leader-park", park, sizeof park);
	cr_assert(strstr(body, "12345678901234") && strstr(body, "77360") && strstr(body, kim), "%s", body);
	/* nothing is booked until the bank says the money left */
	cr_assert_eq(balance("bank"), 0);

	/* a result file with one bad line changes nothing */
	snprintf(result, sizeof result, "%s/result.csv", outbox);
	{
		static const char *const bad[] = {
			"payout_id,amount,status,reference,message\n%s,77360,PAID,R1,\npyo_nope,1,PAID,R2,\n",
			"payout_id,amount,status,reference,message\n%s,77361,PAID,R1,\n",
			"payout_id,amount,status,reference,message\n%s,77360,PAID,R1,\n%s,77360,PAID,R1,\n",
			"payout,amount,status,reference,message\n%s,77360,PAID,R1,\n",
			"payout_id,amount,status,reference,message\n%s,77360,MAYBE,R1,\n",
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			snprintf(text, sizeof text, bad[i], kim, kim);
			write_file(result, text);
			run((const char *[]){"payout-send", "--import-result", result, NULL}, &r);
			cr_assert_eq(r.status, 65, "case %zu: %d %s", i, r.status, r.err);
			cr_assert(strstr(r.err, "result.csv:"), "case %zu names no line: %s", i, r.err);
			cr_assert(pf_one_error(r.err, "payout-send"), "%s", r.err);
			cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENT'"), 3, "case %zu", i);
			cr_assert_eq(balance("bank"), 0, "case %zu", i);
		}
	}
	run((const char *[]){"payout-send", "--import-result", "/nonexistent/result.csv", NULL}, &r);
	cr_assert_eq(r.status, 66, "%d %s", r.status, r.err);

	snprintf(text, sizeof text,
		 "payout_id,amount,status,reference,message\n%s,77360,PAID,KB-1,\n%s,24000,FAILED,,account closed\n"
		 "%s,56000,PAID,KB-3,\n",
		 kim, lee, park);
	write_file(result, text);
	run((const char *[]){"payout-send", "--import-result", result, NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PAID'"), 2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'FAILED'"), 1);
	cr_assert_eq(balance("bank"), -(77360 + 56000));
	cr_assert_eq(balance("leader_payable:leader-kim"), 0);
	cr_assert_eq(balance("leader_payable:leader-lee"), -24000, "a failed payout is owed again");
	pf_ledger_ok(&f);

	/* the same file again: nothing twice */
	run((const char *[]){"payout-send", "--import-result", result, NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(balance("bank"), -(77360 + 56000));

	/* the failed payout's settlement is carried by the next run's payout */
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE leader_id = 'leader-lee' AND status = 'PENDING' "
				  "AND gross = 24000"),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payout_items WHERE live = 1"), 3);
	pf_ledger_ok(&f);
}

Test(cmd_payout_send_bulk, held_until_the_account_is_known)
{
	struct run_result r;
	char o[80], path[512];

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', "
				      "completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	run((const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL},
	    &r);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE leaders SET account_enc = NULL WHERE leader_id = 'leader-kim'"), 0u);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'HELD'"), 1);
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "1 still held"), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'HELD'"), 1);
	/* the account arrives */
	run((const char *[]){"settle-db", "load-leaders", path, NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET claimed_until = NULL"), 0u); /* past the lease */
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENT'"), 1);
	pf_ledger_ok(&f);
}

TestSuite(cmd_payout_send_toss, .init = setup_toss, .fini = teardown, .timeout = 60);

static void sellers(void)
{
	static const char *const ids[] = {"leader-kim", "leader-lee", "leader-park"};
	char sql[256], body[256], resp[1024];

	for (size_t i = 0; i < 3; i++) {
		snprintf(sql, sizeof sql, "UPDATE leaders SET toss_seller_id = 'seller_%zu' WHERE leader_id = '%s'", i,
			 ids[i]);
		cr_assert_eq(testdb_sql(&f.t, sql), 0u);
		snprintf(body, sizeof body, "{\"id\":\"seller_%zu\",\"status\":\"APPROVED\"}", i);
		cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/sellers", body, resp, sizeof resp), 200, "%s", resp);
	}
}

Test(cmd_payout_send_toss, paid_through_toss_payouts)
{
	struct run_result r;
	char resp[512];

	settled_world();
	sellers();
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/knobs", "{\"autoComplete\":true}", resp, sizeof resp), 200);
	run((const char *[]){"payout-send", "--json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PAID'"), 3, "%s", r.out);
	/* Toss pays sellers out of what it owes the merchant */
	cr_assert_eq(balance("pg_clearing:toss"), 200000 - (77360 + 24000 + 56000));
	cr_assert_eq(balance("leader_payable:leader-kim"), 0);
	pf_ledger_ok(&f);
	/* a second run sends nothing */
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "payout_executed", NULL), 1);
}

Test(cmd_payout_send_toss, in_doubt_then_finished_by_a_lookup)
{
	struct run_result r;
	char resp[512];

	settled_world();
	sellers();
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/knobs", "{\"autoComplete\":true}", resp, sizeof resp), 200);
	pf_fault(&f, "{\"fault\":\"drop_after_commit\",\"op\":\"payout\",\"count\":2}");
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 75, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENDING'"), 3);
	cr_assert_eq(balance("pg_clearing:toss"), 200000, "nothing booked while in doubt");
	pf_clear_faults(&f);
	/* past the look-up age and the back-off */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET updated_at = updated_at - INTERVAL 2 MINUTE, "
				      "next_check_at = NULL"),
		     0u);
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PAID'"), 3);
	cr_assert_eq(sandbox_stat(&f.sp, "payout_executed", NULL), 1, "sent twice");
	pf_ledger_ok(&f);
}

/* Killed after the intent, before the call: the re-run asks Toss, which
 * never saw the payouts, and sends them once with the same items. */
Test(cmd_payout_send_toss, killed_after_the_intent_then_rerun)
{
	struct run_result r;
	char resp[512];

	settled_world();
	sellers();
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/knobs", "{\"autoComplete\":true}", resp, sizeof resp), 200);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET status = 'PENDING' WHERE status = 'HELD'"), 0u);
	run_program(&f.t, (const char *[]){"payout-send", NULL},
		    (const char *[]){"SETTLE_FAILPOINT=payout.after_intent", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENDING'"), 3);
	cr_assert_eq(sandbox_stat(&f.sp, "payout_executed", NULL), 0);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET claimed_until = NULL, "
				      "updated_at = updated_at - INTERVAL 2 MINUTE, next_check_at = NULL"),
		     0u);
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PAID'"), 3);
	cr_assert_eq(balance("pg_clearing:toss"), 200000 - (77360 + 24000 + 56000));
	pf_ledger_ok(&f);
}

Test(cmd_payout_send_toss, killed_after_the_call_then_rerun)
{
	struct run_result r;
	char resp[512];

	settled_world();
	sellers();
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/knobs", "{\"autoComplete\":true}", resp, sizeof resp), 200);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET status = 'PENDING' WHERE status = 'HELD'"), 0u);
	run_program(&f.t, (const char *[]){"payout-send", NULL},
		    (const char *[]){"SETTLE_FAILPOINT=payout.after_call", NULL}, &r);
	cr_assert_eq(r.status, 128 + 9, "%d %s", r.status, r.err);
	cr_assert_eq(sandbox_stat(&f.sp, "payout_executed", NULL), 1);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET claimed_until = NULL, "
				      "updated_at = updated_at - INTERVAL 2 MINUTE, next_check_at = NULL"),
		     0u);
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PAID'"), 3);
	cr_assert_eq(sandbox_stat(&f.sp, "payout_executed", NULL), 1, "sent twice");
	pf_ledger_ok(&f);
}

/* A seller Toss will not pay yet (KYC_REQUIRED) is asked about before any
 * intent: the payout goes back to HELD with FORBIDDEN_SELLER_PAYOUT and
 * nothing is sent; once approved, the next run pays it. */
Test(cmd_payout_send_toss, seller_not_approved_waits_held)
{
	struct run_result r;
	char resp[512];

	settled_world();
	sellers();
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/sellers", "{\"id\":\"seller_0\",\"status\":\"KYC_REQUIRED\"}",
				  resp, sizeof resp),
		     200, "%s", resp);
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/knobs", "{\"autoComplete\":true}", resp, sizeof resp), 200);
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PAID'"), 2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE leader_id = 'leader-kim' AND status = 'HELD' "
				  "AND failure_code = 'FORBIDDEN_SELLER_PAYOUT'"),
		     1);
	cr_assert(strstr(r.out, "1 still held"), "%s", r.out);
	pf_ledger_ok(&f);
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/sellers", "{\"id\":\"seller_0\",\"status\":\"APPROVED\"}", resp,
				  sizeof resp),
		     200);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET claimed_until = NULL"), 0u);
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PAID'"), 3);
	cr_assert_eq(balance("pg_clearing:toss"), 200000 - (77360 + 24000 + 56000));
	pf_ledger_ok(&f);
}
