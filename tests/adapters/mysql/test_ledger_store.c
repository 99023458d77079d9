/* Integration tests of the ledger writer: balanced entries only, each
 * business event once, batches in multi-row statements, derived balances. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/ledger_store.h"
#include "domain/journal.h"
#include "lib/testdb.h"

static struct testdb t;
static const char *now = "2026-11-24 10:00:00.000000";

static void setup(void)
{
	testdb_create(&t);
}

static void teardown(void)
{
	testdb_drop(&t);
}

TestSuite(adapters_mysql_ledger, .init = setup, .fini = teardown, .timeout = 60);

static void capture_entry(struct journal_entry *e, const char *pod, int64_t amount)
{
	struct settle_err err = {0};
	char escrow[ACCOUNT_MAX];
	struct money m = {amount, "KRW"};

	journal_init(e, "capture", "pay_test");
	cr_assert_eq(account_name(escrow, sizeof escrow, "escrow", pod, &err), 0);
	cr_assert_eq(journal_move(e, "pg_clearing", escrow, m, &err), 0);
}

Test(adapters_mysql_ledger, writes_a_balanced_entry_and_derives_balances)
{
	struct journal_entry e;
	struct settle_err err = {0};
	int64_t id = 0, bal = 0;

	capture_entry(&e, "pod-1", 50000);
	cr_assert_eq(ledger_write(t.db, "capture:pay_1", &e, now, &id, &err), 0, "%s", err.msg);
	cr_assert_gt(id, 0);
	cr_assert_eq(ledger_balance(t.db, "pg_clearing", "KRW", &bal, &err), 0);
	cr_assert_eq(bal, 50000);
	cr_assert_eq(ledger_balance(t.db, "escrow:pod-1", "KRW", &bal, &err), 0);
	cr_assert_eq(bal, -50000);
}

Test(adapters_mysql_ledger, refuses_an_unbalanced_entry_and_writes_nothing)
{
	struct journal_entry e;
	struct settle_err err = {0};

	journal_init(&e, "capture", "pay_x");
	cr_assert_eq(journal_post(&e, "pg_clearing", 100, "KRW", &err), 0);
	cr_assert_eq(journal_post(&e, "escrow:pod-1", -99, "KRW", &err), 0);
	cr_assert_eq(ledger_write(t.db, "capture:pay_x", &e, now, NULL, &err), -1);
	cr_assert(strstr(err.msg, "unbalanced"), "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM journal_entries"), 0);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM postings"), 0);
}

Test(adapters_mysql_ledger, the_same_event_cannot_be_posted_twice)
{
	struct journal_entry e;
	struct settle_err err = {0};

	capture_entry(&e, "pod-1", 100);
	cr_assert_eq(ledger_write(t.db, "capture:pay_1", &e, now, NULL, &err), 0);
	cr_assert_eq(ledger_write(t.db, "capture:pay_1", &e, now, NULL, &err), -1);
	cr_assert(strstr(err.msg, "already posted"), "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM postings"), 2);
}

Test(adapters_mysql_ledger, batch_writes_many_entries)
{
	enum { N = 1000 };
	static struct journal_entry entries[N];
	static char keybuf[N][32];
	const char *keys[N];
	struct settle_err err = {0};
	int64_t bal = 0;

	for (int i = 0; i < N; i++) {
		capture_entry(&entries[i], i % 2 ? "pod-a" : "pod-b", 1000 + i);
		snprintf(keybuf[i], sizeof keybuf[i], "capture:pay_%d", i);
		keys[i] = keybuf[i];
	}
	cr_assert_eq(ledger_write_batch(t.db, keys, entries, N, now, &err), 0, "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM journal_entries"), N);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM postings"), 2 * N);
	cr_assert_eq(ledger_balance(t.db, "pg_clearing", "KRW", &bal, &err), 0);
	cr_assert_eq(bal, N * 1000 + (N - 1) * N / 2);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM (SELECT entry_id FROM postings GROUP BY entry_id "
				      "HAVING SUM(amount) <> 0) x"), 0);
}
