/* The outbox against the real database: a note whose key exists already
 * adds nothing and is not an error, and the unit of work around it still
 * commits its other writes (a duplicate key fails one statement, not the
 * transaction); eight writers at once each add their own note (the
 * INSERT … SELECT it replaced failed some of them with 1467). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "adapters/config/config.h"
#include "adapters/mysql/db.h"
#include "adapters/mysql/outbox_repo.h"
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

TestSuite(adapters_mysql_outbox_repo, .init = setup, .fini = teardown, .timeout = 60);

struct two_adds {
	struct outbox_port *o;
	const char *key;
};

static int add_twice(struct uow *tx, void *arg, struct settle_err *err)
{
	struct two_adds *a = arg;
	struct outbox_note n;

	memset(&n, 0, sizeof n);
	snprintf(n.key, sizeof n.key, "%s", a->key);
	snprintf(n.template_name, sizeof n.template_name, "payment.completed");
	snprintf(n.recipient_kind, sizeof n.recipient_kind, "user");
	snprintf(n.recipient_id, sizeof n.recipient_id, "user-a");
	if (a->o->add(a->o->self, tx, &n, "2026-11-25 00:00:00", err) < 0 ||
	    a->o->add(a->o->self, tx, &n, "2026-11-25 00:00:00", err) < 0)
		return -1;
	/* another write of the same unit, after the duplicate */
	return db_exec((struct db *)tx,
		       "INSERT INTO job_runs (job, owner, host, pid, status, started_at) VALUES ('outbox-test', 'o', 'h', 1, "
		       "'DONE', '2026-11-25 00:00:00')",
		       DB_NOPARAMS, NULL, NULL, err);
}

Test(adapters_mysql_outbox_repo, a_key_seen_before_adds_nothing_and_the_unit_commits)
{
	struct outbox_port o;
	struct uow_port u;
	struct settle_err err = {0};
	struct two_adds a = {&o, "payment.completed:pay_one"};

	mysql_outbox(&o, t.db);
	mysql_uow(&u, t.db);
	cr_assert_eq(uow_run(&u, add_twice, &a, &err), 0, "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications WHERE notify_key = 'payment.completed:pay_one'"),
		     1);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM job_runs WHERE job = 'outbox-test'"), 1);
	/* the same event again, in a later unit: still one */
	cr_assert_eq(uow_run(&u, add_twice, &a, &err), 0, "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications"), 1);
}

Test(adapters_mysql_outbox_repo, eight_writers_at_once)
{
	enum { WRITERS = 8, EACH = 40 };
	pid_t pids[WRITERS];

	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		cr_assert(pids[w] >= 0);
		if (pids[w] == 0) {
			struct db *db = NULL;
			struct config *cfg = NULL;
			struct outbox_port o;
			struct uow_port u;
			struct settle_err err = {0};
			char key[64];
			int bad = 0;

			if (config_load(&cfg, t.config_path, &err) < 0 || db_open_config(&db, cfg, t.name, false, &err) < 0)
				_exit(2);
			mysql_outbox(&o, db);
			mysql_uow(&u, db);
			for (int i = 0; i < EACH; i++) {
				struct two_adds a = {&o, key};

				snprintf(key, sizeof key, "payment.completed:pay_w%d_%d", w, i);
				if (uow_run(&u, add_twice, &a, &err) < 0) {
					fprintf(stderr, "writer %d: %s\n", w, err.msg);
					bad = 1;
				}
			}
			db_close(db);
			config_free(cfg);
			_exit(bad);
		}
	}
	for (int w = 0; w < WRITERS; w++) {
		int st = 0;

		cr_assert_eq(waitpid(pids[w], &st, 0), pids[w]);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer %d failed", w);
	}
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications"), WRITERS * EACH);
}

static int add_batch(struct uow *tx, void *arg, struct settle_err *err)
{
	struct outbox_port *o = arg;
	struct outbox_note n[3];

	memset(n, 0, sizeof n);
	for (int i = 0; i < 3; i++) {
		snprintf(n[i].key, sizeof n[i].key, "settlement.made:set_%d", i);
		snprintf(n[i].template_name, sizeof n[i].template_name, "settlement.made");
		snprintf(n[i].recipient_kind, sizeof n[i].recipient_kind, "leader");
		snprintf(n[i].recipient_id, sizeof n[i].recipient_id, "leader-kim");
	}
	return outbox_add_many(o, tx, n, 3, "2026-11-25 00:00:00", err);
}

/* A batch job's notes in one statement; a batch that holds a note seen
 * before still adds the others, once each. */
Test(adapters_mysql_outbox_repo, many_at_once_with_one_seen_before)
{
	struct outbox_port o;
	struct uow_port u;
	struct settle_err err = {0};

	mysql_outbox(&o, t.db);
	mysql_uow(&u, t.db);
	cr_assert_eq(testdb_sql(&t, "INSERT INTO notifications (notify_key, template, recipient_kind, recipient_id, facts, "
				    "created_at) VALUES ('settlement.made:set_1', 'settlement.made', 'leader', 'leader-kim', "
				    "'{}', '2026-11-24 00:00:00')"),
		     0u);
	cr_assert_eq(uow_run(&u, add_batch, &o, &err), 0, "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications"), 3);
	cr_assert_eq(uow_run(&u, add_batch, &o, &err), 0, "%s", err.msg);
	cr_assert_eq(testdb_count(&t, "SELECT COUNT(*) FROM notifications"), 3);
}
