/* Integration tests of the sealed ledger's writers and checker: the hash
 * written with each entry is its content's, blocks seal every entry once,
 * an entry that commits late is sealed by a later block, several runners
 * at once make one chain, and the checker finds what was changed. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/db.h"
#include "adapters/mysql/entry_hash.h"
#include "adapters/mysql/ledger_store.h"
#include "adapters/mysql/seal_audit.h"
#include "adapters/mysql/seal_store.h"
#include "domain/journal.h"
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

TestSuite(adapters_mysql_seal, .init = setup, .fini = teardown, .timeout = 120);

static void capture(struct journal_entry *e, const char *ref, int64_t amount)
{
	struct settle_err err = {0};
	struct money m = {amount, "KRW"};

	journal_init(e, "capture", ref);
	cr_assert_eq(journal_move(e, "pg_clearing", "escrow:pod-1", m, &err), 0);
}

/* The connection whose transaction the test holds open itself. */
static struct db *late_db;

static void write_entry(struct db *db, const char *key, int64_t amount, int64_t *id)
{
	struct journal_entry e;
	struct settle_err err = {0};

	capture(&e, "pay_t", amount);
	/* As every writer does: the entry and its postings commit together. */
	if (db != late_db)
		cr_assert_eq(db_simple(db, "START TRANSACTION", &err), 0);
	cr_assert_eq(ledger_write(db, key, &e, "2026-11-24T10:00:00Z", id, &err), 0, "%s", err.msg);
	if (db != late_db)
		cr_assert_eq(db_simple(db, "COMMIT", &err), 0);
}

static struct db *second_connection(void)
{
	struct config *cfg;
	struct db *db;
	struct settle_err err = {0};

	cr_assert_eq(config_load(&cfg, t.config_path, &err), 0, "%s", err.msg);
	cr_assert_eq(db_open_config(&db, cfg, NULL, false, &err), 0, "%s", err.msg);
	config_free(cfg);
	return db;
}

static int count_findings(void *arg, const struct audit_finding *f)
{
	struct audit_finding *first = arg;

	if (!first->check)
		*first = *f;
	return 0;
}

/* Runs the checker; returns the findings and keeps the first. */
static int64_t audit(const char *digest, struct audit_finding *first, struct audit_totals *tot)
{
	struct settle_err err = {0};

	memset(first, 0, sizeof *first);
	memset(tot, 0, sizeof *tot);
	cr_assert_eq(seal_audit(t.db, digest, count_findings, first, tot, &err), 0, "%s", err.msg);
	return tot->findings;
}

static void seal(struct db *db, int64_t block_size, struct seal_result *r)
{
	struct settle_err err = {0};

	cr_assert_eq(seal_run(db, clock_system(), block_size, r, &err), 0, "%s", err.msg);
}

Test(adapters_mysql_seal, the_writer_stores_the_hash_of_the_entrys_content)
{
	struct journal_entry e;
	struct seal_posting p[2];
	struct seal_entry se;
	struct settle_err err = {0};
	char stored[80], want[SEAL_HEX_LEN], created[40];
	int64_t id = 0;

	write_entry(t.db, "capture:pay_1", 5000, &id);
	testdb_string(&t, "SELECT hash FROM journal_entries", stored, sizeof stored);
	/* the time is stored as the hash saw it, whatever form the caller used */
	testdb_string(&t, "SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s.%f') FROM journal_entries", created,
		      sizeof created);
	cr_assert_str_eq(created, "2026-11-24 10:00:00.000000");
	capture(&e, "pay_t", 5000);
	p[0] = (struct seal_posting){"escrow:pod-1", "KRW", -5000};
	p[1] = (struct seal_posting){"pg_clearing", "KRW", 5000};
	se = (struct seal_entry){"capture:pay_1", "capture", "pay_t", 0, "2026-11-24 10:00:00.000000", 2, p};
	cr_assert_eq(entry_hash_hex(&se, want, &err), 0);
	cr_assert_str_eq(stored, want);
}

