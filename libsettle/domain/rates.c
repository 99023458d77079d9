/* rates.c — dated withholding rates (see rates.h). */
#include "domain/rates.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/release.h"
#include "domain/validate.h"

void rates_default(struct rate_table *out)
{
	memset(out, 0, sizeof *out);
	out->n = 1;
	snprintf(out->p[0].from, sizeof out->p[0].from, "2019-01-01");
	out->p[0].rates = (struct withholding_rates){300, 1000, 10};
}

static int64_t day_of(const char *date)
{
	int y, m, d;

	if (strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	return civil_days(y, m, d);
}

/* One "FROM..UNTIL INCOME LOCAL" period. */
static int parse_period(const char *s, size_t len, size_t k, struct rate_period *p, struct settle_err *err)
{
	char buf[128], from[16] = "", until[16] = "", extra[2];
	const char *dots;
	int income, local, n;

	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	if (len >= sizeof buf)
		return err_set(err, SETTLE_EX_CONFIG, "withholding rates: period %zu is too long", k);
	memcpy(buf, s, len);
	buf[len] = '\0';
	dots = strstr(buf, "..");
	if (!dots || dots - buf > 10)
		return err_set(err, SETTLE_EX_CONFIG, "withholding rates: period %zu \"%.40s\" is not FROM..UNTIL INCOME_BPS "
			       "LOCAL_BPS", k, buf);
	n = sscanf(buf, " %10[0-9-]..%10[0-9-] %d %d %1s", from, until, &income, &local, extra);
	if (n != 4) {
		until[0] = '\0';
		n = sscanf(buf, " %10[0-9-].. %d %d %1s", from, &income, &local, extra);
		if (n != 3)
			return err_set(err, SETTLE_EX_CONFIG,
				       "withholding rates: period %zu \"%.40s\" is not FROM..UNTIL INCOME_BPS LOCAL_BPS", k,
				       buf);
	}
	if (validate_date("withholding rates: from", from, err) < 0 ||
	    (until[0] && validate_date("withholding rates: until", until, err) < 0)) {
		err->code = SETTLE_EX_CONFIG;
		return err_prefix(err, "period %zu", k);
	}
	if (income < 0 || income > 10000 || local < 0 || local > 10000)
		return err_set(err, SETTLE_EX_CONFIG, "withholding rates: period %zu: rates must be 0..10000 bps", k);
	if (until[0] && day_of(until) < day_of(from))
		return err_set(err, SETTLE_EX_CONFIG, "withholding rates: period %zu ends (%s) before it starts (%s)", k,
			       until, from);
	snprintf(p->from, sizeof p->from, "%s", from);
	snprintf(p->until, sizeof p->until, "%s", until);
	p->rates = (struct withholding_rates){income, local, 10};
	return 0;
}

int rates_parse(const char *text, struct rate_table *out, struct settle_err *err)
{
	const char *s = text ? text : "";

	memset(out, 0, sizeof *out);
	while (*s) {
		const char *end = strchr(s, ';');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		int blank = 1;

		for (size_t i = 0; i < len; i++)
			blank &= isspace((unsigned char)s[i]) != 0;
		if (!blank) {
			if (out->n == RATE_PERIODS_MAX)
				return err_set(err, SETTLE_EX_CONFIG, "withholding rates: more than %d periods",
					       RATE_PERIODS_MAX);
			if (parse_period(s, len, out->n + 1, &out->p[out->n], err) < 0)
				return -1;
			out->n++;
		}
		s += len + (end ? 1 : 0);
	}
	if (out->n == 0)
		return err_set(err, SETTLE_EX_CONFIG, "withholding rates: no period given");
	for (size_t i = 0; i + 1 < out->n; i++) {
		const struct rate_period *a = &out->p[i], *b = &out->p[i + 1];

		if (!a->until[0])
			return err_set(err, SETTLE_EX_CONFIG, "withholding rates: period %zu is open-ended but another "
				       "follows it", i + 1);
		if (day_of(b->from) <= day_of(a->until))
			return err_set(err, SETTLE_EX_CONFIG, "withholding rates: periods %zu and %zu overlap (%s..%s, "
				       "%s..)", i + 1, i + 2, a->from, a->until, b->from);
		if (day_of(b->from) != day_of(a->until) + 1)
			return err_set(err, SETTLE_EX_CONFIG, "withholding rates: a gap between %s and %s", a->until,
				       b->from);
	}
	return 0;
}

int rates_at(const struct rate_table *t, const char *date, struct withholding_rates *out, struct settle_err *err)
{
	int64_t d = day_of(date);

	for (size_t i = 0; d >= 0 && i < t->n; i++)
		if (d >= day_of(t->p[i].from) && (!t->p[i].until[0] || d <= day_of(t->p[i].until))) {
			*out = t->p[i].rates;
			return 0;
		}
	return err_set(err, SETTLE_EX_CONFIG, "no withholding rate is in force on %s", date);
}
