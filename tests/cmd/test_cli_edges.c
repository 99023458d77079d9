/*
 * The edges every program shares: exit codes that are the documented ones
 * (issue 7 §9), clear configuration errors (§8), and echoes that are safe
 * on a terminal (§10).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/payfix.h"

static struct payfix f;
static char conf[6][128]; /* derived configs, removed at teardown */
static char pwfile[128];
static char outbox[64]; /* [bulk-file] outbox_dir of the test's config */

enum { UNREACHABLE, REFUSED_LOGIN, OPEN_SECRET, STUDY_DOWN, BAD_KEY, LONG_LINE };

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 65536);

	cr_assert(fp && buf, "%s", path);
	cr_assert_lt(fread(buf, 1, 65535, fp), 65535);
	fclose(fp);
	return buf;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp, "%s", path);
	fputs(text, fp);
	fclose(fp);
	cr_assert_eq(chmod(path, mode), 0);
}

/* The test's config with the first line starting with prefix after the
 * line `section` replaced by line (the whole text appended when prefix is
 * NULL). */
static void derive(int which, const char *section, const char *prefix, const char *line)
{
	char *text = slurp(f.t.config_path), *out = calloc(1, 65536 + 8192), *at = text;

	cr_assert_not_null(out);
	snprintf(conf[which], sizeof conf[which], "/tmp/settle-edge-%d-%d.conf", (int)getpid(), which);
	if (prefix) {
		if (section)
			at = strstr(text, section);
		cr_assert_not_null(at, "%s", section);
		at = strstr(at, prefix);
		cr_assert_not_null(at, "%s", prefix);
		memcpy(out, text, (size_t)(at - text));
		strcat(out, line);
		strcat(out, strchr(at, '\n'));
	} else {
		strcpy(out, text);
		strcat(out, line);
	}
	write_file(conf[which], out, 0600);
	free(text);
	free(out);
}

static void setup(void)
{
	char line[256], *longline;

	snprintf(outbox, sizeof outbox, "/tmp/settle-edge-outbox-XXXXXX");
	cr_assert_not_null(mkdtemp(outbox));
	snprintf(line, sizeof line, "[bulk-file]\noutbox_dir = %s\n", outbox);
	payfix_setup(&f, line);
	snprintf(pwfile, sizeof pwfile, "/tmp/settle-edge-pw-%d", (int)getpid());
	snprintf(conf[UNREACHABLE], sizeof conf[UNREACHABLE], "/tmp/settle-edge-%d-0.conf", (int)getpid());
	write_file(conf[UNREACHABLE],
		   "[database]\nsocket = /nonexistent/settle/mysqld.sock\nuser = settle\nname = settle_nowhere\n", 0600);
	write_file(pwfile, "not-the-password\n", 0600);
	snprintf(line, sizeof line, "password_file = %s", pwfile);
	derive(REFUSED_LOGIN, "[database]", "password_file = ", line);
	/* the real password, in a file others may read */
	{
		char *pw = slurp(test_repo_file("var/secrets/db-password", line, sizeof line));
		char open_pw[160];

		snprintf(open_pw, sizeof open_pw, "%s-open", pwfile);
		write_file(open_pw, pw, 0644);
		free(pw);
		snprintf(line, sizeof line, "password_file = %s", open_pw);
		derive(OPEN_SECRET, "[database]", "password_file = ", line);
	}
	derive(STUDY_DOWN, "[study]", "base_url = ", "base_url = http://127.0.0.1:1");
	derive(BAD_KEY, NULL, NULL, "[payments]\nsweep_bacth = 5\n");
	/* a 6 KiB line: an inline comment after a real value */
	longline = malloc(7000);
	cr_assert_not_null(longline);
	strcpy(longline, "[log]\nlevel = warn ; ");
	memset(longline + strlen(longline), 'x', 6000);
	strcpy(longline + strlen("[log]\nlevel = warn ; ") + 6000, "\n");
	derive(LONG_LINE, NULL, NULL, longline);
	free(longline);
}

static void teardown(void)
{
	char p[160];

	for (size_t i = 0; i < 6; i++)
		if (conf[i][0])
			unlink(conf[i]);
	unlink(pwfile);
	snprintf(p, sizeof p, "%s-open", pwfile);
	unlink(p);
	payfix_teardown(&f);
	snprintf(p, sizeof p, "rm -rf '%s'", outbox);
	cr_assert_eq(system(p), 0);
}

