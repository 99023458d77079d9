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

int validate_phone(const char *field, const char *v, char *out, size_t out_len, struct settle_err *err)
{
	size_t n = 0, len = v ? strlen(v) : 0;

	if (len == 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s is empty", field);
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '-' && i > 0 && i + 1 < len && v[i - 1] != '-')
			continue;
		if (v[i] < '0' || v[i] > '9' || n + 1 >= out_len || n >= 11)
			return err_set(err, SETTLE_EX_DATAERR,
				       "%s must be 9–11 digits starting with 0 (hyphens between groups allowed)", field);
		out[n++] = v[i];
	}
	out[n] = '\0';
	if (n < 9 || out[0] != '0')
		return err_set(err, SETTLE_EX_DATAERR,
			       "%s must be 9–11 digits starting with 0 (hyphens between groups allowed)", field);
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

/* Decodes one sequence at s (n bytes left); returns its length, or 0 with
 * *why set. Table 3-7 of the Unicode standard, as RFC 3629 restates it. */
static size_t utf8_seq(const unsigned char *s, size_t n, const char **why)
{
	unsigned char c = s[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xBF;

	if (c < 0x80)
		return 1;
	if (c < 0xC2) {
		*why = c < 0xC0 ? "a continuation byte with no lead byte" : "an overlong form";
		return 0;
	}
	if (c < 0xE0) {
		len = 2;
	} else if (c < 0xF0) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0; /* below: overlong */
		else if (c == 0xED)
			hi = 0x9F; /* above: a UTF-16 surrogate */
	} else if (c < 0xF5) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90; /* below: overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* above: beyond U+10FFFF */
	} else {
		*why = "a byte that never occurs in UTF-8";
		return 0;
	}
	if (n < len) {
		for (size_t i = 1; i < n; i++)
			if ((s[i] & 0xC0) != 0x80)
				goto broken;
		*why = "a sequence cut short";
		return 0;
	}
	if (s[1] < lo || s[1] > hi) {
		if ((s[1] & 0xC0) != 0x80)
			goto broken;
		*why = c == 0xED ? "a surrogate (U+D800–U+DFFF)"
		       : c == 0xF4 ? "a code point beyond U+10FFFF"
				   : "an overlong form";
		return 0;
	}
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			goto broken;
	return len;
broken:
	*why = "a sequence cut short";
	return 0;
}

int validate_utf8(const char *field, const char *v, size_t len, struct settle_err *err)
{
	const unsigned char *s = (const unsigned char *)v;
	const char *why = "";

	for (size_t i = 0; i < len;) {
		size_t k = utf8_seq(s + i, len - i, &why);

		if (k == 0)
			return err_set(err, SETTLE_EX_DATAERR, "%s is not valid UTF-8: %s at byte %zu", field, why, i + 1);
		i += k;
	}
	return 0;
}

int validate_id_chars(const char *field, const char *v, size_t lo, size_t hi, const char *extra, const char *rule,
		      struct settle_err *err)
{
	size_t len = v ? strlen(v) : 0;
	char shown[84];
	const char *more;
	size_t o = 0, i;

	/* The value is echoed, so anything unprintable is shown escaped. */
	for (i = 0; i < len && o + 5 < sizeof shown; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			shown[o++] = (char)c;
		else
			o += (size_t)snprintf(shown + o, sizeof shown - o, "\\x%02X", c);
	}
	shown[o] = '\0';
	more = i < len ? "…" : "";
	if (len == 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s is empty", field);
	if (len < lo || len > hi)
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%s%s\" is %zu bytes; must be %zu–%zu of %s", field, shown,
			       more, len, lo, hi, rule);
	for (i = 0; i < len; i++)
		if (!in_set(v[i], extra))
			return err_set(err, SETTLE_EX_DATAERR, "%s \"%s%s\" has a character outside %s (byte %zu)", field,
				       shown, more, rule, i + 1);
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
