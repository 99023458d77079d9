/* test_refund_policy.c — parsing refund policies, refusing bad ones, and
 * quoting refunds by date with the rounding the header states. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/refund_policy.h"

#define EXAMPLE "..start-7 100%, start-7..start 90%, start..end+1 prorata-10%, end+1.. 0%"

static struct refund_policy parsed(const char *text)
{
	struct refund_policy p;
	struct settle_err err = {0};

	cr_assert_eq(refund_policy_parse(text, &p, &err), 0, "%s: %s", text, err.msg);
	return p;
}

static struct policy_quote quote(const char *text, const char *today, int64_t paid, int64_t refunded)
{
	struct refund_policy p = parsed(text);
	struct policy_quote q;
	struct settle_err err = {0};
	/* a 10-day pod: 2026-12-01 .. 2026-12-10 */
	struct policy_facts f = {"2026-12-01", "2026-12-10", today, paid, refunded};

	cr_assert_eq(refund_policy_quote(&p, &f, &q, &err), 0, "%s", err.msg);
	return q;
}

Test(domain_refund_policy, example_steps)
{
	struct policy_quote q;

	q = quote(EXAMPLE, "2026-11-23", 50000, 0); /* 8 days before: step 1 */
	cr_assert_eq(q.step, 0);
	cr_assert_eq(q.amount, 50000);
	q = quote(EXAMPLE, "2026-11-24", 50000, 0); /* 7 days before: step 2 */
	cr_assert_eq(q.step, 1);
	cr_assert_eq(q.amount, 45000);
	cr_assert_eq(q.days_to_start, 7);
	q = quote(EXAMPLE, "2026-12-01", 50000, 0); /* start: none run, 90 % */
	cr_assert_eq(q.step, 2);
	cr_assert_eq(q.unrun_days, 10);
	cr_assert_eq(q.amount, 45000);
	q = quote(EXAMPLE, "2026-12-04", 50001, 0); /* 3 run: floor(50001 × 7/10 × 0.9) = 31500 */
	cr_assert_eq(q.unrun_days, 7);
	cr_assert_eq(q.entitled, 31500);
	q = quote(EXAMPLE, "2026-12-10", 50000, 0); /* last day: 1 unrun */
	cr_assert_eq(q.amount, 4500);
	q = quote(EXAMPLE, "2026-12-11", 50000, 0); /* after the end */
	cr_assert_eq(q.step, 3);
	cr_assert_eq(q.amount, 0);
}

Test(domain_refund_policy, what_was_refunded_counts)
{
	struct policy_quote q = quote(EXAMPLE, "2026-11-24", 50000, 20000);

	cr_assert_eq(q.entitled, 45000);
	cr_assert_eq(q.amount, 25000);
	q = quote(EXAMPLE, "2026-12-10", 50000, 20000);
	cr_assert_eq(q.amount, 0, "never negative");
	q = quote(EXAMPLE, "2026-11-01", 50000, 50000);
	cr_assert_eq(q.amount, 0, "nothing remains");
}

Test(domain_refund_policy, decimals_and_round_trip)
{
	struct refund_policy p = parsed("..start 92.5%, start.. prorata");
	char t[64];

	cr_assert_eq(p.s[0].bps, 9250);
	cr_assert_eq(p.s[1].rate, POLICY_PRORATA);
	refund_policy_step_text(&p.s[0], t, sizeof t);
	cr_assert_str_eq(t, "..start 92.50%");
	p = parsed(EXAMPLE);
	refund_policy_step_text(&p.s[1], t, sizeof t);
	cr_assert_str_eq(t, "start-7..start 90.00%");
	refund_policy_step_text(&p.s[2], t, sizeof t);
	cr_assert_str_eq(t, "start..end+1 prorata-10.00%");
	cr_assert_eq(quote("..start 92.5%, start.. 0%", "2026-11-30", 333, 0).amount, 308); /* floor(308.025) */
}

