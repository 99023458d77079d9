/* ledger-seal and ledger-check --seals / --digest as programs: seal, hand
 * out the digest, prove the ledger extends it; a posting changed behind
 * the triggers is named by entry; a block whose previous hash was changed,
 * and a digest the ledger does not extend, are 65 naming the block; a
 * malformed digest is 64 and changes nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/ledger_store.h"
#include "domain/journal.h"
#include "lib/payfix.h"
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

TestSuite(cmd_ledger_seal, .init = setup, .fini = teardown, .timeout = 90);

static int64_t entry(const char *key, int64_t amount)
{
	struct journal_entry e;
	struct settle_err err = {0};
	struct money m = {amount, "KRW"};
	int64_t id = 0;

	/* manual entries: ledger-check's business checks have nothing to say */
	journal_init(&e, "manual", "test");
	cr_assert_eq(journal_move(&e, "pg_clearing", "platform_revenue", m, &err), 0);
	cr_assert_eq(db_simple(t.db, "START TRANSACTION", &err), 0);
	cr_assert_eq(ledger_write(t.db, key, &e, "2026-11-24 10:00:00.000000", &id, &err), 0, "%s", err.msg);
	cr_assert_eq(db_simple(t.db, "COMMIT", &err), 0);
	return id;
}

static void run(const char *const *argv, int want, struct run_result *r)
{
	run_program(&t, argv, NULL, r);
	cr_assert_eq(r->status, want, "%s: %d\n%s%s", argv[0], r->status, r->out, r->err);
}

/* ledger-seal --digest, without the newline */
static void digest(char *out, size_t len)
{
	struct run_result r;

	run((const char *[]){"ledger-seal", "--digest", NULL}, 0, &r);
	r.out[strcspn(r.out, "\n")] = '\0';
	snprintf(out, len, "%s", r.out);
}

Test(cmd_ledger_seal, seal_digest_and_check)
{
	struct run_result r;
	char d0[100], d1[100], d2[100];

	digest(d0, sizeof d0);
	cr_assert_str_eq(d0, "0:0000000000000000000000000000000000000000000000000000000000000000");
	entry("manual:pay_1", 1000);
	entry("manual:pay_2", 2000);
	run((const char *[]){"ledger-seal", NULL}, 0, &r);
	cr_assert(strstr(r.out, "sealed 2 entries in 1 block(s)"), "%s", r.out);
	digest(d1, sizeof d1);
	cr_assert(!strncmp(d1, "1:", 2) && strlen(d1) == 66, "%s", d1);
	cr_assert(strstr(r.out, d1), "the run prints the head it left: %s", r.out);
	run((const char *[]){"ledger-check", "--seals", NULL}, 0, &r);
	cr_assert(strstr(r.out, "seals: 1 block(s), 0 entries not sealed yet"), "%s", r.out);
	/* a later block: the old digest is still extended, and so is the new */
	entry("manual:pay_3", 3000);
	run((const char *[]){"ledger-seal", "--json", NULL}, 0, &r);
	cr_assert(strstr(r.out, "\"entries\":1") && strstr(r.out, "\"height\":2"), "%s", r.out);
	digest(d2, sizeof d2);
	run((const char *[]){"ledger-check", "--digest", d0, NULL}, 0, &r);
	run((const char *[]){"ledger-check", "--digest", d1, NULL}, 0, &r);
	run((const char *[]){"ledger-check", "--digest", d2, "--json", NULL}, 0, &r);
	cr_assert(strstr(r.out, "\"blocks\":2") && strstr(r.out, "\"ok\":true"), "%s", r.out);
}

/* The tamper test: as the schema owner, drop the trigger, change one
 * posting; the check names exactly that entry. */
Test(cmd_ledger_seal, a_posting_changed_behind_the_triggers_is_named)
{
	struct run_result r;
	char sql[256], d[100], want[96];
	int64_t id;

	entry("manual:pay_1", 1000);
	id = entry("manual:pay_2", 2000);
	entry("manual:pay_3", 3000);
	run((const char *[]){"ledger-seal", NULL}, 0, &r);
	digest(d, sizeof d);
	cr_assert_eq(testdb_sql(&t, "DROP TRIGGER postings_no_update"), 0);
	/* balanced still: only the seal can tell */
	snprintf(sql, sizeof sql, "UPDATE postings SET account = 'vat_payable' WHERE entry_id = %lld AND amount < 0",
		 (long long)id);
	cr_assert_eq(testdb_sql(&t, sql), 0);
	run((const char *[]){"ledger-check", NULL}, 0, &r);
	run((const char *[]){"ledger-check", "--seals", NULL}, 65, &r);
	snprintf(want, sizeof want, "seal_entry    entry %lld (manual:pay_2): content no longer matches", (long long)id);
	cr_assert(strstr(r.out, want), "%s", r.out);
	cr_assert_null(strstr(r.out, "manual:pay_1"), "%s", r.out);
	cr_assert_null(strstr(r.out, "manual:pay_3"), "%s", r.out);
	cr_assert(strstr(r.out, "FAILED") && strstr(r.out, " 1 finding(s)"), "one finding per entry: %s", r.out);
	run((const char *[]){"ledger-check", "--json", "--seals", NULL}, 65, &r);
	snprintf(want, sizeof want, "\"entry_id\":%lld", (long long)id);
	cr_assert(strstr(r.out, want) && strstr(r.out, "\"check\":\"seal_entry\""), "%s", r.out);
}

