/*
 * escrow-dispute against the real database and the PG sandbox: a dispute
 * holds an escrow out of the release; it is resolved once, by a release, a
 * refund (through the PG) or a split; every refusal names what was wrong
 * and changes nothing; the ledger stays clean.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, "[escrow]\nhold_days = 7\n");
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_escrow_dispute, .init = setup, .fini = teardown, .timeout = 60);

static void run(const char *const *argv, struct run_result *r)
{
	run_program(&f.t, argv, NULL, r);
}

static const char *escrow_of(const char *order, char *buf, size_t len)
{
	return pf_string(&f, buf, len,
			 "SELECT e.public_id FROM escrows e JOIN payments p ON p.id = e.payment_id WHERE p.order_id = '%s'",
			 order);
}

static void digest(char *out, size_t len)
{
	pf_string(&f, out, len,
		  "SELECT CONCAT((SELECT COUNT(*) FROM journal_entries), '/', (SELECT COUNT(*) FROM refunds), '/', "
		  "(SELECT COUNT(*) FROM dispute_events), '/', (SELECT GROUP_CONCAT(CONCAT(status, refunded_amount, "
		  "release_asap) ORDER BY id) FROM escrows), '/', (SELECT COALESCE(GROUP_CONCAT(status ORDER BY id), '') "
		  "FROM disputes))");
}

Test(cmd_escrow_dispute, split_refunds_part_and_releases_the_rest)
{
	char o1[80], o2[80], esc[48], st[32];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o2, sizeof o2);
	escrow_of(o1, esc, sizeof esc);
	run((const char *[]){"escrow-dispute", "open", esc, "--reason", "the leader never showed up", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE public_id = '%s' AND status = 'DISPUTED'", esc), 1);
	/* the pod completes: the disputed escrow waits, the other is released */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', "
				      "completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED'"), 1);

	run((const char *[]){"escrow-dispute", "resolve", esc, "--split", "30000", NULL}, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	cr_assert_str_eq(pf_status(&f, o1, st, sizeof st), "PARTIALLY_REFUNDED");
	cr_assert_eq(sandbox_stat(&f.sp, "cancel_executed", o1), 1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM disputes WHERE status = 'RESOLVED' AND resolution = 'SPLIT' "
				  "AND release_amount = 30000 AND refund_amount = 20000"),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM dispute_events"), 2);
	pf_ledger_ok(&f);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COALESCE(-SUM(amount), 0) FROM postings WHERE account = 'released:pod-algo-101'"),
		     50000 + 30000);
	pf_ledger_ok(&f);

	/* resolved once */
	run((const char *[]){"escrow-dispute", "resolve", esc, "--release", NULL}, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(strstr(r.err, "no open dispute"), "%s", r.err);
	run((const char *[]){"escrow-dispute", "show", esc, NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "OPENED") && strstr(r.out, "RESOLVED"), "%s", r.out);
}

Test(cmd_escrow_dispute, refund_all_and_release_all)
{
	char o1[80], o2[80], e1[48], e2[48], st[32];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o2, sizeof o2);
	escrow_of(o1, e1, sizeof e1);
	escrow_of(o2, e2, sizeof e2);
	run((const char *[]){"escrow-dispute", "open", e1, "--reason", "refund me", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run((const char *[]){"escrow-dispute", "open", e2, "--reason", "pay the leader", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run((const char *[]){"escrow-dispute", "resolve", e1, "--refund", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(pf_status(&f, o1, st, sizeof st), "REFUNDED");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE public_id = '%s' AND status = 'REFUNDED'", e1), 1);
	run((const char *[]){"escrow-dispute", "resolve", e2, "--release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* released by the next run, even before the pod completes */
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM escrows WHERE public_id = '%s' AND status = 'RELEASED'", e2), 1);
	run((const char *[]){"escrow-dispute", "list", "--json", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"resolution\":\"REFUND\"") && strstr(r.out, "\"resolution\":\"RELEASE\""), "%s", r.out);
	pf_ledger_ok(&f);
}

Test(cmd_escrow_dispute, refusals_change_nothing)
{
	char o1[80], o2[80], e1[48], e2[48], before[4096], after[4096];
	struct run_result r;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-sql-201", "user-b", NULL, o2, sizeof o2);
	escrow_of(o1, e1, sizeof e1);
	escrow_of(o2, e2, sizeof e2);
	run((const char *[]){"escrow-dispute", "open", e1, "--reason", "why", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* e2 is released */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 "
				      "DAY WHERE pod_id = 'pod-sql-201'"),
		     0u);
	run((const char *[]){"escrow-release", NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	digest(before, sizeof before);
	{
		static const struct {
			const char *argv[8];
			int code;
			const char *why;
		} bad[] = {
			{{"escrow-dispute", "resolve", "E1", "--split", "50000", NULL}, 65, "less than the 50000"},
			{{"escrow-dispute", "resolve", "E1", "--split", "60000", NULL}, 65, "less than the 50000"},
			{{"escrow-dispute", "resolve", "E1", "--split", "0", NULL}, 65, "--split"},
			{{"escrow-dispute", "resolve", "E1", "--split", "-5", NULL}, 65, "--split"},
			{{"escrow-dispute", "resolve", "E1", "--refund", "--amount", "50001", NULL}, 65, "holds 50000"},
			{{"escrow-dispute", "resolve", "E1", NULL}, 64, "exactly one"},
			{{"escrow-dispute", "resolve", "E1", "--release", "--refund", NULL}, 64, "exactly one"},
			{{"escrow-dispute", "open", "E1", "--reason", "again", NULL}, 65, "DISPUTED"},
			{{"escrow-dispute", "open", "E2", "--reason", "late", NULL}, 65, "clawback"},
			{{"escrow-dispute", "open", "esc_nope", "--reason", "x", NULL}, 65, "unknown escrow"},
			{{"escrow-dispute", "open", "E1", NULL}, 64, "--reason"},
			{{"escrow-dispute", "resolve", "E2", "--release", NULL}, 65, "no open dispute"},
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			const char *argv[8];

			for (size_t k = 0; k < 8; k++)
				argv[k] = bad[i].argv[k] && !strcmp(bad[i].argv[k], "E1")   ? e1
					  : bad[i].argv[k] && !strcmp(bad[i].argv[k], "E2") ? e2
											    : bad[i].argv[k];
			run(argv, &r);
			cr_assert_eq(r.status, bad[i].code, "case %zu: %d %s", i, r.status, r.err);
			cr_assert(strstr(r.err, bad[i].why), "case %zu: %s", i, r.err);
			cr_assert(pf_one_error(r.err, "escrow-dispute"), "case %zu: %s", i, r.err);
			digest(after, sizeof after);
			cr_assert_str_eq(before, after, "case %zu changed something", i);
		}
	}
	pf_ledger_ok(&f);
}
