/* The per-role privileges table (adapters/mysql/grants.c) keeps its
 * promises: the ledger is append-only for every role, the read-only roles
 * write nothing but their own run records, every job has a role. */
#include <criterion/criterion.h>
#include <string.h>

#include "adapters/mysql/grants.h"

static const char *const tables[] = {
	"pods", "leaders", "payments", "payment_events", "refunds", "escrows", "disputes", "dispute_events",
	"settlements", "clawbacks", "payouts", "payout_items", "tax_invoices", "webhook_events",
	"participation_confirms", "pg_outcomes", "pg_probes", "journal_entries", "postings", "job_runs",
	"job_leases", "job_cursors", "schema_migrations", "notifications", "notify_contacts", "alerts", "api_idempotency",
};

Test(adapters_mysql_grants_table, the_ledger_is_never_updated_or_deleted)
{
	for (size_t r = 0; r < grants_role_count(); r++) {
		const char *role = grants_role_name(r);

		cr_assert_str_eq(grants_privileges(role, "journal_entries") + strspn(grants_privileges(role, "journal_entries"), "SI"),
				 "", "%s", role);
		cr_assert_str_eq(grants_privileges(role, "postings") + strspn(grants_privileges(role, "postings"), "SI"), "",
				 "%s", role);
		cr_assert_str_eq(grants_privileges(role, "schema_migrations"), "", "%s", role);
	}
}

Test(adapters_mysql_grants_table, read_only_roles_write_only_their_run_records)
{
	static const char *const readers[] = {"reports", "check"};

	for (size_t i = 0; i < 2; i++)
		for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
			const char *p = grants_privileges(readers[i], tables[t]);

			cr_assert_not_null(p, "%s: %s is not in the table", readers[i], tables[t]);
			if (!strcmp(tables[t], "job_runs"))
				cr_assert_str_eq(p, "SIu", "%s", readers[i]);
			else
				cr_assert(!strpbrk(p, "IUDu"), "%s may write %s (%s)", readers[i], tables[t], p);
		}
}

Test(adapters_mysql_grants_table, every_table_and_every_job_is_covered)
{
	static const char *const jobs[] = {"pay-order", "pay-capture", "pay-refund", "escrow-dispute", "escrow-release",
					   "settle-run", "payout-send", "invoice-issue", "settle-report", "ledger-check",
					   "pay-webhookd", "settle-notify", "settle-watch",
					   "settle-apid"};

	cr_assert_eq(grants_role_count(), 13);
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		cr_assert_not_null(grants_privileges("order", tables[t]), "%s", tables[t]);
	cr_assert_null(grants_privileges("order", "no_such_table"));
	cr_assert_null(grants_privileges("no-such-role", "payments"));
	for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++)
		cr_assert_not_null(grants_role_of(jobs[j]), "%s has no role", jobs[j]);
	cr_assert_null(grants_role_of("settle-db"), "the owner's tool runs as the owner");
	cr_assert_str_eq(grants_role_of("settle-run"), "settle");
}

/* settle-notify and settle-watch read the business tables and write only
 * the outbox, the contacts cache, the alerts and their run records (issue
 * 14); the jobs that change state may add to the outbox, never change it. */
Test(adapters_mysql_grants_table, the_notify_role_writes_only_the_outbox_and_alerts)
{
	static const char *const own[] = {"notifications", "notify_contacts", "alerts", "job_runs", "job_leases"};

	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		const char *p = grants_privileges("notify", tables[t]);
		int mine = 0;

		cr_assert_not_null(p, "%s", tables[t]);
		for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
			mine |= !strcmp(own[i], tables[t]);
		if (!mine)
			cr_assert(!strpbrk(p, "IUDu"), "notify may write %s (%s)", tables[t], p);
	}
	cr_assert_str_eq(grants_privileges("order", "notifications"), "SI");
	cr_assert_str_eq(grants_privileges("settle", "notifications"), "SI");
	cr_assert_str_eq(grants_privileges("payout", "notifications"), "SI");
}
