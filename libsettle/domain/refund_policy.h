/*
 * domain/refund_policy.h — refund policies by date: how much of a payment
 * is refunded on a given business date, from the dates of its pod.
 *
 * A policy is a list of steps, each a span of business dates (Korea time)
 * relative to the pod's first day (start) and last day (end), and what a
 * refund on such a date gives back:
 *
 *     ..start-7 100%, start-7..start 90%, start..end+1 prorata-10%, end+1.. 0%
 *
 * A step FROM..UNTIL holds on the dates d with FROM <= d < UNTIL (UNTIL is
 * the first day it no longer holds); an empty FROM is "since ever", an
 * empty UNTIL "for ever". A bound is `start` or `end` with an optional
 * offset in days (`start-7`, `end+1`). The rate is a share of the amount
 * paid (`90%`, at most two decimals: `92.5%`), or `prorata[-C%]`: the share
 * of the pod's days not yet run (the pod runs start..end, both included;
 * on the start day none has run), less a charge of C % of that.
 *
 * Rules (refund_policy_parse refuses the rest): the first step starts
 * "since ever", the last lasts "for ever", each step begins exactly where
 * the one before it ends (no overlap, no gap), no step goes backwards, no
 * rate or charge exceeds 100 %. So the steps cover every date once.
 *
 * Rounding (refund_policy_quote): what the payment is entitled to is
 * floor(paid × rate) — floor to the won (minor unit), in the platform's
 * favour, one floor per quote; what is refunded now is that less what was
 * refunded already, never below 0 and never more than remains.
 *
 * Versions: a policy changes by a new version with a later first day;
 * a payment is refunded under the version in force on the business date
 * it was paid (see refund_policy_version_at).
 */
#ifndef SETTLE_DOMAIN_REFUND_POLICY_H
#define SETTLE_DOMAIN_REFUND_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"

#define POLICY_STEPS_MAX 12
#define POLICY_VERSIONS_MAX 12
#define POLICY_NAME_MAX 32
#define POLICY_TEXT_MAX 480
#define POLICY_OFFSET_MAX 3660 /* days: ten years either way */

enum policy_anchor { POLICY_OPEN, POLICY_START, POLICY_END };
enum policy_rate { POLICY_FIXED, POLICY_PRORATA };

struct policy_bound {
	enum policy_anchor anchor; /* POLICY_OPEN: since ever (a FROM) or for ever (an UNTIL) */
	int offset;                /* days after the anchor (negative: before) */
};

struct policy_step {
	struct policy_bound from, until;
	enum policy_rate rate;
	int bps; /* POLICY_FIXED: the share refunded; POLICY_PRORATA: the charge; 0..10000 */
};

struct refund_policy {
	size_t n;
	struct policy_step s[POLICY_STEPS_MAX];
};

/* Parses the steps ("FROM..UNTIL RATE, ..."). Refusals are
 * SETTLE_EX_DATAERR and name the step (1-based) and what is wrong:
 * malformed, exceeds 100 %, goes backwards, overlaps or leaves a gap after
 * the step before, does not start "since ever" / end "for ever". */
int refund_policy_parse(const char *text, struct refund_policy *out, struct settle_err *err);

/* One step as text ("start-7..start 90%"), for explanations. */
void refund_policy_step_text(const struct policy_step *s, char *buf, size_t len);

/* A policy's dated versions: "FROM: STEPS; FROM: STEPS" with FROM a
 * YYYY-MM-DD business date, each version in force from its day until the
 * next version's; the days strictly ascending. */
struct policy_version {
	char from[11];
	struct refund_policy p;
};

struct policy_versions {
	size_t n;
	struct policy_version v[POLICY_VERSIONS_MAX];
};

int refund_policy_versions_parse(const char *text, struct policy_versions *out, struct settle_err *err);

/* Appends one version (versions must come in ascending order of from). */
int refund_policy_versions_add(struct policy_versions *vs, const char *from, const struct refund_policy *p,
			       struct settle_err *err);

/* The version in force on date (YYYY-MM-DD), or NULL when date is before
 * the first version. */
const struct policy_version *refund_policy_version_at(const struct policy_versions *vs, const char *date);

/* What a quote needs: the pod's first and last day, the business date of
 * the refund (all YYYY-MM-DD), the amount paid and what was refunded or is
 * being refunded already. */
struct policy_facts {
	const char *starts_on, *ends_on, *today;
	int64_t paid, refunded;
};

struct policy_quote {
	size_t step;          /* 0-based index of the step that holds today */
	int64_t days_to_start; /* start − today (negative once started) */
	int64_t period_days;   /* end − start + 1 */
	int64_t unrun_days;    /* prorata: days of the period not yet run */
	int bps;               /* the share of paid the step gives (prorata: after the charge, rounded down) */
	int64_t entitled;      /* floor(paid × the step's rate) */
	int64_t amount;        /* what to refund now: entitled − refunded, within 0..paid − refunded */
};

/* Quotes a refund under p. Refuses (SETTLE_EX_DATAERR) malformed or
 * reversed pod dates, a refunded total outside 0..paid, and a policy whose
 * steps the pod's dates put out of order (start+30 after end-1 for a short
 * pod): there no date's step is certain. */
int refund_policy_quote(const struct refund_policy *p, const struct policy_facts *f, struct policy_quote *q,
			struct settle_err *err);

/* A policy name: 1..32 of [a-z0-9_-]. */
int refund_policy_name_ok(const char *field, const char *name, struct settle_err *err);

#endif
