/*
 * popbill.h — the e-invoice port over an HTTP API in the shape of Popbill's
 * (research/tax.md §8; linkhub-sdk/popbill.py): a LinkHub token (scopes
 * member and 110) for the platform's corp number, then
 *   registIssue  POST /Taxinvoice, X-HTTP-Method-Override: ISSUE, JSON
 *                {writeDate, issueType 정발행, purposeType 영수, taxType 과세,
 *                 invoicer…, invoicee…, supplyCostTotal, taxTotal, totalAmount,
 *                 modifyCode, orgNTSConfirmNum, forceIssue, detailList[…]}
 *                → {code: 1, message, ntsConfirmNum}
 *   getInfo      GET /Taxinvoice/SELL/{mgtKey} → {itemKey, stateCode,
 *                ntsconfirmNum}; not found: code -11000005
 * with Authorization: Bearer, x-pb-version: 1.0 (and x-pb-userid).
 *
 * Outcomes: 200 with an approval number → issued; 4xx with {code, message}
 * → refused for good (a duplicate key → in doubt, look it up); 401/403 →
 * 78; not connected → 69 (nothing sent); time-out, 5xx, a broken answer →
 * 75 in doubt.
 */
#ifndef SETTLE_ADAPTERS_EINVOICE_POPBILL_H
#define SETTLE_ADAPTERS_EINVOICE_POPBILL_H

#include "domain/err.h"
#include "ports/einvoice.h"

/* Popbill's code for "no document under this key" (popbill.py). */
#define POPBILL_NOT_FOUND (-11000005)
/* The sandbox's code for a key already used (the real code is UNCONFIRMED). */
#define POPBILL_DUPLICATE_KEY (-11000009)

struct popbill_config {
	const char *base_url;   /* https://popbill.linkhub.co.kr */
	const char *auth_url;   /* https://auth.linkhub.co.kr */
	const char *service_id; /* POPBILL, POPBILL_TEST */
	const char *link_id;
	const char *secret_key; /* base64; never printed */
	const char *corp_num;   /* the platform's business number */
	const char *user_id;    /* x-pb-userid, may be NULL */
	long connect_timeout_ms, timeout_ms;
};

struct popbill;

int popbill_new(struct popbill **out, const struct popbill_config *cfg, struct settle_err *err);
void popbill_free(struct popbill *p);
void popbill_port(struct einvoice_port *out, struct popbill *p);

/* The registIssue body (malloc'd JSON); for tests. */
char *popbill_issue_body(const struct invoice_doc *d, const char *corp_num);

#endif
