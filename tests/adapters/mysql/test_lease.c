/* Integration tests of job leases: one owner at a time, take-over after
 * expiry, a stale owner finds out on renew. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/lease.h"
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

TestSuite(adapters_mysql_lease, .init = setup, .fini = teardown, .timeout = 60);

Test(adapters_mysql_lease, one_owner_at_a_time)
{
	struct lease a, b;
	struct settle_err err = {0};

	cr_assert_eq(lease_take(t.db, "settle-run", "host-a:1", "2026-11-24 10:00:00", 60, &a, &err), 1, "%s", err.msg);
	cr_assert_eq(lease_take(t.db, "settle-run", "host-b:2", "2026-11-24 10:00:30", 60, &b, &err), 0);
	cr_assert(strstr(err.msg, "host-a:1"), "%s", err.msg);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
}

Test(adapters_mysql_lease, expired_lease_is_taken_over_and_old_owner_loses_it)
{
	struct lease a, b;
	struct settle_err err = {0};

	cr_assert_eq(lease_take(t.db, "payout-send", "host-a:1", "2026-11-24 10:00:00", 60, &a, &err), 1);
	cr_assert_eq(lease_take(t.db, "payout-send", "host-b:2", "2026-11-24 10:01:01", 60, &b, &err), 1, "%s", err.msg);
	cr_assert_gt(b.token, a.token);
	cr_assert_eq(lease_renew(t.db, &a, "2026-11-24 10:01:02", 60, &err), 0);
	cr_assert(strstr(err.msg, "taken over"), "%s", err.msg);
	cr_assert_eq(lease_renew(t.db, &b, "2026-11-24 10:01:02", 60, &err), 1);
}

Test(adapters_mysql_lease, released_lease_is_free_at_once)
{
	struct lease a, b;
	struct settle_err err = {0};

	cr_assert_eq(lease_take(t.db, "job", "host-a:1", "2026-11-24 10:00:00", 600, &a, &err), 1);
	cr_assert_eq(lease_release(t.db, &a, &err), 0);
	cr_assert_eq(lease_take(t.db, "job", "host-b:2", "2026-11-24 10:00:01", 600, &b, &err), 1);
}

Test(adapters_mysql_lease, owner_may_take_its_own_lease_again)
{
	struct lease a, a2;
	struct settle_err err = {0};

	cr_assert_eq(lease_take(t.db, "job", "host-a:1", "2026-11-24 10:00:00", 600, &a, &err), 1);
	cr_assert_eq(lease_take(t.db, "job", "host-a:1", "2026-11-24 10:00:05", 600, &a2, &err), 1);
	cr_assert_gt(a2.token, a.token);
}
