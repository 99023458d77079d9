/*
 * report_kpi against a fake query port and a sink that keeps the rows: the
 * figures come out of the counts the port gives (success per PG and per
 * method summed from the pairs, averages and the p95 rank asked of the
 * port, refunds summed over the pods), beside their targets; future
 * periods are refused before anything is asked.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/reports/kpi.h"
#include "app/reports/reports.h"
#include "domain/timefmt.h"

/* ------------------------------------------------------------ fake port */

struct fake_kpi {
	int asked;
	int64_t rank_asked;
};

static int attempts(void *self, int64_t f, int64_t t, int (*fn)(void *, const struct kq_attempts *), void *arg,
		    struct settle_err *err)
{
	static const struct kq_attempts rows[] = {
		{"nicepay", "CARD", 10, 10}, {"toss", "CARD", 90, 85}, {"toss", "TRANSFER", 100, 100}};

	(void)f;
	(void)t;
	(void)err;
	((struct fake_kpi *)self)->asked++;
	for (size_t i = 0; i < 3; i++)
		if (fn(arg, &rows[i]) < 0)
			return -1;
	return 0;
}

static int times(void *self, int64_t f, int64_t t, struct kq_times *out, struct settle_err *err)
{
	(void)self;
	(void)f;
	(void)t;
	(void)err;
	*out = (struct kq_times){195, 195 * 2500000LL}; /* 2.5 s each */
	return 0;
}

static int time_at_rank(void *self, int64_t f, int64_t t, int64_t rank, int64_t *us, struct settle_err *err)
{
	(void)f;
	(void)t;
	(void)err;
	((struct fake_kpi *)self)->rank_asked = rank;
	*us = 4100000;
	return 0;
}

static int orders(void *self, int64_t f, int64_t t, struct kq_orders *out, struct settle_err *err)
{
	(void)self;
	(void)f;
	(void)t;
	(void)err;
	*out = (struct kq_orders){250, 195};
	return 0;
}

static int months(void *self, int64_t f, int64_t t, int (*fn)(void *, const struct kq_month *), void *arg,
		  struct settle_err *err)
{
	static const struct kq_month m = {"2026-11", "KRW", 195, 9750000};

	(void)self;
	(void)f;
	(void)t;
	(void)err;
	return fn(arg, &m);
}

static const char *pod_currency = "KRW";

static int pods(void *self, int64_t f, int64_t t, int (*fn)(void *, const struct kq_pod *), void *arg,
		struct settle_err *err)
{
	struct kq_pod a = {"pod-a", "KRW", 100, 5000000, 3, 120000, 2, 90000, 1, 30000};
	struct kq_pod b = {"pod-b", "KRW", 95, 4750000, 4, 200000, 4, 200000, 0, 0};

	(void)self;
	(void)f;
	(void)t;
	(void)err;
	snprintf(b.currency, sizeof b.currency, "%s", pod_currency);
	return fn(arg, &a) < 0 || fn(arg, &b) < 0 ? -1 : 0;
}

static int disputes(void *self, int64_t f, int64_t t, struct kq_disputes *out, struct settle_err *err)
{
	(void)self;
	(void)f;
	(void)t;
	(void)err;
	*out = (struct kq_disputes){3, 1, 1, 0, 1};
	return 0;
}

/* ------------------------------------------------------------ a sink that keeps rows */

struct keep {
	char rows[64][160];
	size_t n;
	const struct report_head *h;
};

static int k_begin(void *self, const struct report_head *h, struct settle_err *err)
{
	(void)err;
	((struct keep *)self)->h = h;
	return 0;
}

static int k_row(void *self, const struct report_cell *c, struct settle_err *err)
{
	struct keep *k = self;

	(void)err;
	cr_assert_lt(k->n, 64);
	snprintf(k->rows[k->n++], sizeof k->rows[0], "%s|%s|%s|%lld|%lld|%s|%s", c[0].s, c[1].s, c[2].s,
		 (long long)c[3].v, (long long)c[4].v, c[5].s, c[6].s);
	return 0;
}

static int k_totals(void *self, const struct report_cell *c, struct settle_err *err)
{
	(void)self;
	(void)c;
	(void)err;
	return 0;
}

