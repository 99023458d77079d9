/*
 * tax.c — VAT inside an inclusive amount and withholding on business
 * income. Rule: rates come from the caller (dated configuration); every
 * rounding is a floor, done in integers.
 */
#include "domain/tax.h"

#include <inttypes.h>

#include "domain/money.h"

static int rate_ok(int bps, const char *what, struct settle_err *err)
{
	if (bps < 0 || bps > 10000)
		return err_set(err, SETTLE_EX_CONFIG, "%s rate %d bps is outside 0..10000", what, bps);
	return 0;
}

int vat_from_inclusive(int64_t inclusive, int rate_bps, int64_t *vat, int64_t *supply,
		       struct settle_err *err)
{
	int64_t v;

	if (inclusive < 0)
		return err_set(err, SETTLE_EX_DATAERR, "VAT of a negative inclusive amount %" PRId64, inclusive);
	if (rate_ok(rate_bps, "VAT", err) < 0)
		return -1;
	if (money_mul_ratio(&v, inclusive, rate_bps, 10000 + (int64_t)rate_bps, err) < 0)
		return err_prefix(err, "VAT");
	/* v <= inclusive since rate / (10000 + rate) < 1. */
	*vat = v;
	*supply = inclusive - v;
	return 0;
}

/* floor(amount * bps / 10000) cut down to a multiple of step. */
static int tax_part(int64_t amount, int bps, int64_t step, int64_t *out, struct settle_err *err)
{
	int64_t t;

	if (money_mul_ratio(&t, amount, bps, 10000, err) < 0)
		return -1;
	*out = t - t % step;
	return 0;
}

int withholding(int64_t gross, const struct withholding_rates *rates, int64_t *income_tax,
		int64_t *local_tax, struct settle_err *err)
{
	int64_t income, local;

	if (!rates)
		return err_set(err, SETTLE_EX_SOFTWARE, "withholding without rates");
	if (gross < 0)
		return err_set(err, SETTLE_EX_DATAERR, "withholding on a negative gross %" PRId64, gross);
	if (rate_ok(rates->income_bps, "withholding income tax", err) < 0 ||
	    rate_ok(rates->local_bps, "withholding local tax", err) < 0)
		return -1;
	if (rates->truncate_to <= 0)
		return err_set(err, SETTLE_EX_CONFIG, "withholding truncation step %" PRId64 " is not positive",
			       rates->truncate_to);
	if (tax_part(gross, rates->income_bps, rates->truncate_to, &income, err) < 0 ||
	    tax_part(income, rates->local_bps, rates->truncate_to, &local, err) < 0)
		return err_prefix(err, "withholding");
	*income_tax = income;
	*local_tax = local;
	return 0;
}
