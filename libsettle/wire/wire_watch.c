/* wire_watch.c — configuration into settle-watch's ports. */
#include "wire/wire_watch.h"

#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/uow.h"
#include "adapters/mysql/watch_queries.h"
#include "wire/job_runs.h"
#include "wire/wire_db.h"

static int build(struct cli *cli, void *arg, struct settle_err *err)
{
	struct watch_wiring *w = arg;
	struct watch_limits *l = &w->ctx.limits;
	const struct {
		const char *key;
		int64_t *v, min, max;
	} keys[] = {
		{"window_s", &l->window_s, 60, 86400},
		{"min_payments", &l->min_payments, 1, 1000000},
		{"min_success_pct", &l->min_success_pct, 0, 100},
		{"max_refund_pct", &l->max_refund_pct, 0, 100},
		{"burst_count", &l->burst_count, 1, 1000000},
		{"burst_window_s", &l->burst_window_s, 60, 86400},
		{"tamper_count", &l->tamper_count, 0, 1000000},
		{"breaker_open_s", &l->breaker_open_s, 0, 7 * 86400},
		{"payout_doubt_s", &l->payout_doubt_s, 0, 30 * 86400},
		{"job_overdue_s", &l->job_overdue_s, 0, 7 * 86400},
		{"card_burst_count", &l->card_burst_count, 1, 1000000},
		{"card_burst_window_s", &l->card_burst_window_s, 60, 86400},
		{"tamper_window_s", &l->tamper_window_s, 60, 86400},
	};

	watch_limits_default(l);
	if (wire_open_db(cli, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (config_get_int(cli->cfg, "watch", keys[i].key, *keys[i].v, keys[i].min, keys[i].max, keys[i].v,
				   err) < 0)
			return -1;
	mysql_uow(&w->uow, cli->db);
	mysql_watch_queries(&w->q, cli->db);
	mysql_outbox(&w->outbox, cli->db);
	w->ctx.uow = &w->uow;
	w->ctx.q = &w->q;
	w->ctx.outbox = &w->outbox;
	w->ctx.clock = clock_system();
	return 0;
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	return job_wiring_open(cli, sizeof(struct watch_wiring), build, err);
}

static void close_hook(struct cli *cli)
{
	job_wiring_close(cli, NULL);
}

const struct cli_wiring watch_wiring = {open_hook, close_hook};
