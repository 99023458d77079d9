/* fake_uow.c — the unit of work over the in-memory tables: a real
 * transaction (the whole state is copied before fn and put back when fn
 * or the commit fails), with injectable deadlocks retried like the MySQL
 * adapter's 1213/1205 loop. */
#include <stdlib.h>
#include <string.h>

#include "fakes/fakes.h"

static int run(void *self, uow_fn fn, void *arg, struct settle_err *err)
{
	struct fake_uow *u = self;
	struct fake_db *snapshot = malloc(sizeof *snapshot);
	int rc;

	u->runs++;
	if (u->depth > 0)
		u->nested++; /* the real adapter cannot nest: a use case must not */
	if (!snapshot)
		return err_set(err, SETTLE_EX_OSERR, "fake uow: out of memory");
	for (int attempt = 0;; attempt++) {
		err_clear(err);
		memcpy(snapshot, &u->store->db, sizeof u->store->db);
		u->attempts++;
		u->depth++;
		rc = fn((struct uow *)u, arg, err);
		u->depth--;
		if (rc == 0 && u->deadlocks > 0) {
			u->deadlocks--;
			rc = err_set(err, SETTLE_EX_TEMPFAIL,
				     "fake: Deadlock found when trying to get lock; try restarting transaction (1213)");
			memcpy(&u->store->db, snapshot, sizeof u->store->db);
			u->rollbacks++;
			if (attempt + 1 >= FAKE_UOW_ATTEMPTS) {
				rc = err_prefix(err, "gave up after %d attempts", FAKE_UOW_ATTEMPTS);
				break;
			}
			continue;
		}
		if (rc == 0) {
			u->commits++;
			break;
		}
		memcpy(&u->store->db, snapshot, sizeof u->store->db);
		u->rollbacks++;
		rc = -1;
		break;
	}
	free(snapshot);
	return rc;
}

void fake_uow_port(struct uow_port *out, struct fake_uow *u)
{
	*out = (struct uow_port){.self = u, .run = run};
}
