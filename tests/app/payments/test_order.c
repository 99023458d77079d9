/*
 * pay_order against the fakes, no database: what proves an order is taken
 * or refused. A new order is PENDING at the pod's fee on the default PG;
 * the same user's PENDING order is handed back; a paid place, a full pod
 * (by settle's live places or by the Study Service's count), a pod not
 * OPEN, a free pod and an unknown pod are refused before anything is
 * written; a tripped breaker sends orders to the fallback PG except one
 * probe per breaker_open_s; a forced PG must be configured.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "fakes/fakes.h"

static struct fake_world *fw;

static void setup(void)
{
	fw = fake_world_new();
}

static void teardown(void)
{
	fake_world_free(fw);
}

TestSuite(app_order, .init = setup, .fini = teardown);

static int order(const char *pod, const char *user, const char *pg, struct payment_rec *out, int *existing,
		 struct settle_err *err)
{
	return pay_order(&fw->ctx, pod, user, NULL, pg, out, existing, err);
}

Test(app_order, new_order_is_pending_at_the_pods_fee_on_the_default_pg)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing = -1;

	cr_assert_eq(order("pod-1", "user-1", NULL, &p, &existing, &err), 0, "%s", err.msg);
	cr_assert_eq(existing, 0);
	cr_assert_eq(p.status, PAY_PENDING);
	cr_assert_eq(p.amount, 50000);
	cr_assert_str_eq(p.currency, "KRW");
	cr_assert_str_eq(p.method, "CARD");
	cr_assert_str_eq(p.pg, "alpha");
	cr_assert_str_eq(p.pod_id, "pod-1");
	cr_assert_str_eq(p.user_id, "user-1");
	cr_assert_str_eq(p.order_name, "Study pod pod-1", "the pod's copy gives the order its name");
	cr_assert_eq(fw->store.db.n_pods, 1, "the pod's copy is refreshed");
	cr_assert_eq(fw->store.db.n_events, 1);
	cr_assert_str_eq(fw->store.db.events[0].to, "PENDING");
	cr_assert_eq(fake_pg_count(&fw->pg[0], FAKE_PG_ANY), 0, "an order calls no PG");
}

Test(app_order, the_method_is_kept_and_a_bad_one_refused)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	cr_assert_eq(pay_order(&fw->ctx, "pod-1", "user-1", "VIRTUAL_ACCOUNT", NULL, &p, &existing, &err), 0);
	cr_assert_str_eq(p.method, "VIRTUAL_ACCOUNT");
	cr_assert_eq(pay_order(&fw->ctx, "pod-1", "user-2", "CASH", NULL, &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_USAGE);
	cr_assert_eq(fw->store.db.n_payments, 1);
}

Test(app_order, a_pending_order_of_the_same_user_is_handed_back)
{
	struct payment_rec a, b;
	struct settle_err err = {0};
	int existing = -1;

	cr_assert_eq(order("pod-1", "user-1", NULL, &a, &existing, &err), 0);
	cr_assert_eq(order("pod-1", "user-1", NULL, &b, &existing, &err), 0, "%s", err.msg);
	cr_assert_eq(existing, 1);
	cr_assert_str_eq(b.public_id, a.public_id);
	cr_assert_str_eq(b.order_id, a.order_id);
	cr_assert_eq(fw->store.db.n_payments, 1);
}

Test(app_order, a_user_who_already_paid_is_refused)
{
	struct payment_rec p, again;
	struct settle_err err = {0};
	int existing;

	fake_world_captured(fw, "pod-1", "user-1", "pk-1", &p);
	cr_assert_eq(order("pod-1", "user-1", NULL, &again, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "already paid"), "%s", err.msg);
	cr_assert(strstr(err.msg, p.public_id), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_payments, 1);
}

Test(app_order, a_failed_order_frees_the_place_for_a_new_one)
{
	struct payment_rec p, again;
	struct settle_err err = {0};
	int existing = -1;

	fake_world_order(fw, "pod-1", "user-1", &p);
	fake_payment_row(&fw->store, p.id)->rec.status = PAY_FAILED;
	cr_assert_eq(order("pod-1", "user-1", NULL, &again, &existing, &err), 0, "%s", err.msg);
	cr_assert_eq(existing, 0);
	cr_assert_neq(again.id, p.id);
}

Test(app_order, a_pod_full_by_settles_live_places_is_refused)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	fake_study_pod(&fw->study, "pod-2", 30000, 2, 0, "OPEN");
	fake_world_order(fw, "pod-2", "user-1", &p);
	fake_world_order(fw, "pod-2", "user-2", &p);
	cr_assert_eq(order("pod-2", "user-3", NULL, &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "is full (2 of 2"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_payments, 2);
}

Test(app_order, a_pod_full_by_the_study_services_count_is_refused)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	fake_study_pod(&fw->study, "pod-2", 30000, 5, 5, "OPEN");
	cr_assert_eq(order("pod-2", "user-1", NULL, &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "is full (5 of 5"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_payments, 0);
	cr_assert_eq(fw->store.db.n_pods, 0, "the refused unit of work left no pod copy");
}

Test(app_order, a_pod_not_open_is_refused_before_any_write)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	fake_study_pod(&fw->study, "pod-c", 30000, 5, 0, "CLOSED");
	fake_study_pod(&fw->study, "pod-f", 30000, 5, 0, "FULL");
	cr_assert_eq(order("pod-c", "user-1", NULL, &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "CLOSED"), "%s", err.msg);
	cr_assert_eq(order("pod-f", "user-1", NULL, &p, &existing, &err), -1);
	cr_assert(strstr(err.msg, "is full"), "%s", err.msg);
	cr_assert_eq(fw->uow.runs, 0, "refused before any unit of work");
}

Test(app_order, a_free_pod_has_nothing_to_pay)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	fake_study_pod(&fw->study, "pod-0", 0, 5, 0, "OPEN");
	cr_assert_eq(order("pod-0", "user-1", NULL, &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "free"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_payments, 0);
}

Test(app_order, an_unknown_pod_is_bad_input_and_an_unreachable_service_is_not)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	cr_assert_eq(order("pod-nope", "user-1", NULL, &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR, "EX_NOINPUT from the Study port becomes bad input");
	fw->study.get_pod_fails = SETTLE_EX_UNAVAILABLE;
	cr_assert_eq(order("pod-1", "user-1", NULL, &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_UNAVAILABLE);
	cr_assert_eq(order("bad pod!", "user-1", NULL, &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_eq(fw->store.db.n_payments, 0);
}

/* Five failures of the default PG inside the window. */
static void trip(const char *pg)
{
	char now[TIME_SQL_LEN];
	struct settle_err err = {0};

	pay_now(&fw->ctx, now);
	for (int i = 0; i < fw->ctx.set.breaker_max_failures; i++)
		cr_assert_eq(fw->breaker.record(fw->breaker.self, NULL, pg, 0, "TIMEOUT", now, &err), 0);
}

