/*
 * fuzz_domain.c — the parsers of domain/ that read text an operator or a
 * file supplies: money amounts, UTC times, refund policies (steps and
 * dated versions) and dated withholding rates. Each parse that succeeds
 * is used the way the programs use it, so what it accepted is sound.
 */
#include "fuzz/fuzz.h"

#include <stdlib.h>

#include "domain/money.h"
#include "domain/rates.h"
#include "domain/refund_policy.h"
#include "domain/timefmt.h"

static const char *const currencies[] = {"KRW", "USD", "JPY", "BHD", "XXX"};

/* Byte 0 picks the currency, the rest is the amount text. */
int fuzz_money(const uint8_t *data, size_t size)
{
	struct settle_err err = {0};
	struct money m;
	char *text, buf[64];

	if (size < 1)
		return 0;
	text = fuzz_cstr(data + 1, size - 1);
	if (!text)
		return 0;
	if (money_parse(&m, text, currencies[data[0] % 5], &err) == 0)
		(void)money_format(buf, sizeof buf, m);
	free(text);
	return 0;
}

int fuzz_timefmt(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), sql[TIME_SQL_LEN], day[9];
	int64_t us;

	if (!text)
		return 0;
	if (time_parse_utc(text, &us) == 0) {
		time_sql(us, sql);
		time_kst_yyyymmdd(us, day);
	}
	free(text);
	return 0;
}

/* Byte 0: 0 mod 2 the steps of one policy, else dated versions. */
int fuzz_refund_policy(const uint8_t *data, size_t size)
{
	static struct policy_versions vs;
	struct settle_err err = {0};
	struct refund_policy p;
	char *text, buf[128];

	if (size < 1)
		return 0;
	text = fuzz_cstr(data + 1, size - 1);
	if (!text)
		return 0;
	if (data[0] & 1) {
		if (refund_policy_versions_parse(text, &vs, &err) == 0)
			(void)refund_policy_version_at(&vs, "2026-06-01");
	} else if (refund_policy_parse(text, &p, &err) == 0) {
		struct policy_facts f = {"2026-02-01", "2026-03-01", "2026-02-10", 50000, 0};
		struct policy_quote q;

		for (size_t i = 0; i < p.n; i++)
			refund_policy_step_text(&p.s[i], buf, sizeof buf);
		/* Before, during and long after the pod, as a refund asks. */
		(void)refund_policy_quote(&p, &f, &q, &err);
		f.today = "2025-01-01";
		(void)refund_policy_quote(&p, &f, &q, &err);
		f.today = "2036-12-31";
		f.paid = INT64_MAX / 2;
		(void)refund_policy_quote(&p, &f, &q, &err);
	}
	free(text);
	return 0;
}

int fuzz_rates(const uint8_t *data, size_t size)
{
	static struct rate_table t;
	struct settle_err err = {0};
	struct withholding_rates r;
	char *text = fuzz_cstr(data, size);

	if (!text)
		return 0;
	if (rates_parse(text, &t, &err) == 0)
		(void)rates_at(&t, "2026-06-01", &r, &err);
	free(text);
	return 0;
}
