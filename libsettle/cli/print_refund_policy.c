/* print_refund_policy.c — a refund policy's reasoning as text and JSON. */
#include "cli/print_refund_policy.h"

#include <string.h>

#include "cli/output.h"

static const char *basis_name(enum refund_basis b)
{
	return b == REFUND_POLICY ? "POLICY" : b == REFUND_OVERRIDE ? "OVERRIDE" : "MANUAL";
}

void print_refund_how(FILE *out, const struct policy_refund_how *how)
{
	const struct policy_quote *q = &how->q;

	if (!how->applied) {
		fprintf(out, "no refund policy applies: a manual refund\n");
		return;
	}
	fprintf(out, "policy %s, version of %s (paid on %s)\n", cli_esc(how->policy), how->version, how->paid_on);
	fprintf(out, "pod %s..%s, business date %s (Korea time): ", how->starts_on, how->ends_on, how->today);
	if (q->days_to_start > 0)
		fprintf(out, "%lld day(s) before the start\n", (long long)q->days_to_start);
	else if (q->days_to_start == 0)
		fprintf(out, "the first day\n");
	else
		fprintf(out, "day %lld of %lld\n", (long long)(1 - q->days_to_start), (long long)q->period_days);
	fprintf(out, "step %zu \"%s\": ", q->step + 1, cli_esc(how->step_text));
	if (strstr(how->step_text, "prorata"))
		fprintf(out, "%lld of %lld day(s) not yet run, ", (long long)q->unrun_days, (long long)q->period_days);
	fprintf(out, "rate %d.%02d%% of %lld = %lld (floored to the unit)\n", q->bps / 100, q->bps % 100,
		(long long)how->paid, (long long)q->entitled);
	fprintf(out, "refunded already %lld; the policy gives %lld %s now; basis %s\n", (long long)how->refunded,
		(long long)q->amount, cli_esc(how->currency), basis_name(how->basis));
}

static json_t *put(json_t *o, const char *key, json_t *v)
{
	if (!o || !v || json_object_set_new(o, key, v) < 0) {
		json_decref(o);
		json_decref(v);
		return NULL;
	}
	return o;
}

json_t *refund_how_json(const struct policy_refund_how *how)
{
	json_t *o = json_object();

	o = put(o, "basis", cli_json_text(basis_name(how->basis)));
	if (!how->applied)
		return put(o, "policy", json_null());
	o = put(o, "policy", cli_json_text(how->policy));
	o = put(o, "version", cli_json_text(how->version));
	o = put(o, "paidOn", cli_json_text(how->paid_on));
	o = put(o, "businessDate", cli_json_text(how->today));
	o = put(o, "podStartsOn", cli_json_text(how->starts_on));
	o = put(o, "podEndsOn", cli_json_text(how->ends_on));
	o = put(o, "step", json_integer((json_int_t)how->q.step + 1));
	o = put(o, "stepText", cli_json_text(how->step_text));
	o = put(o, "daysToStart", json_integer(how->q.days_to_start));
	o = put(o, "periodDays", json_integer(how->q.period_days));
	o = put(o, "unrunDays", json_integer(how->q.unrun_days));
	o = put(o, "rateBps", json_integer(how->q.bps));
	o = put(o, "paid", json_integer(how->paid));
	o = put(o, "refundedBefore", json_integer(how->refunded));
	o = put(o, "entitled", json_integer(how->q.entitled));
	o = put(o, "policyAmount", json_integer(how->q.amount));
	o = put(o, "currency", cli_json_text(how->currency));
	return o;
}
