/* ledger-check against a real database: clean is 0; an unbalanced entry
 * inserted by hand, or an account with the wrong sign, is 65 and named. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

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

TestSuite(cmd_ledger_check, .init = setup, .fini = teardown, .timeout = 60);

static void entry(const char *key, const char *a1, long long v1, const char *a2, long long v2)
{
	char sql[512];

	snprintf(sql, sizeof sql, "INSERT INTO journal_entries (entry_key, kind, ref, created_at) VALUES ('%s', "
		 "'manual', 'test', '2026-11-24 10:00:00')", key);
	cr_assert_eq(testdb_sql(&t, sql), 0);
	snprintf(sql, sizeof sql, "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, '%s', %lld, "
		 "'KRW' FROM journal_entries WHERE entry_key = '%s'", a1, v1, key);
	cr_assert_eq(testdb_sql(&t, sql), 0);
	snprintf(sql, sizeof sql, "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, '%s', %lld, "
		 "'KRW' FROM journal_entries WHERE entry_key = '%s'", a2, v2, key);
	cr_assert_eq(testdb_sql(&t, sql), 0);
}

Test(cmd_ledger_check, clean_ledger_is_0)
{
	struct run_result r;

	entry("manual:ok", "pg_clearing", 5000, "platform_revenue", -5000);
	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
}

Test(cmd_ledger_check, unbalanced_entry_inserted_by_hand_is_65_and_named)
{
	struct run_result r;

	entry("capture:pay_ok", "pg_clearing", 5000, "escrow:pod-1", -5000);
	entry("manual:broken", "pg_clearing", 5000, "escrow:pod-1", -4990);
	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "manual:broken") && strstr(r.out, "KRW postings sum to 10"), "%s", r.out);
	cr_assert_null(strstr(r.out, "capture:pay_ok"), "%s", r.out);
	run_program(&t, (const char *[]){"ledger-check", "--json", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65);
	cr_assert(strstr(r.out, "\"entry_key\":\"manual:broken\"") && strstr(r.out, "\"ok\":false"), "%s", r.out);
}

Test(cmd_ledger_check, wrong_sign_and_unknown_account_are_65)
{
	struct run_result r;

	/* escrow is a liability: a debit balance means money left that was never held */
	entry("manual:sign", "escrow:pod-9", 700, "pg_clearing", -700);
	entry("manual:name", "mystery", 1, "bank", -1);
	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "account escrow:pod-9") && strstr(r.out, "liability account has a debit balance"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "account pg_clearing"), "%s", r.out);
	cr_assert(strstr(r.out, "account_name") && strstr(r.out, "mystery"), "%s", r.out);
}

Test(cmd_ledger_check, business_rows_must_match_the_ledger)
{
	struct run_result r;

	/* A completed payment and its escrow, but no capture entry posted. */
	cr_assert_eq(testdb_sql(&t, "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, "
				    "pg, status, created_at, updated_at) VALUES ('pay_nocapture', 'order-nocap', 'pod-x', "
				    "'u1', 5000, 'KRW', 'CARD', 'toss', 'COMPLETED', NOW(), NOW())"), 0);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO escrows (public_id, payment_id, pod_id, amount, currency, status, held_at, "
				    "updated_at) SELECT 'esc_x', id, 'pod-x', 5000, 'KRW', 'HOLDING', NOW(), NOW() FROM "
				    "payments WHERE public_id = 'pay_nocapture'"), 0);
	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "escrow") && strstr(r.out, "escrow:pod-x") && strstr(r.out, "ledger holds 0"), "%s", r.out);
	cr_assert(strstr(r.out, "capture") && strstr(r.out, "pay_nocapture"), "%s", r.out);
}