TestSuite(cmd_cli_edges, .init = setup, .fini = teardown, .timeout = 120);

/* Runs argv with SETTLE_CONFIG = conf[which] (-1: the test's own) and
 * extra environment; returns the exit status, stderr in r. */
static int run_with(int which, const char *const *argv, const char *extra_env, struct run_result *r)
{
	char env[200];
	const char *envs[3] = {NULL, NULL, NULL};
	size_t n = 0;

	if (which >= 0) {
		snprintf(env, sizeof env, "SETTLE_CONFIG=%s", conf[which]);
		envs[n++] = env;
	}
	if (extra_env)
		envs[n++] = extra_env;
	run_program(which >= 0 ? NULL : &f.t, argv, envs, r);
	return r->status;
}

/* The codes listed in man/<prog>.1.scd's EXIT STATUS, as "0 64 65 …". */
static void man_codes(const char *prog, char *out, size_t len)
{
	char rel[64], path[512];
	char *text, *sec, *end;

	snprintf(rel, sizeof rel, "man/%s.1.scd", prog);
	text = slurp(test_repo_file(rel, path, sizeof path));
	sec = strstr(text, "# EXIT STATUS");
	cr_assert_not_null(sec, "%s has no EXIT STATUS", rel);
	end = strstr(sec + 1, "\n# ");
	if (end)
		*end = '\0';
	out[0] = '\0';
	for (char *line = strtok(sec, "\n"); line; line = strtok(NULL, "\n")) {
		int code;

		if (sscanf(line, "*%d*", &code) == 1)
			snprintf(out + strlen(out), len - strlen(out), "%s%d", out[0] ? " " : "", code);
	}
	free(text);
}

struct reach {
	int code;
	int config; /* -1: the test's own */
	const char *argv[10];
	const char *env;
	const char *sql; /* run first (to break the ledger) */
};

