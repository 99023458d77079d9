/*
 * domain/watch: the card rule and the tamper rule of issue 14. One masked
 * card (with its issuer) failing or paying more than card_burst_count
 * times fires, at the count exactly it does not; the subject names the
 * issuer and the truncated number. Tamper refusals fire above
 * tamper_count, and the detail names the tamper window.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/watch.h"

Test(domain_watch_card, a_card_failing_more_than_n_times_fires_at_n_it_does_not)
{
	struct watch_limits l;
	struct watch_fire f;

	watch_limits_default(&l);
	l.card_burst_count = 3;
	l.card_burst_window_s = 900;
	cr_assert_eq(watch_card_burst("43301234****123*", "11", 3, 0, &l, &f), 0);
	cr_assert_eq(watch_card_burst("43301234****123*", "11", 3, 3, &l, &f), 0);
	cr_assert_eq(watch_card_burst("43301234****123*", "11", 4, 0, &l, &f), 1);
	cr_assert_str_eq(f.rule, "card.failures");
	cr_assert_str_eq(f.subject, "11:43301234****123*");
	cr_assert_str_eq(f.value, "4");
	cr_assert_str_eq(f.threshold, "<= 3 in 900 s");
	cr_assert(strstr(f.detail, "4 failed and 0 paid"), "%s", f.detail);
	cr_assert_eq(watch_card_burst("536112******1234", "", 0, 4, &l, &f), 1);
	cr_assert_str_eq(f.rule, "card.payments");
	cr_assert_str_eq(f.subject, "-:536112******1234");
}

Test(domain_watch_card, defaults_and_the_tamper_window)
{
	struct watch_limits l;
	struct watch_fire f;

	watch_limits_default(&l);
	cr_assert_eq(l.card_burst_count, 5);
	cr_assert_eq(l.card_burst_window_s, 600);
	cr_assert_eq(l.tamper_window_s, 300);
	cr_assert_eq(watch_tamper(0, &l, &f), 0);
	l.tamper_count = 2;
	l.tamper_window_s = 3600;
	cr_assert_eq(watch_tamper(2, &l, &f), 0);
	cr_assert_eq(watch_tamper(3, &l, &f), 1);
	cr_assert_str_eq(f.rule, "payment.amount_tamper");
	cr_assert(strstr(f.detail, "in 3600 s"), "%s", f.detail);
}
