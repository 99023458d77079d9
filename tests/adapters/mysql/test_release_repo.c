/* The release repository against the real database, at the batch sizes
 * the job uses: one UPDATE for a whole batch (a statement built for 1 000
 * escrows once overflowed its buffer; ASan watches this test). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/uow.h"
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

TestSuite(adapters_mysql_release_repo, .init = setup, .fini = teardown, .timeout = 60);

Test(adapters_mysql_release_repo, a_batch_of_a_thousand_in_one_statement)
{
	enum { N = 1000 };
	struct release_repo repo;
	struct release_row *rows = calloc(N, sizeof *rows);
	struct settle_err err = {0};
	size_t n = 0;
	struct release_filter f = {"2030-01-01 00:00:00", NULL, 0, 0, 0, 0};

	cr_assert_not_null(rows);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO pods (pod_id, leader_id, title, fee, currency, capacity, status, "
				    "starts_on, ends_on, completed_at, refreshed_at) VALUES ('pod-big', 'leader-x', 'Big', 100, "
				    "'KRW', 5000, 'COMPLETED', '2026-01-01', '2026-02-01', '2026-02-01', '2026-02-01')"),
		     0u);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, "
				    "pg, status, created_at, updated_at) SELECT CONCAT('pay_', seq), CONCAT('ord-', seq), "
				    "'pod-big', CONCAT('u', seq), 100, 'KRW', 'CARD', 'toss', 'COMPLETED', '2026-01-01', "
				    "'2026-01-01' FROM seq_1_to_1000"),
		     0u);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO escrows (public_id, payment_id, pod_id, amount, refunded_amount, currency, "
				    "status, held_at, updated_at) SELECT CONCAT('esc_', id), id, 'pod-big', 100, id % 7, 'KRW', "
				    "'HOLDING', '2026-01-01', '2026-01-01' FROM payments"),
		     0u);
	mysql_release_repo(&repo, t.db);
	cr_assert_eq(repo.due(repo.self, NULL, &f, rows, N, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(n, (size_t)N);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(escrow_release(&rows[i].e, &err), 0, "%s", err.msg);
	}
	cr_assert_eq(repo.released(repo.self, NULL, rows, n, "2030-01-01 00:00:00", &err), 0, "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM escrows WHERE status = 'RELEASED' "
				      "AND released_amount = amount - refunded_amount AND released_at IS NOT NULL"),
		     N);
	/* a second write of the same batch changes nothing and says so */
	cr_assert_eq(repo.released(repo.self, NULL, rows, n, "2030-01-01 00:00:00", &err), -1);
	free(rows);
}
