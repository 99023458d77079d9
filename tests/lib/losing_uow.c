/* losing_uow.c — see losing_uow.h. */
#include "lib/losing_uow.h"

#include "adapters/mysql/uow.h"

static int losing_fn(struct uow *tx, void *arg, struct settle_err *err)
{
	struct losing_uow *l = arg;
	struct db *db = uow_db(tx, l->real.self);
	int64_t progress = 0;

	if (l->fn(tx, l->arg, err) < 0)
		return -1;
	if (db_query_one(db, l->progress_sql, DB_NOPARAMS, DB_COLS(DC_I(&progress)), err) < 0)
		return -1;
	if (progress == l->committed || ++l->attempts % l->lose_every) {
		l->committed = progress;
		return 0;
	}
	l->lost++;
	return db_simple(db, "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'certification failed'", err);
}

static int losing_run(void *self, uow_fn fn, void *arg, struct settle_err *err)
{
	struct losing_uow *l = self;

	l->fn = fn;
	l->arg = arg;
	return uow_run(&l->real, losing_fn, l, err);
}

void losing_uow_init(struct losing_uow *l, struct db *db, const char *progress_sql, int lose_every)
{
	*l = (struct losing_uow){.progress_sql = progress_sql, .lose_every = lose_every};
	mysql_uow(&l->real, db);
	l->port = (struct uow_port){l, losing_run};
}