Test(domain_refund_policy, bad_policies_refused)
{
	static const struct {
		const char *text, *expect;
	} cases[] = {
		{"..start 100%, start-1.. 0%", "overlaps"},
		{"..start-7 100%, start.. 0%", "gap"},
		{"..start 100%, start..start-3 50%, start-3.. 0%", "backwards"},
		{"..start 100%, start..start 50%, start.. 0%", "backwards"},
		{"..start 101%, start.. 0%", "exceeds 100"},
		{"..start 100%, start.. prorata-120%", "exceeds 100"},
		{"..end 100%, start.. 0%", "overlaps"},
		{"start-7..start 100%, start.. 0%", "gap"},
		{"..start 100%, start..end 50%", "gap"},
		{"..start 100%, start..end 50%, .. 0%", "overlaps"},
		{"..start 100%, ..end 50%, end.. 0%", "overlaps"},
		{"..start 100%, start.. 0%, end.. 0%", "overlaps"},
		{"", "empty"},
		{"..start 100%,, start.. 0%", "empty"},
		{"..begin 100%, begin.. 0%", "not FROM..UNTIL"},
		{"..start 100, start.. 0%", "not a percentage"},
		{"..start -5%, start.. 0%", "not a percentage"},
		{"..start 1.234%, start.. 0%", "not a percentage"},
		{"..start+99999 100%, start+99999.. 0%", "not FROM..UNTIL"},
		{"..start 100%, start.. prorata+5%", "not prorata"},
		{"..start 100% start.. 0%", "not a percentage"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct refund_policy p;
		struct settle_err err = {0};

		cr_assert_eq(refund_policy_parse(cases[i].text, &p, &err), -1, "accepted: %s", cases[i].text);
		cr_assert_eq(err.code, SETTLE_EX_DATAERR);
		cr_assert(strstr(err.msg, cases[i].expect), "%s: %s", cases[i].text, err.msg);
		cr_assert(!strchr(err.msg, '\n'));
	}
}

Test(domain_refund_policy, versions)
{
	struct policy_versions vs;
	struct settle_err err = {0};
	const struct policy_version *v;

	cr_assert_eq(refund_policy_versions_parse("2026-01-01: ..start 100%, start.. 0%; 2026-06-01: " EXAMPLE, &vs, &err),
		     0, "%s", err.msg);
	cr_assert_eq(vs.n, 2);
	cr_assert_null(refund_policy_version_at(&vs, "2025-12-31"));
	v = refund_policy_version_at(&vs, "2026-05-31");
	cr_assert_str_eq(v->from, "2026-01-01");
	v = refund_policy_version_at(&vs, "2026-06-01");
	cr_assert_str_eq(v->from, "2026-06-01");
	cr_assert_eq(refund_policy_versions_parse("2026-06-01: ..start 100%, start.. 0%; 2026-01-01: " EXAMPLE, &vs, &err),
		     -1);
	cr_assert(strstr(err.msg, "not after"), "%s", err.msg);
	cr_assert_eq(refund_policy_versions_parse("2026-13-01: ..start 100%, start.. 0%", &vs, &err), -1);
	cr_assert_eq(refund_policy_versions_parse("..start 100%, start.. 0%", &vs, &err), -1);
	cr_assert_eq(refund_policy_versions_parse("2026-01-01: ..start 100%, start..end 0%", &vs, &err), -1);
	cr_assert(strstr(err.msg, "2026-01-01") && strstr(err.msg, "gap"), "%s", err.msg);
}

Test(domain_refund_policy, pod_dates_refused)
{
	struct refund_policy p = parsed(EXAMPLE), tight = parsed("..start+30 100%, start+30..end 50%, end.. 0%");
	struct policy_quote q;
	struct settle_err err = {0};

	cr_assert_eq(refund_policy_quote(&p, &(struct policy_facts){"", "", "2026-11-25", 100, 0}, &q, &err), -1);
	cr_assert(strstr(err.msg, "no valid dates"), "%s", err.msg);
	cr_assert_eq(refund_policy_quote(&p, &(struct policy_facts){"2026-12-10", "2026-12-01", "2026-11-25", 100, 0}, &q,
					 &err),
		     -1);
	cr_assert(strstr(err.msg, "before it starts"), "%s", err.msg);
	cr_assert_eq(refund_policy_quote(&p, &(struct policy_facts){"2026-12-01", "2026-12-10", "2026-11-25", 100, 101},
					 &q, &err),
		     -1);
	/* a 10-day pod: start+30 falls after end */
	cr_assert_eq(refund_policy_quote(&tight, &(struct policy_facts){"2026-12-01", "2026-12-10", "2026-11-25", 100, 0},
					 &q, &err),
		     -1);
	cr_assert(strstr(err.msg, "does not fit"), "%s", err.msg);
}

Test(domain_refund_policy, names)
{
	struct settle_err err = {0};

	cr_assert_eq(refund_policy_name_ok("policy", "strict-2026", &err), 0);
	cr_assert_eq(refund_policy_name_ok("policy", "Strict", &err), -1);
	cr_assert_eq(refund_policy_name_ok("policy", "", &err), -1);
	cr_assert_eq(refund_policy_name_ok("policy", "a-very-long-policy-name-that-is-too-long", &err), -1);
}
