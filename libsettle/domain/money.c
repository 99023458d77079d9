/*
 * money.c — int64 minor units, the currency table, strict parsing and
 * formatting. Rule: integers only; every step that can overflow is
 * checked and reported, never wrapped or saturated.
 */
#include "domain/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct currency_row {
	const char *code;
	int exponent;
};

/* ISO 4217 minor-unit exponents. Only what settle has been asked to carry:
 * an unknown code is refused rather than guessed at. */
static const struct currency_row currencies[] = {
	{"KRW", 0},
	{"JPY", 0},
	{"USD", 2},
	{"EUR", 2},
	{"CNY", 2},
	{"GBP", 2},
	{"KWD", 3},
	{"BHD", 3},
};

/* 10^e for the exponents in the table; integer table so no library maths. */
static const uint64_t pow10_u64[] = {1, 10, 100, 1000};

int currency_exponent(const char *cur)
{
	if (!cur)
		return -1;
	for (size_t i = 0; i < sizeof currencies / sizeof currencies[0]; i++)
		if (!strcmp(currencies[i].code, cur))
			return currencies[i].exponent;
	return -1;
}

bool currency_known(const char *cur)
{
	return currency_exponent(cur) >= 0;
}

/* A code for a message: bounded and never NULL, because the code itself
 * may be the bad input. */
static const char *shown_code(const char *cur)
{
	return cur ? cur : "(null)";
}

int money_make(struct money *out, int64_t minor, const char *cur, struct settle_err *err)
{
	if (!currency_known(cur))
		return err_set(err, SETTLE_EX_DATAERR, "unknown currency \"%.8s\"", shown_code(cur));
	out->minor = minor;
	memcpy(out->cur, cur, 4);
	return 0;
}

