/*
 * The crash matrix (issue 12 part 5): every job that moves money, killed
 * (SIGKILL, SETTLE_FAILPOINT, check build) at each of its failpoints, then
 * run again — or, where the design hands the rest to another job, that job
 * (a killed refund is finished by `pay-capture --sweep`, DESIGN.md §7). After
 * each recovery: nothing lost (every row the job owes is there, in its final
 * state), nothing doubled (counts and sums of the tables it writes, each
 * outside call made once by the sandbox's count), `ledger-check` clean.
 *
 * One world per job, not per failpoint: the points of a job are taken in
 * turn on fresh work in the same database, or, where the work is one batch
 * (payouts, invoices), chained — killed at the first point, the re-run
 * killed at the next, and so on — so a recovery is itself killed.
 *
 * Each cell is printed as "crash-matrix: JOB × POINT → OUTCOME". The list
 * of points per job is checked against the FAILPOINT( calls of libsettle
 * (matrix_covers_every_failpoint), so a new failpoint fails until it is
 * added here.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/payfix.h"
#include "sandbox/payouts.h"

#define KILLED (128 + 9)

static struct payfix f;
static char workdir[96];

/* The jobs and their points: the rows the tests below print. */
static const struct {
	const char *job, *point;
} matrix[] = {
	{"pay-capture", "capture.after_intent"},
	{"pay-capture", "capture.after_pg"},
	{"pay-capture", "capture.after_outcome"},
	{"pay-capture --sweep", "sweep.after_claim"},
	{"pay-capture --sweep", "sweep.after_calls"},
	{"pay-refund", "refund.after_intent"},
	{"pay-refund", "refund.after_pg"},
	{"pay-refund", "refund.after_outcome"},
	{"escrow-release", "release.after_batch"},
	/* dispute resolve commits its refund's intent with the resolution and
	 * calls refund_send: refund.after_intent is not on its path */
	{"escrow-dispute", "refund.after_pg"},
	{"escrow-dispute", "refund.after_outcome"},
	{"settle-run", "settle.after_leader"},
	{"payout-send", "payout.after_intent"},
	{"payout-send", "payout.after_claim"},
	{"payout-send", "payout.after_call"},
	{"invoice-issue", "invoice.after_intent"},
	{"invoice-issue", "invoice.after_xml"},
};

/* Points that are not a money job's (the issue's list): the seller
 * registration of payout-sellers and the key rotation of settle-db, each
 * covered by its own program's tests. */
static const char *const elsewhere[] = {"seller.after_intent", "seller.after_claim", "seller.after_call",
					"rotate_key.after_batch"};

static void cell(const char *job, const char *point, const char *outcome)
{
	fprintf(stderr, "crash-matrix: %-20s × %-22s → %s\n", job, point, outcome);
}

static void run(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

/* argv with SETTLE_FAILPOINT=point (and extra, may be NULL); asserts the kill. */
static void killed(const char *job, const char *point, const char *const *argv, const char *extra)
{
	char env[80];
	struct run_result r;

	snprintf(env, sizeof env, "SETTLE_FAILPOINT=%s", point);
	run_program(&f.t, argv, (const char *[]){env, extra, NULL}, &r);
	cr_assert_eq(r.status, KILLED, "%s × %s: not killed: exit %d %s", job, point, r.status, r.err);
}

static int64_t balance(const char *account)
{
	return pf_count(&f, "SELECT COALESCE(SUM(amount), 0) FROM postings WHERE account = '%s'", account);
}

/* What every cell checks on top of the job's own counts: no entry key or
 * payment key twice (the unique keys say so, this says it was not dodged
 * by a new key), every entry balanced and the whole ledger clean. */
static void nothing_doubled(const char *what)
{
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM (SELECT kind, ref, reverses_id FROM journal_entries "
				  "WHERE kind IN ('capture', 'release', 'settlement') "
				  "GROUP BY kind, ref, reverses_id HAVING COUNT(*) > 1) d"),
		     0, "%s: an entry written twice under two keys", what);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM (SELECT entry_id FROM postings GROUP BY entry_id "
				  "HAVING SUM(amount) <> 0) u"),
		     0, "%s: an unbalanced entry", what);
	pf_ledger_ok(&f);
}

