/* settings.c — the payments settings' defaults (settle.conf(5) documents each). */
#include <stdio.h>
#include <string.h>

#include "app/payments/internal.h"
#include "domain/timefmt.h"

void pay_settings_default(struct pay_settings *s)
{
	memset(s, 0, sizeof *s);
	/* default_pg: the wiring names one of the PGs it registered. */
	s->confirm_sweep_age_s = 60;
	s->pending_expiry_s = 1800; /* Toss: 30 min to authenticate */
	s->doubt_backoff_s = 30;
	s->deposit_recheck_s = 300;
	s->breaker_window_s = 300;
	s->breaker_max_failures = 5;
	s->breaker_open_s = 60;
	s->sweep_concurrency = 8;
	s->sweep_batch = 200;
	s->sweep_lease_s = 30;
	s->refund_on_place_refused = 1;
	s->participation_report_after = 10;
}

int64_t pay_now(const struct pay_ctx *c, char now[TIME_SQL_LEN])
{
	int64_t us = c->clock->now_us(c->clock->self);

	time_sql(us, now);
	return us;
}

struct pg_port *pay_pg_open(const struct pay_ctx *c, const char *name, struct settle_err *err)
{
	int i = c->pgs->find(c->pgs->self, name);

	if (i < 0) {
		err_set(err, SETTLE_EX_CONFIG, "PG %s is not configured here", name);
		return NULL;
	}
	return c->pgs->open(c->pgs->self, (size_t)i, err);
}

void pay_pg_close(const struct pay_ctx *c, struct pg_port *pg)
{
	if (pg)
		c->pgs->close(c->pgs->self, pg);
}