int i64_add(int64_t *out, int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

int i64_sub(int64_t *out, int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

int i64_mul(int64_t *out, int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

/* Both operands must carry the same known currency; a mismatch is a bug
 * upstream (adding won to dollars), so the message names both codes. */
static int same_currency(struct money a, struct money b, const char *op, struct settle_err *err)
{
	char ca[4], cb[4];

	/* cur[] may come from anywhere; copy bounded so a missing NUL cannot
	 * run the message off the end of the struct. */
	memcpy(ca, a.cur, 3);
	ca[3] = '\0';
	memcpy(cb, b.cur, 3);
	cb[3] = '\0';
	if (a.cur[3] != '\0' || !currency_known(ca))
		return err_set(err, SETTLE_EX_DATAERR, "money %s: unknown currency \"%s\"", op, ca);
	if (b.cur[3] != '\0' || !currency_known(cb))
		return err_set(err, SETTLE_EX_DATAERR, "money %s: unknown currency \"%s\"", op, cb);
	if (strcmp(ca, cb))
		return err_set(err, SETTLE_EX_DATAERR, "money %s: currency mismatch %s vs %s", op, ca, cb);
	return 0;
}

int money_add(struct money *out, struct money a, struct money b, struct settle_err *err)
{
	int64_t sum;

	if (same_currency(a, b, "add", err) < 0)
		return -1;
	if (i64_add(&sum, a.minor, b.minor) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "money add overflows: %" PRId64 " + %" PRId64 " %s",
			       a.minor, b.minor, a.cur);
	out->minor = sum;
	memcpy(out->cur, a.cur, 4);
	return 0;
}

int money_sub(struct money *out, struct money a, struct money b, struct settle_err *err)
{
	int64_t diff;

	if (same_currency(a, b, "sub", err) < 0)
		return -1;
	if (i64_sub(&diff, a.minor, b.minor) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "money sub overflows: %" PRId64 " - %" PRId64 " %s",
			       a.minor, b.minor, a.cur);
	out->minor = diff;
	memcpy(out->cur, a.cur, 4);
	return 0;
}

int money_mul_ratio(int64_t *out, int64_t amount, int64_t num, int64_t den, struct settle_err *err)
{
	unsigned __int128 product, quotient;

	if (amount < 0)
		return err_set(err, SETTLE_EX_DATAERR, "ratio of a negative amount %" PRId64, amount);
	if (num < 0)
		return err_set(err, SETTLE_EX_DATAERR, "ratio with a negative numerator %" PRId64, num);
	if (den <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "ratio with a non-positive denominator %" PRId64, den);
	/* (2^63 - 1)^2 < 2^126: the product always fits in 128 bits. */
	product = (unsigned __int128)amount * (uint64_t)num;
	quotient = product / (uint64_t)den;
	if (quotient > INT64_MAX)
		return err_set(err, SETTLE_EX_DATAERR,
			       "%" PRId64 " * %" PRId64 " / %" PRId64 " exceeds the largest amount", amount, num,
			       den);
	*out = (int64_t)quotient;
	return 0;
}

/* Quotes a rejected amount bounded, so a huge input cannot crowd out the
 * reason; the caller's "%s" gets at most 40 characters plus an ellipsis. */
static const char *shown_text(char *buf, size_t len, const char *text)
{
	size_t n = strlen(text);

	if (n < 41)
		snprintf(buf, len, "%s", text);
	else
		snprintf(buf, len, "%.40s...", text);
	return buf;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int money_parse(struct money *out, const char *text, const char *cur, struct settle_err *err)
{
	char shown[48];
	const char *dot = NULL;
	size_t len, int_digits, frac_digits;
	int exponent = currency_exponent(cur);
	int64_t minor = 0;

	if (exponent < 0)
		return err_set(err, SETTLE_EX_DATAERR, "unknown currency \"%.8s\"", shown_code(cur));
	if (!text)
		return err_set(err, SETTLE_EX_DATAERR, "amount is missing");
	len = strlen(text);
	if (len == 0)
		return err_set(err, SETTLE_EX_DATAERR, "amount is empty");
	shown_text(shown, sizeof shown, text);
	if (is_space(text[0]))
		return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" has leading whitespace", shown);
	if (is_space(text[len - 1]))
		return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" has trailing whitespace", shown);
	if (text[0] == '-' || text[0] == '+')
		return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" has a sign; amounts are unsigned here",
			       shown);

	/* Character classes first, so "1e3" is called an exponent and not a
	 * malformed decimal. */
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (is_digit(c))
			continue;
		if (c == '.') {
			if (dot)
				return err_set(err, SETTLE_EX_DATAERR,
					       "amount \"%s\" has more than one decimal point", shown);
			dot = &text[i];
			continue;
		}
		if ((c == 'e' || c == 'E') && i > 0 && (is_digit(text[i - 1]) || text[i - 1] == '.'))
			return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" has an exponent; write all digits",
				       shown);
		if (c >= 0x21 && c <= 0x7e)
			return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" has an invalid character '%c' at %zu",
				       shown, c, i);
		return err_set(err, SETTLE_EX_DATAERR,
			       "amount \"%s\" has an invalid character byte 0x%02x at %zu", shown,
			       (unsigned)(unsigned char)c, i);
	}

	/* Now the text is digits with at most one '.'. */
	int_digits = dot ? (size_t)(dot - text) : len;
	frac_digits = dot ? len - int_digits - 1 : 0;
	if (dot && int_digits == 0 && frac_digits == 0)
		return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" is a bare decimal point", shown);
	if (dot && int_digits == 0)
		return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" has no digits before the decimal point",
			       shown);
	if (dot && frac_digits == 0)
		return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" has no digits after the decimal point",
			       shown);
	if (int_digits > 1 && text[0] == '0')
		return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" has leading zeros", shown);
	if (frac_digits > (size_t)exponent)
		return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" has %zu decimal place(s); %s has %d", shown,
			       frac_digits, cur, exponent);

	/* Accumulate minor units: integer digits, the given decimals, then pad
	 * with zeros up to the currency's exponent ("12.5" USD -> 1250). */
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '.')
			continue;
		if (i64_mul(&minor, minor, 10) < 0 || i64_add(&minor, minor, text[i] - '0') < 0)
			goto too_large;
	}
	if (i64_mul(&minor, minor, (int64_t)pow10_u64[exponent - (int)frac_digits]) < 0)
		goto too_large;
	out->minor = minor;
	memcpy(out->cur, cur, 4);
	return 0;

too_large:
	return err_set(err, SETTLE_EX_DATAERR, "amount \"%s\" %s exceeds the largest amount (%" PRId64 " minor units)",
		       shown, cur, INT64_MAX);
}

int money_format(char *buf, size_t len, struct money m)
{
	char cur[4];
	int exponent, n;
	uint64_t magnitude, scale;
	const char *sign;

	if (len > 0)
		buf[0] = '\0';
	memcpy(cur, m.cur, 3);
	cur[3] = '\0';
	exponent = m.cur[3] == '\0' ? currency_exponent(cur) : -1;
	if (exponent < 0)
		return -1;
	/* Negate in unsigned so INT64_MIN has a magnitude too. */
	magnitude = m.minor < 0 ? 0 - (uint64_t)m.minor : (uint64_t)m.minor;
	sign = m.minor < 0 ? "-" : "";
	scale = pow10_u64[exponent];
	if (exponent == 0)
		n = snprintf(buf, len, "%s%" PRIu64, sign, magnitude);
	else
		n = snprintf(buf, len, "%s%" PRIu64 ".%0*" PRIu64, sign, magnitude / scale, exponent,
			     magnitude % scale);
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			buf[0] = '\0';
		return -1;
	}
	return n;
}
