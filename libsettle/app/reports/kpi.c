/* kpi.c — the success metrics report (see kpi.h). */
#include "app/reports/kpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/reports/internal.h"
#include "domain/kpi.h"
#include "domain/release.h"

static const struct report_col cols[] = {
	{"metric", "지표", RC_TEXT, 1},      {"scope", "범위", RC_TEXT, 1},
	{"value", "값", RC_TEXT, 1},         {"numerator", "분자", RC_COUNT, 1},
	{"denominator", "분모", RC_COUNT, 1}, {"target", "목표", RC_TEXT, 1},
	{"meets_target", "목표 달성", RC_TEXT, 1},
};

struct kpi_run {
	const struct kpi_ctx *c;
	const struct period *p;
	struct rep_run r;
	struct settle_err *err;
	char currency[4];
	/* refunds, summed over the pods */
	int64_t payments, amount, refunds, refunded, policy_n, policy_amount, override_n, override_amount;
};

/* One figure: value text, its numerator and denominator, its target. */
static int figure(struct kpi_run *k, const char *metric, const char *scope, const char *value, int64_t num,
		  int64_t den, const struct kpi_target *t, int64_t measured, int known)
{
	const struct report_cell c[] = {
		{metric, 0}, {scope, 0}, {value, 0}, {0, num}, {0, den}, {t->text, 0}, {kpi_meets(t, measured, known), 0},
	};

	return rep_row(&k->r, c, NULL, 1);
}

static int rate(struct kpi_run *k, const char *metric, const char *scope, int64_t num, int64_t den,
		const struct kpi_target *t)
{
	char v[24];
	int64_t bps = kpi_bps(num, den);

	kpi_percent(num, den, v, sizeof v);
	return figure(k, metric, scope, v, num, den, t, bps, bps >= 0);
}

static int same_currency(struct kpi_run *k, const char *cur)
{
	if (!k->currency[0])
		snprintf(k->currency, sizeof k->currency, "%s", cur);
	else if (strcmp(k->currency, cur)) {
		k->r.failed = 1;
		return err_set(k->err, SETTLE_EX_DATAERR,
			       "the period has payments in %s and %s: the KPI report adds one currency's amounts", k->currency,
			       cur);
	}
	return 0;
}

static int attempt_row(void *arg, const struct kq_attempts *a)
{
	struct kpi_run *k = arg;
	char scope[48];

	snprintf(scope, sizeof scope, "pg:%s method:%s", a->pg, a->method);
	return rate(k, "payment_success_rate", scope, a->completed, a->attempts, &kpi_success_target);
}

/* Overall and per PG and per method: summed here from the (pg, method) rows. */
struct attempt_sums {
	struct kpi_run *k;
	int64_t attempts, completed;
	struct {
		char key[32];
		int64_t attempts, completed;
	} by[16];
	size_t n;
};

static int add_by(struct attempt_sums *s, const char *key, const struct kq_attempts *a)
{
	size_t i;

	for (i = 0; i < s->n && strcmp(s->by[i].key, key); i++)
		;
	if (i == s->n) {
		if (s->n == sizeof s->by / sizeof s->by[0])
			return err_set(s->k->err, SETTLE_EX_DATAERR, "more than %zu PGs and methods", s->n);
		snprintf(s->by[i].key, sizeof s->by[i].key, "%s", key);
		s->n++;
	}
	if (kpi_add(&s->by[i].attempts, a->attempts, "attempts", s->k->err) < 0 ||
	    kpi_add(&s->by[i].completed, a->completed, "completions", s->k->err) < 0)
		return -1;
	return 0;
}

static int attempt_sum(void *arg, const struct kq_attempts *a)
{
	struct attempt_sums *s = arg;
	char key[32];

	if (kpi_add(&s->attempts, a->attempts, "attempts", s->k->err) < 0 ||
	    kpi_add(&s->completed, a->completed, "completions", s->k->err) < 0)
		return -1;
	snprintf(key, sizeof key, "pg:%s", a->pg);
	if (add_by(s, key, a) < 0)
		return -1;
	snprintf(key, sizeof key, "method:%s", a->method);
	return add_by(s, key, a);
}