static void setup_plain(void)
{
	payfix_setup(&f, "[escrow]\nhold_days = 7\nbatch = 2\n[settlement]\nbatch = 1\n");
}

static void teardown_plain(void)
{
	payfix_teardown(&f);
}

/* ---------------------------------------------------------------- pay-capture */

Test(cmd_crash_matrix, pay_capture, .init = setup_plain, .fini = teardown_plain, .timeout = 120)
{
	static const char *const points[] = {"capture.after_intent", "capture.after_pg", "capture.after_outcome"};
	char order[3][80], key[128], env[80], user[32];
	struct run_result r;

	for (size_t i = 0; i < 3; i++) {
		snprintf(user, sizeof user, "user-cap%zu", i);
		pf_order(&f, "pod-algo-101", user, NULL, order[i], sizeof order[i]);
		pf_checkout(&f, order[i], "CARD", key, sizeof key);
		snprintf(env, sizeof env, "SETTLE_FAILPOINT=%s", points[i]);
		pf_capture(&f, order[i], key, (const char *[]){env, NULL}, &r);
		cr_assert_eq(r.status, KILLED, "%s: %d %s", points[i], r.status, r.err);
		pf_capture(&f, order[i], key, NULL, &r);
		cr_assert_eq(r.status, 0, "%s: re-run %d %s", points[i], r.status, r.err);
		pf_assert_captured(&f, order[i], "COMPLETED");
		cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order[i]), 1, "%s: confirmed twice", points[i]);
		nothing_doubled(points[i]);
		cell("pay-capture", points[i], "killed; re-run captured once");
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COALESCE(SUM(amount), 0) FROM escrows"), 3 * 50000);
	cr_assert_eq(balance("pg_clearing:toss"), 3 * 50000);
}

/* ---------------------------------------------------------------- the sweep */

Test(cmd_crash_matrix, pay_capture_sweep, .init = setup_plain, .fini = teardown_plain, .timeout = 120)
{
	static const char *const points[] = {"sweep.after_claim", "sweep.after_calls"};
	char order[2][80], key[128], user[32];
	struct run_result r;

	for (size_t i = 0; i < 2; i++) {
		snprintf(user, sizeof user, "user-sweep%zu", i);
		pf_order(&f, "pod-algo-101", user, NULL, order[i], sizeof order[i]);
		pf_checkout(&f, order[i], "CARD", key, sizeof key);
		/* the confirm answers 500: in doubt, the sweep's to finish */
		pf_fault(&f, "{\"fault\":\"http500\",\"orderId\":\"%s\",\"op\":\"confirm\"}", order[i]);
		pf_capture(&f, order[i], key, NULL, &r);
		cr_assert_eq(r.status, 75, "%s: %d %s", points[i], r.status, r.err);
		pf_backoff();
		killed("pay-capture --sweep", points[i], (const char *[]){"pay-capture", "--sweep", NULL}, NULL);
		/* the killed sweeper's lease runs out */
		cr_assert_eq(testdb_sql(&f.t, "UPDATE payments SET claimed_until = NULL"), 0u);
		cr_assert_eq(testdb_sql(&f.t, "UPDATE refunds SET claimed_until = NULL"), 0u);
		cr_assert_eq(testdb_sql(&f.t, "UPDATE participation_confirms SET claimed_until = NULL"), 0u);
		pf_sweep(&f, &r);
		cr_assert_eq(r.status, 0, "%s: re-run %d %s %s", points[i], r.status, r.out, r.err);
		pf_assert_captured(&f, order[i], "COMPLETED");
		cr_assert_eq(sandbox_stat(&f.sp, "confirm_executed", order[i]), 1, "%s: confirmed twice", points[i]);
		nothing_doubled(points[i]);
		cell("pay-capture --sweep", points[i], "killed; re-run captured once");
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'capture'"), 2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows"), 2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM participation_confirms WHERE done_at IS NOT NULL"), 2);
}

