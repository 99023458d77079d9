/*
 * pay-capture and settle-watch, the issue 14 additions, against the real
 * database and the sandbox PGs: the card each PG reports is kept as it
 * came (truncated) with its issuer, for a refused NicePay card too; a PG
 * faulted into sending a full card number completes the payment but the
 * number reaches neither the database nor the log; an amount-tamper
 * refusal still exits 65 and moves no money, and writes one
 * amount_refusals row; settle-watch's card rule fires for one card paying
 * more than card_burst_count times (not at the count), and its tamper
 * rule after tamper_count refusals.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/payfix.h"

static struct payfix f;

static void setup(void)
{
	payfix_setup(&f, "[watch]\ncard_burst_count = 2\ncard_burst_window_s = 600\nburst_count = 100\n"
			 "tamper_count = 2\ntamper_window_s = 3600\nmin_payments = 1000\n");
}

static void teardown(void)
{
	payfix_teardown(&f);
}

TestSuite(cmd_pay_capture_card, .init = setup, .fini = teardown, .timeout = 90);

Test(cmd_pay_capture_card, the_pgs_truncated_card_and_issuer_are_kept)
{
	char o1[80], o2[80], buf[64];

	pf_paid(&f, "pod-algo-101", "user-ana", NULL, o1, sizeof o1);
	cr_assert_str_eq(pf_string(&f, buf, sizeof buf, "SELECT CONCAT(card_issuer, ' ', card_masked) FROM payments "
						       "WHERE order_id = '%s'", o1),
			 "11 43301234****123*");
	pf_paid(&f, "pod-rust-301", "user-ben", (const char *const[]){"--pg", "nicepay", NULL}, o2, sizeof o2);
	cr_assert_str_eq(pf_string(&f, buf, sizeof buf, "SELECT CONCAT(card_issuer, ' ', card_masked) FROM payments "
						       "WHERE order_id = '%s'", o2),
			 "04 536112******1234");
}

Test(cmd_pay_capture_card, a_refused_nicepay_card_is_kept_on_the_failed_payment)
{
	char order[80], key[128], buf[64];
	struct run_result r;

	pf_order(&f, "pod-rust-301", "user-cho", (const char *const[]){"--pg", "nicepay", NULL}, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	pf_fault(&f, "{\"fault\":\"refuse\",\"op\":\"confirm\",\"orderId\":\"%s\"}", order);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
	cr_assert_str_eq(pf_status(&f, order, buf, sizeof buf), "FAILED");
	cr_assert_str_eq(pf_string(&f, buf, sizeof buf, "SELECT CONCAT(card_issuer, ' ', card_masked) FROM payments "
						       "WHERE order_id = '%s'", order),
			 "04 536112******1234");
	pf_assert_no_money(&f, order);
}

/* The full number the faulted sandbox sends, in any table a payment writes. */
static int64_t full_number_rows(void)
{
	return pf_count(&f, "SELECT (SELECT COUNT(*) FROM payments WHERE CONCAT_WS('|', card_masked, card_issuer, "
			    "pg_message, pg_code) LIKE '%%12345678%%') + (SELECT COUNT(*) FROM payment_events WHERE "
			    "CONCAT_WS('|', message, pg_code) LIKE '%%12345678%%') + (SELECT COUNT(*) FROM notifications "
			    "WHERE facts LIKE '%%12345678%%')");
}

/* Both PGs, faulted into sending a full number on the confirm. */
static void full_number_case(const char *pod, const char *user, const char *const *order_args, const char *issuer)
{
	char order[80], key[128], pid[64];
	struct run_result r;

	pf_order(&f, pod, user, order_args, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	pf_fault(&f, "{\"fault\":\"full_card\",\"op\":\"confirm\",\"orderId\":\"%s\"}", order);
	pf_capture(&f, order, key, NULL, &r);
	cr_assert_eq(r.status, 0, "%d %s", r.status, r.err);
	pf_assert_captured(&f, order, "COMPLETED");
	pf_payment_id(&f, order, pid, sizeof pid);
	cr_assert(strstr(r.err, "event=payment.card_not_kept") && strstr(r.err, pid), "%s", r.err);
	cr_assert(!strstr(r.err, "12345678") && !strstr(r.out, "12345678"), "the number was printed: %s%s", r.out, r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments WHERE order_id = '%s' AND card_masked IS NULL "
				  "AND card_issuer = '%s'", order, issuer),
		     1);
	cr_assert_eq(full_number_rows(), 0);
	/* the sweep and pay-show see the same payment: still nothing */
	pf_sweep(&f, &r);
	cr_assert(!strstr(r.err, "12345678") && !strstr(r.out, "12345678"), "%s%s", r.out, r.err);
	run_program(&f.t, (const char *[]){"pay-show", pid, NULL}, NULL, &r);
	cr_assert(!strstr(r.out, "12345678") && !strstr(r.err, "12345678"), "%s%s", r.out, r.err);
	cr_assert_eq(full_number_rows(), 0);
}