static void reaches(const char *prog, const struct reach *cases, size_t n)
{
	char documented[64], reached[64] = "", help_line[96];
	int codes[16];
	size_t ncodes = 0;
	struct run_result r;
	const char *ex;

	man_codes(prog, documented, sizeof documented);
	/* --help says the same as the man page */
	run_program(&f.t, (const char *[]){prog, "--help", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0);
	ex = strstr(r.out, "Exit status: ");
	cr_assert_not_null(ex, "%s", r.out);
	snprintf(help_line, sizeof help_line, "Exit status: %s (see", documented);
	cr_assert(!strncmp(ex, help_line, strlen(help_line)), "%s: man page says %s, --help says %s", prog, documented,
		  ex);
	for (size_t i = 0; i < n; i++) {
		int got;

		if (cases[i].sql)
			cr_assert_eq(testdb_sql(&f.t, cases[i].sql), 0, "%s", cases[i].sql);
		got = run_with(cases[i].config, cases[i].argv, cases[i].env, &r);

		cr_assert_eq(got, cases[i].code, "%s case %zu (%s): %d %s", prog, i, cases[i].argv[1], got, r.err);
		/* ledger-check's findings are its listing on stdout, not an error */
		if (got && !(got == 65 && !strcmp(prog, "ledger-check")))
			cr_assert(pf_one_error(r.err, prog), "%s case %zu: %s", prog, i, r.err);
		codes[ncodes++] = got;
	}
	/* in the man page's order */
	for (size_t i = 0; i < ncodes; i++)
		for (size_t j = i + 1; j < ncodes; j++)
			if (codes[j] < codes[i]) {
				int tmp = codes[i];

				codes[i] = codes[j];
				codes[j] = tmp;
			}
	for (size_t i = 0; i < ncodes; i++)
		snprintf(reached + strlen(reached), sizeof reached - strlen(reached), "%s%d", i ? " " : "", codes[i]);
	cr_assert_str_eq(reached, documented, "%s: reached %s, documented %s", prog, reached, documented);
}

#define FP_INTERNAL "SETTLE_FAILPOINT=cli.internal"

Test(cmd_cli_edges, settle_db_and_ledger_check_reach_every_documented_code)
{
	char csv[64], bad[600];
	const struct reach db[] = {
		{0, -1, {"settle-db", "status"}, NULL, NULL},
		{64, -1, {"settle-db", "--bogus", "status"}, NULL, NULL},
		{65, -1, {"settle-db", "load-pods", csv}, NULL, NULL},
		{66, -1, {"settle-db", "load-pods", "/nonexistent/pods.csv"}, NULL, NULL},
		{69, UNREACHABLE, {"settle-db", "status"}, NULL, NULL},
		{70, -1, {"settle-db", "status"}, FP_INTERNAL, NULL},
		{78, BAD_KEY, {"settle-db", "status"}, NULL, NULL},
	};
	const struct reach lc[] = {
		{0, -1, {"ledger-check"}, NULL, NULL},
		{70, -1, {"ledger-check"}, FP_INTERNAL, NULL},
		{64, -1, {"ledger-check", "stray"}, NULL,
		 "INSERT INTO journal_entries (entry_key, kind, ref, created_at) VALUES ('manual:broken', 'manual', "
		 "'test', '2026-11-24 10:00:00')"},
		{65, -1, {"ledger-check"}, NULL,
		 "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, 'pg_clearing', 10, 'KRW' "
		 "FROM journal_entries WHERE entry_key = 'manual:broken'"},
		{69, UNREACHABLE, {"ledger-check"}, NULL, NULL},
		{78, REFUSED_LOGIN, {"ledger-check"}, NULL, NULL},
	};

	snprintf(csv, sizeof csv, "/tmp/settle-edge-%d.csv", (int)getpid());
	snprintf(bad, sizeof bad, "pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on\n"
				  "p1,l1,T,-1,KRW,3,OPEN,2026-01-01,2026-02-01\n");
	write_file(csv, bad, 0600);
	reaches("settle-db", db, sizeof db / sizeof db[0]);
	unlink(csv);
	/* 65: the case's SQL breaks the ledger after the clean runs */
	reaches("ledger-check", lc, sizeof lc / sizeof lc[0]);
	{
		/* 65 last: an entry whose stored hash is not its content's */
		const struct reach seal[] = {
			{0, -1, {"ledger-seal", "--digest"}, NULL, NULL},
			{64, -1, {"ledger-seal", "stray"}, NULL, NULL},
			{69, UNREACHABLE, {"ledger-seal"}, NULL, NULL},
			{70, -1, {"ledger-seal"}, FP_INTERNAL, NULL},
			{78, REFUSED_LOGIN, {"ledger-seal"}, NULL, NULL},
			{65, -1, {"ledger-seal"}, NULL,
			 "INSERT INTO journal_entries (entry_key, kind, ref, created_at, hash) VALUES ('manual:forged', "
			 "'manual', 'test', '2026-11-24 10:00:00', REPEAT('0', 64))"},
		};

		reaches("ledger-seal", seal, sizeof seal / sizeof seal[0]);
	}
	{
		const struct reach rep[] = {
			{0, -1, {"settle-report", "vat", "--quarter", "2026-Q4"}, NULL, NULL},
			{64, -1, {"settle-report", "vat"}, NULL, NULL},
			{65, -1, {"settle-report", "vat", "--quarter", "2026-Q5"}, NULL, NULL},
			{66, -1, {"settle-report", "vat", "--quarter", "2026-Q4", "--output", "/nonexistent/vat.csv"}, NULL, NULL},
			{69, UNREACHABLE, {"settle-report", "vat", "--quarter", "2026-Q4"}, NULL, NULL},
			{70, -1, {"settle-report", "vat", "--quarter", "2026-Q4"}, FP_INTERNAL, NULL},
			{78, BAD_KEY, {"settle-report", "vat", "--quarter", "2026-Q4"}, NULL, NULL},
		};
		reaches("settle-report", rep, sizeof rep / sizeof rep[0]);
	}
}

Test(cmd_cli_edges, payment_programs_reach_every_documented_code)
{
	char order[80], pid[64], paid[80], paid_pid[64], key[128], doubt[80], doubt_key[128], doubt_amount[32];
	char paid2[80], paid2_pid[64];

	pf_order(&f, "pod-algo-101", "user-ana", NULL, order, sizeof order);
	pf_payment_id(&f, order, pid, sizeof pid);
	pf_paid(&f, "pod-sql-201", "user-ben", NULL, paid, sizeof paid);
	pf_payment_id(&f, paid, paid_pid, sizeof paid_pid);
	pf_paid(&f, "pod-rust-301", "user-cho", NULL, paid2, sizeof paid2);
	pf_payment_id(&f, paid2, paid2_pid, sizeof paid2_pid);
	pf_order(&f, "pod-rust-301", "user-dan", NULL, doubt, sizeof doubt);
	pf_checkout(&f, doubt, "CARD", doubt_key, sizeof doubt_key);
	snprintf(doubt_amount, sizeof doubt_amount, "%lld", (long long)pf_amount(&f, doubt));
	(void)key;

	{
		const struct reach order_cases[] = {
			{0, -1, {"pay-order", "--pod", "pod-algo-101", "--user", "user-eve"}, NULL, NULL},
			{64, -1, {"pay-order", "--pod", "pod-algo-101"}, NULL, NULL},
			{65, -1, {"pay-order", "--pod", "no-such-pod", "--user", "user-eve"}, NULL, NULL},
			/* the Study Service cannot be asked: 69, not 75 (issue 7 §9) */
			{69, STUDY_DOWN, {"pay-order", "--pod", "pod-algo-101", "--user", "user-fay"}, NULL, NULL},
			{70, -1, {"pay-order", "--pod", "pod-algo-101", "--user", "user-eve"}, FP_INTERNAL, NULL},
			{78, OPEN_SECRET, {"pay-order", "--pod", "pod-algo-101", "--user", "user-eve"}, NULL, NULL},
		};
		reaches("pay-order", order_cases, sizeof order_cases / sizeof order_cases[0]);
	}
	{
		const struct reach show_cases[] = {
			{0, -1, {"pay-show", pid}, NULL, NULL},
			{64, -1, {"pay-show"}, NULL, NULL},
			{65, -1, {"pay-show", "pay_no_such_payment"}, NULL, NULL},
			{69, UNREACHABLE, {"pay-show", pid}, NULL, NULL},
			{70, -1, {"pay-show", pid}, FP_INTERNAL, NULL},
			{78, REFUSED_LOGIN, {"pay-show", pid}, NULL, NULL},
		};
		reaches("pay-show", show_cases, sizeof show_cases / sizeof show_cases[0]);
	}
	pf_fault(&f, "{\"fault\":\"http500\",\"orderId\":\"%s\",\"op\":\"confirm\",\"count\":-1}", doubt);
	pf_fault(&f, "{\"fault\":\"http500\",\"orderId\":\"%s\",\"op\":\"cancel\",\"count\":-1}", paid2);
	{
		const struct reach capture_cases[] = {
			{0, -1, {"pay-capture", "--sweep"}, NULL, NULL},
			{64, -1, {"pay-capture", "--sweep", "--order", order}, NULL, NULL},
			{65, -1, {"pay-capture", "--order", "ord_no_such_order", "--payment-key", "k", "--amount", "1"}, NULL, NULL},
			{69, UNREACHABLE, {"pay-capture", "--sweep"}, NULL, NULL},
			{70, -1, {"pay-capture", "--sweep"}, FP_INTERNAL, NULL},
			{75, -1, {"pay-capture", "--order", doubt, "--payment-key", doubt_key, "--amount", doubt_amount}, NULL, NULL},
			{78, BAD_KEY, {"pay-capture", "--sweep"}, NULL, NULL},
		};
		reaches("pay-capture", capture_cases, sizeof capture_cases / sizeof capture_cases[0]);
	}
	{
		const struct reach refund_cases[] = {
			{0, -1, {"pay-refund", paid_pid, "--amount", "100", "--reason", "goodwill"}, NULL, NULL},
			{64, -1, {"pay-refund", paid_pid}, NULL, NULL},
			{65, -1, {"pay-refund", "pay_no_such_payment", "--reason", "x"}, NULL, NULL},
			{69, UNREACHABLE, {"pay-refund", paid_pid, "--reason", "x"}, NULL, NULL},
			{70, -1, {"pay-refund", paid_pid, "--amount", "100", "--reason", "again"}, FP_INTERNAL, NULL},
			{75, -1, {"pay-refund", paid2_pid, "--amount", "100", "--reason", "in doubt"}, NULL, NULL},
			{78, OPEN_SECRET, {"pay-refund", paid_pid, "--reason", "x"}, NULL, NULL},
		};
		reaches("pay-refund", refund_cases, sizeof refund_cases / sizeof refund_cases[0]);
	}
}

/* escrow-release, settle-run and payout-send, in the order money moves:
 * paid, released, settled, sent (a bulk file), in doubt, imported. */
Test(cmd_cli_edges, settlement_programs_reach_every_documented_code)
{
	char o[80], path[512], bad[64], good[64], rows[1024], csv[1200];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-ana", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-ben", NULL, o, sizeof o);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - "
				      "INTERVAL 10 DAY WHERE pod_id IN ('pod-algo-101', 'pod-sql-201')"),
		     0);
	{
		const struct reach cases[] = {
			{0, -1, {"escrow-release"}, NULL, NULL},
			{64, -1, {"escrow-release", "--now"}, NULL, NULL},
			{65, -1, {"escrow-release", "--pod", "no-such-pod"}, NULL, NULL},
			{69, UNREACHABLE, {"escrow-release"}, NULL, NULL},
			{70, -1, {"escrow-release"}, FP_INTERNAL, NULL},
			{78, BAD_KEY, {"escrow-release"}, NULL, NULL},
		};
		reaches("escrow-release", cases, sizeof cases / sizeof cases[0]);
	}
	run_program(&f.t, (const char *[]){"settle-db", "load-leaders",
					   test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	{
		const struct reach cases[] = {
			{0, -1, {"settle-run"}, NULL, NULL},
			{64, -1, {"settle-run", "stray"}, NULL, NULL},
			{65, -1, {"settle-run", "--pod", "pod algo"}, NULL, NULL},
			{69, UNREACHABLE, {"settle-run"}, NULL, NULL},
			{70, -1, {"settle-run"}, FP_INTERNAL, NULL},
			{78, OPEN_SECRET, {"settle-run"}, NULL, NULL},
		};
		reaches("settle-run", cases, sizeof cases / sizeof cases[0]);
	}
	cr_assert_gt(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'PENDING'"), 0);
	/* killed between the intent and the file: SENDING, in doubt */
	run_program(&f.t, (const char *[]){"payout-send", NULL},
		    (const char *const[]){"SETTLE_FAILPOINT=payout.after_intent", NULL}, &r);
	cr_assert_neq(r.status, 0, "%s", r.err);
	cr_assert_gt(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENDING'"), 0);
	snprintf(bad, sizeof bad, "/tmp/settle-edge-bad-%d.csv", (int)getpid());
	snprintf(good, sizeof good, "/tmp/settle-edge-good-%d.csv", (int)getpid());
	write_file(bad, "payout_id,amount,status\npo_x,1,PAID\n", 0600);
	pf_string(&f, rows, sizeof rows,
		  "SELECT GROUP_CONCAT(CONCAT(public_id, ',', amount, ',PAID,ref-', id, ',') ORDER BY id SEPARATOR '\n') "
		  "FROM payouts WHERE status = 'SENDING'");
	snprintf(csv, sizeof csv, "payout_id,amount,status,reference,message\n%s\n", rows);
	write_file(good, csv, 0600);
	{
		const struct reach cases[] = {
			{64, -1, {"payout-send", "stray"}, NULL, NULL},
			{65, -1, {"payout-send", "--import-result", bad}, NULL, NULL},
			{66, -1, {"payout-send", "--import-result", "/nonexistent/result.csv"}, NULL, NULL},
			{69, UNREACHABLE, {"payout-send"}, NULL, NULL},
			{78, BAD_KEY, {"payout-send"}, NULL, NULL},
			/* past the dead sender's lease and the look-up age: a
			 * bulk file is known only from its result file, so they
			 * stay in doubt */
			{75, -1, {"payout-send"}, NULL,
			 "UPDATE payouts SET updated_at = updated_at - INTERVAL 2 MINUTE, next_check_at = NULL, "
			 "claimed_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND"},
			{0, -1, {"payout-send", "--import-result", good}, NULL, NULL},
			{70, -1, {"payout-send"}, FP_INTERNAL, NULL},
		};
		reaches("payout-send", cases, sizeof cases / sizeof cases[0]);
	}
	unlink(bad);
	unlink(good);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payouts WHERE status = 'SENDING'"), 0);
	pf_ledger_ok(&f);
}

/* Every option --help lists is in the man page's OPTIONS, and every
 * option the OPTIONS section lists is one --help knows. */
Test(cmd_cli_edges, help_and_man_page_list_the_same_options)
{
	static const char *const progs[] = {"settle-db",      "pay-order",  "pay-capture", "pay-refund", "pay-show",
					    "ledger-check",   "escrow-release", "settle-run", "payout-send", "escrow-dispute",
					    "settle-report", "invoice-issue", "pay-webhookd", "ledger-seal", "settle-notify", "settle-watch", "settle-apid"};
	struct run_result r;

	for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		char rel[64], path[512], name[72], *text, *sec, *end, *opts;

		snprintf(rel, sizeof rel, "man/%s.1.scd", progs[i]);
		text = slurp(test_repo_file(rel, path, sizeof path));
		sec = strstr(text, "\n# OPTIONS\n");
		cr_assert_not_null(sec, "%s has no OPTIONS", rel);
		end = strstr(sec + 1, "\n# ");
		if (end)
			*end = '\0';
		run_program(&f.t, (const char *[]){progs[i], "--help", NULL}, NULL, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		opts = strstr(r.out, "\nOptions:\n");
		cr_assert_not_null(opts, "%s", r.out);
		/* --help → man page */
		for (char *at = strstr(opts, "--"); at; at = strstr(at + 2, "--")) {
			size_t n = strspn(at + 2, "abcdefghijklmnopqrstuvwxyz-");

			if (at[-1] != ' ' || n == 0)
				continue;
			if (strstr(at, "\nExit status:") == NULL)
				break; /* past the options */
			snprintf(name, sizeof name, "*--%.*s*", (int)n, at + 2);
			cr_assert(strstr(sec, name), "%s: --help lists %s, %s's OPTIONS does not", progs[i], name, rel);
		}
		/* man page → --help */
		for (char *at = strstr(sec, "*--"); at; at = strstr(at + 3, "*--")) {
			size_t n = strspn(at + 3, "abcdefghijklmnopqrstuvwxyz-");
			char *hit;

			snprintf(name, sizeof name, "--%.*s", (int)n, at + 3);
			hit = strstr(opts, name);
			while (hit && (hit[-1] != ' ' || (hit[strlen(name)] != ' ' && hit[strlen(name)] != '\n')))
				hit = strstr(hit + 1, name);
			cr_assert(hit, "%s: %s's OPTIONS lists %s, --help does not", progs[i], rel, name);
		}
		free(text);
	}
}

Test(cmd_cli_edges, configuration_errors_say_what_is_wrong)
{
	struct run_result r;
	char want[200];

	/* --config '' is a usage error, never a silent fall-back */
	run_program(&f.t, (const char *[]){"settle-db", "--config", "", "status", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
	cr_assert(pf_one_line(r.err) && strstr(r.err, "--config"), "%s", r.err);
	/* a directory where the file is expected */
	run_program(&f.t, (const char *[]){"pay-show", "--config", "/tmp", "pay_x", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(pf_one_line(r.err) && strstr(r.err, "/tmp") && strstr(r.err, "directory"), "%s", r.err);
	/* a directory given as settle-db's FILE: once a read error, 74, which
	 * its page did not list; now said before anything is opened, 66 */
	run_program(&f.t, (const char *[]){"settle-db", "load-pods", "/tmp", NULL}, NULL, &r);
	cr_assert_eq(r.status, 66, "%s", r.err);
	cr_assert(pf_one_line(r.err) && strstr(r.err, "/tmp is a directory"), "%s", r.err);
	run_program(&f.t, (const char *[]){"settle-db", "--schema-dir", "/dev/null", "status", NULL}, NULL, &r);
	cr_assert_eq(r.status, 66, "%s", r.err);
	cr_assert(pf_one_line(r.err) && strstr(r.err, "not a directory"), "%s", r.err);
	/* a secret file others may read: named, with its mode */
	cr_assert_eq(run_with(OPEN_SECRET, (const char *[]){"settle-db", "status", NULL}, NULL, &r), 78, "%s", r.err);
	snprintf(want, sizeof want, "%s-open", pwfile);
	cr_assert(pf_one_line(r.err) && strstr(r.err, want) && strstr(r.err, "0644"), "%s", r.err);
	/* a refused login is configuration (78), an unreachable server 69 */
	cr_assert_eq(run_with(REFUSED_LOGIN, (const char *[]){"settle-db", "status", NULL}, NULL, &r), 78, "%s", r.err);
	cr_assert(pf_one_line(r.err) && strstr(r.err, "Access denied"), "%s", r.err);
	cr_assert_eq(run_with(UNREACHABLE, (const char *[]){"ledger-check", NULL}, NULL, &r), 69, "%s", r.err);
	cr_assert(pf_one_line(r.err) && strstr(r.err, "/nonexistent/settle/mysqld.sock"), "%s", r.err);
	/* a 6 KiB line is read whole, and the program runs */
	cr_assert_eq(run_with(LONG_LINE, (const char *[]){"pay-order", "--pod", "pod-algo-101", "--user", "user-long", NULL},
			      NULL, &r),
		     0, "%s", r.err);
}

Test(cmd_cli_edges, echoed_input_is_escaped)
{
	static const char *const progs[] = {"settle-db",      "pay-order",  "pay-capture", "pay-refund", "pay-show",
					    "ledger-check",   "escrow-release", "settle-run", "payout-send", "escrow-dispute",
					    "settle-report", "invoice-issue", "pay-webhookd", "ledger-seal", "settle-notify", "settle-watch", "settle-apid"};
	struct run_result r;
	char csv[64], order[80];

	/* an unknown option, for every program */
	for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		run_program(&f.t, (const char *[]){progs[i], "--b\x1b[2J\xff", NULL}, NULL, &r);
		cr_assert_eq(r.status, 64, "%s: %s", progs[i], r.err);
		cr_assert(test_terminal_safe(r.err), "%s: %s", progs[i], r.err);
		cr_assert(strstr(r.err, "\\x1b[2J\\xff"), "%s: %s", progs[i], r.err);
	}
	/* an unknown command */
	run_program(&f.t, (const char *[]){"settle-db", "mig\x1b]0;owned\x07rate", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64);
	cr_assert(test_terminal_safe(r.err) && strstr(r.err, "\\x1b]0;owned\\x07"), "%s", r.err);
	/* a bad id read from a CSV file, echoed in the error */
	snprintf(csv, sizeof csv, "/tmp/settle-edge-esc-%d.csv", (int)getpid());
	write_file(csv, "pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on\n"
			"p\x1b[31m1,l1,T,100,KRW,3,OPEN,2026-01-01,2026-02-01\n", 0600);
	run_program(&f.t, (const char *[]){"settle-db", "load-pods", csv, NULL}, NULL, &r);
	unlink(csv);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(test_terminal_safe(r.err), "%s", r.err);
	/* text from the database: a PG message with escapes, in JSON and in
	 * ledger-check's table */
	pf_order(&f, "pod-algo-101", "user-esc", NULL, order, sizeof order);
	{
		char sql[512];

		snprintf(sql, sizeof sql, "UPDATE payments SET pg_code = 'X\x1b[2J', pg_message = 'm\xc2\x9b" "31m' "
			 "WHERE order_id = '%s'", order);
		cr_assert_eq(testdb_sql(&f.t, sql), 0);
	}
	run_program(&f.t, (const char *[]){"pay-show", "--order", order, NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(test_terminal_safe(r.out) && strcasestr(r.out, "\\u001b[2J"), "%s", r.out);
	cr_assert_eq(testdb_sql(&f.t, "INSERT INTO journal_entries (entry_key, kind, ref, created_at) VALUES "
				      "('manual:\x1b[2J\xc2\x9b', 'manual', 'test', '2026-11-24 10:00:00')"),
		     0);
	cr_assert_eq(testdb_sql(&f.t, "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, "
				      "'pg_clearing', 10, 'KRW' FROM journal_entries WHERE kind = 'manual'"),
		     0);
	run_program(&f.t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(test_terminal_safe(r.out) && strstr(r.out, "manual:\\x1b[2J\\xc2\\x9b"), "%s", r.out);
}