/* ---------------------------------------------------------------- pay-refund */

/* A refund's intent is committed before the PG call; what a killed
 * pay-refund leaves is the sweep's (pay-refund itself would take a second
 * request as a second refund, which is what an operator asking twice
 * means). */
Test(cmd_crash_matrix, pay_refund, .init = setup_plain, .fini = teardown_plain, .timeout = 120)
{
	static const char *const points[] = {"refund.after_intent", "refund.after_pg", "refund.after_outcome"};
	char order[3][80], user[32], pid[64], st[32];
	struct run_result r;
	int64_t sum;

	for (size_t i = 0; i < 3; i++) {
		snprintf(user, sizeof user, "user-ref%zu", i);
		pf_paid(&f, "pod-sql-201", user, NULL, order[i], sizeof order[i]);
		pf_payment_id(&f, order[i], pid, sizeof pid);
		killed("pay-refund", points[i],
		       (const char *[]){"pay-refund", pid, "--amount", "10000", "--reason", "changed plans", NULL}, NULL);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds r JOIN payments p ON p.id = r.payment_id "
					  "WHERE p.order_id = '%s'", order[i]),
			     1, "%s: the intent", points[i]);
		pf_sweep(&f, &r);
		cr_assert_eq(r.status, 0, "%s: sweep %d %s %s", points[i], r.status, r.out, r.err);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds r JOIN payments p ON p.id = r.payment_id "
					  "WHERE p.order_id = '%s' AND r.status = 'COMPLETED' AND r.amount = 10000",
				      order[i]),
			     1, "%s", points[i]);
		cr_assert_eq(pf_refund_entries(&f, order[i], &sum), 1, "%s: refund entries", points[i]);
		cr_assert_eq(sum, 10000, "%s", points[i]);
		cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order[i]), 1, "%s: cancelled twice", points[i]);
		cr_assert_str_eq(pf_status(&f, order[i], st, sizeof st), "PARTIALLY_REFUNDED", "%s", points[i]);
		cr_assert_eq(pf_count(&f, "SELECT e.refunded_amount FROM escrows e JOIN payments p ON p.id = e.payment_id "
					  "WHERE p.order_id = '%s'", order[i]),
			     10000, "%s", points[i]);
		nothing_doubled(points[i]);
		cell("pay-refund", points[i], "killed; sweep refunded once");
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COALESCE(SUM(refunded_amount), 0) FROM payments"), 30000);
	/* a second sweep finds nothing left */
	pf_sweep(&f, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds"), 3);
}

/* ---------------------------------------------------------------- escrow-release */

Test(cmd_crash_matrix, escrow_release, .init = setup_plain, .fini = teardown_plain, .timeout = 120)
{
	char o[80];
	struct run_result r;

	/* batch = 2: three escrows of three pods are two units (a unit takes
	 * the rest of its pods with its batch), the kill lands between */
	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-b", NULL, o, sizeof o);
	pf_paid(&f, "pod-rust-301", "user-c", NULL, o, sizeof o);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', "
				      "completed_at = UTC_TIMESTAMP(6) - INTERVAL 9 DAY"),
		     0u);
	killed("escrow-release", "release.after_batch", (const char *[]){"escrow-release", NULL}, NULL);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED'"), 2);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "re-run: %s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'release'"), 3);
	cr_assert_eq(-balance("released:pod-algo-101") - balance("released:pod-sql-201") - balance("released:pod-rust-301"),
		     150000);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE template = 'escrow.released'"), 3);
	nothing_doubled("release.after_batch");
	cell("escrow-release", "release.after_batch", "killed; re-run released the rest once");
}

/* ---------------------------------------------------------------- escrow-dispute */

