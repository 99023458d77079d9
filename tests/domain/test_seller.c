/* test_seller.c — seller.h: registration moves, status names, what an application needs, derived keys. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/seller.h"
#include "domain/validate.h"

Test(domain_seller, registration_moves)
{
	struct settle_err err = {0};
	static const struct {
		enum seller_reg from, to;
		int ok;
	} cases[] = {
		{SELLER_REG_NONE, SELLER_REG_SENDING, 1},     {SELLER_REG_SENDING, SELLER_REG_WAITING, 1},
		{SELLER_REG_SENDING, SELLER_REG_READY, 1},    {SELLER_REG_SENDING, SELLER_REG_REFUSED, 1},
		{SELLER_REG_SENDING, SELLER_REG_IN_DOUBT, 1}, {SELLER_REG_IN_DOUBT, SELLER_REG_WAITING, 1},
		{SELLER_REG_WAITING, SELLER_REG_READY, 1},    {SELLER_REG_REFUSED, SELLER_REG_NONE, 1},
		{SELLER_REG_NONE, SELLER_REG_READY, 0},       {SELLER_REG_WAITING, SELLER_REG_SENDING, 0},
		{SELLER_REG_READY, SELLER_REG_NONE, 0},       {SELLER_REG_REFUSED, SELLER_REG_SENDING, 0},
		{SELLER_REG_NONE, SELLER_REG_COUNT, 0},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = seller_reg_transition(cases[i].from, cases[i].to, &err);

		cr_assert_eq(rc == 0, cases[i].ok, "%zu: %s", i, err.msg);
		if (!cases[i].ok) {
			cr_assert_eq(err.code, SETTLE_EX_DATAERR);
			cr_assert(strstr(err.msg, "cannot move"), "%s", err.msg);
		}
	}
}

Test(domain_seller, names_round_trip_and_payable)
{
	enum seller_reg r;

	for (int i = 0; i < SELLER_REG_COUNT; i++) {
		cr_assert_eq(seller_reg_parse(seller_reg_name((enum seller_reg)i), &r), 0);
		cr_assert_eq((int)r, i);
	}
	cr_assert_eq(seller_reg_parse("DONE", &r), -1);
	cr_assert_eq(seller_status_parse("APPROVED"), SELLER_ST_APPROVED);
	cr_assert_eq(seller_status_parse("NOT_FOUND"), SELLER_ST_UNKNOWN, "not a status Toss answers");
	cr_assert_eq(seller_status_parse("BANNED"), SELLER_ST_UNKNOWN);
	cr_assert_eq(seller_status_parse(NULL), SELLER_ST_UNKNOWN);
	cr_assert(seller_status_payable(SELLER_ST_APPROVED));
	cr_assert(seller_status_payable(SELLER_ST_PARTIALLY_APPROVED));
	cr_assert(!seller_status_payable(SELLER_ST_APPROVAL_REQUIRED));
	cr_assert(!seller_status_payable(SELLER_ST_KYC_REQUIRED));
	cr_assert(!seller_status_payable(SELLER_ST_UNKNOWN));
	cr_assert_eq(seller_reg_for_status(SELLER_ST_KYC_REQUIRED), SELLER_REG_WAITING);
	cr_assert_eq(seller_reg_for_status(SELLER_ST_PARTIALLY_APPROVED), SELLER_REG_READY);
}

Test(domain_seller, application_names_every_missing_field)
{
	struct settle_err err = {0};
	struct seller_application a = {.leader_id = "l1", .ref_seller_id = "l1", .kind = LEADER_INDIVIDUAL,
				       .name = "Kim", .email = "k@x.kr", .phone = "01012345678", .bank_code = "004",
				       .account = "12345678901", .holder = "Kim"};

	cr_assert_eq(seller_application_check(&a, &err), 0, "%s", err.msg);
	a.phone = "";
	a.account = NULL;
	cr_assert_eq(seller_application_check(&a, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "no phone, bank account"), "%s", err.msg);
	a.phone = "01012345678";
	a.account = "12345678901";
	a.kind = LEADER_CORPORATE;
	cr_assert_eq(seller_application_check(&a, &err), -1);
	cr_assert(strstr(err.msg, "representative_name, business_number"), "%s", err.msg);
	a.representative_name = "R";
	a.business_number = "2208123456";
	cr_assert_eq(seller_application_check(&a, &err), 0, "%s", err.msg);
}

Test(domain_seller, idempotency_key_derived)
{
	char k[96];

	seller_idempotency_key("leader-kim", 2, k, sizeof k);
	cr_assert_str_eq(k, "seller-leader-kim-2");
}

Test(domain_seller, phone_validated)
{
	static const char *const good[][2] = {{"01012345678", "01012345678"}, {"010-1234-5678", "01012345678"},
					      {"02-345-6789", "023456789"}, {"0212345678", "0212345678"}};
	static const char *const bad[] = {"", "1012345678", "010--1234", "-0101234567", "0101234567-", "0101234",
					  "010123456789", "010 1234 5678", "010.1234.5678"};
	struct settle_err err = {0};
	char out[12];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		cr_assert_eq(validate_phone("phone", good[i][0], out, sizeof out, &err), 0, "%s: %s", good[i][0], err.msg);
		cr_assert_str_eq(out, good[i][1]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(validate_phone("phone", bad[i], out, sizeof out, &err), -1, "%s accepted", bad[i]);
		cr_assert(strstr(err.msg, "phone"), "%s", err.msg);
	}
}
