/*
 * What a capture keeps beside the money (issue 14), against the fakes: the
 * card the PG reported, only when truncated as PCI DSS allows (a full
 * number is not kept, the payment still completes), also for a refused
 * card; and an amount-tamper refusal recorded as a row with who, which
 * order, the asked and the expected amounts, without any money or PG call
 * — while bad amounts that are not a tamper (zero, text) record nothing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static struct fake_world *fw;
static struct fake_pg *pg;

static void setup(void)
{
	fw = fake_world_new();
	pg = &fw->pg[0];
}

static void teardown(void)
{
	fake_world_free(fw);
}

TestSuite(app_capture_card, .init = setup, .fini = teardown);

static void push_card(enum pg_outcome outcome, enum pg_status st, const char *code, const char *number,
		      const char *issuer)
{
	struct pg_result res;

	memset(&res, 0, sizeof res);
	res.outcome = outcome;
	res.http_status = outcome == PG_OK ? 200 : 403;
	snprintf(res.code, sizeof res.code, "%s", code);
	res.payment.status = st;
	res.payment.total_amount = res.payment.balance_amount = 50000;
	snprintf(res.payment.currency, sizeof res.payment.currency, "KRW");
	snprintf(res.payment.method, sizeof res.payment.method, "CARD");
	snprintf(res.payment.card_number, sizeof res.payment.card_number, "%s", number);
	snprintf(res.payment.card_issuer, sizeof res.payment.card_issuer, "%s", issuer);
	fake_pg_push(pg, FAKE_PG_CONFIRM, &res);
}

static int capture(const struct payment_rec *p, struct payment_rec *out, struct settle_err *err)
{
	return pay_capture(&fw->ctx, p->order_id, "pk-1", "50000", out, err);
}

Test(app_capture_card, a_truncated_card_is_kept_with_its_issuer)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	const struct fake_payment_row *row;

	fake_world_order(fw, "pod-1", "user-1", &p);
	push_card(PG_OK, PG_ST_DONE, "", "43301234****123*", "11");
	cr_assert_eq(capture(&p, &out, &err), 0, "%s", err.msg);
	row = fake_payment_row(&fw->store, p.id);
	cr_assert_str_eq(row->card_masked, "43301234****123*");
	cr_assert_str_eq(row->card_issuer, "11");
}

Test(app_capture_card, a_full_number_is_not_kept_and_the_payment_still_completes)
{
	static const char *const full[] = {"4330123456789012", "4330-1234-5678-9012", "433012345678901*"};

	for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
		struct payment_rec p, out;
		struct settle_err err = {0};
		const struct fake_payment_row *row;
		char user[16], key[16];

		snprintf(user, sizeof user, "user-%zu", i);
		snprintf(key, sizeof key, "pk-%zu", i);
		fake_world_order(fw, "pod-1", user, &p);
		push_card(PG_OK, PG_ST_DONE, "", full[i], "11");
		cr_assert_eq(pay_capture(&fw->ctx, p.order_id, key, "50000", &out, &err), 0, "%s: %s", full[i], err.msg);
		cr_assert_eq(out.status, PAY_COMPLETED);
		row = fake_payment_row(&fw->store, p.id);
		cr_assert_str_eq(row->card_masked, "", "%s was kept", full[i]);
		cr_assert_str_eq(row->card_issuer, "11");
	}
}

Test(app_capture_card, a_refused_card_is_kept_too)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	const struct fake_payment_row *row;

	fake_world_order(fw, "pod-1", "user-1", &p);
	push_card(PG_REFUSED, PG_ST_UNKNOWN, "3011", "536112******1234", "04");
	cr_assert_eq(capture(&p, &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_FAILED);
	row = fake_payment_row(&fw->store, p.id);
	cr_assert_str_eq(row->card_masked, "536112******1234");
	cr_assert_str_eq(row->card_issuer, "04");
}

Test(app_capture_card, a_tampered_amount_is_recorded_without_money_or_a_pg_call)
{
	struct payment_rec p, out;
	struct settle_err err = {0};
	const struct fake_refusal_row *r;

	fake_world_order(fw, "pod-1", "user-1", &p);
	cr_assert_eq(pay_capture(&fw->ctx, p.order_id, "pk-1", "49000", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "does not match"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_refusals, 1);
	r = &fw->store.db.refusals[0];
	cr_assert_eq(r->payment_id, p.id);
	cr_assert_eq(r->asked, 49000);
	cr_assert_eq(r->expected, 50000);
	cr_assert_str_eq(r->order_id, p.order_id);
	cr_assert_str_eq(r->user_id, "user-1");
	cr_assert_str_eq(r->actor, "test");
	/* not a tamper: refused, not recorded */
	cr_assert_eq(pay_capture(&fw->ctx, p.order_id, "pk-1", "0", &out, &err), -1);
	cr_assert_eq(pay_capture(&fw->ctx, p.order_id, "pk-1", "fifty", &out, &err), -1);
	cr_assert_eq(fw->store.db.n_refusals, 1);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 0);
	cr_assert_eq(fw->store.db.n_entries, 0);
	cr_assert_eq(fake_world_payment(fw, p.id).status, PAY_PENDING);
}

Test(app_capture_card, a_refusal_that_cannot_be_recorded_is_still_refused)
{
	struct payment_rec p, out;
	struct settle_err err = {0};

	fake_world_order(fw, "pod-1", "user-1", &p);
	fw->store.fail_write_in = 1;
	cr_assert_eq(pay_capture(&fw->ctx, p.order_id, "pk-1", "49000", &out, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "does not match"), "%s", err.msg);
	cr_assert_eq(fw->store.db.n_refusals, 0);
	cr_assert_eq(fake_pg_count(pg, FAKE_PG_ANY), 0);
}