Test(cmd_crash_matrix, escrow_dispute, .init = setup_plain, .fini = teardown_plain, .timeout = 120)
{
	static const char *const points[] = {"refund.after_pg", "refund.after_outcome"};
	char order[2][80], user[32], esc[48], st[32];
	struct run_result r;
	int64_t sum;

	for (size_t i = 0; i < 2; i++) {
		snprintf(user, sizeof user, "user-dis%zu", i);
		pf_paid(&f, "pod-algo-101", user, NULL, order[i], sizeof order[i]);
		pf_string(&f, esc, sizeof esc,
			  "SELECT e.public_id FROM escrows e JOIN payments p ON p.id = e.payment_id WHERE p.order_id = '%s'",
			  order[i]);
		run((const char *[]){"escrow-dispute", "open", esc, "--reason", "the leader never showed up", NULL}, &r);
		cr_assert_eq(r.status, 0, "%s: open %d %s", points[i], r.status, r.err);
		killed("escrow-dispute", points[i],
		       (const char *[]){"escrow-dispute", "resolve", esc, "--split", "30000", NULL}, NULL);
		/* resolved once: asking again is refused and changes nothing */
		run((const char *[]){"escrow-dispute", "resolve", esc, "--split", "30000", NULL}, &r);
		cr_assert_eq(r.status, 65, "%s: re-run %d %s", points[i], r.status, r.err);
		cr_assert(strstr(r.err, "no open dispute"), "%s: %s", points[i], r.err);
		pf_sweep(&f, &r);
		cr_assert_eq(r.status, 0, "%s: sweep %d %s %s", points[i], r.status, r.out, r.err);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM disputes d JOIN escrows e ON e.id = d.escrow_id "
					  "WHERE e.public_id = '%s' AND d.status = 'RESOLVED' AND d.refund_amount = 20000",
				      esc),
			     1, "%s", points[i]);
		cr_assert_eq(pf_refund_entries(&f, order[i], &sum), 1, "%s: refund entries", points[i]);
		cr_assert_eq(sum, 20000, "%s", points[i]);
		cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", order[i]), 1, "%s: cancelled twice", points[i]);
		cr_assert_str_eq(pf_status(&f, order[i], st, sizeof st), "PARTIALLY_REFUNDED", "%s", points[i]);
		nothing_doubled(points[i]);
		cell("escrow-dispute", points[i], "killed; re-run refused (resolved once); sweep refunded once");
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds"), 2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM disputes WHERE status = 'RESOLVED'"), 2);
}

/* ---------------------------------------------------------------- settle-run */

static void load_leaders(void)
{
	char path[512];
	struct run_result r;

	run((const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL},
	    &r);
	cr_assert_eq(r.status, 0, "load-leaders: %s", r.err);
}

/* Four payments on three leaders' pods, completed 10 days ago, released. */
static void released_world(const char *completed_at)
{
	char o[80], sql[256];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o); /* leader-kim, INDIVIDUAL, 50 000 */
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o);  /* leader-lee, INDIVIDUAL_BUSINESS, 30 000 */
	pf_paid(&f, "pod-rust-301", "user-a", NULL, o, sizeof o); /* leader-park, CORPORATE, 70 000 */
	snprintf(sql, sizeof sql, "UPDATE pods SET status = 'COMPLETED', completed_at = %s", completed_at);
	cr_assert_eq(testdb_sql(&f.t, sql), 0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "release: %s", r.err);
	load_leaders();
}

Test(cmd_crash_matrix, settle_run, .init = setup_plain, .fini = teardown_plain, .timeout = 120)
{
	struct run_result r;

	released_world("UTC_TIMESTAMP(6) - INTERVAL 10 DAY");
	/* batch = 1: one leader a unit, the kill lands after the first */
	killed("settle-run", "settle.after_leader", (const char *[]){"settle-run", NULL}, NULL);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 1);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "re-run: %s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(DISTINCT pod_id) FROM settlements"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(DISTINCT leader_id) FROM payouts"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'settlement'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE settlement_id IS NULL"), 0);
	/* every released won is settled once: the pods' released balances are empty */
	cr_assert_eq(pf_count(&f, "SELECT COALESCE(SUM(amount), 0) FROM postings WHERE account LIKE 'released:%%'"), 0);
	nothing_doubled("settle.after_leader");
	cell("settle-run", "settle.after_leader", "killed; re-run settled the rest once");
}

/* ---------------------------------------------------------------- payout-send */

