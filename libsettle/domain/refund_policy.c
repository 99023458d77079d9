/* refund_policy.c — refund policies by date (see refund_policy.h). */
#include "domain/refund_policy.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domain/money.h"
#include "domain/release.h"
#include "domain/validate.h"

static int64_t day_of(const char *date)
{
	int y, m, d;

	if (!date || strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	return civil_days(y, m, d);
}

/* Text between s and e without the spaces around it, into buf. */
static int trimmed(const char *s, const char *e, char *buf, size_t len)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if ((size_t)(e - s) >= len)
		return -1;
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	return 0;
}

/* Digits only, at most max of them, into *out. */
static int digits(const char *s, size_t max, long *out)
{
	size_t n = strspn(s, "0123456789");
	long v = 0;

	if (n == 0 || n > max || s[n])
		return -1;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*out = v;
	return 0;
}

/* "start", "start-7", "end+1", or "" (open). */
static int parse_bound(const char *s, struct policy_bound *b)
{
	const char *rest;
	long days;

	*b = (struct policy_bound){POLICY_OPEN, 0};
	if (!*s)
		return 0;
	if (!strncmp(s, "start", 5)) {
		b->anchor = POLICY_START;
		rest = s + 5;
	} else if (!strncmp(s, "end", 3)) {
		b->anchor = POLICY_END;
		rest = s + 3;
	} else {
		return -1;
	}
	if (!*rest)
		return 0;
	if ((*rest != '+' && *rest != '-') || digits(rest + 1, 4, &days) < 0 || days > POLICY_OFFSET_MAX)
		return -1;
	b->offset = *rest == '-' ? -(int)days : (int)days;
	return 0;
}

/* "90%", "92.5%", "0.25%": basis points, or -1. */
static int parse_percent(const char *s, long *bps)
{
	char whole[8] = "", frac[4] = "";
	const char *pct = strchr(s, '%'), *dot = strchr(s, '.');
	long w, f = 0;

	if (!pct || pct[1] || pct == s)
		return -1;
	if (dot && dot < pct) {
		if ((size_t)(dot - s) >= sizeof whole || pct - dot - 1 < 1 || pct - dot - 1 > 2)
			return -1;
		memcpy(whole, s, (size_t)(dot - s));
		memcpy(frac, dot + 1, (size_t)(pct - dot - 1));
		if (digits(frac, 2, &f) < 0)
			return -1;
		if (strlen(frac) == 1)
			f *= 10;
	} else {
		if ((size_t)(pct - s) >= sizeof whole)
			return -1;
		memcpy(whole, s, (size_t)(pct - s));
	}
	if (digits(whole, 6, &w) < 0)
		return -1;
	*bps = w * 100 + f;
	return 0;
}

/* Orders bounds for checking: an open FROM first, an open UNTIL last,
 * start-relative before end-relative (end >= start), then by offset.
 * is_until tells which way an open bound goes. */
static int bound_cmp(struct policy_bound a, int a_until, struct policy_bound b, int b_until)
{
	long ka = a.anchor == POLICY_OPEN ? (a_until ? 3 : -1) : (long)a.anchor;
	long kb = b.anchor == POLICY_OPEN ? (b_until ? 3 : -1) : (long)b.anchor;

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return (a.offset > b.offset) - (a.offset < b.offset);
}

