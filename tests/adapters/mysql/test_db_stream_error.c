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
