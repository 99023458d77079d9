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

/* One business entry written by hand, as the DB owner: kind and ref say
 * what it is about, whatever its key says. */
static void entry_about(const char *key, const char *kind, const char *ref, const char *a1, long long v1,
			const char *a2, long long v2)
{
	char sql[512];

	snprintf(sql, sizeof sql, "INSERT INTO journal_entries (entry_key, kind, ref, created_at) VALUES ('%s', "
		 "'%s', '%s', '2026-11-24 10:00:00')", key, kind, ref);
	cr_assert_eq(testdb_sql(&t, sql), 0);
	snprintf(sql, sizeof sql, "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, '%s', %lld, "
		 "'KRW' FROM journal_entries WHERE entry_key = '%s'", a1, v1, key);
	cr_assert_eq(testdb_sql(&t, sql), 0);
	snprintf(sql, sizeof sql, "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, '%s', %lld, "
		 "'KRW' FROM journal_entries WHERE entry_key = '%s'", a2, v2, key);
	cr_assert_eq(testdb_sql(&t, sql), 0);
}

static void entry(const char *key, const char *a1, long long v1, const char *a2, long long v2)
{
	entry_about(key, "manual", "test", a1, v1, a2, v2);
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

/* A COMPLETED payment of 5000 for pod-x with its HOLDING escrow. */
static void captured_payment(const char *public_id, const char *order_id)
{
	char sql[768];

	snprintf(sql, sizeof sql, "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, "
		 "pg, status, created_at, updated_at) VALUES ('%s', '%s', 'pod-x', 'u1', 5000, 'KRW', 'CARD', 'toss', "
		 "'COMPLETED', NOW(), NOW())", public_id, order_id);
	cr_assert_eq(testdb_sql(&t, sql), 0);
	snprintf(sql, sizeof sql, "INSERT INTO escrows (public_id, payment_id, pod_id, amount, currency, status, held_at, "
		 "updated_at) SELECT CONCAT('esc_', id), id, 'pod-x', 5000, 'KRW', 'HOLDING', NOW(), NOW() FROM "
		 "payments WHERE public_id = '%s'", public_id);
	cr_assert_eq(testdb_sql(&t, sql), 0);
}

/* The capture is found by kind and ref: a key in another shape changes
 * nothing, so the ledger is clean. */
Test(cmd_ledger_check, capture_is_counted_by_kind_and_ref_not_by_key)
{
	struct run_result r;

	captured_payment("pay_meaning", "order-meaning");
	entry_about("import:legacy-7", "capture", "pay_meaning", "pg_clearing", 5000, "escrow:pod-x", -5000);
	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
}

/* A second capture of the same payment under any key is a double capture,
 * and the finding names both entries. Several members: another key shape,
 * a ref differing only in case (not the same payment: reported as an
 * orphan, not hidden by the collation). */
Test(cmd_ledger_check, second_capture_under_another_key_is_65_and_named)
{
	struct run_result r;

	captured_payment("pay_twice", "order-twice");
	entry_about("capture:pay_twice", "capture", "pay_twice", "pg_clearing", 5000, "escrow:pod-x", -5000);
	entry_about("manual:again", "capture", "pay_twice", "pg_clearing", 5000, "escrow:pod-x", -5000);
	entry_about("manual:upper", "capture", "PAY_TWICE", "pg_clearing", 1, "escrow:pod-y", -1);
	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "pay_twice") && strstr(r.out, "has 2 capture entries") &&
		  strstr(r.out, "capture:pay_twice, manual:again"), "%s", r.out);
	cr_assert(strstr(r.out, "(manual:upper): capture entry refers to payment PAY_TWICE, which does not exist"),
		  "%s", r.out);
	run_program(&t, (const char *[]){"ledger-check", "--json", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65);
	cr_assert(strstr(r.out, "\"check\":\"reference\"") && strstr(r.out, "\"entry_key\":\"manual:upper\""),
		  "%s", r.out);
}

/* Entries naming a payment, refund or escrow that does not exist: each is
 * 65 and named by its entry key, whatever that key looks like. */
Test(cmd_ledger_check, entry_naming_a_missing_row_is_65_and_named)
{
	struct run_result r;

	entry_about("capture:pay_ghost", "capture", "pay_ghost", "pg_clearing", 700, "escrow:pod-g", -700);
	entry_about("refund:ref_ghost", "refund", "ref_ghost", "escrow:pod-g", 300, "pg_clearing", -300);
	entry_about("x:release", "release", "esc_ghost", "escrow:pod-g", 400, "released:pod-g", -400);
	run_program(&t, (const char *[]){"ledger-check", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "(capture:pay_ghost): capture entry refers to payment pay_ghost, which does not exist"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "(refund:ref_ghost): refund entry refers to refund ref_ghost, which does not exist"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "(x:release): release entry refers to escrow esc_ghost, which does not exist"), "%s",
		  r.out);
}
