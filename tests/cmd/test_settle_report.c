/*
 * settle-report against the real database: each report's totals equal the
 * ledger's postings for the same period (Korea time); every CSV reads back
 * through libcsv (the project's csv_reader) to the database's own rows,
 * with and without --bom; --lang ko names the columns in Korean; JSON
 * carries the same totals; the withholding remittance books exactly the
 * report's total once; the month's close refuses while a pod is unsettled
 * and then writes a pack whose manifest `sha256sum -c` accepts; and every
 * bad input is refused with its exit code, one line, and nothing changed.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adapters/csv/csv_reader.h"
#include "lib/payfix.h"

static struct payfix f;
static char outbox[64], dir[64];
static char month[8], first[11], last[11], next_now[32], quarter[8];

static void setup(void)
{
	char extra[512];
	time_t t = time(NULL) + 9 * 3600;
	struct tm tm;
	int y, m, days;

	gmtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	days = m == 2 ? ((y % 4 == 0 && y % 100) || y % 400 == 0 ? 29 : 28) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
	snprintf(month, sizeof month, "%04d-%02d", y, m);
	snprintf(first, sizeof first, "%s-01", month);
	snprintf(last, sizeof last, "%s-%02d", month, days);
	snprintf(quarter, sizeof quarter, "%04d-Q%d", y, (m - 1) / 3 + 1);
	/* an instant in the next month (UTC noon of its first day): the month has ended */
	snprintf(next_now, sizeof next_now, "SETTLE_NOW=%04d-%02d-01T12:00:00Z", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	snprintf(outbox, sizeof outbox, "/tmp/settle-rep-outbox-XXXXXX");
	cr_assert_not_null(mkdtemp(outbox));
	snprintf(dir, sizeof dir, "/tmp/settle-rep-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(extra, sizeof extra, "[escrow]\nhold_days = 7\n[payout]\nchannel = bulk-file\n[bulk-file]\noutbox_dir = %s\n"
				      "[reports]\ndir = %s/packs\n",
		 outbox, dir);
	payfix_setup(&f, extra);
}

