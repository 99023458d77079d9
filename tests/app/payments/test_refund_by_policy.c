/*
 * pay_refund_by_policy against the fakes: the amount by date from the
 * default or the pod's named policy (the version of the day it was paid),
 * the basis recorded with the refund's intent, refusals before any PG
 * call, a dry run that writes and sends nothing. The fake world's clock is
 * 2026-11-24 10:00 UTC = 19:00 KST; pod-1 runs 2026-12-01..2026-12-10.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/payments/refund_by_policy.h"
#include "fakes/fake_refund_terms.h"
#include "fakes/fakes.h"

#define EXAMPLE "2026-01-01: ..start-7 100%, start-7..start 90%, start..end+1 prorata-10%, end+1.. 0%"

static struct fake_world *fw;
static struct fake_refund_terms terms;
static struct refund_terms_repo terms_port;
static struct policy_versions dflt;
static struct policy_refund_ctx ctx;
static struct payment_rec paid;

static void setup(void)
{
	struct settle_err err = {0};

	fw = fake_world_new();
	fake_world_captured(fw, "pod-1", "user-1", "pk-1", &paid);
	memset(&terms, 0, sizeof terms);
	fake_refund_terms_pod(&terms, "pod-1", "2026-12-01", "2026-12-10", NULL);
	fake_refund_terms_port(&terms_port, &terms);
	cr_assert_eq(refund_policy_versions_parse(EXAMPLE, &dflt, &err), 0, "%s", err.msg);
	ctx = (struct policy_refund_ctx){&fw->ctx, &terms_port, &dflt};
}

static void teardown(void)
{
	fake_world_free(fw);
}

TestSuite(app_refund_by_policy, .init = setup, .fini = teardown);

static int ask(const char *amount, int by_policy, int override, int dry, struct policy_refund_how *how,
	       struct refund_rec *out, struct settle_err *err)
{
	struct policy_refund_ask a = {paid.public_id, amount, "customer asked", 0, by_policy, override, dry};

	err_clear(err);
	memset(out, 0, sizeof *out);
	return pay_refund_by_policy(&ctx, &a, how, out, err);
}

Test(app_refund_by_policy, seven_days_before_gives_ninety_percent)
{
	struct policy_refund_how how;
	struct refund_rec r;
	struct settle_err err = {0};

	fake_pg_push_ok(&fw->pg[0], FAKE_PG_CANCEL, PG_ST_PARTIAL_CANCELED, 50000, 5000);
	cr_assert_eq(ask(NULL, 1, 0, 0, &how, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(how.q.step, 1);
	cr_assert_eq(how.q.days_to_start, 7);
	cr_assert_str_eq(how.today, "2026-11-24");
	cr_assert_str_eq(how.version, "2026-01-01");
	cr_assert_eq(r.amount, 45000);
	cr_assert_eq(r.status, REFUND_COMPLETED);
	cr_assert_eq(fake_pg_request(&fw->pg[0], FAKE_PG_CANCEL, 0)->amount, 45000);
	cr_assert_eq(terms.n_recorded, 1);
	cr_assert_eq(terms.recorded[0].basis, REFUND_POLICY);
	cr_assert_eq(terms.recorded[0].refund_id, r.id);
	cr_assert_str_eq(terms.recorded[0].policy, "default");
	cr_assert_eq(terms.recorded[0].policy_amount, 45000);

	/* nothing more today */
	cr_assert_eq(ask(NULL, 1, 0, 0, &how, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "gives nothing more"), "%s", err.msg);
	cr_assert_eq(fake_pg_count(&fw->pg[0], FAKE_PG_CANCEL), 1);
}