static void setup_payouts(void)
{
	char extra[1024], keyfile[160], outbox[160], secret[160], *c;
	FILE *k;

	snprintf(workdir, sizeof workdir, "/tmp/settle-matrix-XXXXXX");
	cr_assert_not_null(mkdtemp(workdir));
	snprintf(keyfile, sizeof keyfile, "%s/security.key", workdir);
	snprintf(outbox, sizeof outbox, "%s/outbox", workdir);
	cr_assert_eq(mkdir(outbox, 0700), 0);
	k = fopen(keyfile, "w");
	cr_assert_not_null(k);
	fputs(SANDBOX_PAYOUTS_SECURITY_KEY "\n", k);
	fclose(k);
	cr_assert_eq(chmod(keyfile, 0600), 0);
	snprintf(extra, sizeof extra,
		 "[escrow]\nhold_days = 7\n[payout]\nchannel = toss-payouts\n[bulk-file]\noutbox_dir = %s\n"
		 "[toss-payouts]\nbase_url = BASE\nsecret_key_file = SECRET\nsecurity_key_file = %s\ntimeout_ms = 3000\n",
		 outbox, keyfile);
	payfix_setup(&f, extra);
	/* the sandbox runs now: point [toss-payouts] at it, with the Toss key */
	c = strstr(f.t.extra_conf, "base_url = BASE");
	cr_assert_not_null(c);
	snprintf(secret, sizeof secret, "%s/toss", f.dir);
	{
		char tail[1024];

		snprintf(tail, sizeof tail, "%s", c + strlen("base_url = BASE\nsecret_key_file = SECRET"));
		snprintf(c, sizeof f.t.extra_conf - (size_t)(c - f.t.extra_conf), "base_url = %s/toss\nsecret_key_file = %s%s",
			 f.sp.base_url, secret, tail);
	}
	testdb_write_config(&f.t);
}

static void teardown_workdir(void)
{
	char cmd[160];

	payfix_teardown(&f);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", workdir);
	cr_assert_eq(system(cmd), 0);
}

/* What Toss holds: its payouts, how many distinct refPayoutIds, their sum.
 * A payout sent twice would be two payouts with two refs for one row, or
 * one ref refused (DUPLICATED_REF_PAYOUT_ID): either shows here. */
static void toss_holds(size_t *n, size_t *refs, int64_t *sum)
{
	static char resp[1 << 16];
	json_t *root, *p;
	json_error_t jerr;
	size_t i;

	cr_assert_eq(sandbox_get(&f.sp, "/_sandbox/payouts/list", resp, sizeof resp), 200, "%s", resp);
	root = json_loads(resp, 0, &jerr);
	cr_assert(json_is_array(root), "%s", resp);
	*n = json_array_size(root);
	*refs = 0;
	*sum = 0;
	json_array_foreach(root, i, p) {
		const char *ref = json_string_value(json_object_get(p, "refPayoutId"));
		int first = 1;

		for (size_t j = 0; j < i; j++)
			if (ref && !strcmp(ref, json_string_value(json_object_get(json_array_get(root, j), "refPayoutId")) ?: ""))
				first = 0;
		*refs += (size_t)(ref && first);
		*sum += (int64_t)json_integer_value(json_object_get(json_object_get(p, "amount"), "value"));
	}
	json_decref(root);
}

/* Claims and back-off a killed run leaves, run out. */
static void payouts_due_again(void)
{
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET claimed_until = NULL, "
				      "updated_at = updated_at - INTERVAL 2 MINUTE, next_check_at = NULL"),
		     0u);
}

/* One batch of three payouts, so the points are chained: killed after
 * the intent, the re-run (which looks the SENDING payouts up) killed after
 * its claim, the next killed after the call, the last one finishes. */
