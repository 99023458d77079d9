/* test_journal.c — journal.h contract: an entry passes journal_check only when balanced per currency over known accounts. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "domain/journal.h"

static void post(struct journal_entry *e, const char *account, int64_t amount, const char *cur)
{
	struct settle_err err = {0};

	cr_assert_eq(journal_post(e, account, amount, cur, &err), 0, "%s", err.msg);
}

static void check_refused(const struct journal_entry *e, const char *needle)
{
	struct settle_err err = {0};

	cr_assert_eq(journal_check(e, &err), -1, "entry accepted");
	cr_assert_neq(err.code, SETTLE_OK);
	cr_assert(strstr(err.msg, needle), "message \"%s\" does not say \"%s\"", err.msg, needle);
}

Test(domain_journal, balanced_capture_accepted)
{
	struct journal_entry e;
	struct settle_err err = {0};

	journal_init(&e, "capture", "pay_1");
	post(&e, "pg_clearing", 50000, "KRW");
	post(&e, "escrow:pod-1", -50000, "KRW");
	cr_assert_eq(journal_check(&e, &err), 0, "%s", err.msg);
}

Test(domain_journal, balanced_multi_leg_accepted)
{
	struct journal_entry e;
	struct settle_err err = {0};

	journal_init(&e, "release", "pod-1");
	post(&e, "escrow:pod-1", 50000, "KRW");
	post(&e, "platform_revenue", -1750, "KRW");
	post(&e, "vat_payable", -175, "KRW");
	post(&e, "leader_payable:leader-9", -48075, "KRW");
	cr_assert_eq(journal_check(&e, &err), 0, "%s", err.msg);
}

Test(domain_journal, move_builds_balanced_pair)
{
	struct journal_entry e;
	struct settle_err err = {0};

	journal_init(&e, "payout", "po_1");
	cr_assert_eq(journal_move(&e, "leader_payable:l1", "bank", (struct money){1000, "KRW"}, &err), 0);
	cr_assert_eq(e.n, 2);
	cr_assert_eq(e.postings[0].amount, 1000);
	cr_assert_eq(e.postings[1].amount, -1000);
	cr_assert_eq(journal_check(&e, &err), 0, "%s", err.msg);
}

Test(domain_journal, move_refuses_non_positive_amount)
{
	struct journal_entry e;
	struct settle_err err = {0};

	journal_init(&e, "payout", "po_1");
	cr_assert_eq(journal_move(&e, "bank", "pg_clearing", (struct money){0, "KRW"}, &err), -1);
	cr_assert(strstr(err.msg, "non-positive amount 0"), "%s", err.msg);
	cr_assert_eq(e.n, 0);
}

Test(domain_journal, unbalanced_refused_naming_currency_and_sum)
{
	struct journal_entry e;

	journal_init(&e, "capture", "pay_2");
	post(&e, "pg_clearing", 50000, "KRW");
	post(&e, "escrow:pod-1", -49900, "KRW");
	check_refused(&e, "unbalanced: KRW postings sum to 100");
	check_refused(&e, "pay_2");
}

Test(domain_journal, unknown_account_refused)
{
	struct journal_entry e;

	journal_init(&e, "capture", "pay_3");
	post(&e, "pg_clearing", 100, "KRW");
	post(&e, "nope", -100, "KRW");
	check_refused(&e, "unknown account nope");
}

Test(domain_journal, unknown_currency_refused)
{
	struct journal_entry e;

	journal_init(&e, "capture", "pay_3");
	post(&e, "pg_clearing", 100, "ZZZ");
	post(&e, "bank", -100, "ZZZ");
	check_refused(&e, "unknown currency ZZZ");
}

Test(domain_journal, zero_posting_refused)
{
	struct journal_entry e;

	journal_init(&e, "capture", "pay_4");
	post(&e, "pg_clearing", 100, "KRW");
	post(&e, "bank", 0, "KRW");
	post(&e, "escrow:pod-1", -100, "KRW");
	check_refused(&e, "zero posting to bank");
}

Test(domain_journal, single_posting_refused)
{
	struct journal_entry e;

	journal_init(&e, "capture", "pay_5");
	post(&e, "pg_clearing", 100, "KRW");
	check_refused(&e, "1 posting(s); at least 2 needed");
}

Test(domain_journal, missing_kind_refused)
{
	struct journal_entry e;

	journal_init(&e, NULL, "pay_6");
	post(&e, "pg_clearing", 100, "KRW");
	post(&e, "bank", -100, "KRW");
	check_refused(&e, "no kind");
}

Test(domain_journal, multi_currency_each_balanced_accepted)
{
	struct journal_entry e;
	struct settle_err err = {0};

	journal_init(&e, "fx", "fx_1");
	post(&e, "bank", 1250, "USD");
	post(&e, "pg_clearing", 50000, "KRW");
	post(&e, "pg_clearing", -1250, "USD");
	post(&e, "bank", -50000, "KRW");
	cr_assert_eq(journal_check(&e, &err), 0, "%s", err.msg);
}

Test(domain_journal, multi_currency_one_unbalanced_refused)
{
	struct journal_entry e;

	journal_init(&e, "fx", "fx_2");
	post(&e, "bank", 1250, "USD");
	post(&e, "pg_clearing", 50000, "KRW");
	post(&e, "pg_clearing", -1250, "USD");
	post(&e, "bank", -49999, "KRW");
	check_refused(&e, "KRW postings sum to 1");
}

Test(domain_journal, balance_across_currencies_is_not_balance)
{
	struct journal_entry e;

	/* +100 KRW and -100 USD sum to zero as numbers but not as money. */
	journal_init(&e, "fx", "fx_3");
	post(&e, "bank", 100, "KRW");
	post(&e, "pg_clearing", -100, "USD");
	check_refused(&e, "KRW postings sum to 100");
}