Test(app_refund_by_policy, above_the_policy_needs_override_and_is_recorded)
{
	struct policy_refund_how how;
	struct refund_rec r;
	struct settle_err err = {0};
	size_t before = fw->store.db.n_refunds;

	cr_assert_eq(ask("46000", 0, 0, 0, &how, &r, &err), -1);
	cr_assert(strstr(err.msg, "--override"), "%s", err.msg);
	cr_assert_eq(ask(NULL, 0, 0, 0, &how, &r, &err), -1, "all that remains is above the policy too");
	cr_assert_eq(ask("100", 0, 1, 0, &how, &r, &err), -1);
	cr_assert(strstr(err.msg, "not needed"), "%s", err.msg);
	cr_assert_eq(ask("100", 1, 0, 0, &how, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_USAGE);
	cr_assert_eq(fw->store.db.n_refunds, before, "refusals write nothing");
	cr_assert_eq(fake_pg_count(&fw->pg[0], FAKE_PG_CANCEL), 0, "and send nothing");

	fake_pg_push_ok(&fw->pg[0], FAKE_PG_CANCEL, PG_ST_PARTIAL_CANCELED, 50000, 4000);
	cr_assert_eq(ask("46000", 0, 1, 0, &how, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(terms.recorded[0].basis, REFUND_OVERRIDE);
	cr_assert_str_eq(terms.recorded[0].reason, "customer asked");
	cr_assert_eq(terms.recorded[0].policy_amount, 45000);
}

Test(app_refund_by_policy, dry_run_writes_and_sends_nothing)
{
	struct policy_refund_how how;
	struct refund_rec r;
	struct settle_err err = {0};
	size_t before = fw->store.db.n_refunds;

	cr_assert_eq(ask(NULL, 1, 0, 1, &how, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(how.amount, 45000);
	cr_assert_eq(fw->store.db.n_refunds, before);
	cr_assert_eq(terms.n_recorded, 0);
	cr_assert_eq(fake_pg_count(&fw->pg[0], FAKE_PG_CANCEL), 0);
}

Test(app_refund_by_policy, named_policy_unknown_policy_and_no_dates)
{
	struct policy_refund_how how;
	struct refund_rec r;
	struct settle_err err = {0};

	snprintf(terms.pods[0].t.policy, sizeof terms.pods[0].t.policy, "half");
	cr_assert_eq(ask(NULL, 1, 0, 1, &how, &r, &err), -1);
	cr_assert(strstr(err.msg, "\"half\", which is not loaded"), "%s", err.msg);
	snprintf(terms.named[0].name, sizeof terms.named[0].name, "half");
	cr_assert_eq(refund_policy_versions_parse("2027-01-01: ..start 50%, start.. 0%", &terms.named[0].vs, &err), 0);
	terms.n_named = 1;
	cr_assert_eq(ask(NULL, 1, 0, 1, &how, &r, &err), -1, "paid before its first version");
	cr_assert(strstr(err.msg, "before the first version (2027-01-01)"), "%s", err.msg);
	cr_assert_eq(refund_policy_versions_parse("2026-01-01: ..start 50%, start.. 0%", &terms.named[0].vs, &err), 0);
	cr_assert_eq(ask(NULL, 1, 0, 1, &how, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(how.amount, 25000);
	cr_assert_str_eq(how.policy, "half");

	terms.n_pods = 0;
	cr_assert_eq(ask(NULL, 1, 0, 1, &how, &r, &err), -1);
	cr_assert(strstr(err.msg, "has no dates"), "%s", err.msg);
	/* a plain refund is what it was before policies */
	fake_pg_push_ok(&fw->pg[0], FAKE_PG_CANCEL, PG_ST_PARTIAL_CANCELED, 50000, 49000);
	cr_assert_eq(ask("1000", 0, 0, 0, &how, &r, &err), 0, "%s", err.msg);
	cr_assert_eq(how.applied, 0);
	cr_assert_eq(terms.recorded[0].basis, REFUND_MANUAL);
}

Test(app_refund_by_policy, no_default_policy)
{
	struct policy_refund_how how;
	struct refund_rec r;
	struct settle_err err = {0};

	dflt.n = 0;
	cr_assert_eq(ask(NULL, 1, 0, 1, &how, &r, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
}
