/*
 * seller.h — a leader as a payouts seller (Toss payouts v2, research/
 * pg-apis.md T8): the registration's states, the seller statuses the
 * payouts provider reports, and what an application must carry.
 *
 * Registration: NONE → SENDING (intent committed) → WAITING | READY |
 * REFUSED | IN_DOUBT; IN_DOUBT → SENDING (looked up, not found: sent again
 * with the same key) | WAITING | READY; WAITING → READY (approved) or
 * stays; REFUSED → NONE (data corrected by load-leaders). A leader in
 * doubt is always looked up by its refSellerId before anything is sent
 * again.
 */
#ifndef SETTLE_DOMAIN_SELLER_H
#define SETTLE_DOMAIN_SELLER_H

#include <stddef.h>

#include "domain/err.h"
#include "domain/settlement.h"

enum seller_reg {
	SELLER_REG_NONE = 0,
	SELLER_REG_SENDING,
	SELLER_REG_IN_DOUBT,
	SELLER_REG_WAITING,
	SELLER_REG_READY,
	SELLER_REG_REFUSED,
	SELLER_REG_COUNT,
};

enum seller_status {
	SELLER_ST_UNKNOWN = 0, /* a status this code does not know */
	SELLER_ST_APPROVAL_REQUIRED,
	SELLER_ST_PARTIALLY_APPROVED,
	SELLER_ST_KYC_REQUIRED,
	SELLER_ST_APPROVED,
	SELLER_ST_NOT_FOUND,
};

const char *seller_reg_name(enum seller_reg r);
int seller_reg_parse(const char *name, enum seller_reg *out);
int seller_reg_transition(enum seller_reg from, enum seller_reg to, struct settle_err *err);

const char *seller_status_name(enum seller_status s);
enum seller_status seller_status_parse(const char *name); /* SELLER_ST_UNKNOWN when not known */
/* Payouts are allowed for PARTIALLY_APPROVED and APPROVED sellers only
 * (FORBIDDEN_SELLER_PAYOUT otherwise). */
int seller_status_payable(enum seller_status s);
/* Where a registered seller's registration stands: READY when payable. */
enum seller_reg seller_reg_for_status(enum seller_status s);

/* What a registration sends about a leader. Strings borrowed. */
struct seller_application {
	const char *leader_id;
	const char *ref_seller_id;   /* the leader's id: Toss never reuses one */
	const char *idempotency_key; /* derived from ref_seller_id and the attempt */
	enum leader_kind kind;       /* → businessType */
	const char *name;            /* the individual's, or the company's */
	const char *representative_name; /* companies */
	const char *business_number;      /* companies: 10 digits */
	const char *email;
	const char *phone;           /* digits */
	const char *bank_code;       /* 3 digits */
	const char *account;         /* clear text for the call only; never logged */
	const char *holder;
};

/* 0 when a has everything its kind needs; else -1 with err (EX_DATAERR)
 * naming every missing field ("phone, representative_name"), never a
 * value. */
int seller_application_check(const struct seller_application *a, struct settle_err *err);

/* "seller-{ref}-{attempt}" into out (at least 96 bytes). */
void seller_idempotency_key(const char *ref_seller_id, int attempt, char *out, size_t len);

#endif