/* Methods, then PGs, each by name. */
static int by_key(const void *a, const void *b)
{
	return strcmp(a, b); /* key is the first member */
}

static int success(struct kpi_run *k)
{
	struct attempt_sums s = {.k = k};
	const struct kpi_queries *q = k->c->q;

	if (q->attempts(q->self, k->p->from_us, k->p->to_us, attempt_sum, &s, k->err) < 0 ||
	    rate(k, "payment_success_rate", "overall", s.completed, s.attempts, &kpi_success_target) < 0)
		return -1;
	qsort(s.by, s.n, sizeof s.by[0], by_key);
	for (size_t i = 0; i < s.n; i++)
		if (rate(k, "payment_success_rate", s.by[i].key, s.by[i].completed, s.by[i].attempts,
			 &kpi_success_target) < 0)
			return -1;
	if (q->attempts(q->self, k->p->from_us, k->p->to_us, attempt_row, k, k->err) < 0 || k->r.failed)
		return -1;
	return 0;
}

static int times(struct kpi_run *k)
{
	const struct kpi_queries *q = k->c->q;
	struct kq_times t;
	int64_t avg_ms, p95_us = 0, rank;
	char v[32];

	if (q->times(q->self, k->p->from_us, k->p->to_us, &t, k->err) < 0)
		return -1;
	avg_ms = kpi_average(t.sum_us, t.n) / 1000;
	rank = kpi_rank(t.n, 95);
	if (q->time_at_rank(q->self, k->p->from_us, k->p->to_us, rank, &p95_us, k->err) < 0)
		return -1;
	snprintf(v, sizeof v, t.n ? "%lld ms" : "n/a", (long long)avg_ms);
	if (figure(k, "order_to_completion_avg", "overall", v, t.sum_us / 1000, t.n, &kpi_time_target, avg_ms, t.n > 0) <
	    0)
		return -1;
	snprintf(v, sizeof v, t.n ? "%lld ms" : "n/a", (long long)(p95_us / 1000));
	return figure(k, "order_to_completion_p95", "overall", v, rank, t.n, &kpi_none, 0, 0);
}

static int conversion(struct kpi_run *k)
{
	struct kq_orders o;

	if (k->c->q->orders(k->c->q->self, k->p->from_us, k->p->to_us, &o, k->err) < 0)
		return -1;
	return rate(k, "payment_conversion", "orders created", o.converted, o.orders, &kpi_none);
}

static int month_row(void *arg, const struct kq_month *m)
{
	struct kpi_run *k = arg;
	char scope[24], v[48];

	if (same_currency(k, m->currency) < 0)
		return -1;
	snprintf(scope, sizeof scope, "month:%s", m->month);
	snprintf(v, sizeof v, "%lld %s", (long long)m->amount, m->currency);
	return figure(k, "transaction_volume", scope, v, m->amount, m->payments, &kpi_none, 0, 0);
}

static int pod_sum(void *arg, const struct kq_pod *p)
{
	struct kpi_run *k = arg;

	if (same_currency(k, p->currency) < 0 || kpi_add(&k->payments, p->payments, "payments", k->err) < 0 ||
	    kpi_add(&k->amount, p->amount, "amount", k->err) < 0 || kpi_add(&k->refunds, p->refunds, "refunds", k->err) < 0 ||
	    kpi_add(&k->refunded, p->refunded, "refunded", k->err) < 0 ||
	    kpi_add(&k->policy_n, p->policy_n, "refunds", k->err) < 0 ||
	    kpi_add(&k->policy_amount, p->policy_amount, "refunded", k->err) < 0 ||
	    kpi_add(&k->override_n, p->override_n, "refunds", k->err) < 0 ||
	    kpi_add(&k->override_amount, p->override_amount, "refunded", k->err) < 0) {
		k->r.failed = 1;
		return -1;
	}
	return 0;
}

static int pod_row(void *arg, const struct kq_pod *p)
{
	struct kpi_run *k = arg;
	char scope[80];

	snprintf(scope, sizeof scope, "pod:%s", p->pod_id);
	if (rate(k, "refund_rate_count", scope, p->refunds, p->payments, &kpi_refund_target) < 0)
		return -1;
	return rate(k, "refund_rate_amount", scope, p->refunded, p->amount, &kpi_refund_target);
}