Test(adapters_mysql_seal, seals_every_entry_once_and_checks_clean)
{
	struct seal_result r;
	struct audit_finding f;
	struct audit_totals tot;
	char key[32];

	for (int i = 0; i < 25; i++) {
		snprintf(key, sizeof key, "capture:pay_%d", i);
		write_entry(t.db, key, 1000 + i, NULL);
	}
	/* a legacy entry, written before hashes (none stored), its reference
	 * as long as the column allows in 3-byte characters */
	cr_assert_eq(testdb_sql(&t, "INSERT INTO journal_entries (entry_key, kind, ref, created_at) VALUES "
				    "('manual:old', 'manual', REPEAT('\xea\xb0\x80', 96), '2026-01-01 00:00:00')"),
		     0);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, 'bank', 7, "
				    "'KRW' FROM journal_entries WHERE entry_key = 'manual:old'"),
		     0);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO postings (entry_id, account, amount, currency) SELECT id, "
				    "'pg_clearing', -7, 'KRW' FROM journal_entries WHERE entry_key = 'manual:old'"),
		     0);
	cr_assert_eq(audit(NULL, &f, &tot), 0);
	cr_assert_eq(tot.unsealed, 26);
	seal(t.db, 10, &r);
	cr_assert_eq(r.entries, 26);
	cr_assert_eq(r.blocks, 3);
	cr_assert_eq(r.legacy, 1);
	cr_assert_eq(r.height, 3);
	seal(t.db, 10, &r);
	cr_assert_eq(r.entries, 0, "a second run finds nothing");
	cr_assert_eq(r.height, 3);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM seal_block_entries"), 26);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM journal_entries WHERE hash IS NULL"), 1,
		     "the legacy entry is never updated");
	cr_assert_eq(audit(NULL, &f, &tot), 0, "%s: %s", f.check, f.detail);
	cr_assert_eq(tot.blocks, 3);
	cr_assert_eq(tot.unsealed, 0);
}

/* An entry whose transaction commits after a later entry's is invisible to
 * the run in between; the next run seals it in a later block. */
Test(adapters_mysql_seal, an_entry_that_commits_late_is_sealed_by_a_later_block)
{
	struct db *late = second_connection();
	struct settle_err err = {0};
	struct seal_result r;
	struct audit_finding f;
	struct audit_totals tot;
	int64_t late_id = 0, early_id = 0;

	late_db = late;
	cr_assert_eq(db_simple(late, "START TRANSACTION", &err), 0);
	write_entry(late, "capture:late", 100, &late_id);
	write_entry(t.db, "capture:early", 200, &early_id);
	cr_assert_lt(late_id, early_id, "the late entry has the lower id");
	seal(t.db, 100, &r);
	cr_assert_eq(r.entries, 1);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM seal_block_entries"), 1);
	cr_assert_eq(db_simple(late, "COMMIT", &err), 0);
	db_close(late);
	late_db = NULL;
	seal(t.db, 100, &r);
	cr_assert_eq(r.entries, 1, "the late entry is sealed, not skipped");
	cr_assert_eq(r.height, 2);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM seal_block_entries s JOIN seal_blocks b ON b.id = "
				      "s.block_id WHERE b.height = 2 AND s.entry_id = (SELECT id FROM journal_entries "
				      "WHERE entry_key = 'capture:late')"),
		     1);
	cr_assert_eq(audit(NULL, &f, &tot), 0, "%s: %s", f.check, f.detail);
}

struct runner {
	struct db *db;
	struct seal_result r;
	int rc;
	char msg[256];
};

static void *run_sealer(void *arg)
{
	struct runner *w = arg;
	struct settle_err err = {0};

	w->rc = seal_run(w->db, clock_system(), 7, &w->r, &err);
	snprintf(w->msg, sizeof w->msg, "%s", err.msg);
	return NULL;
}

/* Four runners at once while entries keep arriving: one chain, every
 * entry in exactly one block, heads lost and retried. */