Test(domain_journal, overflowing_sum_refused)
{
	struct journal_entry e;

	journal_init(&e, "capture", "pay_7");
	post(&e, "bank", INT64_MAX, "KRW");
	post(&e, "pg_clearing", 1, "KRW");
	post(&e, "escrow:p", -1, "KRW");
	check_refused(&e, "KRW postings overflow");
}

Test(domain_journal, too_many_postings_refused)
{
	struct journal_entry e;
	struct settle_err err = {0};

	journal_init(&e, "bulk", "b");
	for (int i = 0; i < JOURNAL_MAX_POSTINGS; i++)
		post(&e, "bank", i % 2 ? -1 : 1, "KRW");
	cr_assert_eq(journal_post(&e, "bank", 1, "KRW", &err), -1);
	cr_assert(strstr(err.msg, "more than 16 postings"), "%s", err.msg);
}

Test(domain_journal, account_kind_for_chart)
{
	cr_assert_eq(account_kind("pg_clearing"), ACCOUNT_ASSET);
	cr_assert_eq(account_kind("escrow:pod-1"), ACCOUNT_LIABILITY);
	cr_assert_eq(account_kind("released:pod-1"), ACCOUNT_LIABILITY);
	cr_assert_eq(account_kind("leader_payable:leader-1"), ACCOUNT_LIABILITY);
	cr_assert_eq(account_kind("platform_revenue"), ACCOUNT_INCOME);
	cr_assert_eq(account_kind("vat_payable"), ACCOUNT_LIABILITY);
	cr_assert_eq(account_kind("withholding_payable"), ACCOUNT_LIABILITY);
	cr_assert_eq(account_kind("bank"), ACCOUNT_ASSET);
	cr_assert_eq(account_kind("pg_fee_expense"), ACCOUNT_EXPENSE);
}