Test(cmd_crash_matrix, payout_send, .init = setup_payouts, .fini = teardown_workdir, .timeout = 120)
{
	static const char *const points[] = {"payout.after_intent", "payout.after_claim", "payout.after_call"};
	static const char *const ids[] = {"leader-kim", "leader-lee", "leader-park"};
	char sql[256], body[256], resp[1024];
	struct run_result r;
	const int64_t paid = 77360 + 24000 + 56000;

	released_world("UTC_TIMESTAMP(6) - INTERVAL 10 DAY");
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "settle-run: %s", r.err);
	for (size_t i = 0; i < 3; i++) {
		snprintf(sql, sizeof sql, "UPDATE leaders SET toss_seller_id = 'seller_%zu' WHERE leader_id = '%s'", i,
			 ids[i]);
		cr_assert_eq(testdb_sql(&f.t, sql), 0u);
		snprintf(body, sizeof body, "{\"id\":\"seller_%zu\",\"status\":\"APPROVED\"}", i);
		cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/sellers", body, resp, sizeof resp), 200, "%s", resp);
	}
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/payouts/knobs", "{\"autoComplete\":true}", resp, sizeof resp), 200);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE payouts SET status = 'PENDING' WHERE status = 'HELD'"), 0u);

	for (size_t i = 0; i < 3; i++) {
		char outcome[96];
		size_t n, refs;
		int64_t sum;

		killed("payout-send", points[i], (const char *[]){"payout-send", NULL}, NULL);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENDING'"), 3, "%s", points[i]);
		cr_assert_eq(balance("pg_clearing:toss"), 200000, "%s: booked before the outcome", points[i]);
		toss_holds(&n, &refs, &sum);
		cr_assert_eq(n, refs, "%s: a payout sent twice (%zu payouts, %zu refs)", points[i], n, refs);
		cr_assert_leq(n, 3, "%s: %zu payouts at Toss", points[i], n);
		nothing_doubled(points[i]);
		payouts_due_again();
		snprintf(outcome, sizeof outcome, "killed (Toss holds %zu of 3); the next run picks it up", n);
		cell("payout-send", points[i], outcome);
	}
	run((const char *[]){"payout-send", NULL}, &r);
	cr_assert_eq(r.status, 0, "last re-run: %d %s %s", r.status, r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PAID'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts"), 3);
	{
		size_t n, refs;
		int64_t sum;

		toss_holds(&n, &refs, &sum);
		cr_assert_eq(n, 3, "Toss holds %zu payouts", n);
		cr_assert_eq(refs, 3);
		cr_assert_eq(sum, paid, "Toss pays %lld", (long long)sum);
	}
	cr_assert_eq(balance("pg_clearing:toss"), 200000 - paid);
	cr_assert_eq(balance("leader_payable:leader-kim"), 0);
	nothing_doubled("payout-send");
	cell("payout-send", "(all three, chained)", "last re-run paid each payout once");
}

/* ---------------------------------------------------------------- invoice-issue */

#define BEFORE_DUE "SETTLE_NOW=2026-11-05T01:00:00Z"

static void write_secret(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp, "%s", path);
	fputs(text, fp);
	fclose(fp);
	cr_assert_eq(chmod(path, 0600), 0);
}

static void setup_invoices(void)
{
	char link[160], secret[160], outbox[160];
	size_t used;

	payfix_setup(&f, "[escrow]\nhold_days = 7\n");
	snprintf(workdir, sizeof workdir, "/tmp/settle-matrix-XXXXXX");
	cr_assert_not_null(mkdtemp(workdir));
	snprintf(outbox, sizeof outbox, "%s/outbox", workdir);
	cr_assert_eq(mkdir(outbox, 0700), 0);
	snprintf(link, sizeof link, "%s/linkhub-id", workdir);
	snprintf(secret, sizeof secret, "%s/linkhub-secret", workdir);
	write_secret(link, "SETTLE_SANDBOX\n");
	write_secret(secret, "c2V0dGxlLXNhbmRib3gtbGlua2h1Yi1zZWNyZXQta2V5IQ==\n");
	used = strlen(f.t.extra_conf);
	snprintf(f.t.extra_conf + used, sizeof f.t.extra_conf - used,
		 "\n[invoice]\noutbox_dir = %s\nbase_url = %s/popbill\nauth_url = %s/linkhub\nservice_id = POPBILL_TEST\n"
		 "link_id_file = %s\nsecret_key_file = %s\ntimeout_ms = 1500\n"
		 "\n[platform]\nbusiness_number = 2208100001\nname = Pod Study Inc.\nrepresentative = Han Platform\n"
		 "address = 1 Teheran-ro, Gangnam-gu, Seoul\nbusiness_type = Service\nbusiness_item = Online platform\n",
		 outbox, f.sp.base_url, f.sp.base_url, link, secret);
	testdb_write_config(&f.t);
}

