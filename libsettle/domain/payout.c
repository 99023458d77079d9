/* payout.c — payout states and what a payout carries (see payout.h). */
#include "domain/payout.h"

#include <stdbool.h>
#include <string.h>

#include "domain/money.h"

static const char *const names[PAYOUT_STATUS_COUNT] = {"HELD", "PENDING", "SENDING", "SENT",
						       "PAID", "FAILED",  "RETURNED"};

/* moves[from][to] */
static const bool moves[PAYOUT_STATUS_COUNT][PAYOUT_STATUS_COUNT] = {
	[PAYOUT_HELD] = {[PAYOUT_PENDING] = true},
	[PAYOUT_PENDING] = {[PAYOUT_SENDING] = true, [PAYOUT_HELD] = true},
	[PAYOUT_SENDING] = {[PAYOUT_SENT] = true, [PAYOUT_PAID] = true, [PAYOUT_FAILED] = true},
	[PAYOUT_SENT] = {[PAYOUT_PAID] = true, [PAYOUT_FAILED] = true, [PAYOUT_RETURNED] = true},
	[PAYOUT_PAID] = {[PAYOUT_RETURNED] = true},
};

const char *payout_status_name(enum payout_status s)
{
	return (unsigned)s < PAYOUT_STATUS_COUNT ? names[s] : "?";
}

int payout_status_parse(const char *name, enum payout_status *out)
{
	for (int i = 0; name && i < PAYOUT_STATUS_COUNT; i++)
		if (!strcmp(names[i], name)) {
			*out = (enum payout_status)i;
			return 0;
		}
	return -1;
}

int payout_transition(enum payout_status from, enum payout_status to, struct settle_err *err)
{
	if ((unsigned)from >= PAYOUT_STATUS_COUNT || (unsigned)to >= PAYOUT_STATUS_COUNT || !moves[from][to])
		return err_set(err, SETTLE_EX_DATAERR, "payout cannot move from %s to %s", payout_status_name(from),
			       payout_status_name(to));
	return 0;
}

const char *carry_kind_name(enum carry_kind k)
{
	return k == CARRY_CLAWBACK ? "CLAWBACK" : "SETTLEMENT";
}

int payout_gross(const struct carry_item *items, size_t n, int64_t *gross, char currency[4], struct settle_err *err)
{
	int64_t g = 0;

	currency[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (currency[0] && strcmp(currency, items[i].currency))
			return err_set(err, SETTLE_EX_DATAERR, "a payout cannot carry both %s and %s", currency,
				       items[i].currency);
		memcpy(currency, items[i].currency, 4);
		if (i64_add(&g, g, items[i].amount) < 0)
			return err_set(err, SETTLE_EX_DATAERR, "a payout's gross overflows");
	}
	*gross = g;
	return 0;
}
