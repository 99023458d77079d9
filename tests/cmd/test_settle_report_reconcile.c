/* settle-report reconcile: our captures and refunds against the sandbox's
 * Toss settlement records — a clean period matches, a planted difference
 * (changed amount, missing record, extra record) is found and exits 65
 * changing nothing, --post books each matched, paid-out record once and
 * the ledger stays balanced (its bank warning gone once the PG's money is
 * booked), and a console file with any defect is refused whole. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, NULL);
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_settle_report_reconcile, .init = setup, .fini = teardown, .timeout = 90);

/* Korea-time day, days from now. */
static void kst_day(int days, char out[11])
{
	time_t t = time(NULL) + 9 * 3600 + (time_t)days * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* SETTLE_NOW=<UTC now + days>, for a clock past the payout day. */
static void now_env(int days, char *buf, size_t len)
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	char at[32];

	gmtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf, len, "SETTLE_NOW=%s", at);
}

static void reconcile(const char *const *extra, const char *const *env, struct run_result *r)
{
	char today[11];
	const char *argv[16] = {"settle-report", "reconcile", "--from", NULL, "--to", NULL};
	size_t n = 6;

	kst_day(0, today);
	argv[3] = today;
	argv[5] = today;
	for (size_t i = 0; extra && extra[i] && n < 15; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	run_program(&f.t, argv, env, r);
}

static const char *key_of(const char *order, char *buf, size_t len)
{
	return pf_string(&f, buf, len, "SELECT payment_key FROM payments WHERE order_id = '%s'", order);
}

/* Two payments, the second refunded in part: three events of ours. */
static void three_events(char o1[80], char o2[80])
{
	char pid[64];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-ana", NULL, o1, 80);
	pf_paid(&f, "pod-sql-201", "user-bo", NULL, o2, 80);
	pf_payment_id(&f, o2, pid, sizeof pid);
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "10000", "--reason", "left early", NULL}, NULL,
		    &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
}

/* What reconcile may change: the books and the booked records (every run
 * leaves its job_runs row, which is not money). Append-only, so counts do. */
static void books(char *out, size_t len)
{
	pf_string(&f, out, len,
		  "SELECT CONCAT_WS('/', (SELECT COUNT(*) FROM journal_entries), (SELECT COUNT(*) FROM postings), "
		  "(SELECT COUNT(*) FROM pg_settlement_records), (SELECT COUNT(*) FROM payments), "
		  "(SELECT COUNT(*) FROM refunds))");
}

