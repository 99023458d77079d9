/* settle-db grants: one login per role with its table privileges; a job
 * run with another role's login is refused by the database; the ledger is
 * never updated or deleted by any role; a missing password changes
 * nothing (issue 11). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/mysql/db.h"
#include "adapters/mysql/grants.h"
#include "lib/testdb.h"

static struct testdb t;
static char dir[128], prefix[24];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
	cr_assert_eq(chmod(path, 0600), 0);
}

/* A credentials directory for role, as a systemd unit would have it. */
static const char *creds_for(const char *role)
{
	static char env[200];
	char sub[160], path[200], user[64], pw[64];

	snprintf(sub, sizeof sub, "%s/creds-%s", dir, role);
	mkdir(sub, 0700);
	snprintf(path, sizeof path, "%s/database.user", sub);
	snprintf(user, sizeof user, "%s%s\n", prefix, role);
	write_file(path, user);
	snprintf(path, sizeof path, "%s/database.password", sub);
	snprintf(pw, sizeof pw, "pw-%s-%d\n", role, (int)getpid());
	write_file(path, pw);
	snprintf(env, sizeof env, "CREDENTIALS_DIRECTORY=%s", sub);
	return env;
}

static void setup(void)
{
	size_t used;

	snprintf(dir, sizeof dir, "/tmp/settle-grants-%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(prefix, sizeof prefix, "t%d_", (int)getpid());
	testdb_create(&t);
	used = (size_t)snprintf(t.extra_conf, sizeof t.extra_conf, "[grants]\nuser_prefix = %s\n", prefix);
	for (size_t i = 0; i < grants_role_count(); i++) {
		char path[200], pw[64];

		snprintf(path, sizeof path, "%s/%s", dir, grants_role_name(i));
		snprintf(pw, sizeof pw, "pw-%s-%d\n", grants_role_name(i), (int)getpid());
		write_file(path, pw);
		used += (size_t)snprintf(t.extra_conf + used, sizeof t.extra_conf - used, "%s_password_file = %s\n",
					 grants_role_name(i), path);
	}
	testdb_write_config(&t);
}

static void teardown(void)
{
	char cmd[200];

	for (size_t i = 0; i < grants_role_count(); i++) {
		char sql[160];

		snprintf(sql, sizeof sql, "DROP USER IF EXISTS '%s%s'@'localhost'", prefix, grants_role_name(i));
		testdb_sql(&t, sql);
	}
	testdb_drop(&t);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(cmd_ops_grants, .init = setup, .fini = teardown, .timeout = 90);

static int one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl && nl[1] == '\0';
}

Test(cmd_ops_grants, each_role_runs_its_job_and_another_role_is_refused)
{
	struct run_result r;

	run_program(&t, (const char *[]){"settle-db", "grants", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "granted: 13 role(s)"), "%s", r.out);
	/* twice: the same logins, the same privileges */
	run_program(&t, (const char *[]){"settle-db", "grants", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);

	/* the payment sweep as its own role, and ledger-check as its own */
	run_program(&t, (const char *[]){"pay-capture", "--sweep", NULL}, (const char *[]){creds_for("order"), NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&t, (const char *[]){"ledger-check", NULL}, (const char *[]){creds_for("check"), NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM job_runs WHERE status = 'DONE'"), 2);
	/* settle-watch as the notify role: it reads the business tables and
	 * writes alerts (issue 14) */
	for (int i = 0; i < 8; i++) {
		char sql[600];

		snprintf(sql, sizeof sql,
			 "INSERT INTO payments (public_id, order_id, pod_id, user_id, amount, currency, method, pg, status, "
			 "created_at, updated_at) VALUES ('pay_g%d', 'ord-grant-%d', 'pod-1', 'mallory', 50000, 'KRW', 'CARD', "
			 "'toss', 'FAILED', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))", i, i);
		cr_assert_eq(testdb_sql(&t, sql), 0);
	}
	run_program(&t, (const char *[]){"settle-watch", NULL}, (const char *[]){creds_for("notify"), NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM alerts"), 1);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications WHERE template = 'alert'"), 1);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM job_runs WHERE status = 'DONE'"), 3);

	/* the sweep with the read-only reports login: the database refuses */
	run_program(&t, (const char *[]){"pay-capture", "--sweep", NULL}, (const char *[]){creds_for("reports"), NULL},
		    &r);
	cr_assert_eq(r.status, 78, "%d %s", r.status, r.err);
	cr_assert(one_line(r.err), "%s", r.err);
	cr_assert(strstr(r.err, "command denied to user"), "%s", r.err);
	cr_assert(strstr(r.err, "reports"), "%s", r.err);
}

Test(cmd_ops_grants, a_role_updates_only_its_own_job_runs)
{
	struct run_result r;
	struct settle_err err = {0};
	struct db_options o = {0};
	struct db *as_check;
	char pw[64], user[64], socket[256] = "";

	run_program(&t, (const char *[]){"settle-db", "grants", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_program(&t, (const char *[]){"pay-capture", "--sweep", NULL}, (const char *[]){creds_for("order"), NULL}, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	{
		FILE *f = fopen(t.config_path, "r");
		char line[512];

		cr_assert_not_null(f);
		while (fgets(line, sizeof line, f))
			if (!strncmp(line, "socket = ", 9))
				snprintf(socket, sizeof socket, "%.*s", (int)strcspn(line + 9, "\n"), line + 9);
		fclose(f);
	}
	snprintf(user, sizeof user, "%scheck", prefix);
	snprintf(pw, sizeof pw, "pw-check-%d", (int)getpid());
	o.socket = socket;
	o.user = user;
	o.password = pw;
	o.name = t.name;
	cr_assert_eq(db_open(&as_check, &o, &err), 0, "%s", err.msg);
	/* the sweep's row was started by the order login */
	cr_assert_eq(db_exec(as_check, "UPDATE job_runs SET message = 'not mine' WHERE job = 'pay-capture'", DB_NOPARAMS,
			     NULL, NULL, &err),
		     -1);
	cr_assert(strstr(err.msg, "only by the login that started it"), "%s", err.msg);
	/* and the ledger is never theirs to change */
	cr_assert_eq(db_exec(as_check, "INSERT INTO journal_entries (entry_key) VALUES ('x')", DB_NOPARAMS, NULL, NULL,
			     &err),
		     -1);
	cr_assert(strstr(err.msg, "INSERT command denied"), "%s", err.msg);
	db_close(as_check);
}

Test(cmd_ops_grants, dry_run_prints_the_sql_without_secrets_and_creates_nothing)
{
	struct run_result r;
	char env[160];
	struct run_result r2;

	run_program(&t, (const char *[]){"settle-db", "--dry-run", "grants", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "GRANT SELECT, INSERT ON `"), "%s", r.out);
	cr_assert(strstr(r.out, "IDENTIFIED BY PASSWORD '<hash of [grants] order_password>'"), "%s", r.out);
	cr_assert_null(strstr(r.out, "pw-order"), "a password printed");
	cr_assert_null(strstr(r.out, "'*"), "a password hash printed");
	/* no grant ever gives UPDATE or DELETE on the ledger */
	for (char *at = strstr(r.out, "GRANT "); at; at = strstr(at + 1, "GRANT ")) {
		char line[512];

		snprintf(line, sizeof line, "%.*s", (int)strcspn(at, "\n"), at);
		if (strstr(line, ".`journal_entries`") || strstr(line, ".`postings`"))
			cr_assert(!strstr(line, "UPDATE") && !strstr(line, "DELETE"), "%s", line);
	}
	/* nothing was created: the role's login does not exist */
	snprintf(env, sizeof env, "%s", creds_for("check"));
	run_program(&t, (const char *[]){"ledger-check", NULL}, (const char *[]){env, NULL}, &r2);
	cr_assert_eq(r2.status, 78, "%s", r2.err);
	cr_assert(strstr(r2.err, "Access denied"), "%s", r2.err);
}

Test(cmd_ops_grants, a_missing_password_file_stops_before_any_login_is_made)
{
	struct run_result r;
	char *at;

	at = strstr(t.extra_conf, "settle_password_file = ");
	cr_assert_not_null(at);
	{
		char rest[1024];

		snprintf(rest, sizeof rest, "%s", strchr(at, '\n'));
		snprintf(at, sizeof t.extra_conf - (size_t)(at - t.extra_conf), "settle_password_file = %s/nonexistent%s",
			 dir, rest);
	}
	testdb_write_config(&t);
	run_program(&t, (const char *[]){"settle-db", "grants", NULL}, NULL, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(one_line(r.err), "%s", r.err);
	cr_assert(strstr(r.err, "[grants] settle_password"), "%s", r.err);
	cr_assert(strstr(r.err, "nonexistent"), "%s", r.err);
	/* the order login (before settle in the table) was not created */
	run_program(&t, (const char *[]){"ledger-check", NULL}, (const char *[]){creds_for("order"), NULL}, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(strstr(r.err, "Access denied"), "%s", r.err);
}

Test(cmd_ops_grants, a_role_login_without_its_password_credential_is_a_config_error)
{
	struct run_result r;
	char path[200];
	const char *env = creds_for("check");

	snprintf(path, sizeof path, "%s/creds-check/database.password", dir);
	cr_assert_eq(unlink(path), 0);
	run_program(&t, (const char *[]){"ledger-check", NULL}, (const char *[]){env, NULL}, &r);
	cr_assert_eq(r.status, 78, "%s", r.err);
	cr_assert(one_line(r.err), "%s", r.err);
	cr_assert(strstr(r.err, "credential database.password is missing"), "%s", r.err);
}

/* A table no row of the grants table names (a new migration's, before its
 * row is added) is listed, and no role gets it; --json is refused. */
Test(cmd_ops_grants, a_table_the_grants_table_does_not_name_is_listed)
{
	struct run_result r;

	cr_assert_eq(testdb_sql(&t, "CREATE TABLE ops_new_table (id INT PRIMARY KEY)"), 0);
	run_program(&t, (const char *[]){"settle-db", "--dry-run", "grants", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "-- table ops_new_table is not in the grants table: no role may use it\n"), "%s", r.out);
	cr_assert_null(strstr(r.out, "`ops_new_table` TO"), "%s", r.out);
	run_program(&t, (const char *[]){"settle-db", "--json", "grants", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64, "%s", r.err);
	cr_assert(one_line(r.err), "%s", r.err);
}
