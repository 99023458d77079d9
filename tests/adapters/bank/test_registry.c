/* test_registry.c — bank adapters by name: both open from their settings, unknown names and missing keys refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/bank/registry.h"

Test(adapters_bank_registry, names_and_open)
{
	struct bank_settings s = {0};
	struct settle_err err = {0};
	struct bank_port *p;
	char names[128];

	bank_registry_names(names, sizeof names);
	cr_assert_str_eq(names, "toss-payouts, bulk-file");
	cr_assert_str_eq(bank_adapter_at(0)->name, "toss-payouts");
	cr_assert_null(bank_adapter_at(2));

	snprintf(s.outbox_dir, sizeof s.outbox_dir, "/tmp");
	p = bank_open("bulk-file", &s, &err);
	cr_assert_not_null(p, "%s", err.msg);
	cr_assert_str_eq(p->name, "bulk-file");
	p->destroy(p->self);

	snprintf(s.base_url, sizeof s.base_url, "https://api.tosspayments.com");
	snprintf(s.secret_key, sizeof s.secret_key, "test_sk_x");
	snprintf(s.security_key, sizeof s.security_key, "%s",
		 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	p = bank_open("toss-payouts", &s, &err);
	cr_assert_not_null(p, "%s", err.msg);
	cr_assert_str_eq(p->name, "toss-payouts");
	cr_assert_eq(p->max_batch, 100);
	p->destroy(p->self);

	bank_settings_wipe(&s);
	cr_assert_eq(s.secret_key[0], 0);
	cr_assert_eq(s.security_key[0], 0);
}

Test(adapters_bank_registry, refusals_name_what_is_missing)
{
	struct bank_settings s = {0};
	struct settle_err err = {0};

	cr_assert_null(bank_open("swift", &s, &err));
	cr_assert_eq(err.code, 78);
	cr_assert_str_eq(err.msg, "unknown bank \"swift\"; known: toss-payouts, bulk-file");
	cr_assert_null(bank_open("toss-payouts", &s, &err));
	cr_assert(strstr(err.msg, "security_key_file"), "%s", err.msg);
	cr_assert_null(bank_open("bulk-file", &s, &err));
	cr_assert(strstr(err.msg, "outbox_dir"), "%s", err.msg);
}
