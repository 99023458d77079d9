/* The payment, escrow and refund state machines: every legal move is
 * accepted, every other move is refused with both states named. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "domain/payment.h"

Test(domain_payment, legal_payment_moves)
{
	struct settle_err err = {0};
	const enum payment_status ok[][2] = {
		{PAY_PENDING, PAY_CONFIRMING},		     {PAY_PENDING, PAY_EXPIRED},
		{PAY_CONFIRMING, PAY_COMPLETED},	     {PAY_CONFIRMING, PAY_FAILED},
		{PAY_CONFIRMING, PAY_WAITING_FOR_DEPOSIT},   {PAY_WAITING_FOR_DEPOSIT, PAY_COMPLETED},
		{PAY_WAITING_FOR_DEPOSIT, PAY_EXPIRED},	     {PAY_WAITING_FOR_DEPOSIT, PAY_FAILED},
		{PAY_COMPLETED, PAY_PARTIALLY_REFUNDED},
		{PAY_COMPLETED, PAY_REFUNDED},		     {PAY_PARTIALLY_REFUNDED, PAY_PARTIALLY_REFUNDED},
		{PAY_PARTIALLY_REFUNDED, PAY_REFUNDED},
	};

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		cr_assert_eq(payment_transition(ok[i][0], ok[i][1], &err), 0, "%s -> %s refused: %s",
			     payment_status_name(ok[i][0]), payment_status_name(ok[i][1]), err.msg);
}

Test(domain_payment, every_other_payment_move_is_refused)
{
	int legal = 0;

	for (int from = 0; from < PAY_STATUS_COUNT; from++) {
		for (int to = 0; to < PAY_STATUS_COUNT; to++) {
			struct settle_err err = {0};

			if (payment_transition(from, to, &err) == 0) {
				legal++;
				continue;
			}
			cr_assert_eq(err.code, SETTLE_EX_DATAERR);
			cr_assert(strstr(err.msg, payment_status_name(from)) && strstr(err.msg, payment_status_name(to)),
				  "%s", err.msg);
		}
	}
	cr_assert_eq(legal, 12, "the table allows %d moves; the design has 12", legal);
}

Test(domain_payment, terminal_states_stay_put)
{
	struct settle_err err = {0};

	cr_assert_eq(payment_transition(PAY_FAILED, PAY_COMPLETED, &err), -1);
	cr_assert_eq(payment_transition(PAY_REFUNDED, PAY_COMPLETED, &err), -1);
	cr_assert_eq(payment_transition(PAY_EXPIRED, PAY_CONFIRMING, &err), -1);
	cr_assert_eq(payment_transition(PAY_COMPLETED, PAY_PENDING, &err), -1);
	cr_assert_eq(payment_transition((enum payment_status)99, PAY_PENDING, &err), -1);
}

Test(domain_payment, escrow_and_refund_moves)
{
	struct settle_err err = {0};

	cr_assert_eq(escrow_transition(ESCROW_HOLDING, ESCROW_DISPUTED, &err), 0);
	cr_assert_eq(escrow_transition(ESCROW_DISPUTED, ESCROW_HOLDING, &err), 0);
	cr_assert_eq(escrow_transition(ESCROW_HOLDING, ESCROW_RELEASED, &err), 0);
	cr_assert_eq(escrow_transition(ESCROW_HOLDING, ESCROW_REFUNDED, &err), 0);
	cr_assert_eq(escrow_transition(ESCROW_DISPUTED, ESCROW_RELEASED, &err), -1, "a disputed escrow is never released");
	cr_assert_eq(escrow_transition(ESCROW_RELEASED, ESCROW_REFUNDED, &err), -1);
	cr_assert(strstr(err.msg, "RELEASED"), "%s", err.msg);
	cr_assert_eq(refund_transition(REFUND_REQUESTED, REFUND_COMPLETED, &err), 0);
	cr_assert_eq(refund_transition(REFUND_REQUESTED, REFUND_FAILED, &err), 0);
	cr_assert_eq(refund_transition(REFUND_COMPLETED, REFUND_FAILED, &err), -1);
	cr_assert_eq(refund_transition(REFUND_FAILED, REFUND_COMPLETED, &err), -1);
}

Test(domain_payment, names_round_trip_and_methods_parse)
{
	struct settle_err err = {0};
	enum payment_status st;
	enum escrow_status es;
	enum pay_method m;

	for (int s = 0; s < PAY_STATUS_COUNT; s++) {
		cr_assert_eq(payment_status_parse(payment_status_name(s), &st), 0);
		cr_assert_eq((int)st, s);
	}
	for (int s = 0; s < ESCROW_STATUS_COUNT; s++) {
		cr_assert_eq(escrow_status_parse(escrow_status_name(s), &es), 0);
		cr_assert_eq((int)es, s);
	}
	cr_assert_eq(payment_status_parse("DONE", &st), -1);
	cr_assert_eq(pay_method_parse("VIRTUAL_ACCOUNT", &m, &err), 0);
	cr_assert_eq(m, METHOD_VIRTUAL_ACCOUNT);
	cr_assert_eq(pay_method_parse("card", &m, &err), -1);
	cr_assert(strstr(err.msg, "\"card\""), "%s", err.msg);
	cr_assert_eq(err.code, SETTLE_EX_USAGE);
}
