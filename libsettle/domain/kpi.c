/* kpi.c — rates, averages, percentiles and targets (see kpi.h). */
#include "domain/kpi.h"

#include <stdio.h>

#include "domain/money.h"

const struct kpi_target kpi_success_target = {KPI_ABOVE, KPI_SUCCESS_MIN_BPS, "> 95%"};
const struct kpi_target kpi_time_target = {KPI_BELOW, KPI_AVG_TIME_MAX_MS, "< 3000 ms"};
const struct kpi_target kpi_refund_target = {KPI_BELOW, KPI_REFUND_MAX_BPS, "< 5%"};
const struct kpi_target kpi_none = {KPI_NO_TARGET, 0, ""};

int64_t kpi_bps(int64_t num, int64_t den)
{
	int64_t out;
	struct settle_err err = {0};

	if (den <= 0 || num < 0 || money_mul_ratio(&out, num, 10000, den, &err) < 0)
		return -1;
	return out;
}

void kpi_percent(int64_t num, int64_t den, char *buf, size_t len)
{
	int64_t bps = kpi_bps(num, den);

	if (bps < 0)
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%lld.%02lld%%", (long long)(bps / 100), (long long)(bps % 100));
}

int64_t kpi_rank(int64_t n, int p)
{
	if (n <= 0)
		return 0;
	/* ceil(p × n / 100) without overflow for any int64 n */
	return n / 100 * p + (n % 100 * p + 99) / 100;
}

int64_t kpi_average(int64_t sum, int64_t n)
{
	return n > 0 && sum >= 0 ? sum / n : 0;
}

const char *kpi_meets(const struct kpi_target *t, int64_t value, int known)
{
	if (t->goal == KPI_NO_TARGET || !known)
		return "";
	if (t->goal == KPI_ABOVE)
		return value > t->bound ? "yes" : "no";
	return value < t->bound ? "yes" : "no";
}

int kpi_add(int64_t *acc, int64_t v, const char *what, struct settle_err *err)
{
	if (i64_add(acc, *acc, v) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "the %s total overflows", what);
	return 0;
}