Test(cmd_pay_capture_card, a_full_number_from_the_pg_reaches_neither_the_database_nor_the_log)
{
	full_number_case("pod-algo-101", "user-dan", NULL, "11");
	full_number_case("pod-rust-301", "user-dee", (const char *const[]){"--pg", "nicepay", NULL}, "04");
}

Test(cmd_pay_capture_card, an_amount_tamper_is_refused_recorded_and_alerted_after_n)
{
	char order[80], key[128], buf[64], asked[32];
	struct run_result r;

	pf_order(&f, "pod-algo-101", "user-eve", NULL, order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	snprintf(asked, sizeof asked, "%lld", (long long)pf_amount(&f, order) - 1);
	for (int i = 0; i < 3; i++) {
		run_program(&f.t,
			    (const char *[]){"pay-capture", "--order", order, "--payment-key", key, "--amount", asked, NULL},
			    NULL, &r);
		cr_assert_eq(r.status, 65, "%d %s", r.status, r.err);
		cr_assert(strstr(r.err, "does not match"), "%s", r.err);
		cr_assert(pf_one_error(r.err, "pay-capture"), "%s", r.err);
		cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM amount_refusals"), i + 1);
		/* two refusals are within tamper_count: nothing fires yet */
		if (i == 1) {
			run_program(&f.t, (const char *[]){"settle-watch", "--json", "--dry-run", NULL}, NULL, &r);
			cr_assert_eq(r.status, 0, "%s", r.err);
			cr_assert(!strstr(r.out, "payment.amount_tamper"), "%s", r.out);
		}
	}
	cr_assert_str_eq(pf_status(&f, order, buf, sizeof buf), "PENDING");
	pf_assert_no_money(&f, order);
	cr_assert_eq(sandbox_stat(&f.sp, "confirm", NULL), 0);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM amount_refusals a JOIN payments p ON p.id = a.payment_id WHERE "
				  "a.order_id = '%s' AND a.user_id = 'user-eve' AND a.actor = 'pay-capture' AND "
				  "a.asked_amount = %s AND a.expected_amount = p.amount AND a.currency = 'KRW'",
				  order, asked),
		     3);
	run_program(&f.t, (const char *[]){"settle-watch", "--json", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"rule\":\"payment.amount_tamper\"") && strstr(r.out, "\"value\":\"3\""), "%s", r.out);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM alerts WHERE rule = 'payment.amount_tamper'"), 1);
}

Test(cmd_pay_capture_card, one_card_paying_more_than_n_times_fires_the_card_rule_at_n_it_does_not)
{
	static const char *const users[] = {"user-c1", "user-c2", "user-c3"};
	char order[80];
	struct run_result r;

	for (size_t i = 0; i < 3; i++) {
		pf_paid(&f, "pod-algo-101", users[i], NULL, order, sizeof order);
		run_program(&f.t, (const char *[]){"settle-watch", "--json", "--dry-run", NULL}, NULL, &r);
		cr_assert_eq(r.status, 0, "%s", r.err);
		if (i < 2) {
			cr_assert(!strstr(r.out, "card."), "%zu payment(s): %s", i + 1, r.out);
			continue;
		}
		cr_assert(strstr(r.out, "\"rule\":\"card.payments\""), "%s", r.out);
		cr_assert(strstr(r.out, "\"subject\":\"11:43301234****123*\""), "%s", r.out);
	}
	/* the users each paid once: the user rule stays quiet */
	cr_assert(!strstr(r.out, "user.payments"), "%s", r.out);
	run_program(&f.t, (const char *[]){"settle-watch", NULL}, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM alerts WHERE rule = 'card.payments' AND "
				  "subject = '11:43301234****123*'"),
		     1);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM notifications WHERE template = 'alert'"), 1);
}
