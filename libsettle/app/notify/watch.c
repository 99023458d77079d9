/* watch.c — settle-watch's run (see watch.h). */
#include "app/notify/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/notify/note.h"
#include "app/ops/schedule.h"
#include "domain/timefmt.h"

#define MAX_FIRES 256

struct run {
	const struct watch_ctx *c;
	struct watch_fire fires[MAX_FIRES];
	int is_new[MAX_FIRES];
	size_t n;
	char now[TIME_SQL_LEN], window[TIME_SQL_LEN];
};

static void add(struct run *r, const struct watch_fire *f)
{
	if (r->n < MAX_FIRES)
		r->fires[r->n++] = *f;
}

static int pod_row(void *arg, const char *pod, int64_t paid, int64_t refunded, struct settle_err *err)
{
	struct run *r = arg;
	struct watch_fire f;

	(void)err;
	if (watch_refund_rate(pod, paid, refunded, &r->c->limits, &f))
		add(r, &f);
	return 0;
}

static int user_row(void *arg, const char *user, int64_t failed, int64_t paid, struct settle_err *err)
{
	struct run *r = arg;
	struct watch_fire f;

	(void)err;
	if (watch_user_burst(user, failed, paid, &r->c->limits, &f))
		add(r, &f);
	return 0;
}

static int card_row(void *arg, const char *masked, const char *issuer, int64_t failed, int64_t paid,
		    struct settle_err *err)
{
	struct run *r = arg;
	struct watch_fire f;

	(void)err;
	if (watch_card_burst(masked, issuer, failed, paid, &r->c->limits, &f))
		add(r, &f);
	return 0;
}

static int pg_row(void *arg, const char *pg, int64_t failing_for_s, int64_t failures, struct settle_err *err)
{
	struct run *r = arg;
	struct watch_fire f;

	(void)err;
	if (watch_breaker(pg, failing_for_s, failures, &r->c->limits, &f))
		add(r, &f);
	return 0;
}

static int measure(struct run *r, int64_t now_us, struct settle_err *err)
{
	const struct watch_queries *q = r->c->q;
	const struct watch_limits *l = &r->c->limits;
	char since[TIME_SQL_LEN], burst[TIME_SQL_LEN], doubt[TIME_SQL_LEN], status[16], msg[256];
	char card[TIME_SQL_LEN], tamper[TIME_SQL_LEN];
	int64_t completed, failed, n, oldest, last_ok;
	struct watch_fire f;
	const struct job_schedule *js;
	size_t njobs;

	time_sql(now_us - l->window_s * 1000000, since);
	time_sql(now_us - l->burst_window_s * 1000000, burst);
	time_sql(now_us - l->payout_doubt_s * 1000000, doubt);
	if (q->payment_counts(q->self, since, &completed, &failed, err) < 0)
		return -1;
	if (watch_success_rate(completed, failed, l, &f))
		add(r, &f);
	if (q->refund_counts(q->self, since, pod_row, r, err) < 0 ||
	    q->user_counts(q->self, burst, l->burst_count, user_row, r, err) < 0)
		return -1;
	time_sql(now_us - l->card_burst_window_s * 1000000, card);
	time_sql(now_us - l->tamper_window_s * 1000000, tamper);
	if (q->card_counts(q->self, card, l->card_burst_count, card_row, r, err) < 0)
		return -1;
	if (q->tamper_count(q->self, tamper, &n, err) < 0)
		return -1;
	if (watch_tamper(n, l, &f))
		add(r, &f);
	if (q->failing_pgs(q->self, r->now, pg_row, r, err) < 0)
		return -1;
	if (q->payouts_in_doubt(q->self, doubt, r->now, &n, &oldest, err) < 0)
		return -1;
	if (watch_payout_doubt(n, oldest, l, &f))
		add(r, &f);
	if (q->job_last(q->self, "ledger-check", status, sizeof status, msg, sizeof msg, &last_ok, err) < 0)
		return -1;
	if (watch_ledger_check(status, msg, &f))
		add(r, &f);
	js = ops_schedules(&njobs);
	for (size_t i = 0; i < njobs; i++) {
		if (q->job_last(q->self, js[i].job, status, sizeof status, msg, sizeof msg, &last_ok, err) < 0)
			return -1;
		/* A job that never ran here is not installed here: not overdue. */
		if (!status[0])
			continue;
		if (ops_overdue(&js[i], last_ok, now_us - l->job_overdue_s * 1000000) &&
		    watch_job_overdue(js[i].job,
				      last_ok ? (now_us - last_ok) / 1000000 - js[i].every_s - js[i].grace_s : js[i].every_s,
				      &f))
			add(r, &f);
	}
	return 0;
}

static int record_tx(struct uow *tx, void *arg, struct settle_err *err)
{
	struct run *r = arg;

	for (size_t i = 0; i < r->n; i++) {
		const struct watch_fire *f = &r->fires[i];
		struct outbox_note n;
		char ref[240];
		int rc = r->c->q->add_alert(r->c->q->self, tx, f, r->window, r->now, err);

		if (rc < 0)
			return -1;
		r->is_new[i] = rc;
		if (!rc)
			continue;
		snprintf(ref, sizeof ref, "%s:%s:%.19s", f->rule, f->subject, r->window);
		note_init(&n, "alert", ref, "operator", "ops");
		note_fact(&n, "rule", "%s", f->rule);
		note_fact(&n, "subject", "%s", f->subject);
		note_fact(&n, "value", "%s", f->value);
		note_fact(&n, "threshold", "%s", f->threshold);
		note_fact(&n, "detail", "%s", f->detail);
		note_fact(&n, "window", "%s", r->window);
		note_fact(&n, "at", "%s", r->now);
		if (outbox_add(r->c->outbox, tx, &n, r->now, err) < 0)
			return -1;
	}
	return 0;
}

int watch_run(const struct watch_ctx *c, int dry_run, watch_fire_fn fn, void *arg, size_t *fired, size_t *new_alerts,
	      struct settle_err *err)
{
	struct run *r = calloc(1, sizeof *r);
	int64_t now_us = c->clock->now_us(c->clock->self), w = c->limits.window_s > 0 ? c->limits.window_s : 300;
	int rc = 0;

	*fired = *new_alerts = 0;
	if (!r)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	r->c = c;
	time_sql(now_us, r->now);
	/* The window an alert belongs to: now rounded down to the window's
	 * size, so a rule fires once per window however often the timer runs. */
	time_sql(now_us / (w * 1000000) * (w * 1000000), r->window);
	if (measure(r, now_us, err) < 0 || (!dry_run && r->n && uow_run(c->uow, record_tx, r, err) < 0))
		rc = -1;
	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		*new_alerts += (size_t)r->is_new[i];
		if (fn && fn(arg, &r->fires[i], r->is_new[i]) < 0)
			rc = err_set(err, SETTLE_EX_SOFTWARE, "cannot print");
	}
	*fired = r->n;
	free(r);
	return rc;
}