Test(domain_journal, account_kind_malformed_names)
{
	const char *bad[] = {
		"escrow",        /* keyed account without key */
		"escrow:",       /* empty key */
		"escrow:a:b",    /* nested key */
		"bank:x",        /* plain account with a key */
		"pg_clearing:",  /* an empty PG key */
		"bank:",
		"nope",
		"",
		"Escrow:pod-1",  /* names are case-sensitive */
		"pg_clearin",
		"pg_clearingg",
		":pod-1",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(account_kind(bad[i]), ACCOUNT_UNKNOWN, "\"%s\"", bad[i]);
	cr_assert_eq(account_kind(NULL), ACCOUNT_UNKNOWN);
	/* what a PG owes is kept per PG; the plain name stays valid */
	cr_assert_eq(account_kind("pg_clearing:toss"), ACCOUNT_ASSET);
	cr_assert_eq(account_kind("pg_clearing"), ACCOUNT_ASSET);
}

Test(domain_journal, account_kind_names_and_signs)
{
	cr_assert_str_eq(account_kind_name(ACCOUNT_ASSET), "asset");
	cr_assert_str_eq(account_kind_name(ACCOUNT_LIABILITY), "liability");
	cr_assert_str_eq(account_kind_name(ACCOUNT_INCOME), "income");
	cr_assert_str_eq(account_kind_name(ACCOUNT_EXPENSE), "expense");
	cr_assert_str_eq(account_kind_name(ACCOUNT_UNKNOWN), "unknown");
	cr_assert(account_balance_sign_ok(ACCOUNT_ASSET, 0));
	cr_assert(account_balance_sign_ok(ACCOUNT_ASSET, 5));
	cr_assert_not(account_balance_sign_ok(ACCOUNT_ASSET, -5));
	cr_assert(account_balance_sign_ok(ACCOUNT_EXPENSE, 5));
	cr_assert_not(account_balance_sign_ok(ACCOUNT_EXPENSE, -5));
	cr_assert(account_balance_sign_ok(ACCOUNT_LIABILITY, -5));
	cr_assert_not(account_balance_sign_ok(ACCOUNT_LIABILITY, 5));
	cr_assert(account_balance_sign_ok(ACCOUNT_INCOME, -5));
	cr_assert_not(account_balance_sign_ok(ACCOUNT_INCOME, 5));
	cr_assert_not(account_balance_sign_ok(ACCOUNT_UNKNOWN, 0));
}

Test(domain_journal, account_name_formats_and_checks)
{
	char buf[ACCOUNT_MAX];
	char small[8];
	struct settle_err err = {0};

	cr_assert_eq(account_name(buf, sizeof buf, "escrow", "pod-1", &err), 0);
	cr_assert_str_eq(buf, "escrow:pod-1");
	cr_assert_eq(account_name(buf, sizeof buf, "bank", NULL, &err), 0);
	cr_assert_str_eq(buf, "bank");
	cr_assert_eq(account_name(buf, sizeof buf, "escrow", NULL, &err), -1);
	cr_assert(strstr(err.msg, "unknown account escrow"), "%s", err.msg);
	cr_assert_eq(account_name(small, sizeof small, "escrow", "pod-1", &err), -1);
	cr_assert(strstr(err.msg, "too long"), "%s", err.msg);
}

Test(domain_journal, post_refuses_overlong_currency)
{
	struct journal_entry e;
	struct settle_err err = {0};

	/* Before the fix "KRWX" was silently cut to "KRW" and balanced as won. */
	journal_init(&e, "capture", "pay_8");
	cr_assert_eq(journal_post(&e, "bank", 100, "KRWX", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "currency code too long: KRWX"), "%s", err.msg);
	cr_assert_eq(e.n, 0);
}

Test(domain_journal, post_refuses_overlong_account)
{
	struct journal_entry e;
	struct settle_err err = {0};
	char name[ACCOUNT_MAX + 1];

	memset(name, 'a', ACCOUNT_MAX);
	name[ACCOUNT_MAX] = '\0';
	journal_init(&e, "capture", "pay_9");
	cr_assert_eq(journal_post(&e, name, 100, "KRW", &err), -1);
	cr_assert(strstr(err.msg, "account name too long"), "%s", err.msg);
	cr_assert_eq(e.n, 0);
}
