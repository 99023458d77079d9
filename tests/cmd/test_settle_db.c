/* settle-db as operators run it: migrate twice, status, fixtures, and
 * every kind of bad input refused with a one-line error, a sysexits code
 * and nothing changed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/testdb.h"

static struct testdb t;

static void setup(void)
{
	testdb_create(&t);
}

static void teardown(void)
{
	testdb_drop(&t);
}

TestSuite(cmd_settle_db, .init = setup, .fini = teardown, .timeout = 60);

static const char *pods_header = "pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on\n";
static const char *leaders_header =
	"leader_id,name,kind,business_number,email,bank_code,account_number,holder_name,resident_number\n";

static const char *temp_csv(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/tmp/settle-csv-%d.csv", (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl && nl[1] == '\0';
}

Test(cmd_settle_db, migrate_twice_changes_nothing)
{
	struct run_result r;
	int64_t before = testdb_count(&t, "SELECT COUNT(*) FROM schema_migrations");

	run_program(&t, (const char *[]){"settle-db", "migrate", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "applied 0"), "%s", r.out);
	run_program(&t, (const char *[]){"settle-db", "migrate", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM schema_migrations"), before);
	run_program(&t, (const char *[]){"settle-db", "--json", "status", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "\"state\":\"applied\""), "%s", r.out);
}

Test(cmd_settle_db, loads_the_fixtures)
{
	struct run_result r;
	char path[512], enc[64];

	run_program(&t, (const char *[]){"settle-db", "load-pods", test_repo_file("fixtures/pods.csv", path, sizeof path), NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&t, (const char *[]){"settle-db", "load-leaders",
					 test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_gt(testdb_count(&t, "SELECT COUNT(*) FROM pods"), 3);
	cr_assert_gt(testdb_count(&t, "SELECT COUNT(*) FROM leaders"), 3);
	/* account numbers are ciphertext only */
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM leaders WHERE account_enc LIKE '%12345678901234%'"), 0);
	testdb_string(&t, "SELECT account_last4 FROM leaders WHERE leader_id = 'leader-kim'", enc, sizeof enc);
	cr_assert_str_eq(enc, "1234");
	/* loading again updates in place */
	run_program(&t, (const char *[]){"settle-db", "load-pods", test_repo_file("fixtures/pods.csv", path, sizeof path), NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
}

struct bad_case {
	const char *what, *csv, *expect;
	int status;
};

static void expect_refused(const char *verb, const struct bad_case *c, const char *table)
{
	struct run_result r;
	char sql[64];

	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	run_program(&t, (const char *[]){"settle-db", verb, temp_csv(c->csv), NULL}, NULL, &r);
	cr_assert_eq(r.status, c->status, "%s: status %d: %s", c->what, r.status, r.err);
	cr_assert(strstr(r.err, c->expect), "%s: expected '%s' in: %s", c->what, c->expect, r.err);
	cr_assert(one_line(r.err), "%s: not one line: %s", c->what, r.err);
	cr_assert_eq(testdb_count(&t, sql), 0, "%s: rows were written", c->what);
}

Test(cmd_settle_db, bad_pod_files_change_nothing)
{
	char buf[16][512];
	const char *good = "p-ok,l1,Good,100,KRW,3,OPEN,2026-01-01,2026-02-01\n";
	struct bad_case cases[] = {
		{"negative fee", "p1,l1,T,-1,KRW,3,OPEN,2026-01-01,2026-02-01\n", ":3: fee", 65},
		{"exponent fee", "p1,l1,T,1e3,KRW,3,OPEN,2026-01-01,2026-02-01\n", ":3: fee", 65},
		{"decimal KRW", "p1,l1,T,12.5,KRW,3,OPEN,2026-01-01,2026-02-01\n", ":3: fee", 65},
		{"huge fee", "p1,l1,T,9223372036854775808,KRW,3,OPEN,2026-01-01,2026-02-01\n", ":3: fee", 65},
		{"empty fee", "p1,l1,T,,KRW,3,OPEN,2026-01-01,2026-02-01\n", ":3: fee", 65},
		{"bad date", "p1,l1,T,100,KRW,3,OPEN,2026-02-30,2026-03-01\n", "starts_on", 65},
		{"ends before start", "p1,l1,T,100,KRW,3,OPEN,2026-03-01,2026-02-01\n", "ends_on", 65},
		{"unknown currency", "p1,l1,T,100,XYZ,3,OPEN,2026-01-01,2026-02-01\n", "currency", 65},
		{"zero capacity", "p1,l1,T,100,KRW,0,OPEN,2026-01-01,2026-02-01\n", "capacity", 65},
		{"bad status", "p1,l1,T,100,KRW,3,OPENED,2026-01-01,2026-02-01\n", "status", 65},
		{"bad pod id", "p 1,l1,T,100,KRW,3,OPEN,2026-01-01,2026-02-01\n", "pod_id", 65},
		{"too few fields", "p1,l1,T,100,KRW,3,OPEN,2026-01-01\n", ":3: 8 fields", 65},
		{"unterminated quote", "p1,l1,\"T,100,KRW,3,OPEN,2026-01-01,2026-02-01\n", ":3: quoted field opened on this line is never closed", 65},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(buf[i], sizeof buf[i], "%s%s%s", pods_header, good, cases[i].csv);
		cases[i].csv = buf[i];
		expect_refused("load-pods", &cases[i], "pods");
	}
}

Test(cmd_settle_db, wrong_header_names_the_column)
{
	struct bad_case c = {"renamed column",
			     "pod_id,leader_id,title,price,currency,capacity,status,starts_on,ends_on\n"
			     "p1,l1,T,100,KRW,3,OPEN,2026-01-01,2026-02-01\n",
			     "column 4 is 'price'; expected 'fee'", 65};

	expect_refused("load-pods", &c, "pods");
}

Test(cmd_settle_db, bad_leader_files_change_nothing)
{
	char buf[8][512];
	const char *good = "l-ok,Kim,INDIVIDUAL,,a@b.co,004,1234567890,Kim,9001012345678\n";
	struct bad_case cases[] = {
		{"individual without rrn", "l1,Kim,INDIVIDUAL,,a@b.co,004,1234567890,Kim,\n", "resident_number", 65},
		{"bad email", "l1,Kim,INDIVIDUAL,,not-an-email,004,1234567890,Kim,9001012345678\n", "email", 65},
		{"account with letters", "l1,Kim,INDIVIDUAL,,a@b.co,004,12345X7890,Kim,9001012345678\n", "account_number", 65},
		{"business without number", "l1,Co,CORPORATE,,a@b.co,004,1234567890,Co,\n", "business_number", 65},
		{"bad kind", "l1,Co,COMPANY,1234567890,a@b.co,004,1234567890,Co,\n", "kind", 65},
		{"bad bank code", "l1,Kim,INDIVIDUAL,,a@b.co,4,1234567890,Kim,9001012345678\n", "bank_code", 65},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(buf[i], sizeof buf[i], "%s%s%s", leaders_header, good, cases[i].csv);
		cases[i].csv = buf[i];
		expect_refused("load-leaders", &cases[i], "leaders");
	}
}

Test(cmd_settle_db, missing_file_is_66)
{
	struct run_result r;

	run_program(&t, (const char *[]){"settle-db", "load-pods", "/nonexistent/pods.csv", NULL}, NULL, &r);
	cr_assert_eq(r.status, 66, "%s", r.err);
	cr_assert(strstr(r.err, "/nonexistent/pods.csv"), "%s", r.err);
}

Test(cmd_settle_db, usage_errors_are_64)
{
	struct run_result r;

	run_program(&t, (const char *[]){"settle-db", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
	run_program(&t, (const char *[]){"settle-db", "--bogus", "migrate", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
	cr_assert(strstr(r.err, "--bogus"), "%s", r.err);
	run_program(&t, (const char *[]){"settle-db", "frobnicate", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64);
	cr_assert(strstr(r.err, "frobnicate"), "%s", r.err);
	run_program(&t, (const char *[]){"settle-db", "load-pods", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64);
	run_program(&t, (const char *[]){"settle-db", "--help", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "Usage: settle-db"), "%s", r.out);
	run_program(&t, (const char *[]){"settle-db", "--version", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0);
}

Test(cmd_settle_db, bad_config_names_file_line_and_key)
{
	struct run_result r;

	snprintf(t.extra_conf, sizeof t.extra_conf, "[payments]\ndefault_pg = toss\nsokcet = x\n");
	testdb_write_config(&t);
	run_program(&t, (const char *[]){"settle-db", "status", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(strstr(r.err, t.config_path) && strstr(r.err, ":12:") && strstr(r.err, "sokcet"), "%s", r.err);

	snprintf(t.extra_conf, sizeof t.extra_conf, "[toss]\nsecret_key = test_sk_plain\n");
	testdb_write_config(&t);
	run_program(&t, (const char *[]){"settle-db", "status", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(strstr(r.err, "secret_key_file"), "%s", r.err);
	cr_assert_null(strstr(r.err, "test_sk_plain"), "the secret was echoed: %s", r.err);

	snprintf(t.extra_conf, sizeof t.extra_conf, "[payments\n");
	testdb_write_config(&t);
	run_program(&t, (const char *[]){"settle-db", "status", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(strstr(r.err, "malformed"), "%s", r.err);

	run_program(NULL, (const char *[]){"settle-db", "--config", "/nonexistent.conf", "status", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(strstr(r.err, "/nonexistent.conf"), "%s", r.err);
}
