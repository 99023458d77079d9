/*
 * An error the server sends in the middle of a streamed result (a deadlock
 * or, on Galera, a brute-force abort of the transaction by a replicated
 * write) reaches the connection, not the statement: db_fetch must report
 * the server's errno and message, so db_tx can tell a 1213 to retry from a
 * real failure. Before the fix it reported "database:  (error 0)", which
 * is never retried (scripts/galera-check.sh found it).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "adapters/mysql/db.h"
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

TestSuite(adapters_mysql_db_stream_error, .init = setup, .fini = teardown, .timeout = 60);

Test(adapters_mysql_db_stream_error, error_after_rows_keeps_its_errno)
{
	struct settle_err err = {0};
	struct db_cursor *c = NULL;
	int64_t v = 0;
	int rc, rows = 0;

	/* Row 500 raises 1242 (a subquery of two rows): the first rows are
	 * already on their way when the error comes. */
	cr_assert_eq(db_query(t.db, &c,
			      "SELECT IF(seq = 500, (SELECT seq FROM seq_1_to_2), seq) FROM seq_1_to_1000", NULL, 0,
			      DB_COLS(DC_I(&v)), &err),
		     0, "%s", err.msg);
	while ((rc = db_fetch(c, &err)) == 1)
		rows++;
	db_cursor_close(c);
	cr_assert_eq(rc, -1, "the error was taken for the end of the rows after %d", rows);
	cr_assert_eq(db_last_errno(t.db), 1242u, "errno %u: %s", db_last_errno(t.db), err.msg);
	cr_assert(strstr(err.msg, "(error 1242)"), "%s", err.msg);
	cr_assert(strstr(err.msg, "Subquery returns more than 1 row"), "%s", err.msg);
}

Test(adapters_mysql_db_stream_error, connection_still_usable_after)
{
	struct settle_err err = {0};
	struct db_cursor *c = NULL;
	int64_t v = 0, one = 0;

	cr_assert_eq(db_query(t.db, &c, "SELECT IF(seq = 3, (SELECT seq FROM seq_1_to_2), seq) FROM seq_1_to_5", NULL,
			      0, DB_COLS(DC_I(&v)), &err),
		     0, "%s", err.msg);
	while (db_fetch(c, &err) == 1)
		;
	db_cursor_close(c);
	cr_assert_eq(db_query_one(t.db, "SELECT 1", NULL, 0, DB_COLS(DC_I(&one)), &err), 1, "%s", err.msg);
	cr_assert_eq(one, 1);
}

/* A caller that stops after the rows it asked for (a LIMIT read in a batch)
 * never fetches the packet that ends the result. On Galera that packet can
 * be the 1213 of a brute-force abort; closing the cursor must still see it,
 * and inside a unit nothing more of the unit may run (galera-check found
 * escrows released, and committed alone, after an abort unseen this way). */
struct early_stop {
	int calls;
	unsigned after_close;
	int next_rc;
};

static int stop_early_tx(struct db *db, void *arg, struct settle_err *err)
{
	struct early_stop *s = arg;
	struct db_cursor *c = NULL;
	int64_t v = 0;

	if (++s->calls > 1)
		return 0;
	if (db_query(db, &c,
		     "SELECT IF(seq = 3, (SELECT 1 FROM seq_1_to_2 WHERE 1213 = 1213), seq) FROM seq_1_to_3", NULL, 0,
		     DB_COLS(DC_I(&v)), err) < 0)
		return -1;
	for (int i = 0; i < 2; i++)
		if (db_fetch(c, err) != 1)
			return -1;
	db_cursor_close(c); /* the third row's error is still unread */
	s->after_close = db_last_errno(db);
	s->next_rc = db_exec(db, "INSERT INTO job_leases (name) VALUES ('after')", NULL, 0, NULL, NULL, err);
	return s->next_rc;
}

Test(adapters_mysql_db_stream_error, closing_a_cursor_reads_the_error_that_ends_it)
{
	struct early_stop s = {0};
	struct settle_err err = {0};

	cr_assert_eq(db_tx(t.db, stop_early_tx, &s, &err), 0, "%s", err.msg);
	cr_assert_eq(s.after_close, 1242u, "the error after the last row read went unseen (errno %u)", s.after_close);
	cr_assert_eq(s.next_rc, 0, "1242 does not end a transaction: %s", err.msg);
}