/* Two business leaders to invoice (lee, park): killed after the first
 * intent, the re-run killed after an XML, the last run issues the rest. */
Test(cmd_crash_matrix, invoice_issue, .init = setup_invoices, .fini = teardown_workdir, .timeout = 120)
{
	static const char *const points[] = {"invoice.after_intent", "invoice.after_xml"};
	const char *argv[] = {"invoice-issue", "--month", "2026-10", NULL};
	struct run_result r;

	released_world("'2026-10-15 03:00:00'");
	cr_assert_eq(testdb_sql(&f.t, "UPDATE leaders SET business_number = '1234567891' WHERE leader_id = 'leader-lee'"),
		     0u);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE leaders SET business_number = '1168200276' WHERE leader_id = 'leader-park'"),
		     0u);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "settle-run: %s", r.err);

	for (size_t i = 0; i < 2; i++) {
		char outcome[96];

		killed("invoice-issue", points[i], argv, BEFORE_DUE);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'DRAFT'"), 1, "%s", points[i]);
		cr_assert_leq(sandbox_stat(&f.sp, "einvoice_executed", NULL), 2, "%s", points[i]);
		nothing_doubled(points[i]);
		snprintf(outcome, sizeof outcome, "killed with one DRAFT (%ld issued so far); the next run finishes it",
			 pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'ISSUED'"));
		cell("invoice-issue", points[i], outcome);
	}
	run_program(&f.t, argv, (const char *[]){BEFORE_DUE, NULL}, &r);
	cr_assert_eq(r.status, 0, "last re-run: %d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices"), 2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM tax_invoices WHERE status = 'ISSUED'"), 2);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(DISTINCT leader_id) FROM tax_invoices"), 2);
	cr_assert_eq(sandbox_stat(&f.sp, "einvoice_executed", NULL), 2, "issued twice");
	/* the invoices add up to the fee side of the settlements they cover */
	cr_assert_eq(pf_count(&f, "SELECT COALESCE(SUM(supply + vat), 0) FROM tax_invoices"),
		     pf_count(&f, "SELECT COALESCE(SUM(supply + vat), 0) FROM settlements "
				  "WHERE leader_id IN ('leader-lee', 'leader-park')"));
	nothing_doubled("invoice-issue");
	cell("invoice-issue", "(both, chained)", "last re-run issued each invoice once");
}

/* ---------------------------------------------------------------- coverage */

/* Every FAILPOINT("…") in libsettle/ and cmd/ is in the matrix or named
 * in `elsewhere`: a new failpoint fails here until someone decides. */
Test(cmd_crash_matrix, matrix_covers_every_failpoint)
{
	char cmd[1024], top[512], line[256];
	size_t found = 0;
	FILE *p;

	test_repo_file(".", top, sizeof top);
	snprintf(cmd, sizeof cmd,
		 "grep -rh --include='*.c' 'FAILPOINT(' '%s/libsettle' '%s/cmd' | grep -v define "
		 "| grep -oE '\"[a-z_]+\\.[a-z_]+\"' | tr -d '\"' | sort -u",
		 top, top);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	while (fgets(line, sizeof line, p)) {
		int known = 0;

		line[strcspn(line, "\n")] = '\0';
		for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++)
			known |= !strcmp(matrix[i].point, line);
		for (size_t i = 0; i < sizeof elsewhere / sizeof elsewhere[0]; i++)
			known |= !strcmp(elsewhere[i], line);
		cr_expect(known, "failpoint %s is in no job's row of the crash matrix", line);
		found++;
	}
	pclose(p);
	cr_assert_geq(found, 15, "found only %zu failpoints: is the grep still right?", found);
}