static int parse_step(const char *text, size_t k, struct policy_step *st, struct settle_err *err)
{
	char buf[96], from[16], until[16], rate[32];
	const char *dots, *sp;
	long bps;

	if (strlen(text) >= sizeof buf)
		return err_set(err, SETTLE_EX_DATAERR, "refund policy: step %zu is too long", k);
	snprintf(buf, sizeof buf, "%s", text);
	dots = strstr(buf, "..");
	sp = dots ? strchr(dots + 2, ' ') : NULL;
	if (!dots || !sp || trimmed(buf, dots, from, sizeof from) < 0 || trimmed(dots + 2, sp, until, sizeof until) < 0 ||
	    trimmed(sp, buf + strlen(buf), rate, sizeof rate) < 0 || parse_bound(from, &st->from) < 0 ||
	    parse_bound(until, &st->until) < 0)
		return err_set(err, SETTLE_EX_DATAERR,
			       "refund policy: step %zu \"%.40s\" is not FROM..UNTIL RATE (bounds like start-7, end+1, "
			       "or empty; rate like 90%% or prorata-10%%)",
			       k, buf);
	if (!strncmp(rate, "prorata", 7)) {
		st->rate = POLICY_PRORATA;
		bps = 0;
		if (rate[7] && (rate[7] != '-' || parse_percent(rate + 8, &bps) < 0))
			return err_set(err, SETTLE_EX_DATAERR,
				       "refund policy: step %zu: rate \"%.20s\" is not prorata or prorata-C%%", k, rate);
	} else {
		st->rate = POLICY_FIXED;
		if (parse_percent(rate, &bps) < 0)
			return err_set(err, SETTLE_EX_DATAERR,
				       "refund policy: step %zu: rate \"%.20s\" is not a percentage like 90%% or 92.5%%", k,
				       rate);
	}
	if (bps > 10000)
		return err_set(err, SETTLE_EX_DATAERR, "refund policy: step %zu: %s exceeds 100 %%", k,
			       st->rate == POLICY_PRORATA ? "the charge" : "the rate");
	st->bps = (int)bps;
	return 0;
}

int refund_policy_parse(const char *text, struct refund_policy *out, struct settle_err *err)
{
	const char *s = text;

	memset(out, 0, sizeof *out);
	if (!text || strlen(text) > POLICY_TEXT_MAX)
		return err_set(err, SETTLE_EX_DATAERR, "refund policy: missing or longer than %d characters",
			       POLICY_TEXT_MAX);
	for (;;) {
		const char *comma = strchr(s, ',');
		char step[128];
		size_t k = out->n + 1;

		if (trimmed(s, comma ? comma : s + strlen(s), step, sizeof step) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "refund policy: step %zu is too long", k);
		if (!step[0])
			return err_set(err, SETTLE_EX_DATAERR, "refund policy: step %zu is empty", k);
		if (out->n == POLICY_STEPS_MAX)
			return err_set(err, SETTLE_EX_DATAERR, "refund policy: more than %d steps", POLICY_STEPS_MAX);
		if (parse_step(step, k, &out->s[out->n], err) < 0)
			return -1;
		out->n++;
		if (!comma)
			break;
		s = comma + 1;
	}
	for (size_t i = 0; i < out->n; i++) {
		const struct policy_step *st = &out->s[i];

		if (i == 0 && st->from.anchor != POLICY_OPEN)
			return err_set(err, SETTLE_EX_DATAERR,
				       "refund policy: step 1 must start since ever (\"..UNTIL\"): the dates before it are a gap");
		if (i > 0 && st->from.anchor == POLICY_OPEN)
			return err_set(err, SETTLE_EX_DATAERR,
				       "refund policy: step %zu starts since ever and overlaps step %zu", i + 1, i);
		if (i + 1 < out->n && st->until.anchor == POLICY_OPEN)
			return err_set(err, SETTLE_EX_DATAERR,
				       "refund policy: step %zu lasts for ever and overlaps step %zu", i + 1, i + 2);
		if (i + 1 == out->n && st->until.anchor != POLICY_OPEN)
			return err_set(err, SETTLE_EX_DATAERR,
				       "refund policy: the last step (%zu) must last for ever (\"FROM..\"): the dates after "
				       "it are a gap",
				       i + 1);
		if (bound_cmp(st->from, 0, st->until, 1) >= 0)
			return err_set(err, SETTLE_EX_DATAERR, "refund policy: step %zu goes backwards (its end is not after "
				       "its start)", i + 1);
		if (i > 0) {
			int c = bound_cmp(st->from, 0, out->s[i - 1].until, 1);

			if (c < 0)
				return err_set(err, SETTLE_EX_DATAERR,
					       "refund policy: step %zu overlaps step %zu (it starts before that one ends)",
					       i + 1, i);
			if (c > 0 || st->from.anchor != out->s[i - 1].until.anchor)
				return err_set(err, SETTLE_EX_DATAERR,
					       "refund policy: step %zu leaves a gap after step %zu (it must start where that "
					       "one ends)",
					       i + 1, i);
		}
	}
	return 0;
}