Test(cmd_ledger_seal, a_block_whose_previous_hash_does_not_match_is_65_naming_it)
{
	struct run_result r;

	entry("manual:pay_1", 1000);
	run((const char *[]){"ledger-seal", NULL}, 0, &r);
	entry("manual:pay_2", 2000);
	run((const char *[]){"ledger-seal", NULL}, 0, &r);
	entry("manual:pay_3", 3000);
	run((const char *[]){"ledger-seal", NULL}, 0, &r);
	cr_assert_eq(testdb_sql(&t, "DROP TRIGGER seal_blocks_no_update"), 0);
	cr_assert_eq(testdb_sql(&t, "UPDATE seal_blocks SET prev_hash = REPEAT('a', 64) WHERE height = 2"), 0);
	run((const char *[]){"ledger-check", "--seals", NULL}, 65, &r);
	cr_assert(strstr(r.out, "seal_chain    block 2: its previous hash aaaaaaaaaaaa… does not match block 1's hash"),
		  "%s", r.out);
	cr_assert_null(strstr(r.out, "block 1:"), "%s", r.out);
	cr_assert_null(strstr(r.out, "block 3:"), "block 3 still follows block 2's stored hash: %s", r.out);
}

Test(cmd_ledger_seal, a_digest_the_ledger_does_not_extend_is_65_naming_the_first_divergent_block)
{
	struct run_result r;
	char d[100], other[100];

	entry("manual:pay_1", 1000);
	run((const char *[]){"ledger-seal", NULL}, 0, &r);
	entry("manual:pay_2", 2000);
	run((const char *[]){"ledger-seal", NULL}, 0, &r);
	digest(d, sizeof d);
	/* a digest from another ledger at the same height */
	snprintf(other, sizeof other, "2:%s", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	run((const char *[]){"ledger-check", "--digest", other, NULL}, 65, &r);
	cr_assert(strstr(r.out, "digest        block 2: the ledger diverges from the digest here"), "%s", r.out);
	/* a digest beyond the chain's end */
	snprintf(other, sizeof other, "7:%s", d + 2);
	run((const char *[]){"ledger-check", "--digest", other, NULL}, 65, &r);
	cr_assert(strstr(r.out, "block 7: the ledger does not extend the digest: its chain ends at block 2"), "%s",
		  r.out);
	/* block 1 rewritten (its root): the first divergent block is 1 */
	cr_assert_eq(testdb_sql(&t, "DROP TRIGGER seal_blocks_no_update"), 0);
	cr_assert_eq(testdb_sql(&t, "UPDATE seal_blocks SET merkle_root = REPEAT('c', 64) WHERE height = 1"), 0);
	run((const char *[]){"ledger-check", "--digest", d, NULL}, 65, &r);
	cr_assert(strstr(r.out, "seal_block    block 1: its Merkle root does not match"), "%s", r.out);
	cr_assert(strstr(r.out, "digest        block 1: the ledger diverges from the digest (block 2) here"), "%s",
		  r.out);
	/* and the sealer will not extend a head that fails its own hash */
	cr_assert_eq(testdb_sql(&t, "UPDATE seal_blocks SET entries = entries + 1 WHERE height = 2"), 0);
	entry("manual:pay_3", 3000);
	run((const char *[]){"ledger-seal", NULL}, 65, &r);
	cr_assert(pf_one_error(r.err, "ledger-seal") && strstr(r.err, "block 2, does not match its own hash"), "%s",
		  r.err);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM seal_blocks"), 2);
}

Test(cmd_ledger_seal, a_malformed_digest_is_64_and_changes_nothing)
{
	static const char *const bad[] = {"42", "1:xyz", "1:ABCDEF", "-1:00", "1:\x1b[2J"};
	struct run_result r;
	char before[8192];

	entry("manual:pay_1", 1000);
	run((const char *[]){"ledger-seal", NULL}, 0, &r);
	testdb_fingerprint(&t, before, sizeof before);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		run((const char *[]){"ledger-check", "--digest", bad[i], NULL}, 64, &r);
		cr_assert(pf_one_error(r.err, "ledger-check") && strstr(r.err, "--digest"), "%s", r.err);
		cr_assert(test_terminal_safe(r.err), "%s", r.err);
	}
	run((const char *[]){"ledger-seal", "stray", NULL}, 64, &r);
	cr_assert(pf_one_error(r.err, "ledger-seal"), "%s", r.err);
	testdb_assert_unchanged(&t, before, "malformed digests");
}
