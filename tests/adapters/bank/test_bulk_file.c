/* test_bulk_file.c — the bulk-transfer CSV: content, quoting, mode 0600, atomic write, refusals. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/bank/bulk_file.h"

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/settle-bulk-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(adapters_bank_bulk_file, .init = setup, .fini = teardown);

static long long fixed_now(void)
{
	return 1795600000LL; /* 2026-11-25T09:46:40Z */
}

static struct bank_port *open_bulk(void)
{
	struct bulk_file_config cfg = {dir, fixed_now};
	struct settle_err err = {0};
	struct bank_port *b = bulk_file_new(&cfg, &err);

	cr_assert_not_null(b, "%s", err.msg);
	return b;
}

static size_t count_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *name)
{
	char path[256];
	FILE *f;
	static char buf[8192];
	size_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const struct payout_order two[] = {
	{.payout_id = "pyo_0001", .idempotency_key = "payout:pyo_0001", .leader_id = "ldr_1", .seller_id = "",
	 .bank_code = "004", .account = "123456-01-234567", .holder = "김, 철수", .amount = 147650,
	 .currency = "KRW", .memo = "settle 11월"},
	{.payout_id = "pyo_0002", .idempotency_key = "payout:pyo_0002", .leader_id = "ldr_2", .seller_id = "",
	 .bank_code = "088", .account = "110222333444", .holder = "Lee \"Mona\"", .amount = 96700,
	 .currency = "KRW", .memo = NULL},
};

Test(adapters_bank_bulk_file, writes_one_quoted_file_mode_0600)
{
	struct bank_port *b = open_bulk();
	struct bank_result res[2];
	struct stat st;
	char path[256];
	const char *name = "payouts-20261125T094640Z-pyo_0001.csv";

	b->send(b->self, two, 2, res);
	cr_assert_eq(res[0].outcome, BANK_OK, "%s %s", res[0].code, res[0].message);
	cr_assert_eq(res[0].status, BANK_ST_ACCEPTED);
	cr_assert_str_eq(res[0].reference, "payouts-20261125T094640Z-pyo_0001.csv:2");
	cr_assert_str_eq(res[1].reference, "payouts-20261125T094640Z-pyo_0001.csv:3");
	cr_assert_null(strstr(res[0].message, "123456"), "account number in a message");
	cr_assert_eq(count_files(), 1, "a temp file was left behind");
	cr_assert_str_eq(slurp(name),
			 "bank_code,account_number,holder,amount,memo,payout_id\r\n"
			 "\"004\",\"123456-01-234567\",\"김, 철수\",\"147650\",\"settle 11월\",\"pyo_0001\"\r\n"
			 "\"088\",\"110222333444\",\"Lee \"\"Mona\"\"\",\"96700\",\"\",\"pyo_0002\"\r\n");
	snprintf(path, sizeof path, "%s/%s", dir, name);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);

	/* The same batch in the same second never replaces the first file. */
	b->send(b->self, two, 2, res);
	cr_assert_eq(res[0].outcome, BANK_OK);
	cr_assert_str_eq(res[0].reference, "payouts-20261125T094640Z-pyo_0001-2.csv:2");
	cr_assert_eq(count_files(), 2);
	b->destroy(b->self);
}

Test(adapters_bank_bulk_file, bad_orders_refused_and_left_out)
{
	struct payout_order o[5];
	struct bank_result res[5];
	struct bank_port *b = open_bulk();

	for (int i = 0; i < 5; i++)
		o[i] = two[0];
	o[1].payout_id = "pyo_bad";
	o[1].account = "12ab";
	o[2].payout_id = "pyo_0001"; /* twice */
	o[3].payout_id = "pyo_0004";
	o[3].holder = "=HYPERLINK(\"x\")";
	o[4].payout_id = "pyo_0005";
	o[4].amount = 0;
	b->send(b->self, o, 5, res);
	cr_assert_eq(res[0].outcome, BANK_OK);
	cr_assert_eq(res[1].outcome, BANK_REFUSED);
	cr_assert_str_eq(res[1].code, "INVALID_REQUEST");
	cr_assert(strstr(res[1].message, "pyo_bad: account number"), "%s", res[1].message);
	cr_assert_null(strstr(res[1].message, "12ab"));
	cr_assert_eq(res[2].outcome, BANK_REFUSED);
	cr_assert(strstr(res[2].message, "twice"), "%s", res[2].message);
	cr_assert_eq(res[3].outcome, BANK_REFUSED);
	cr_assert(strstr(res[3].message, "holder"), "%s", res[3].message);
	cr_assert_eq(res[4].outcome, BANK_REFUSED);
	cr_assert(strstr(res[4].message, "amount"), "%s", res[4].message);
	cr_assert_eq(count_files(), 1);
	b->destroy(b->self);
}

Test(adapters_bank_bulk_file, write_failure_is_in_doubt_and_status_asks_result_file)
{
	struct bank_port *b = open_bulk();
	struct bank_result res[2];

	if (geteuid() == 0) {
		/* root writes anywhere: remove the directory instead. */
		cr_assert_eq(rmdir(dir), 0);
	} else {
		cr_assert_eq(chmod(dir, 0500), 0);
	}
	b->send(b->self, two, 2, res);
	cr_assert_eq(res[0].outcome, BANK_IN_DOUBT);
	cr_assert_str_eq(res[0].code, "WRITE_FAILED");
	cr_assert(strstr(res[0].message, "cannot create a temp file"), "%s", res[0].message);
	if (geteuid() == 0)
		cr_assert_eq(mkdir(dir, 0700), 0);
	else
		cr_assert_eq(chmod(dir, 0700), 0);
	cr_assert_eq(count_files(), 0);
	b->status(b->self, &two[0], &res[0]);
	cr_assert_eq(res[0].outcome, BANK_IN_DOUBT);
	cr_assert_eq(res[0].status, BANK_ST_UNKNOWN);
	b->destroy(b->self);
}

Test(adapters_bank_bulk_file, outbox_must_exist)
{
	struct bulk_file_config cfg = {"/nonexistent/outbox", NULL};
	struct settle_err err = {0};

	cr_assert_null(bulk_file_new(&cfg, &err));
	cr_assert_eq(err.code, 78);
	cr_assert(strstr(err.msg, "/nonexistent/outbox"), "%s", err.msg);
}
