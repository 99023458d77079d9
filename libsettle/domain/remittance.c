/* remittance.c — the remittance's entry and its date rule (see remittance.h). */
#include "domain/remittance.h"

#include <stdio.h>
#include <string.h>

int postings_remittance(const char *kind, const char *period, const char *currency, int64_t amount,
			struct journal_entry *je, char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	char ref[JOURNAL_REF_MAX], payable[ACCOUNT_MAX];
	struct money m;

	if (strcmp(kind, "withholding") && strcmp(kind, "vat"))
		return err_set(err, SETTLE_EX_SOFTWARE, "unknown remittance kind %s", kind);
	if (amount <= 0)
		return err_set(err, SETTLE_EX_DATAERR, "nothing to remit: %s for %s is %lld", kind, period,
			       (long long)amount);
	snprintf(ref, sizeof ref, "%s:%s", kind, period);
	snprintf(payable, sizeof payable, "%s_payable", kind);
	journal_init(je, "remittance", ref);
	snprintf(key, ENTRY_KEY_MAX, "remittance:%s", ref);
	memcpy(m.cur, currency, sizeof m.cur);
	m.cur[3] = '\0';
	m.minor = amount;
	return journal_move(je, payable, "bank", m, err);
}

int remittance_paid_on_ok(const char *paid_on, const struct period *p, int64_t now_us, struct settle_err *err)
{
	struct period day;

	if (period_day("--paid-on", paid_on, &day, err) < 0)
		return -1;
	if (day.from_us < p->from_us)
		return err_set(err, SETTLE_EX_DATAERR, "--paid-on %s is before the period %s began", paid_on, p->label);
	if (day.from_us > now_us)
		return err_set(err, SETTLE_EX_DATAERR, "--paid-on %s is in the future (Korea time)", paid_on);
	return 0;
}
