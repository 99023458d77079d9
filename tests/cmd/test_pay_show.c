/* pay-show by payment id, order, user and pod; JSON with refunds and history. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, NULL);
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_pay_show, .init = setup, .fini = teardown, .timeout = 60);

static json_t *show(const char *const *argv)
{
	struct run_result r;
	json_error_t je;
	json_t *j;

	run_program(&f.t, argv, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	j = json_loads(r.out, 0, &je);
	cr_assert_not_null(j, "not JSON (%s): %s", je.text, r.out);
	cr_assert(json_is_array(j), "%s", r.out);
	return j;
}

static const char *str_at(json_t *item, const char *obj, const char *key)
{
	return json_string_value(json_object_get(json_object_get(item, obj), key));
}

Test(cmd_pay_show, by_id_order_user_pod)
{
	char o1[80], o2[80], o3[80], pid[64];
	struct run_result r;
	json_t *j, *item, *refunds, *history;

	pf_paid(&f, "pod-algo-101", "user-ana", NULL, o1, sizeof o1);
	pf_paid(&f, "pod-sql-201", "user-ana", NULL, o2, sizeof o2);
	pf_order(&f, "pod-algo-101", "user-ben", NULL, o3, sizeof o3);
	pf_payment_id(&f, o1, pid, sizeof pid);
	run_program(&f.t, (const char *[]){"pay-refund", pid, "--amount", "1000", "--reason", "goodwill", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);

	j = show((const char *[]){"pay-show", "--json", pid, NULL});
	cr_assert_eq(json_array_size(j), 1);
	item = json_array_get(j, 0);
	cr_assert_str_eq(str_at(item, "payment", "paymentId"), pid);
	cr_assert_str_eq(str_at(item, "payment", "orderId"), o1);
	cr_assert_str_eq(str_at(item, "payment", "status"), "PARTIALLY_REFUNDED");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(item, "payment"), "amount")), 50000);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(item, "payment"), "refunded")), 1000);
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_object_get(item, "payment"), "escrow"), "status")),
			 "HOLDING");
	refunds = json_object_get(item, "refunds");
	cr_assert_eq(json_array_size(refunds), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(refunds, 0), "amount")), 1000);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(refunds, 0), "status")), "COMPLETED");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(refunds, 0), "reason")), "goodwill");
	history = json_object_get(item, "history");
	cr_assert_geq(json_array_size(history), 4, "%zu", json_array_size(history));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(history, 0), "to")), "PENDING");
	cr_assert(json_is_null(json_object_get(json_array_get(history, 0), "from")));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(history, 0), "actor")), "pay-order");
	cr_assert_eq(pf_count(&f,
			      "SELECT COUNT(*) FROM payment_events e JOIN payments p ON p.id = e.payment_id "
			      "WHERE p.public_id = '%s'",
			      pid),
		     (int64_t)json_array_size(history));
	json_decref(j);

	j = show((const char *[]){"pay-show", "--order", o2, NULL}); /* not a tty: JSON */
	cr_assert_eq(json_array_size(j), 1);
	cr_assert_str_eq(str_at(json_array_get(j, 0), "payment", "orderId"), o2);
	cr_assert_eq(json_array_size(json_object_get(json_array_get(j, 0), "refunds")), 0);
	json_decref(j);

	j = show((const char *[]){"pay-show", "--user", "user-ana", NULL});
	cr_assert_eq(json_array_size(j), 2);
	cr_assert_str_eq(str_at(json_array_get(j, 0), "payment", "orderId"), o1);
	cr_assert_str_eq(str_at(json_array_get(j, 1), "payment", "orderId"), o2);
	json_decref(j);

	j = show((const char *[]){"pay-show", "--pod", "pod-algo-101", NULL});
	cr_assert_eq(json_array_size(j), 2);
	cr_assert_str_eq(str_at(json_array_get(j, 1), "payment", "orderId"), o3);
	cr_assert_str_eq(str_at(json_array_get(j, 1), "payment", "status"), "PENDING");
	cr_assert(json_is_null(json_object_get(json_object_get(json_array_get(j, 1), "payment"), "paymentKey")));
	json_decref(j);
}

Test(cmd_pay_show, unknown_and_usage)
{
	struct run_result r;
	char o1[80];

	pf_order(&f, "pod-algo-101", "user-ana", NULL, o1, sizeof o1);
	run_program(&f.t, (const char *[]){"pay-show", "pay_no_such_payment", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "pay-show"), "%s", r.err);
	run_program(&f.t, (const char *[]){"pay-show", "--user", "user-nobody", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	run_program(&f.t, (const char *[]){"pay-show", "--order", "ord-no-such-order", NULL}, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	run_program(&f.t, (const char *[]){"pay-show", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64, "%d %s", r.status, r.err);
	run_program(&f.t, (const char *[]){"pay-show", "--order", o1, "--user", "user-ana", NULL}, NULL, &r);
	cr_assert_eq(r.status, 64, "%d %s", r.status, r.err);
	run_program(&f.t, (const char *[]){"pay-show", "bad id!", NULL}, NULL, &r);
	cr_assert(r.status == 64 || r.status == 65, "%d %s", r.status, r.err);
	cr_assert(pf_one_error(r.err, "pay-show"), "%s", r.err);
}
