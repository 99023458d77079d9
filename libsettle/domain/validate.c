/* validate.c — strict, allocation-free input checks. */
#include "domain/validate.h"

#include <stdio.h>
#include <string.h>

#include "domain/utf8.h"

static int in_set(char c, const char *extra)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr(extra, c));
}

static int id_check(const char *field, const char *v, size_t lo, size_t hi, const char *extra, const char *rule,
		    struct settle_err *err)
{
	size_t len = v ? strlen(v) : 0;

	if (len == 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s is empty", field);
	if (len < lo || len > hi)
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%.80s\" must be %zu–%zu characters (%s)", field, v, lo,
			       hi, rule);
	for (size_t i = 0; i < len; i++)
		if (!in_set(v[i], extra))
			return err_set(err, SETTLE_EX_DATAERR, "%s \"%.80s\" has a character outside %s", field, v,
				       rule);
	return 0;
}

int validate_ref_id(const char *field, const char *v, struct settle_err *err)
{
	return id_check(field, v, 1, 64, "_.-", "[A-Za-z0-9_.-]", err);
}

int validate_order_id(const char *field, const char *v, struct settle_err *err)
{
	return id_check(field, v, 6, 64, "_-", "[A-Za-z0-9_-]", err);
}

int validate_date(const char *field, const char *v, struct settle_err *err)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (!v || strlen(v) != 10 || v[4] != '-' || v[7] != '-')
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%.40s\" is not a date (YYYY-MM-DD)", field, v ? v : "");
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
			return err_set(err, SETTLE_EX_DATAERR, "%s \"%s\" is not a date (YYYY-MM-DD)", field, v);
	y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
	m = (v[5] - '0') * 10 + (v[6] - '0');
	d = (v[8] - '0') * 10 + (v[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%s\" is not a calendar date", field, v);
	return 0;
}

int validate_text(const char *field, const char *v, size_t max, struct settle_err *err)
{
	size_t len = v ? strlen(v) : 0;

	if (len == 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s is empty", field);
	if (len > max)
		return err_set(err, SETTLE_EX_DATAERR, "%s is %zu bytes; at most %zu", field, len, max);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return err_set(err, SETTLE_EX_DATAERR, "%s has a control character", field);
	return 0;
}

int validate_digits(const char *field, const char *v, size_t n_min, size_t n_max, struct settle_err *err)
{
	size_t len = v ? strlen(v) : 0;

	if (len < n_min || len > n_max)
		return err_set(err, SETTLE_EX_DATAERR, "%s must be %zu–%zu digits, got %zu characters", field, n_min,
			       n_max, len);
	for (size_t i = 0; i < len; i++)
		if (v[i] < '0' || v[i] > '9')
			return err_set(err, SETTLE_EX_DATAERR, "%s must be digits only", field);
	return 0;
}

int validate_int(const char *field, const char *v, long long min, long long max, long long *out,
		 struct settle_err *err)
{
	long long x = 0;
	size_t len = v ? strlen(v) : 0;

	if (len == 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s is empty", field);
	if (len > 1 && v[0] == '0')
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%.40s\" has a leading zero", field, v);
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return err_set(err, SETTLE_EX_DATAERR, "%s \"%.40s\" is not a non-negative whole number", field,
				       v);
		if (__builtin_mul_overflow(x, 10, &x) || __builtin_add_overflow(x, v[i] - '0', &x))
			return err_set(err, SETTLE_EX_DATAERR, "%s \"%.40s\" is too large", field, v);
	}
	if (x < min || x > max)
		return err_set(err, SETTLE_EX_DATAERR, "%s %lld is outside %lld..%lld", field, x, min, max);
	*out = x;
	return 0;
}

int validate_enum(const char *field, const char *v, const char *const *words, struct settle_err *err)
{
	char list[256] = "";
	size_t used = 0;

	for (size_t i = 0; words[i]; i++) {
		if (v && !strcmp(v, words[i]))
			return 0;
		int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", words[i]);
		if (n > 0 && (size_t)n < sizeof list - used)
			used += (size_t)n;
	}
	return err_set(err, SETTLE_EX_DATAERR, "%s \"%.40s\" is not one of %s", field, v ? v : "", list);
}

int validate_email(const char *field, const char *v, struct settle_err *err)
{
	const char *at, *dot;

	if (validate_text(field, v, 254, err) < 0)
		return -1;
	at = strchr(v, '@');
	dot = at ? strrchr(at, '.') : NULL;
	if (!at || at == v || strchr(at + 1, '@') || !dot || dot == at + 1 || !dot[1] || strpbrk(v, " \t,;<>"))
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%.80s\" is not an e-mail address", field, v);
	return 0;
}

int validate_utf8_text(const char *field, const char *v, size_t max, struct settle_err *err)
{
	size_t len = v ? strlen(v) : 0;

	if (len == 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s is empty", field);
	if (len > max)
		return err_set(err, SETTLE_EX_DATAERR, "%s is %zu bytes; at most %zu", field, len, max);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int n = utf8_decode(v + i, len - i, &cp);

		/* The value itself is not echoed: it is what cannot be printed. */
		if (n < 0)
			return err_set(err, SETTLE_EX_DATAERR, "%s is not valid UTF-8 (byte %zu)", field, i + 1);
		if (utf8_is_control(cp))
			return err_set(err, SETTLE_EX_DATAERR, "%s has a control character (byte %zu)", field, i + 1);
		i += (size_t)n;
	}
	return 0;
}

int validate_token(const char *field, const char *v, size_t lo, size_t hi, const char *extra, const char *rule,
		   struct settle_err *err)
{
	return id_check(field, v, lo, hi, extra, rule, err);
}
