/*
 * domain/remittance.h — paying the tax kept to the tax office: withholding
 * (monthly, by the 10th of the next month) and VAT (per quarter), booked
 * as withholding_payable or vat_payable + / bank − (DESIGN.md §5).
 *
 * Rule: one remittance per kind and period; its entry key is
 * remittance:{kind}:{period}, so the ledger refuses a second one too; the
 * day it was paid is a real date, not before the period began and not in
 * the future.
 */
#ifndef SETTLE_DOMAIN_REMITTANCE_H
#define SETTLE_DOMAIN_REMITTANCE_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/journal.h"
#include "domain/postings.h"
#include "domain/report_period.h"

/* kind is "withholding" or "vat". */
int postings_remittance(const char *kind, const char *period, const char *currency, int64_t amount,
			struct journal_entry *je, char key[ENTRY_KEY_MAX], struct settle_err *err);

/* Checks --paid-on against the period and today (Korea time). */
int remittance_paid_on_ok(const char *paid_on, const struct period *p, int64_t now_us, struct settle_err *err);

#endif
