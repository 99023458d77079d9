/*
 * breaker.c — which PG takes a new order. The default one, unless its
 * recent failures tripped the breaker: then the configured fallback, except
 * one probe order per breaker_open_s whose success closes it again.
 * Health lives in rows (the breaker repository), so every process and
 * host sees the same breaker.
 */
#include <stdio.h>
#include <string.h>

#include "app/payments/internal.h"

struct probe_args {
	const struct pay_ctx *c;
	const char *pg, *now;
	int granted;
};

static int probe_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct probe_args *a = arg;
	int rc = a->c->r.breaker->take_probe(a->c->r.breaker->self, tx, a->pg, a->c->set.breaker_open_s, a->now, err);

	if (rc < 0)
		return -1;
	a->granted = rc;
	return 0;
}

int breaker_choose(const struct pay_ctx *c, const char *forced, const char *now, char *out, size_t len,
		   struct settle_err *err)
{
	const char *def = c->set.default_pg;
	struct probe_args pa = {c, def, now, 0};
	int64_t failures = 0;

	if (forced) {
		if (c->pgs->find(c->pgs->self, forced) < 0)
			return err_set(err, SETTLE_EX_USAGE, "--pg \"%.20s\" is not a configured PG", forced);
		snprintf(out, len, "%s", forced);
		return 0;
	}
	if (c->r.breaker->failures(c->r.breaker->self, NULL, def, c->set.breaker_window_s, now, &failures, err) < 0)
		return -1;
	if (failures < c->set.breaker_max_failures || !c->set.fallback_pg[0]) {
		snprintf(out, len, "%s", def);
		return 0;
	}
	if (uow_run(c->r.uow, probe_tx, &pa, err) < 0)
		return -1;
	snprintf(out, len, "%s", pa.granted ? def : c->set.fallback_pg);
	return 0;
}

void breaker_record(const struct pay_ctx *c, const char *pg, const struct pg_result *res, const char *now)
{
	struct settle_err ignored = {0};

	if (c->no_health)
		return;
	/* A definite answer, even a refusal, means the PG is healthy. */
	c->r.breaker->record(c->r.breaker->self, NULL, pg, res->outcome != PG_IN_DOUBT, res->code, now, &ignored);
}
