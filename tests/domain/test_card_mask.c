/*
 * domain/card_mask: which card numbers settle may keep (PCI DSS: at most
 * the first eight and last four digits in clear). The PGs' own truncated
 * forms pass; a full number, with or without separators, a number with
 * too few masked, digits in the middle, other characters, or a length
 * that is not a card's are refused; issuer codes are short alphanumerics.
 */
#include <criterion/criterion.h>

#include "domain/card_mask.h"

Test(domain_card_mask, the_pgs_truncated_numbers_are_kept)
{
	static const char *const ok[] = {
		"43301234****123*",    /* Toss's documented form */
		"433012******1234",    /* first six, last four */
		"536112******1234",    /* NicePay */
		"5361-12**-****-1234", /* grouped */
		"4330 12XX XXXX 1234",
		"3712-34****-*1234",   /* 15 positions, 4 masked */
		"43301234*******1234", /* 19 positions */
		"4330123*****1",       /* 13 positions */
	};

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		cr_assert_eq(card_number_keepable(ok[i]), 1, "%s", ok[i]);
}

Test(domain_card_mask, anything_more_than_pci_dss_allows_is_refused)
{
	static const char *const bad[] = {
		"4330123456789012",      /* full */
		"4330-1234-5678-9012",   /* full, grouped */
		"4330 1234 5678 9012",
		"433012345678901*",      /* only one masked */
		"433012345***9012",      /* three masked in 16 */
		"37123456***1234",       /* three masked in 15 */
		"****123456789012",      /* digits in the middle */
		"4330****5678****",      /* a clear digit after the eighth position, before the last four */
		"1234567890123",         /* 13 digits, none masked */
		"4330123456789012345",   /* 19 digits */
		"43301234****123*x1234567890123456789", /* too long */
		"****1234",              /* too short for a card */
		"************",          /* no card at all */
		"4330 1234 ****; 1234",  /* other characters */
		"",
		"?",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_eq(card_number_keepable(bad[i]), 0, "%s", bad[i]);
	cr_assert_eq(card_number_keepable(NULL), 0);
}

Test(domain_card_mask, issuer_codes)
{
	cr_assert_eq(card_issuer_keepable("11"), 1);
	cr_assert_eq(card_issuer_keepable("04"), 1);
	cr_assert_eq(card_issuer_keepable("3K"), 1);
	cr_assert_eq(card_issuer_keepable(""), 0);
	cr_assert_eq(card_issuer_keepable(NULL), 0);
	cr_assert_eq(card_issuer_keepable("1 1"), 0);
	cr_assert_eq(card_issuer_keepable("12345678901234567"), 0);
	cr_assert_eq(card_issuer_keepable("삼성"), 0);
}
