/* The reconciliation repository against the real database: our events of
 * a Korea-time period are exactly those whose instant falls in its UTC
 * bounds (a capture at 23:59:59 KST on the last day is in, one at 00:00
 * KST the next day is out), dated in Korea time, a payment's events
 * together; payment keys are compared byte for byte; a PG record is
 * booked once. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/reconcile_repo.h"
#include "adapters/mysql/uow.h"
#include "domain/report_period.h"
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

TestSuite(adapters_mysql_reconcile_repo, .init = setup, .fini = teardown, .timeout = 60);

struct seen {
	char line[16][160];
	size_t n;
};

static int keep(void *arg, const struct recon_ours *o, struct settle_err *err)
{
	struct seen *s = arg;

	(void)err;
	snprintf(s->line[s->n++], sizeof s->line[0], "%s %s %s %s %lld %s", o->payment_key, recon_kind_name(o->kind),
		 o->ref, o->transaction_key[0] ? o->transaction_key : "-", (long long)o->amount, o->date);
	return 0;
}

static void pay(int n, const char *key, const char *status, const char *approved_utc)
{
	char sql[1024];

	snprintf(sql, sizeof sql,
		 "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg, payment_key, "
		 "status, approved_at, created_at, updated_at) VALUES ('pay_%d', 'order-%04d', 'pod-1', 'u%d', %d000, "
		 "'KRW', 'CARD', 'toss', '%s', '%s', '%s', '%s', '%s')",
		 n, n, n, n, key, status, approved_utc, approved_utc, approved_utc);
	cr_assert_eq(testdb_sql(&t, sql), 0u, "%s", sql);
}

static void refund(int n, int payment, int amount, const char *tx, const char *booked_utc)
{
	char sql[1024];

	snprintf(sql, sizeof sql,
		 "INSERT INTO refunds (public_id, payment_id, amount, currency, status, reason, idempotency_key, "
		 "cancel_order_id, pg_transaction_key, created_at, updated_at) SELECT 'ref_%d', id, %d, 'KRW', 'COMPLETED', "
		 "'r', 'refund:ref_%d', 'cancel-%04d', %s, '%s', '%s' FROM payments WHERE public_id = 'pay_%d'",
		 n, amount, n, n, tx, booked_utc, booked_utc, payment);
	cr_assert_eq(testdb_sql(&t, sql), 0u, "%s", sql);
	snprintf(sql, sizeof sql,
		 "INSERT INTO journal_entries (entry_key, kind, ref, created_at) VALUES ('refund:ref_%d', 'refund', "
		 "'ref_%d', '%s')",
		 n, n, booked_utc);
	cr_assert_eq(testdb_sql(&t, sql), 0u, "%s", sql);
}

Test(adapters_mysql_reconcile_repo, korea_time_period_bounds_and_order)
{
	struct reconcile_repo repo;
	struct period p;
	struct seen s = {0};
	struct settle_err err = {0};

	pay(1, "pk_b", "COMPLETED", "2026-10-31 14:59:59.999999");   /* 2026-10-31 23:59:59 KST: October */
	pay(2, "pk_a", "PARTIALLY_REFUNDED", "2026-10-31 15:00:00"); /* 2026-11-01 00:00 KST: in */
	pay(3, "pk_c", "REFUNDED", "2026-11-30 14:59:59");           /* 2026-11-30 23:59:59 KST: in */
	pay(4, "pk_d", "COMPLETED", "2026-11-30 15:00:00");          /* 2026-12-01 KST: December */
	pay(5, "pk_e", "FAILED", "2026-11-10 00:00:00");             /* never captured */
	refund(1, 2, 500, "'tx_a1'", "2026-11-02 01:00:00");
	refund(2, 3, 3000, "NULL", "2026-11-30 16:00:00"); /* booked on 2026-12-01 KST: December */
	refund(3, 1, 100, "'tx_b1'", "2026-11-15 00:00:00"); /* October's payment, refunded in November */
	mysql_reconcile_repo(&repo, t.db);
	cr_assert_eq(period_range("2026-11-01", "2026-11-30", &p, &err), 0, "%s", err.msg);
	cr_assert_eq(repo.ours(repo.self, "toss", p.from_sql, p.to_sql, keep, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 4, "%zu", s.n);
	cr_assert_str_eq(s.line[0], "pk_a payment pay_2 - 2000 2026-11-01");
	cr_assert_str_eq(s.line[1], "pk_a cancel ref_1 tx_a1 -500 2026-11-02");
	cr_assert_str_eq(s.line[2], "pk_b cancel ref_3 tx_b1 -100 2026-11-15");
	cr_assert_str_eq(s.line[3], "pk_c payment pay_3 - 3000 2026-11-30");
	s.n = 0;
	cr_assert_eq(repo.ours(repo.self, "nicepay", p.from_sql, p.to_sql, keep, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.n, 0);
}

static int book_one(struct db *db, void *arg, struct settle_err *err)
{
	struct reconcile_repo repo;
	int *rc = arg;
	struct recon_record r;

	memset(&r, 0, sizeof r);
	snprintf(r.pg, sizeof r.pg, "toss");
	snprintf(r.payment_key, sizeof r.payment_key, "pk_a");
	snprintf(r.transaction_key, sizeof r.transaction_key, "tx_a");
	snprintf(r.currency, sizeof r.currency, "KRW");
	snprintf(r.sold_date, sizeof r.sold_date, "2026-11-01");
	snprintf(r.paid_out_date, sizeof r.paid_out_date, "2026-11-03");
	r.kind = RECON_PAYMENT;
	r.amount = 2000;
	r.fee = 47;
	r.payout = 1953;
	mysql_reconcile_repo(&repo, db);
	*rc = repo.book(repo.self, (struct uow *)db, &r, "pay_2", "pg_settlement:toss:tx_a", "2026-11-25 00:00:00", err);
	return *rc < 0 ? -1 : 0;
}

Test(adapters_mysql_reconcile_repo, keys_byte_for_byte_and_booked_once)
{
	struct reconcile_repo repo;
	struct settle_err err = {0};
	int rc = -1;

	pay(2, "pk_a", "COMPLETED", "2026-11-01 00:00:00");
	mysql_reconcile_repo(&repo, t.db);
	cr_assert_eq(repo.payment_known(repo.self, "toss", "pk_a", &err), 1, "%s", err.msg);
	cr_assert_eq(repo.payment_known(repo.self, "toss", "PK_A", &err), 0, "%s", err.msg);
	cr_assert_eq(repo.payment_known(repo.self, "nicepay", "pk_a", &err), 0, "%s", err.msg);
	cr_assert_eq(db_tx(t.db, book_one, &rc, &err), 0, "%s", err.msg);
	cr_assert_eq(rc, 1);
	cr_assert_eq(db_tx(t.db, book_one, &rc, &err), 0, "%s", err.msg);
	cr_assert_eq(rc, 0, "booked twice");
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM pg_settlement_records"), 1);
}