Test(adapters_mysql_seal, several_runners_make_one_chain)
{
	struct runner w[4];
	pthread_t th[4];
	struct journal_entry e[20];
	const char *keys[20];
	char names[20][32];
	struct settle_err err = {0};
	struct seal_result r;
	struct audit_finding f;
	struct audit_totals tot;
	int64_t sealed = 0, total;

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 20; i++) {
			snprintf(names[i], sizeof names[i], "capture:r%d_%d", round, i);
			keys[i] = names[i];
			capture(&e[i], "pay_c", 10 + i);
		}
		cr_assert_eq(db_simple(t.db, "START TRANSACTION", &err), 0);
		cr_assert_eq(ledger_write_batch(t.db, keys, e, 20, "2026-11-24 10:00:00", &err), 0, "%s", err.msg);
		cr_assert_eq(db_simple(t.db, "COMMIT", &err), 0);
	}
	for (int i = 0; i < 4; i++) {
		memset(&w[i], 0, sizeof w[i]);
		w[i].db = second_connection();
		cr_assert_eq(pthread_create(&th[i], NULL, run_sealer, &w[i]), 0);
	}
	/* more entries while they run */
	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof names[i], "capture:during_%d", i);
		write_entry(t.db, names[i], 50 + i, NULL);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(w[i].rc, 0, "runner %d: %s", i, w[i].msg);
		sealed += w[i].r.entries;
		db_close(w[i].db);
	}
	seal(t.db, 7, &r);
	sealed += r.entries;
	total = testdb_count(&t, "SELECT COUNT(*) FROM journal_entries");
	cr_assert_eq(total, 80);
	cr_assert_eq(sealed, total, "every entry sealed once across the runners");
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM seal_block_entries"), total);
	cr_assert_eq(testdb_count(&t, "SELECT MAX(height) - COUNT(*) FROM seal_blocks"), 0, "heights 1..n, no gap");
	cr_assert_eq(audit(NULL, &f, &tot), 0, "%s: %s", f.check, f.detail);
}

Test(adapters_mysql_seal, a_changed_posting_is_named_and_the_digest_still_holds_the_chain)
{
	struct seal_result r;
	struct audit_finding f;
	struct audit_totals tot;
	char digest[SEAL_DIGEST_LEN], sql[256];
	int64_t id2 = 0;

	write_entry(t.db, "capture:pay_1", 1000, NULL);
	write_entry(t.db, "capture:pay_2", 2000, &id2);
	write_entry(t.db, "capture:pay_3", 3000, NULL);
	seal(t.db, 100, &r);
	seal_digest_format(r.height, r.head, digest);
	cr_assert_eq(audit(digest, &f, &tot), 0, "%s: %s", f.check, f.detail);
	/* behind the triggers, as the schema owner */
	cr_assert_eq(testdb_sql(&t, "DROP TRIGGER postings_no_update"), 0);
	snprintf(sql, sizeof sql, "UPDATE postings SET account = 'escrow:pod-2' WHERE entry_id = %lld AND amount < 0",
		 (long long)id2);
	cr_assert_eq(testdb_sql(&t, sql), 0);
	cr_assert_eq(audit(digest, &f, &tot), 1);
	cr_assert_str_eq(f.check, "seal_entry");
	cr_assert_eq(f.entry_id, id2);
	cr_assert_str_eq(f.entry_key, "capture:pay_2");
}

Test(adapters_mysql_seal, the_sealer_refuses_an_entry_that_no_longer_matches_its_hash)
{
	struct settle_err err = {0};
	struct seal_result r;
	int64_t id = 0;
	char sql[200];

	write_entry(t.db, "capture:pay_1", 1000, &id);
	cr_assert_eq(testdb_sql(&t, "DROP TRIGGER postings_no_update"), 0);
	snprintf(sql, sizeof sql, "UPDATE postings SET amount = amount * 2 WHERE entry_id = %lld", (long long)id);
	cr_assert_eq(testdb_sql(&t, sql), 0);
	cr_assert_eq(seal_run(t.db, clock_system(), 100, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "capture:pay_1") && strstr(err.msg, "no longer matches"), "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM seal_blocks"), 0, "nothing sealed");
}
