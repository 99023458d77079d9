/* test_api_access.c — api_access.h: each role does only its own actions,
 * on only its own things; an unknown role does nothing. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/api_access.h"

static struct api_principal who(enum api_role r, const char *sub)
{
	struct api_principal p = {"", r};

	strcpy(p.sub, sub);
	return p;
}

Test(domain_api_access, roles)
{
	struct api_principal u = who(API_ROLE_USER, "u-1"), l = who(API_ROLE_LEADER, "l-1"),
			     a = who(API_ROLE_ADMIN, "ops"), n = who(API_ROLE_NONE, "u-1");

	cr_assert(api_may(&u, API_ORDER, NULL));
	cr_assert(!api_may(&l, API_ORDER, NULL) && !api_may(&a, API_ORDER, NULL) && !api_may(&n, API_ORDER, NULL));
	cr_assert(api_may(&u, API_CONFIRM, "u-1") && !api_may(&u, API_CONFIRM, "u-2") && !api_may(&a, API_CONFIRM, "u-1"));
	cr_assert(api_may(&u, API_PAYMENT_READ, "u-1") && !api_may(&u, API_PAYMENT_READ, "u-10"));
	cr_assert(api_may(&a, API_PAYMENT_READ, "u-1") && !api_may(&l, API_PAYMENT_READ, "l-1"));
	cr_assert(api_may(&u, API_PAYMENT_REFUND, "u-1") && !api_may(&u, API_PAYMENT_REFUND, "u-2"));
	cr_assert(!api_may(&l, API_PAYMENT_REFUND, "l-1") && api_may(&a, API_PAYMENT_REFUND, "u-2"));
	cr_assert(api_may(&l, API_SETTLEMENTS_READ, "l-1") && !api_may(&l, API_SETTLEMENTS_READ, "l-2"));
	cr_assert(!api_may(&u, API_SETTLEMENTS_READ, "u-1") && api_may(&a, API_SETTLEMENTS_READ, "l-2"));
	cr_assert(api_may(&a, API_SETTLE_EXECUTE, NULL));
	cr_assert(!api_may(&u, API_SETTLE_EXECUTE, NULL) && !api_may(&l, API_SETTLE_EXECUTE, NULL));
	cr_assert(!api_may(&n, API_PAYMENT_READ, "u-1") && !api_may(&n, API_SETTLE_EXECUTE, NULL));
	/* an owner of NULL or "" is nobody's */
	cr_assert(!api_may(&u, API_PAYMENT_READ, NULL) && !api_may(&u, API_PAYMENT_READ, ""));
}

Test(domain_api_access, role_names)
{
	cr_assert_eq(api_role_parse("user"), API_ROLE_USER);
	cr_assert_eq(api_role_parse("leader"), API_ROLE_LEADER);
	cr_assert_eq(api_role_parse("admin"), API_ROLE_ADMIN);
	cr_assert_eq(api_role_parse("ADMIN"), API_ROLE_NONE);
	cr_assert_eq(api_role_parse(NULL), API_ROLE_NONE);
}