static void bound_text(struct policy_bound b, char *buf, size_t len)
{
	if (b.anchor == POLICY_OPEN)
		buf[0] = '\0';
	else if (b.offset)
		snprintf(buf, len, "%s%+d", b.anchor == POLICY_START ? "start" : "end", b.offset);
	else
		snprintf(buf, len, "%s", b.anchor == POLICY_START ? "start" : "end");
}

void refund_policy_step_text(const struct policy_step *s, char *buf, size_t len)
{
	char from[16], until[16], rate[32];

	bound_text(s->from, from, sizeof from);
	bound_text(s->until, until, sizeof until);
	if (s->rate == POLICY_PRORATA && s->bps)
		snprintf(rate, sizeof rate, "prorata-%d.%02d%%", s->bps / 100, s->bps % 100);
	else if (s->rate == POLICY_PRORATA)
		snprintf(rate, sizeof rate, "prorata");
	else
		snprintf(rate, sizeof rate, "%d.%02d%%", s->bps / 100, s->bps % 100);
	snprintf(buf, len, "%s..%s %s", from, until, rate);
}

int refund_policy_versions_add(struct policy_versions *vs, const char *from, const struct refund_policy *p,
			       struct settle_err *err)
{
	if (validate_date("refund policy version", from, err) < 0)
		return -1;
	if (vs->n == POLICY_VERSIONS_MAX)
		return err_set(err, SETTLE_EX_DATAERR, "refund policy: more than %d versions", POLICY_VERSIONS_MAX);
	if (vs->n && strcmp(from, vs->v[vs->n - 1].from) <= 0)
		return err_set(err, SETTLE_EX_DATAERR,
			       "refund policy: version %s is not after version %s (versions go forward in time)", from,
			       vs->v[vs->n - 1].from);
	snprintf(vs->v[vs->n].from, sizeof vs->v[vs->n].from, "%s", from);
	vs->v[vs->n].p = *p;
	vs->n++;
	return 0;
}

int refund_policy_versions_parse(const char *text, struct policy_versions *out, struct settle_err *err)
{
	const char *s = text;

	memset(out, 0, sizeof *out);
	if (!text || !*text)
		return err_set(err, SETTLE_EX_DATAERR, "refund policy: empty");
	for (;;) {
		const char *semi = strchr(s, ';'), *end = semi ? semi : s + strlen(s);
		const char *colon = memchr(s, ':', (size_t)(end - s));
		char from[16], steps[POLICY_TEXT_MAX + 1];
		struct refund_policy p;

		if (!colon || trimmed(s, colon, from, sizeof from) < 0 || trimmed(colon + 1, end, steps, sizeof steps) < 0)
			return err_set(err, SETTLE_EX_DATAERR,
				       "refund policy: version %zu is not \"YYYY-MM-DD: STEPS\"", out->n + 1);
		if (refund_policy_parse(steps, &p, err) < 0)
			return err_prefix(err, "version %s", from);
		if (refund_policy_versions_add(out, from, &p, err) < 0)
			return -1;
		if (!semi)
			break;
		s = semi + 1;
	}
	return 0;
}

const struct policy_version *refund_policy_version_at(const struct policy_versions *vs, const char *date)
{
	const struct policy_version *in_force = NULL;

	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i].from, date) <= 0)
			in_force = &vs->v[i];
	return in_force;
}

