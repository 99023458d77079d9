/*
 * split.c — platform fee and largest-remainder allocation. Rule: the
 * parts sum to the whole exactly, and the same input always gives the
 * same parts.
 */
#include "domain/split.h"

#include <inttypes.h>

#include "domain/money.h"

int split_fee(int64_t total, int fee_bps, int64_t *fee, int64_t *rest, struct settle_err *err)
{
	int64_t f;

	if (total < 0)
		return err_set(err, SETTLE_EX_DATAERR, "fee split of a negative total %" PRId64, total);
	if (fee_bps < 0 || fee_bps > 10000)
		return err_set(err, SETTLE_EX_CONFIG, "fee rate %d bps is outside 0..10000", fee_bps);
	if (money_mul_ratio(&f, total, fee_bps, 10000, err) < 0)
		return err_prefix(err, "fee split");
	/* f <= total because fee_bps <= 10000, so the subtraction cannot wrap. */
	*fee = f;
	*rest = total - f;
	return 0;
}

/* Units a weight earns before the leftover is handed out, and the
 * remainder that ranks it for the leftover. W > 0; both results fit in
 * int64 because w <= W and remainder < W. */
static void share(int64_t total, int64_t w, int64_t W, int64_t *floor_part, int64_t *remainder)
{
	unsigned __int128 product = (unsigned __int128)total * (uint64_t)w;

	*floor_part = (int64_t)(product / (uint64_t)W);
	*remainder = (int64_t)(product % (uint64_t)W);
}

static size_t count_at_least(const int64_t *remainders, size_t n, int64_t threshold)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += remainders[i] >= threshold;
	return count;
}

int allocate(int64_t total, const int64_t *weights, size_t n, int64_t *out, struct settle_err *err)
{
	int64_t W = 0, floors_sum = 0, leftover, lo, hi, threshold;
	size_t ties_to_give;

	if (n == 0)
		return err_set(err, SETTLE_EX_DATAERR, "allocation over no weights");
	/* out serves as scratch for the remainders, so it must not be the
	 * weights; a partial overlap is the caller's bug and not detectable
	 * portably. */
	if (out == weights)
		return err_set(err, SETTLE_EX_SOFTWARE, "allocation output overlaps the weights");
	if (total < 0)
		return err_set(err, SETTLE_EX_DATAERR, "allocation of a negative total %" PRId64, total);
	for (size_t i = 0; i < n; i++) {
		if (weights[i] < 0)
			return err_set(err, SETTLE_EX_DATAERR, "allocation weight %zu is negative (%" PRId64 ")", i,
				       weights[i]);
		if (i64_add(&W, W, weights[i]) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "allocation weights overflow when summed at weight %zu",
				       i);
	}
	if (W == 0)
		return err_set(err, SETTLE_EX_DATAERR, "allocation weights sum to zero over %zu weight(s)", n);

	/* out[] holds the remainders while the leftover is ranked, so no
	 * allocation is needed; the floors are recomputed at the end. */
	for (size_t i = 0; i < n; i++) {
		int64_t floor_part;

		share(total, weights[i], W, &floor_part, &out[i]);
		/* Sum of floors <= total, so this cannot overflow. */
		floors_sum += floor_part;
	}
	/* leftover = sum(remainders) / W < n, and it is exact. */
	leftover = total - floors_sum;

	/* The leftover goes to the `leftover` largest remainders. Find the
	 * largest threshold T with at least `leftover` remainders >= T: all
	 * above T get a unit, and the rest of the units go to remainders equal
	 * to T in index order (ties to the lower index). With no leftover,
	 * T = W is above every remainder and nobody gets a unit. */
	threshold = W;
	ties_to_give = 0;
	if (leftover > 0) {
		lo = 0;     /* count_at_least(0) == n > leftover always */
		hi = W - 1; /* remainders are < W */
		while (lo < hi) {
			int64_t mid = lo + (hi - lo + 1) / 2;

			if (count_at_least(out, n, mid) >= (size_t)leftover)
				lo = mid;
			else
				hi = mid - 1;
		}
		threshold = lo;
		/* Fewer than `leftover` lie strictly above T, by maximality. */
		ties_to_give = (size_t)leftover - count_at_least(out, n, threshold + 1);
	}
	for (size_t i = 0; i < n; i++) {
		int64_t floor_part, remainder;
		int64_t bonus = 0;

		share(total, weights[i], W, &floor_part, &remainder);
		if (remainder > threshold) {
			bonus = 1;
		} else if (remainder == threshold && ties_to_give > 0) {
			bonus = 1;
			ties_to_give--;
		}
		out[i] = floor_part + bonus;
	}
	return 0;
}