Test(app_order, a_tripped_breaker_sends_orders_to_the_fallback_with_one_probe_per_period)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	trip("alpha");
	cr_assert_eq(order("pod-1", "user-1", NULL, &p, &existing, &err), 0, "%s", err.msg);
	cr_assert_str_eq(p.pg, "beta", "the trip starts now: its first probe is due breaker_open_s later");
	fake_world_advance(fw, fw->ctx.set.breaker_open_s + 1);
	cr_assert_eq(order("pod-1", "user-2", NULL, &p, &existing, &err), 0);
	cr_assert_str_eq(p.pg, "alpha", "one probe order goes to the tripped PG");
	cr_assert_eq(order("pod-1", "user-3", NULL, &p, &existing, &err), 0);
	cr_assert_str_eq(p.pg, "beta", "only one probe per period");
}

Test(app_order, one_good_answer_closes_the_breaker)
{
	struct payment_rec p;
	struct settle_err err = {0};
	char now[TIME_SQL_LEN];
	int existing;

	trip("alpha");
	fake_world_advance(fw, 1);
	pay_now(&fw->ctx, now);
	cr_assert_eq(fw->breaker.record(fw->breaker.self, NULL, "alpha", 1, NULL, now, &err), 0);
	fake_world_advance(fw, 1);
	cr_assert_eq(order("pod-1", "user-1", NULL, &p, &existing, &err), 0);
	cr_assert_str_eq(p.pg, "alpha");
}

Test(app_order, without_a_fallback_a_tripped_pg_still_takes_orders)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	fw->ctx.set.fallback_pg[0] = '\0';
	trip("alpha");
	cr_assert_eq(order("pod-1", "user-1", NULL, &p, &existing, &err), 0);
	cr_assert_str_eq(p.pg, "alpha");
}

Test(app_order, a_forced_pg_must_be_configured)
{
	struct payment_rec p;
	struct settle_err err = {0};
	int existing;

	cr_assert_eq(order("pod-1", "user-1", "gamma", &p, &existing, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_USAGE);
	cr_assert(strstr(err.msg, "gamma"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_payments, 0);
	trip("beta"); /* a forced PG ignores the breaker */
	cr_assert_eq(order("pod-1", "user-1", "beta", &p, &existing, &err), 0, "%s", err.msg);
	cr_assert_str_eq(p.pg, "beta");
}

Test(app_order, a_probe_order_captured_closes_the_breaker)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	int existing;

	trip("alpha");
	cr_assert_eq(order("pod-1", "user-0", NULL, &p, &existing, &err), 0);
	cr_assert_str_eq(p.pg, "beta");
	fake_world_advance(fw, fw->ctx.set.breaker_open_s + 1);
	cr_assert_eq(order("pod-1", "user-1", NULL, &p, &existing, &err), 0);
	cr_assert_str_eq(p.pg, "alpha", "the probe");
	fake_pg_push_refused(&fw->pg[0], FAKE_PG_CONFIRM, "REJECT_CARD_PAYMENT");
	cr_assert_eq(pay_capture(&fw->ctx, p.order_id, "pk-1", "50000", &out, &err), -1);
	cr_assert_eq(fw->store.db.health[fw->store.db.n_health - 1].ok, 1, "a definite refusal is a healthy PG");
	cr_assert_eq(order("pod-1", "user-2", NULL, &p, &existing, &err), 0);
	cr_assert_str_eq(p.pg, "alpha", "the breaker closed");
}