/* The day a bound falls on for this pod; open bounds are ±infinity. */
static int64_t bound_day(struct policy_bound b, int is_until, int64_t start, int64_t end)
{
	if (b.anchor == POLICY_OPEN)
		return is_until ? INT64_MAX : INT64_MIN;
	return (b.anchor == POLICY_START ? start : end) + b.offset;
}

int refund_policy_quote(const struct refund_policy *p, const struct policy_facts *f, struct policy_quote *q,
			struct settle_err *err)
{
	int64_t start = day_of(f->starts_on), end = day_of(f->ends_on), today = day_of(f->today);
	int64_t remaining, num, den;
	const struct policy_step *st = NULL;

	memset(q, 0, sizeof *q);
	if (start < 0 || end < 0)
		return err_set(err, SETTLE_EX_DATAERR, "the pod has no valid dates (start %s, end %s)",
			       f->starts_on && *f->starts_on ? f->starts_on : "none",
			       f->ends_on && *f->ends_on ? f->ends_on : "none");
	if (end < start)
		return err_set(err, SETTLE_EX_DATAERR, "the pod ends (%s) before it starts (%s)", f->ends_on, f->starts_on);
	if (today < 0)
		return err_set(err, SETTLE_EX_DATAERR, "the refund's business date is not a date");
	if (f->paid < 0 || f->refunded < 0 || f->refunded > f->paid)
		return err_set(err, SETTLE_EX_DATAERR, "refunded %lld of a payment of %lld", (long long)f->refunded,
			       (long long)f->paid);
	if (p->n == 0)
		return err_set(err, SETTLE_EX_DATAERR, "the refund policy has no steps");
	for (size_t i = 0; i < p->n; i++) {
		int64_t lo = bound_day(p->s[i].from, 0, start, end), hi = bound_day(p->s[i].until, 1, start, end);

		if (lo > hi) {
			char t[64];

			refund_policy_step_text(&p->s[i], t, sizeof t);
			return err_set(err, SETTLE_EX_DATAERR,
				       "the refund policy does not fit the pod's dates (%s..%s): step %zu \"%s\" ends before "
				       "it starts",
				       f->starts_on, f->ends_on, i + 1, t);
		}
		if (!st && lo <= today && today < hi) {
			st = &p->s[i];
			q->step = i;
		}
	}
	if (!st)
		return err_set(err, SETTLE_EX_SOFTWARE, "no step of the refund policy holds on %s", f->today);
	q->days_to_start = start - today;
	q->period_days = end - start + 1;
	if (st->rate == POLICY_FIXED) {
		q->bps = st->bps;
		num = st->bps;
		den = 10000;
	} else {
		int64_t run = today - start;

		if (run < 0)
			run = 0;
		if (run > q->period_days)
			run = q->period_days;
		q->unrun_days = q->period_days - run;
		/* One floor over the whole ratio: paid × unrun × (1 − charge). Dates
		 * are bounded (years 0..9999), so num and den fit in int64. */
		if (i64_mul(&num, q->unrun_days, 10000 - st->bps) < 0 || i64_mul(&den, q->period_days, 10000) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "the pod's period is too long to pro-rate");
		q->bps = (int)(num / q->period_days);
	}
	if (money_mul_ratio(&q->entitled, f->paid, num, den, err) < 0)
		return -1;
	remaining = f->paid - f->refunded;
	q->amount = q->entitled > f->refunded ? q->entitled - f->refunded : 0;
	if (q->amount > remaining)
		q->amount = remaining;
	return 0;
}

int refund_policy_name_ok(const char *field, const char *name, struct settle_err *err)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > POLICY_NAME_MAX || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n)
		return err_set(err, SETTLE_EX_DATAERR, "%s \"%.40s\" is not a policy name (1-%d of a-z 0-9 _ -)", field,
			       name ? name : "", POLICY_NAME_MAX);
	return 0;
}
