/* strbuf: appends grow the string, it stays NUL-ended, nothing appended
 * leaves it NULL. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "domain/strbuf.h"

Test(domain_strbuf, grows_and_stays_terminated)
{
	struct strbuf b = {0};

	cr_assert_null(b.s);
	for (int i = 0; i < 1000; i++)
		strbuf_adds(&b, "ab");
	strbuf_add(&b, "xyz", 1);
	cr_assert_eq(b.n, 2001u);
	cr_assert_eq(strlen(b.s), 2001u);
	cr_assert_eq(b.s[2000], 'x');
	cr_assert_eq(b.oom, 0);
	free(b.s);
}