static void teardown(void)
{
	char cmd[256];

	payfix_teardown(&f);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", outbox, dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(cmd_settle_report, .init = setup, .fini = teardown, .timeout = 90);

static void run(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

static void run_env(const char *const *argv, const char *env, struct run_result *r)
{
	run_program(&f.t, argv, (const char *[]){env, NULL}, r);
}

/* Paid (four payments), completed, released, leaders loaded; settled and
 * sent (bulk file) when asked. */
static void world(int settle, int send)
{
	char o[80], path[512];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o);
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o);
	pf_paid(&f, "pod-rust-301", "user-a", NULL, o, sizeof o);
	/* completed today (Korea time), an hour ago; released at once */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR"),
		     0u);
	run((const char *[]){"settle-db", "load-leaders", test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL},
	    &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	for (const char *pod = "pod-algo-101"; pod; pod = !strcmp(pod, "pod-algo-101") ? "pod-sql-201"
							  : !strcmp(pod, "pod-sql-201") ? "pod-rust-301" : NULL) {
		run((const char *[]){"escrow-release", "--pod", pod, "--now", NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
	}
	if (settle) {
		run((const char *[]){"settle-run", NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
	}
	if (send) {
		run((const char *[]){"payout-send", NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENT'"), 3);
	}
}

/* The sum of an account's postings from entries of the given kinds made
 * in the month (Korea time). */
static int64_t ledger(const char *account_like, const char *kinds)
{
	return pf_count(&f,
			"SELECT COALESCE(SUM(p.amount), 0) FROM postings p JOIN journal_entries e ON e.id = p.entry_id "
			"WHERE p.account LIKE '%s' AND e.kind IN (%s) AND e.created_at >= '%s' - INTERVAL 9 HOUR "
			"AND e.created_at < '%s' + INTERVAL 15 HOUR",
			account_like, kinds, first, last);
}

struct table {
	char cell[64][20][96];
	size_t rows, cols;
};

static int collect(void *arg, const char *const *fields, size_t n, long line, struct settle_err *err)
{
	struct table *t = arg;

	(void)line;
	(void)err;
	cr_assert_lt(t->rows, 64u);
	t->cols = n;
	for (size_t i = 0; i < n && i < 20; i++)
		snprintf(t->cell[t->rows][i], sizeof t->cell[t->rows][i], "%s", fields[i]);
	t->rows++;
	return 0;
}

static void read_csv(const char *path, struct table *t)
{
	struct settle_err err = {0};

	memset(t, 0, sizeof *t);
	cr_assert_eq(csv_read_file(path, collect, t, &err), 0, "%s: %s", path, err.msg);
}

static int64_t num(const struct table *t, size_t row, size_t col)
{
	return strtoll(t->cell[row][col], NULL, 10);
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = calloc(1, 1 << 20);

	cr_assert(fp && buf, "%s", path);
	fread(buf, 1, (1 << 20) - 1, fp);
	fclose(fp);
	return buf;
}

Test(cmd_settle_report, settlements_read_back_and_equal_the_ledger)
{
	char out[128], bom_out[128];
	struct run_result r;
	struct table t, b;
	char *raw;

	world(1, 0);
	snprintf(out, sizeof out, "%s/settlements.csv", dir);
	run((const char *[]){"settle-report", "settlements", "--from", first, "--to", last, "--output", out, NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "wrote ") && strstr(r.out, "3 row(s)"), "%s", r.out);
	read_csv(out, &t);
	cr_assert_eq(t.rows, 5u, "header, 3 settlements, totals: %zu", t.rows);
	cr_assert_str_eq(t.cell[0][1], "settled_at_kst");
	/* every row is the database's row */
	for (size_t i = 1; i <= 3; i++)
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements WHERE public_id = '%s' AND pod_id = '%s' AND "
					  "total = %s AND fee = %s AND supply = %s AND vat = %s AND leader_share = %s AND "
					  "DATE_FORMAT(created_at + INTERVAL 9 HOUR, '%%Y-%%m-%%d %%H:%%i:%%s') = '%s'",
				      t.cell[i][0], t.cell[i][2], t.cell[i][6], t.cell[i][7], t.cell[i][8], t.cell[i][9],
				      t.cell[i][10], t.cell[i][1]),
			     1, "row %zu", i);
	cr_assert_str_eq(t.cell[4][0], "TOTAL");
	/* the totals are the settlement entries' postings */
	cr_assert_eq(num(&t, 4, 6), ledger("released:%", "'settlement'"));
	cr_assert_eq(num(&t, 4, 8), -ledger("platform_revenue", "'settlement'"));
	cr_assert_eq(num(&t, 4, 9), -ledger("vat_payable", "'settlement'"));
	cr_assert_eq(num(&t, 4, 10), -ledger("leader\\_payable:%", "'settlement'"));
	cr_assert_eq(num(&t, 4, 6), 200000);

	/* --bom: the same rows behind the byte-order mark; --lang ko: Korean names */
	snprintf(bom_out, sizeof bom_out, "%s/settlements-ko.csv", dir);
	run((const char *[]){"settle-report", "settlements", "--from", first, "--to", last, "--bom", "--lang", "ko",
			     "--output", bom_out, NULL},
	    &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	raw = slurp(bom_out);
	cr_assert(!memcmp(raw, "\xEF\xBB\xBF", 3), "no BOM");
	free(raw);
	read_csv(bom_out, &b);
	cr_assert_eq(b.rows, t.rows);
	cr_assert_str_eq(b.cell[0][0], "정산ID");
	cr_assert_str_eq(b.cell[0][8], "공급가액");
	cr_assert_str_eq(b.cell[4][0], "합계");
	for (size_t i = 1; i < t.rows; i++)
		for (size_t j = 1; j < t.cols; j++)
			cr_assert_str_eq(b.cell[i][j], t.cell[i][j], "row %zu col %zu", i, j);

	/* JSON: the same totals */
	run((const char *[]){"settle-report", "settlements", "--from", first, "--to", last, "--format", "json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	{
		json_error_t je;
		json_t *j = json_loads(r.out, 0, &je);

		cr_assert_not_null(j, "%s: %s", je.text, r.out);
		cr_assert_eq(json_array_size(json_object_get(j, "rows")), 3u);
		cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "totals"), "vat")), num(&t, 4, 9));
		cr_assert(strstr(json_string_value(json_object_get(j, "timezone")), "Asia/Seoul"));
		json_decref(j);
	}
	/* stdout CSV is the file's bytes */
	run((const char *[]){"settle-report", "settlements", "--from", first, "--to", last, NULL}, &r);
	raw = slurp(out);
	cr_assert_str_eq(r.out, raw);
	free(raw);
}

Test(cmd_settle_report, payouts_withholding_and_remittance)
{
	char file[512] = "", out[128], kim[48], lee[48], park[48], text[1024], result[160], before[4096];
	struct run_result r;
	struct table t;

	world(1, 1);
	pf_string(&f, kim, sizeof kim, "SELECT public_id FROM payouts WHERE leader_id = 'leader-kim'");
	pf_string(&f, lee, sizeof lee, "SELECT public_id FROM payouts WHERE leader_id = 'leader-lee'");
	pf_string(&f, park, sizeof park, "SELECT public_id FROM payouts WHERE leader_id = 'leader-park'");
	snprintf(result, sizeof result, "%s/result.csv", dir);
	snprintf(text, sizeof text,
		 "payout_id,amount,status,reference,message\n%s,77360,PAID,KB-1,\n%s,24000,FAILED,,closed\n%s,56000,PAID,KB-3,\n",
		 kim, lee, park);
	{
		FILE *fp = fopen(result, "w");

		fputs(text, fp);
		fclose(fp);
	}
	run((const char *[]){"payout-send", "--import-result", result, NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	(void)file;

	/* payouts: live ones in the totals, the failed one listed */
	snprintf(out, sizeof out, "%s/payouts.csv", dir);
	run((const char *[]){"settle-report", "payouts", "--from", first, "--to", last, "--detail", "-o", out, NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	read_csv(out, &t);
	{
		size_t payouts = 0, settlements = 0, payments = 0;

		for (size_t i = 1; i + 1 < t.rows; i++) {
			payouts += !strcmp(t.cell[i][0], "PAYOUT");
			settlements += !strcmp(t.cell[i][0], "SETTLEMENT");
			payments += !strcmp(t.cell[i][0], "PAYMENT");
		}
		cr_assert_eq(payouts, 3u);
		cr_assert_eq(settlements, 3u);
		cr_assert_eq(payments, 4u);
	}
	cr_assert_str_eq(t.cell[t.rows - 1][0], "TOTAL");
	cr_assert_eq(num(&t, t.rows - 1, 5), 80000 + 56000, "gross of the live payouts");
	cr_assert_eq(num(&t, t.rows - 1, 8),
		     -pf_count(&f, "SELECT COALESCE(SUM(p.amount), 0) FROM postings p JOIN journal_entries e ON "
				   "e.id = p.entry_id WHERE p.account = 'withholding_payable' AND e.ref IN "
				   "(SELECT public_id FROM payouts)"));
	/* both live payouts were paid: what they sent is what left the bank */
	cr_assert_eq(num(&t, t.rows - 1, 9), -pf_count(&f, "SELECT COALESCE(SUM(amount), 0) FROM postings WHERE account = 'bank'"));
	cr_assert_eq(num(&t, t.rows - 1, 9), 77360 + 56000);

	/* a new payout for kim, created and not sent: its withholding is booked,
	 * but it is not in the month's report until it is sent */
	{
		char o[80];

		pf_paid(&f, "pod-algo-101", "user-c", NULL, o, sizeof o);
		run((const char *[]){"settle-db", "complete-pod", "pod-algo-101", NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		run((const char *[]){"escrow-release", "--pod", "pod-algo-101", "--now", NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		run((const char *[]){"settle-run", NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE leader_id = 'leader-kim' AND status = 'PENDING' "
					  "AND withholding = 1320"),
			     1);
	}

	/* withholding: kim only (individual), masked, equal to the ledger */
	snprintf(out, sizeof out, "%s/withholding.csv", dir);
	run((const char *[]){"settle-report", "withholding", "--month", month, "-o", out, NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	read_csv(out, &t);
	cr_assert_eq(t.rows, 3u);
	cr_assert_str_eq(t.cell[1][0], "leader-kim");
	cr_assert_str_eq(t.cell[1][2], "******-*******");
	cr_assert_eq(num(&t, 1, 7), 2400);
	cr_assert_eq(num(&t, 1, 8), 240);
	cr_assert_eq(num(&t, 2, 9), 2640);
	cr_assert_eq(num(&t, 2, 9),
		     -pf_count(&f, "SELECT SUM(p.amount) FROM postings p JOIN journal_entries e ON e.id = p.entry_id "
				   "WHERE p.account = 'withholding_payable' AND e.ref IN (SELECT public_id FROM payouts WHERE "
				   "status IN ('SENT', 'PAID'))"));
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'withholding_payable'"), -2640 - 1320);
	run((const char *[]){"settle-report", "withholding", "--month", month, "--with-rrn", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "900101-2345678"), "%s", r.out);

	/* remit: refused while the month runs, then booked once for the report's total */
	testdb_fingerprint(&f.t, before, sizeof before);
	run((const char *[]){"settle-report", "remit", "withholding", "--month", month, "--paid-on", first, NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "settle-report") && strstr(r.err, "has not ended"), "%s", r.err);
	testdb_assert_unchanged(&f.t, before, "remit in a running month");
	run_env((const char *[]){"settle-report", "remit", "withholding", "--month", month, "--paid-on", last, NULL},
		next_now, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "remitted withholding for") && strstr(r.out, ": 2640 KRW"), "%s", r.out);
	/* what stays: the payout not sent yet, listed */
	cr_assert(strstr(r.out, "withholding_payable afterwards: 1320 KRW"), "%s", r.out);
	cr_assert(strstr(r.out, "stays on withholding_payable") && strstr(r.out, " PENDING ") && strstr(r.out, " 1320 KRW"),
		  "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'withholding_payable'"), -1320);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM remittances WHERE kind = 'withholding' AND amount = 2640"), 1);
	pf_ledger_ok(&f);
	testdb_fingerprint(&f.t, before, sizeof before);
	run_env((const char *[]){"settle-report", "remit", "withholding", "--month", month, "--paid-on", last, NULL},
		next_now, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "settle-report") && strstr(r.err, "already remitted"), "%s", r.err);
	testdb_assert_unchanged(&f.t, before, "second remittance");

	/* VAT: the quarter's report equals vat_payable's settlement postings; remitted once */
	run((const char *[]){"settle-report", "vat", "--quarter", quarter, "--format", "json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	{
		json_error_t je;
		json_t *j = json_loads(r.out, 0, &je);

		cr_assert_not_null(j, "%s", r.out);
		cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "totals"), "vat")),
			     -ledger("vat_payable", "'settlement', 'refund'"));
		cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "totals"), "vat")), 1819 + 546 + 1273 + 910);
		json_decref(j);
	}
}

Test(cmd_settle_report, escrow_and_leader_statement)
{
	char out[128];
	struct run_result r;
	struct table t;
	char *html;

	world(0, 0);
	/* released, not settled: all on released:{pod} */
	run((const char *[]){"settle-report", "escrow", "--at", last, "-o", (snprintf(out, sizeof out, "%s/e.csv", dir), out),
			     NULL},
	    &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	read_csv(out, &t);
	cr_assert_eq(t.rows, 5u);
	cr_assert_eq(num(&t, 4, 6), -pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account LIKE 'released:%%'"));
	cr_assert_eq(num(&t, 4, 4), -pf_count(&f, "SELECT COALESCE(SUM(amount), 0) FROM postings WHERE account LIKE 'escrow:%%'"));
	cr_assert_eq(num(&t, 4, 6), 200000);

	/* a title a browser would run: escaped in the HTML statement */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE leaders SET name = '<script>alert(1)</script> & Kim' WHERE leader_id = 'leader-kim'"),
		     0u);
	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(out, sizeof out, "%s/kim.html", dir);
	run((const char *[]){"settle-report", "leader", "leader-kim", "--month", month, "--format", "html", "-o", out, NULL},
	    &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	html = slurp(out);
	cr_assert(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Kim") && !strstr(html, "<script>"), "%s", html);
	cr_assert(strstr(html, "77,360"), "carried forward: %s", html);
	free(html);
	/* CSV: the movements reach the ledger's balance */
	snprintf(out, sizeof out, "%s/kim.csv", dir);
	run((const char *[]){"settle-report", "leader", "leader-kim", "--month", month, "-o", out, NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	read_csv(out, &t);
	cr_assert_eq(num(&t, t.rows - 1, 5), -pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'leader_payable:leader-kim'"));
	/* a refund after settlement (a clawback): in the statement, and in the VAT
	 * report, which still equals the ledger */
	{
		char pay[64], vat_out[128];

		pf_string(&f, pay, sizeof pay, "SELECT public_id FROM payments WHERE pod_id = 'pod-algo-101' ORDER BY id LIMIT 1");
		run((const char *[]){"pay-refund", pay, "--amount", "10000", "--reason", "left", "--after-release", NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM clawbacks"), 1);
		run((const char *[]){"settle-report", "leader", "leader-kim", "--month", month, "-o", out, NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		read_csv(out, &t);
		cr_assert_str_eq(t.cell[t.rows - 2][1], "refund");
		cr_assert_eq(num(&t, t.rows - 1, 5),
			     -pf_count(&f, "SELECT SUM(amount) FROM postings WHERE account = 'leader_payable:leader-kim'"));
		snprintf(vat_out, sizeof vat_out, "%s/vat.csv", dir);
		run((const char *[]){"settle-report", "vat", "--quarter", quarter, "-o", vat_out, NULL}, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		read_csv(vat_out, &t);
		cr_assert_eq(num(&t, t.rows - 1, 7), -ledger("vat_payable", "'settlement', 'refund'"));
		cr_assert_eq(num(&t, t.rows - 1, 6), -ledger("platform_revenue", "'settlement', 'refund'"));
		cr_assert_gt(num(&t, t.rows - 1, 9), 0, "the clawback's VAT part is shown");
		/* a payout's PAYMENT lines add up to the settlement it carries, the
		 * clawed-back payment with what it brought in */
		run((const char *[]){"settle-report", "payouts", "--from", first, "--to", last, "--detail", "-o", vat_out, NULL},
		    &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		read_csv(vat_out, &t);
		{
			int64_t kim = 0;

			for (size_t i = 1; i + 1 < t.rows; i++)
				if (!strcmp(t.cell[i][0], "PAYMENT") && !strcmp(t.cell[i][2], "leader-kim"))
					kim += num(&t, i, 16);
			cr_assert_eq(kim, 100000);
		}
	}
	run((const char *[]){"settle-report", "leader", "leader-nobody", "--month", month, NULL}, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(pf_one_error(r.err, "settle-report") && strstr(r.err, "unknown leader"), "%s", r.err);
}

Test(cmd_settle_report, close_refuses_then_writes_the_pack)
{
	char before[4096], pack[160], cmd[400];
	struct run_result r;

	world(0, 0);
	/* pods completed this month, released, not settled */
	testdb_fingerprint(&f.t, before, sizeof before);
	run_env((const char *[]){"settle-report", "close", "--month", month, NULL}, next_now, &r);
	cr_assert_eq(r.status, 65, "%d %s %s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "pod-algo-101") && strstr(r.out, "pod-rust-301"), "%s", r.out);
	cr_assert(pf_one_error(r.err, "settle-report") && strstr(r.err, "3 pod(s) with unsettled money"), "%s", r.err);
	testdb_assert_unchanged(&f.t, before, "refused close");
	snprintf(pack, sizeof pack, "%s/packs/%s", dir, month);
	cr_assert_neq(access(pack, F_OK), 0, "a refused close wrote %s", pack);
	/* a month not over yet */
	run((const char *[]){"settle-report", "close", "--month", month, NULL}, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, "has not ended"), "%s", r.err);

	run((const char *[]){"settle-run", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_env((const char *[]){"settle-report", "close", "--month", month, NULL}, next_now, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert(strstr(r.out, "closed ") && strstr(r.out, "5 file(s)"), "%s", r.out);
	snprintf(cmd, sizeof cmd, "cd '%s' && sha256sum --quiet -c MANIFEST.sha256 && test $(wc -l < MANIFEST.sha256) -eq 5 "
				  "&& test -s settlements.csv && test -s vat.csv", pack);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM month_closes WHERE month = '%s'", month), 1);
	run_env((const char *[]){"settle-report", "close", "--month", month, NULL}, next_now, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, "already closed"), "%s", r.err);
}

Test(cmd_settle_report, bad_input_is_refused_whole)
{
	char before[4096], missing[128], out[128];
	struct run_result r;
	const struct {
		int code;
		const char *argv[12];
		const char *says;
	} cases[] = {
		{65, {"settle-report", "withholding", "--month", "2026-13"}, "--month"},
		{65, {"settle-report", "withholding", "--month", "2026-1"}, "--month"},
		{65, {"settle-report", "withholding", "--month", "26-11"}, "--month"},
		{65, {"settle-report", "settlements", "--from", "2026-02-30", "--to", "2026-03-01"}, "2026-02 has 28 days"},
		{65, {"settle-report", "settlements", "--from", "2026-11-31", "--to", "2026-12-01"}, "--from"},
		{65, {"settle-report", "settlements", "--from", "2026-11-02", "--to", "2026-11-01"}, "is after --to"},
		{65, {"settle-report", "settlements", "--from", "2026/11/01", "--to", "2026-11-30"}, "--from"},
		{65, {"settle-report", "vat", "--quarter", "2026-Q5"}, "--quarter"},
		{65, {"settle-report", "vat", "--quarter", "2026-4"}, "--quarter"},
		{65, {"settle-report", "escrow", "--at", "2026-00-10"}, "--at"},
		{65, {"settle-report", "remit", "vat", "--quarter", "2026-Q4", "--paid-on", "2026-13-01"}, "--paid-on"},
		{64, {"settle-report", "settlements", "--from", "2026-11-01"}, "needs --to"},
		{64, {"settle-report", "escrow", "--at", "2026-11-01", "--month", "2026-11"}, "takes no --month"},
		{64, {"settle-report", "settlements", "--from", "2026-11-01", "--to", "2026-11-30", "--lang", "fr"}, "--lang"},
		{64, {"settle-report", "settlements", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx"}, "--format"},
		{64, {"settle-report", "remit", "income"}, "KIND \"income\" is not one of"},
		{64, {"settle-report", "bogus"}, "unknown command"},
		{64, {"settle-report", "vat", "--quarter", "2026-Q4", "--dry-run"}, "--dry-run"},
		{66, {"settle-report", "settlements", "--from", "2026-11-01", "--to", "2026-11-30", "--output", missing}, "directory"},
		{65, {"settle-report", "settlements", "--from", "2026-11-01", "--to", "2026-11-30", "--output", out}, "is a directory"},
	};

	world(1, 0);
	snprintf(missing, sizeof missing, "%s/no-such-dir/s.csv", dir);
	snprintf(out, sizeof out, "%s/", dir);
	testdb_fingerprint(&f.t, before, sizeof before);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run(cases[i].argv, &r);
		cr_assert_eq(r.status, cases[i].code, "case %zu: %d %s", i, r.status, r.err);
		cr_assert(pf_one_error(r.err, "settle-report"), "case %zu: %s", i, r.err);
		cr_assert(strstr(r.err, cases[i].says), "case %zu: %s", i, r.err);
		cr_assert_str_eq(r.out, "", "case %zu wrote %s", i, r.out);
	}
	/* --with-rrn without a data key: configuration, 78, and nothing shown */
	{
		char nokey[128], env[160], *text = slurp(f.t.config_path), *line = strstr(text, "data_key_file");
		FILE *fp;

		cr_assert_not_null(line);
		memset(line, ';', 1); /* commented out */
		snprintf(nokey, sizeof nokey, "%s/nokey.conf", dir);
		fp = fopen(nokey, "w");
		fputs(text, fp);
		fclose(fp);
		free(text);
		chmod(nokey, 0600);
		snprintf(env, sizeof env, "SETTLE_CONFIG=%s", nokey);
		run_program(NULL, (const char *[]){"settle-report", "withholding", "--month", "2026-11", "--with-rrn", NULL},
			    (const char *[]){env, NULL}, &r);
		cr_assert_eq(r.status, 78, "%d %s", r.status, r.err);
		cr_assert(pf_one_error(r.err, "settle-report") && strstr(r.err, "--with-rrn"), "%s", r.err);
		cr_assert_str_eq(r.out, "");
		unlink(nokey);
	}
	testdb_assert_unchanged(&f.t, before, "bad input");
	cr_assert_neq(access(missing, F_OK), 0);
	/* no temp file is left behind by a refused or failed write */
	{
		char cmd[200];

		snprintf(cmd, sizeof cmd, "test -z \"$(find '%s' -name '.*.csv.*')\"", dir);
		cr_assert_eq(system(cmd), 0);
	}
}