static int k_end(void *self, struct settle_err *err)
{
	(void)self;
	(void)err;
	return 0;
}

static int64_t now_us(void *self)
{
	(void)self;
	return 1795514400000000LL; /* 2026-11-24 10:00 UTC = 19:00 KST */
}

static struct fake_kpi fk;
static struct kpi_queries q = {&fk, attempts, times, time_at_rank, orders, months, pods, disputes};
static const struct clock_port clk = {NULL, now_us};
static const struct kpi_ctx ctx = {&q, &clk};

static int has(const struct keep *k, const char *row)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->rows[i], row))
			return 1;
	return 0;
}

Test(app_kpi, figures_beside_targets)
{
	struct keep k = {0};
	struct report_sink sink = {&k, k_begin, k_row, k_totals, k_end};
	struct report_totals tot;
	struct period p;
	struct settle_err err = {0};

	cr_assert_eq(period_month("--month", "2026-11", &p, &err), 0);
	cr_assert_eq(report_kpi(&ctx, &p, 0, &sink, &tot, &err), 0, "%s", err.msg);
	cr_assert_str_eq(k.h->period, "2026-11 (KST), to date");
	cr_assert(has(&k, "payment_success_rate|overall|97.50%|195|200|> 95%|yes"));
	cr_assert(has(&k, "payment_success_rate|pg:toss|97.36%|185|190|> 95%|yes"));
	cr_assert(has(&k, "payment_success_rate|method:CARD|95.00%|95|100|> 95%|no"), "exactly 95 %% is not above it");
	cr_assert(has(&k, "payment_success_rate|pg:toss method:CARD|94.44%|85|90|> 95%|no"));
	cr_assert(has(&k, "order_to_completion_avg|overall|2500 ms|487500|195|< 3000 ms|yes"));
	cr_assert_eq(fk.rank_asked, 186, "ceil(0.95 × 195)");
	cr_assert(has(&k, "order_to_completion_p95|overall|4100 ms|186|195||"));
	cr_assert(has(&k, "payment_conversion|orders created|78.00%|195|250||"));
	cr_assert(has(&k, "transaction_volume|overall|9750000 KRW|9750000|195||"));
	cr_assert(has(&k, "transaction_volume|month:2026-11|9750000 KRW|9750000|195||"));
	cr_assert(has(&k, "average_ticket|overall|50000 KRW|9750000|195||"));
	cr_assert(has(&k, "refund_rate_count|overall|3.58%|7|195|< 5%|yes"));
	cr_assert(has(&k, "refund_rate_amount|overall|3.28%|320000|9750000|< 5%|yes"));
	cr_assert(has(&k, "refund_rate_amount|by policy|2.97%|290000|9750000||"));
	cr_assert(has(&k, "refund_rate_count|by override|0.51%|1|195||"));
	cr_assert(has(&k, "refund_rate_count|pod:pod-b|4.21%|4|95|< 5%|yes"));
	cr_assert(has(&k, "disputes|resolved: split|1|1|3||"));
}

Test(app_kpi, future_and_mixed_currencies_refused)
{
	struct keep k = {0};
	struct report_sink sink = {&k, k_begin, k_row, k_totals, k_end};
	struct report_totals tot;
	struct period p;
	struct settle_err err = {0};

	fk.asked = 0;
	cr_assert_eq(period_month("--month", "2026-12", &p, &err), 0);
	cr_assert_eq(report_kpi(&ctx, &p, 0, &sink, &tot, &err), -1);
	cr_assert(strstr(err.msg, "in the future"), "%s", err.msg);
	cr_assert_eq(period_range("2026-11-01", "2026-11-25", &p, &err), 0);
	cr_assert_eq(report_kpi(&ctx, &p, 1, &sink, &tot, &err), -1);
	cr_assert(strstr(err.msg, "--to 2026-11-25"), "%s", err.msg);
	cr_assert_eq(fk.asked, 0, "nothing asked of the database");
	cr_assert_eq(period_range("2026-11-01", "2026-11-24", &p, &err), 0);
	pod_currency = "USD";
	cr_assert_eq(report_kpi(&ctx, &p, 1, &sink, &tot, &err), -1);
	pod_currency = "KRW";
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "KRW and USD"), "%s", err.msg);
}