static int money_figures(struct kpi_run *k)
{
	const struct kpi_queries *q = k->c->q;
	char v[48];

	if (q->pods(q->self, k->p->from_us, k->p->to_us, pod_sum, k, k->err) < 0 || k->r.failed)
		return -1;
	snprintf(v, sizeof v, "%lld %s", (long long)k->amount, k->currency[0] ? k->currency : "");
	if (figure(k, "transaction_volume", "overall", v, k->amount, k->payments, &kpi_none, 0, 0) < 0)
		return -1;
	if (q->months(q->self, k->p->from_us, k->p->to_us, month_row, k, k->err) < 0 || k->r.failed)
		return -1;
	snprintf(v, sizeof v, k->payments ? "%lld %s" : "n/a", (long long)kpi_average(k->amount, k->payments),
		 k->currency);
	if (figure(k, "average_ticket", "overall", v, k->amount, k->payments, &kpi_none, 0, 0) < 0)
		return -1;
	if (rate(k, "refund_rate_count", "overall", k->refunds, k->payments, &kpi_refund_target) < 0 ||
	    rate(k, "refund_rate_amount", "overall", k->refunded, k->amount, &kpi_refund_target) < 0 ||
	    rate(k, "refund_rate_count", "by policy", k->policy_n, k->payments, &kpi_none) < 0 ||
	    rate(k, "refund_rate_amount", "by policy", k->policy_amount, k->amount, &kpi_none) < 0 ||
	    rate(k, "refund_rate_count", "by override", k->override_n, k->payments, &kpi_none) < 0 ||
	    rate(k, "refund_rate_amount", "by override", k->override_amount, k->amount, &kpi_none) < 0)
		return -1;
	if (q->pods(q->self, k->p->from_us, k->p->to_us, pod_row, k, k->err) < 0 || k->r.failed)
		return -1;
	return 0;
}

static int disputes(struct kpi_run *k)
{
	static const char *const scopes[] = {"opened", "still open", "resolved: released", "resolved: refunded",
					     "resolved: split"};
	struct kq_disputes d;

	if (k->c->q->disputes(k->c->q->self, k->p->from_us, k->p->to_us, &d, k->err) < 0)
		return -1;
	const int64_t n[] = {d.opened, d.open, d.released, d.refunded, d.split};

	for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
		char v[24];

		snprintf(v, sizeof v, "%lld", (long long)n[i]);
		if (figure(k, "disputes", scopes[i], v, n[i], d.opened, &kpi_none, 0, 0) < 0)
			return -1;
	}
	return 0;
}

int report_kpi(const struct kpi_ctx *c, const struct period *p, int is_range, struct report_sink *sink,
	       struct report_totals *tot, struct settle_err *err)
{
	char today[11], label[64];
	const struct report_head h = {"kpi", "Success metrics", "성공 지표", label, "", cols,
				      sizeof cols / sizeof cols[0], NULL, 0};
	struct kpi_run k;

	kst_date(c->clock->now_us(c->clock->self), today);
	if (strcmp(p->first_day, today) > 0)
		return err_set(err, SETTLE_EX_DATAERR, "the period %s is in the future (today is %s, Korea time)", p->label,
			       today);
	if (is_range && strcmp(p->last_day, today) > 0)
		return err_set(err, SETTLE_EX_DATAERR, "--to %s is in the future (today is %s, Korea time)", p->last_day,
			       today);
	memset(&k, 0, sizeof k);
	k.c = c;
	k.p = p;
	k.err = err;
	snprintf(label, sizeof label, "%s (KST)%s", p->label, strcmp(p->last_day, today) >= 0 ? ", to date" : "");
	if (rep_begin(&k.r, &h, sink, tot, err) < 0)
		return -1;
	if (success(&k) < 0 || times(&k) < 0 || conversion(&k) < 0 || money_figures(&k) < 0 || disputes(&k) < 0)
		return -1;
	return rep_end(&k.r);
}
