/*
 * money.h — amounts of money: int64_t minor units plus an ISO 4217 code.
 *
 * Rule: integers only, anywhere on a money path. Every operation is
 * overflow-checked and returns -1 with a reason instead of wrapping.
 */
#ifndef SETTLE_DOMAIN_MONEY_H
#define SETTLE_DOMAIN_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

struct money {
	int64_t minor;  /* amount in the currency's minor unit (KRW: 1 = ₩1) */
	char cur[4];    /* ISO 4217 code, NUL-terminated, upper case */
};

/* Number of decimal places of a currency (KRW 0, USD 2, JPY 0, KWD 3…);
 * -1 for a code settle does not know. */
int currency_exponent(const char *cur);
bool currency_known(const char *cur);

/* Builds a money value; fails for an unknown currency. */
int money_make(struct money *out, int64_t minor, const char *cur, struct settle_err *err);

/* Checked arithmetic. Both operands must have the same currency. */
int money_add(struct money *out, struct money a, struct money b, struct settle_err *err);
int money_sub(struct money *out, struct money a, struct money b, struct settle_err *err);

/* Checked int64 helpers used by the above and by SQL-free aggregations. */
int i64_add(int64_t *out, int64_t a, int64_t b);          /* 0 or -1 on overflow */
int i64_sub(int64_t *out, int64_t a, int64_t b);
int i64_mul(int64_t *out, int64_t a, int64_t b);

/*
 * floor(amount * num / den) without intermediate overflow (128-bit
 * intermediate); amount >= 0, num >= 0, den > 0. Used for basis points
 * (num = bps, den = 10000) and for ratios of weights.
 */
int money_mul_ratio(int64_t *out, int64_t amount, int64_t num, int64_t den, struct settle_err *err);

/*
 * Strict parsing of decimal text in major units for the given currency:
 * "50000" (KRW), "12.50" (USD). Refused, each with a reason in err:
 * empty, leading/trailing space, sign ("-1", "+1"), exponent ("1e3"),
 * more decimals than the currency has ("12.5" for KRW), a bare "." or
 * "1.", leading zeros other than "0" itself ("007"), digits beyond
 * INT64_MAX minor units ("9223372036854775808"), any other character.
 * Zero is accepted; callers that need a positive amount check it. Fewer
 * decimals than the currency has are accepted ("12.5" USD is 1250).
 * Every refusal is SETTLE_EX_DATAERR and quotes the text (first 40 chars).
 */
int money_parse(struct money *out, const char *text, const char *cur, struct settle_err *err);

/*
 * Formats the amount in major units with the currency's decimals and no
 * grouping: KRW 50000 -> "50000", USD 1250 -> "12.50", negative
 * amounts with a leading '-'. Returns the length written, or -1 if buf
 * is too small (32 bytes always suffice) or the currency is unknown; on
 * -1 buf holds "" when len > 0.
 */
int money_format(char *buf, size_t len, struct money m);

#endif
