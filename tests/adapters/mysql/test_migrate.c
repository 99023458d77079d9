/* Integration tests of migrations: in order, once, and never over a
 * changed file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/migrate.h"
#include "lib/testdb.h"

static struct testdb t;
static char dir[64];

static void setup(void)
{
	testdb_create(&t);
	snprintf(dir, sizeof dir, "/tmp/settle-migr-%d", (int)getpid());
}

static void teardown(void)
{
	char cmd[128];

	testdb_drop(&t);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(adapters_mysql_migrate, .init = setup, .fini = teardown, .timeout = 60);

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void copy_schema(void)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s && cp schema/*.sql %s/", dir, dir, dir);
	cr_assert_eq(system(cmd), 0);
}

Test(adapters_mysql_migrate, second_run_applies_nothing)
{
	struct settle_err err = {0};
	size_t applied = 9;

	copy_schema();
	cr_assert_eq(migrate_apply(t.db, dir, "2026-11-24 10:00:00", false, &applied, &err), 0, "%s", err.msg);
	cr_assert_eq(applied, 0);
}

Test(adapters_mysql_migrate, applies_a_new_file_in_order)
{
	struct settle_err err = {0};
	size_t applied = 0;

	copy_schema();
	write_file("900_probe.sql", "CREATE TABLE probe (id INT PRIMARY KEY);\nINSERT INTO probe VALUES (1);\n");
	cr_assert_eq(migrate_apply(t.db, dir, "2026-11-24 10:00:00", false, &applied, &err), 0, "%s", err.msg);
	cr_assert_eq(applied, 1);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM probe"), 1);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM schema_migrations WHERE version = '900'"), 1);
}

Test(adapters_mysql_migrate, changed_applied_file_refuses_everything)
{
	struct settle_err err = {0};
	size_t applied = 0;
	int64_t before = testdb_count(&t, "SELECT COUNT(*) FROM schema_migrations");

	copy_schema();
	write_file("001_core.sql", "-- edited after it was applied\n");
	write_file("900_probe.sql", "CREATE TABLE probe (id INT PRIMARY KEY);\n");
	cr_assert_eq(migrate_apply(t.db, dir, "2026-11-24 10:00:00", false, &applied, &err), -1);
	cr_assert(strstr(err.msg, "001_core.sql") && strstr(err.msg, "changed"), "%s", err.msg);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_eq(applied, 0);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM schema_migrations"), before);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
				      "AND table_name = 'probe'"), 0);
}

Test(adapters_mysql_migrate, badly_named_file_is_refused)
{
	struct settle_err err = {0};
	size_t applied = 0;

	copy_schema();
	write_file("9_oops.sql", "SELECT 1;\n");
	cr_assert_eq(migrate_apply(t.db, dir, "2026-11-24 10:00:00", false, &applied, &err), -1);
	cr_assert(strstr(err.msg, "9_oops.sql"), "%s", err.msg);
}

/* An empty schema directory (a wrong --schema-dir, a broken install) is
 * refused by name with nothing applied, by apply and by status alike —
 * and without the null-base qsort that UBSan stops on. A directory with
 * only non-migration files is the same case. */
Test(adapters_mysql_migrate, empty_schema_directory_is_refused)
{
	struct settle_err err = {0};
	struct migration_status *st = NULL;
	size_t applied = 7, n = 7;
	int64_t before = testdb_count(&t, "SELECT COUNT(*) FROM schema_migrations");
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(migrate_apply(t.db, dir, "2026-11-24 10:00:00", false, &applied, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_NOINPUT, "%d %s", err.code, err.msg);
	cr_assert(strstr(err.msg, dir) && strstr(err.msg, "no migrations"), "%s", err.msg);
	cr_assert_eq(applied, 0);
	memset(&err, 0, sizeof err);
	cr_assert_eq(migrate_status(t.db, dir, &st, &n, &err), -1);
	cr_assert_null(st);
	cr_assert(strstr(err.msg, "no migrations"), "%s", err.msg);
	write_file("README", "not a migration\n");
	memset(&err, 0, sizeof err);
	cr_assert_eq(migrate_apply(t.db, dir, "2026-11-24 10:00:00", true, &applied, &err), -1);
	cr_assert(strstr(err.msg, "no migrations"), "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM schema_migrations"), before);
}