static int lines_with(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

Test(cmd_settle_report_reconcile, clean_period_matches_with_fees)
{
	char o1[80], o2[80];
	struct run_result r;

	three_events(o1, o2);
	reconcile(NULL, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "\"date_kst\""), "%s", r.out);
	cr_assert_eq(lines_with(r.out, "\n\"matched\","), 3, "%s", r.out);
	/* fee 2.35 %: 50000 -> 1175, 30000 -> 705, the cancel gives back 235 */
	cr_assert(strstr(r.out, ",50000,50000,0,1175,48825,"), "%s", r.out);
	cr_assert(strstr(r.out, ",-10000,-10000,0,-235,-9765,"), "%s", r.out);
	cr_assert(strstr(r.out, "\n\"TOTAL\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",70000,70000,0,1645,68355,"), "%s", r.out);
	cr_assert_eq(r.err[0], '\0', "%s", r.err);
	/* the totals row equals the ledger: our amount is what the period's
	 * captures and refunds moved on pg_clearing:toss */
	cr_assert_eq(pf_count(&f, "SELECT SUM(x.amount) FROM postings x JOIN journal_entries e ON e.id = x.entry_id "
				  "WHERE x.account = 'pg_clearing:toss' AND e.kind IN ('capture', 'refund')"), 70000);

	/* JSON carries the same totals */
	reconcile((const char *[]){"--json", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(lines_with(r.out, "\"status\":\"matched\""), 3, "%s", r.out);
	cr_assert(strstr(r.out, "\"pg_fee\":1645"), "%s", r.out);
}

static void assert_finds(const char *plant_json, const char *status, const char *why)
{
	char before[256], now[256], body[256];
	struct run_result r;

	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/settlements/plant", plant_json, body, sizeof body), 200, "%s", body);
	books(before, sizeof before);
	reconcile(NULL, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "settle-report"), "%s", r.err);
	cr_assert(strstr(r.err, "1 difference(s)"), "%s", r.err);
	cr_assert_eq(lines_with(r.out, status), 1, "%s", r.out);
	cr_assert(strstr(r.out, why), "%s", r.out);
	books(now, sizeof now);
	cr_assert_str_eq(now, before, "%s", status);
	cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/settlements/reset", "{}", body, sizeof body), 200);
}

Test(cmd_settle_report_reconcile, planted_differences_are_found)
{
	char o1[80], o2[80], key[256], json[512];

	three_events(o1, o2);
	key_of(o1, key, sizeof key);
	snprintf(json, sizeof json, "{\"kind\":\"amount\",\"paymentKey\":\"%s\",\"delta\":-500}", key);
	assert_finds(json, "\n\"different\",\"payment\",\"toss\",", "amount differs");
	snprintf(json, sizeof json, "{\"kind\":\"missing\",\"paymentKey\":\"%s\"}", key);
	assert_finds(json, "\n\"missing\",\"payment\",\"toss\",", "payment not in the PG's records");
	assert_finds("{\"kind\":\"extra\",\"amount\":12000}", "\n\"extra\",\"payment\",\"toss\",", "payment we did not record");
}

Test(cmd_settle_report_reconcile, post_books_once_and_balances)
{
	char o1[80], o2[80], env[64], body[256], out[64];
	struct run_result r;

	three_events(o1, o2);
	/* A payout left the bank before the PG's money was booked: the
	 * ledger shows the bank in credit (a warning, not a finding). */
	cr_assert_eq(testdb_sql(&f.t, "INSERT INTO journal_entries (entry_key, kind, ref, created_at) VALUES "
				      "('test:bank', 'test', 'bank', NOW(6))"), 0);
	cr_assert_eq(testdb_sql(&f.t, "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, 'bank', "
				      "-40000, 'KRW' FROM journal_entries WHERE entry_key = 'test:bank' UNION ALL "
				      "SELECT id, 'pg_fee_expense', 40000, 'KRW' FROM journal_entries "
				      "WHERE entry_key = 'test:bank'"), 0);
	run_program(&f.t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert(strstr(r.out, "bank has a credit balance"), "%s", r.out);

	/* Not paid out yet (the sandbox pays two days after the sale): nothing booked. */
	reconcile((const char *[]){"--post", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "booked=0 already=0 waiting=3"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM pg_settlement_records"), 0);

	/* --dry-run books nothing either */
	now_env(3, env, sizeof env);
	reconcile((const char *[]){"--post", "--dry-run", NULL}, (const char *[]){env, NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM pg_settlement_records"), 0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'pg_settlement'"), 0);

	reconcile((const char *[]){"--post", NULL}, (const char *[]){env, NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "booked=3 already=0"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM pg_settlement_records"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'pg_settlement'"), 3);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'pg_clearing:toss'"), 0);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'pg_fee_expense'"), 1645 + 40000);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'bank'"), 68355 - 40000);

	/* again: nothing twice */
	reconcile((const char *[]){"--post", NULL}, (const char *[]){env, NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "booked=0 already=3"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'pg_settlement'"), 3);

	run_program(&f.t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s %s", r.status, r.out, r.err);
	cr_assert_null(strstr(r.out, "bank has a credit balance"), "%s", r.out);

	/* ledger-check holds the booked records and their entries together:
	 * an entry without its record is a finding */
	cr_assert_eq(testdb_sql(&f.t, "INSERT INTO journal_entries (entry_key, kind, ref, created_at) VALUES "
				      "('pg_settlement:toss:forged', 'pg_settlement', 'toss:forged', NOW(6))"), 0);
	cr_assert_eq(testdb_sql(&f.t, "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, 'bank', 5, "
				      "'KRW' FROM journal_entries WHERE entry_key = 'pg_settlement:toss:forged' UNION ALL "
				      "SELECT id, 'pg_clearing:toss', -5, 'KRW' FROM journal_entries "
				      "WHERE entry_key = 'pg_settlement:toss:forged'"), 0);
	run_program(&f.t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "without a booked PG settlement record"), "%s", r.out);
	cr_assert_eq(testdb_sql(&f.t, "INSERT INTO pg_settlement_records (pg, transaction_key, payment_key, kind, amount, "
				      "fee, payout, currency, sold_date, paid_out_date, matched_ref, entry_key, booked_at) "
				      "VALUES ('toss', 'forged', 'pk', 'payment', 5, 1, 4, 'KRW', '2026-11-01', "
				      "'2026-11-01', 'pay_x', 'pg_settlement:toss:forged', NOW(6))"), 0);
	run_program(&f.t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "1 entries; they post 5 to bank, 0 to the PG fee, -5 to pg_clearing"), "%s", r.out);

	/* a difference planted afterwards: found (65), the matched rest
	 * still already booked, nothing new */
	key_of(o1, out, sizeof out);
	{
		char json[256];

		snprintf(json, sizeof json, "{\"kind\":\"amount\",\"paymentKey\":\"%s\",\"delta\":100}", out);
		cr_assert_eq(sandbox_post(&f.sp, "/_sandbox/settlements/plant", json, body, sizeof body), 200);
	}
	reconcile((const char *[]){"--post", NULL}, (const char *[]){env, NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "booked=0 already=2"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'pg_settlement'"), 3 + 1);
}

/* ------------------------------------------------------------ a console file */

static const char header[] = "soldDate,paidOutDate,paymentKey,transactionKey,orderId,method,currency,amount,fee,"
			     "supplyAmount,vat,payOutAmount\n";

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
}

Test(cmd_settle_report_reconcile, console_file_matches_and_bad_files_are_refused_whole)
{
	char o1[80], o2[80], k1[256], today[11], path[128], good[2048], bad[2048], before[256], now[256];
	struct run_result r;
	struct {
		const char *what, *text, *why;
	} cases[] = {
		{"wrong header", "soldDate,paidOutDate,paymentKey,txKey\n", ":1: column 4 is 'txKey'; expected 'transactionKey'"},
		{"wrong amount", "%s%s,%s,%s,tx1,%s,,KRW,50000,1175,1068,107,48000\n", ":2: payOutAmount 48000 is not amount"},
		{"fee split", "%s%s,%s,%s,tx1,%s,,KRW,50000,1175,1000,107,48825\n", ":2: supplyAmount 1000 + vat 107"},
		{"not a number", "%s%s,%s,%s,tx1,%s,,KRW,5만,1175,,,48825\n", ":2: amount"},
		{"bad date", "%s2026-02-30,%s,%s,tx1,%s,,KRW,50000,1175,,,48825\n", ":2: soldDate"},
		{"duplicate", "%s%s,%s,%s,tx1,%s,,KRW,50000,1175,,,48825\n%s,%s,%s,tx1,,,KRW,50000,1175,,,48825\n",
		 ":3: transactionKey tx1 repeats the record of line 2"},
		{"unknown key", "%s%s,%s,%s,tx1,%s,,KRW,50000,1175,,,48825\n%s,%s,nosuchkey123,tx2,,,KRW,1000,23,,,977\n",
		 ":3: paymentKey nosuchkey123 is not a toss payment of ours"},
	};

	three_events(o1, o2);
	key_of(o1, k1, sizeof k1);
	kst_day(0, today);
	snprintf(path, sizeof path, "%s/settlements.csv", f.dir);

	/* only o1's approval in the file (and a record of another month, left
	 * out): o2's two events are missing */
	snprintf(good, sizeof good, "%s%s,%s,%s,tx1,%s,카드,KRW,50000,1175,1068,107,48825\n"
		 "2020-01-01,2020-01-01,%s,tx0,,,KRW,100,1,,,99\n", header, today, today, k1, o1, k1);
	write_file(path, good);
	reconcile((const char *[]){"--file", path, NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "outside_period=1"), "%s", r.err);
	cr_assert(strstr(r.err, "2 difference(s)"), "%s", r.err);
	cr_assert_eq(lines_with(r.out, "\n\"matched\",\"payment\","), 1, "%s", r.out);
	cr_assert_eq(lines_with(r.out, "\n\"missing\","), 2, "%s", r.out);

	books(before, sizeof before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (i == 0)
			snprintf(bad, sizeof bad, "%s", cases[i].text);
		else if (i == 4)
			snprintf(bad, sizeof bad, cases[i].text, header, today, k1, o1);
		else
			snprintf(bad, sizeof bad, cases[i].text, header, today, today, k1, o1, today, today, k1);
		write_file(path, bad);
		reconcile((const char *[]){"--file", path, "--post", NULL}, NULL, &r);
		cr_assert_eq(r.status, 65, "%s: %d %s", cases[i].what, r.status, r.err);
		cr_assert(pf_one_error(r.err, "settle-report"), "%s: %s", cases[i].what, r.err);
		cr_assert(strstr(r.err, cases[i].why), "%s: %s", cases[i].what, r.err);
		cr_assert(strstr(r.err, path), "%s: %s", cases[i].what, r.err);
		cr_assert_null(strstr(r.out, "\n\"matched\","), "%s: %s", cases[i].what, r.out);
		books(now, sizeof now);
		cr_assert_str_eq(now, before, "%s", cases[i].what);
	}
	unlink(path);

	/* a missing file: 66 */
	reconcile((const char *[]){"--file", path, NULL}, NULL, &r);
	cr_assert_eq(r.status, 66, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "settle-report"), "%s", r.err);
}

Test(cmd_settle_report_reconcile, bad_periods_and_options)
{
	struct {
		const char *const argv[10];
		int status;
		const char *why;
	} cases[] = {
		{{"settle-report", "reconcile", "--from", "2026-02-30", "--to", "2026-03-01", NULL}, 65, "has 28 days"},
		{{"settle-report", "reconcile", "--from", "2026-13-01", "--to", "2026-12-01", NULL}, 65, "--from"},
		{{"settle-report", "reconcile", "--from", "20261101", "--to", "2026-11-30", NULL}, 65, "not a date"},
		{{"settle-report", "reconcile", "--from", "2026-11-30", "--to", "2026-11-01", NULL}, 65, "after --to"},
		{{"settle-report", "reconcile", "--from", "2026-11-01", NULL}, 64, "reconcile needs --to"},
		{{"settle-report", "reconcile", "--from", "2026-11-01", "--to", "2026-11-30", "--pg", "paypal"}, 64, "paypal"},
		{{"settle-report", "reconcile", "--from", "2026-11-01", "--to", "2026-11-30", "--pg", "nicepay"}, 78,
		 "no settlement API adapter for nicepay"},
	};
	char before[4096];
	struct run_result r;

	testdb_fingerprint(&f.t, before, sizeof before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_program(&f.t, cases[i].argv, NULL, &r);
		cr_assert_eq(r.status, cases[i].status, "%s: %d %s", cases[i].why, r.status, r.err);
		cr_assert(pf_one_error(r.err, "settle-report"), "%s: %s", cases[i].why, r.err);
		cr_assert(strstr(r.err, cases[i].why), "%s: %s", cases[i].why, r.err);
	}
	testdb_assert_unchanged(&f.t, before, "bad periods");

	/* a period with nothing on either side: the header and a zero total */
	run_program(&f.t, (const char *[]){"settle-report", "reconcile", "--from", "2026-01-01", "--to", "2026-01-31", NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "\"TOTAL\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",0,0,0,0,0,"), "%s", r.out);
}

/* [reconcile] settled_into = pg: the PG keeps what it settles in our
 * balance there (Toss payouts v2 pays leaders out of it), so only the fee
 * is booked; a value other than bank or pg is a configuration error. */
Test(cmd_settle_report_reconcile, settled_into_the_pg_balance_books_the_fee_only)
{
	char o1[80], o2[80], env[64], extra[2048];
	struct run_result r;

	three_events(o1, o2);
	snprintf(extra, sizeof extra, "%s\n[reconcile]\nsettled_into = cash\n", f.t.extra_conf);
	snprintf(f.t.extra_conf, sizeof f.t.extra_conf, "%s", extra);
	testdb_write_config(&f.t);
	now_env(3, env, sizeof env);
	reconcile((const char *[]){"--post", NULL}, (const char *[]){env, NULL}, &r);
	cr_assert_eq(r.status, 78, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "settle-report") && strstr(r.err, "settled_into"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM pg_settlement_records"), 0);

	*strstr(f.t.extra_conf, "settled_into = cash") = '\0';
	strcat(f.t.extra_conf, "settled_into = pg\n");
	testdb_write_config(&f.t);
	reconcile((const char *[]){"--post", NULL}, (const char *[]){env, NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "booked=3 already=0"), "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM pg_settlement_records"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM postings WHERE account = 'bank'"), 0);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'pg_fee_expense'"), 1645);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'pg_clearing:toss'"), 70000 - 1645);
	pf_ledger_ok(&f);
}
