/* uow.c — the unit of work over db_tx (see ports/uow.h). */
#include "adapters/mysql/uow.h"

struct run_args {
	uow_fn fn;
	void *arg;
};

static int run_in_tx(struct db *db, void *arg, struct settle_err *err)
{
	struct run_args *a = arg;

	return a->fn((struct uow *)db, a->arg, err);
}

static int run(void *self, uow_fn fn, void *arg, struct settle_err *err)
{
	struct run_args a = {fn, arg};

	return db_tx(self, run_in_tx, &a, err);
}

void mysql_uow(struct uow_port *out, struct db *db)
{
	*out = (struct uow_port){.self = db, .run = run};
}
