/*
 * test_settlement_file.c — the PG console's settlement CSV: a good file
 * (with a BOM, quoted fields, cancels, empty optional columns) gives its
 * records with their lines; every malformed file is refused with
 * "FILE:LINE: what" (65), a missing file with 66, and a refusal comes
 * before any record of a later line is handed out.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "adapters/pg/settlement_file.h"

#define HEADER "soldDate,paidOutDate,paymentKey,transactionKey,orderId,method,currency,amount,fee,supplyAmount,vat,payOutAmount\n"
#define GOOD1 "2026-11-24,2026-11-26,pk_1,tx_1,order-0001,카드,KRW,34000,800,728,72,33200\n"

static char path[128];

static void write_file(const char *text)
{
	FILE *f;

	snprintf(path, sizeof path, "/tmp/settle-test-stl-%d.csv", (int)getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
}

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

TestSuite(adapters_pg_settlement_file, .fini = cleanup);

struct got {
	struct recon_record r[8];
	size_t n;
};

static int keep(void *arg, const struct recon_record *r, struct settle_err *err)
{
	struct got *g = arg;

	(void)err;
	if (g->n < 8)
		g->r[g->n] = *r;
	g->n++;
	return 0;
}

static int list(const char *file, struct got *g, struct settle_err *err)
{
	struct pg_settlements_port *p = settlement_file_new(file, "toss", err);
	int rc;

	cr_assert_not_null(p, "%s", err->msg);
	cr_assert(p->is_file);
	cr_assert_str_eq(p->pg, "toss");
	memset(g, 0, sizeof *g);
	rc = p->list(p->self, "2026-11-01", "2026-11-30", keep, g, err);
	p->destroy(p->self);
	return rc;
}

Test(adapters_pg_settlement_file, good_file)
{
	struct got g;
	struct settle_err err = {0};

	write_file("\xEF\xBB\xBF" HEADER GOOD1 "\n"
		   "\"2026-11-25\",2026-11-27,pk_1,\"tx_2\",,,KRW,-10000,-235,,,-9765\n"
		   "2026-11-25,2026-11-27,pk_2,tx_3,,계좌이체,KRW,500,0,,,500\n");
	cr_assert_eq(list(path, &g, &err), 0, "%s", err.msg);
	cr_assert_eq(g.n, 3);
	cr_assert_eq(g.r[0].line, 2);
	cr_assert_eq(g.r[0].kind, RECON_PAYMENT);
	cr_assert_eq(g.r[0].fee_supply, 728);
	cr_assert_str_eq(g.r[0].order_id, "order-0001");
	cr_assert_eq(g.r[1].line, 4); /* the blank line is not a record */
	cr_assert_eq(g.r[1].kind, RECON_CANCEL);
	cr_assert_eq(g.r[1].amount, -10000);
	cr_assert_eq(g.r[1].fee, -235);
	cr_assert_eq(g.r[2].payout, 500);
}

Test(adapters_pg_settlement_file, malformed_files_are_refused_naming_the_line)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{"", "empty file (no header)"},
		{"soldDate,paidOutDate\n", ":1: missing column 3 'paymentKey'"},
		{"soldDate,paidOutDate,paymentKey,transactionKey,orderId,method,currency,amount,fee,supplyAmount,vat,"
		 "payOutAmount,extra\n", ":1: unexpected column 13 'extra'"},
		{"SoldDate,paidOutDate,paymentKey,transactionKey,orderId,method,currency,amount,fee,supplyAmount,vat,"
		 "payOutAmount\n", ":1: column 1 is 'SoldDate'"},
		{HEADER GOOD1 "2026-11-24,2026-11-26,pk_1,tx_9,,,KRW,34000,800\n", ":3: 9 fields; expected 12"},
		{HEADER GOOD1 "2026-11-24,2026-11-26,pk_1,tx_9,,,KRW,34000,800,,,33000\n", ":3: payOutAmount 33000"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,KRW,34000,800,700,72,33200\n", ":2: supplyAmount 700 + vat 72"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,KRW,34000.5,800,,,33200\n", ":2: amount"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,KRW,+34000,800,,,33200\n", ":2: amount"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,KRW,\"34,000\",800,,,33200\n", ":2: amount"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,KRW,--34000,800,,,33200\n", ":2: amount"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,KRW,,800,,,33200\n", ":2: amount"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,KRW,34000,,,,33200\n", ":2: fee"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,KRW,34000,-800,,,34800\n", ":2: fee -800 has the other sign"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,KRW,0,0,,,0\n", ":2: amount is 0"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,,,원,34000,800,,,33200\n", ":2: currency"},
		{HEADER "2026-11-31,2026-12-02,pk_1,tx_1,,,KRW,34000,800,,,33200\n", ":2: soldDate"},
		{HEADER "2026/11/24,2026-11-26,pk_1,tx_1,,,KRW,34000,800,,,33200\n", ":2: soldDate"},
		{HEADER "2026-11-24,2026-11-23,pk_1,tx_1,,,KRW,34000,800,,,33200\n", ":2: paidOutDate 2026-11-23 is before"},
		{HEADER "2026-11-24,2026-11-26,,tx_1,,,KRW,34000,800,,,33200\n", ":2: paymentKey"},
		{HEADER "2026-11-24,2026-11-26,pk 1,tx_1,,,KRW,34000,800,,,33200\n", ":2: paymentKey"},
		{HEADER "2026-11-24,2026-11-26,pk_1,,,,KRW,34000,800,,,33200\n", ":2: transactionKey"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx_1,ord,,KRW,34000,800,,,33200\n", ":2: orderId"},
		{HEADER "2026-11-24,2026-11-26,pk_1,\"tx_1\n,,,KRW,34000,800,,,33200\n", ":2: quoted field"},
		{HEADER "2026-11-24,2026-11-26,pk_1,tx\"1,,,KRW,34000,800,,,33200\n", ":2: malformed CSV"},
	};
	struct got g;
	struct settle_err err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(bad[i].text);
		memset(&err, 0, sizeof err);
		cr_assert_eq(list(path, &g, &err), -1, "accepted: %s", bad[i].why);
		cr_assert_eq(err.code, 65, "%s: %d %s", bad[i].why, err.code, err.msg);
		cr_assert(strstr(err.msg, path) && strstr(err.msg, bad[i].why), "%s: %s", bad[i].why, err.msg);
		cr_assert_null(strpbrk(err.msg, "\r\n"), "%s", err.msg);
	}
}

Test(adapters_pg_settlement_file, a_missing_file_is_no_input)
{
	struct got g;
	struct settle_err err = {0};

	cr_assert_eq(list("/tmp/settle-no-such-settlements.csv", &g, &err), -1);
	cr_assert_eq(err.code, 66, "%d %s", err.code, err.msg);
	cr_assert_eq(g.n, 0);
}
