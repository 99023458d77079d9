/*
 * domain/payout.h — a payout to a leader: its states (DESIGN.md §6) and
 * what it carries.
 *
 * PENDING → SENDING → SENT → PAID | FAILED | RETURNED; SENDING → PAID |
 * FAILED (an answer that says so at once); PAID → RETURNED (the receiving
 * bank sent it back); HELD (no account yet) → PENDING. FAILED and RETURNED
 * are final: the payout's entries are reversed and what it carried is
 * carried by the next one.
 */
#ifndef SETTLE_DOMAIN_PAYOUT_H
#define SETTLE_DOMAIN_PAYOUT_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/settlement.h"

enum payout_status {
	PAYOUT_HELD = 0,
	PAYOUT_PENDING,
	PAYOUT_SENDING,
	PAYOUT_SENT,
	PAYOUT_PAID,
	PAYOUT_FAILED,
	PAYOUT_RETURNED,
	PAYOUT_STATUS_COUNT
};

const char *payout_status_name(enum payout_status s);
int payout_status_parse(const char *name, enum payout_status *out);
int payout_transition(enum payout_status from, enum payout_status to, struct settle_err *err);

struct payout_rec {
	int64_t id;
	char public_id[41];
	char leader_id[65];
	enum leader_kind leader_kind;
	char currency[4];
	int64_t gross, income_tax, local_tax, withholding, amount;
	enum payout_status status;
	char channel[24];
	char idempotency_key[129];
	char bank_reference[129];
	char failure_code[65];
	char failure_message[256];
	char business_date[11];
	char next_check_at[32];
	int doubt_count;
};

/* What a payout carries: a settlement (+ its leader share) or a clawback
 * (− its leader part). */
enum carry_kind { CARRY_SETTLEMENT = 0, CARRY_CLAWBACK };

struct carry_item {
	enum carry_kind kind;
	int64_t id;
	int64_t amount; /* signed: what it adds to the payout's gross */
	char currency[4];
};

const char *carry_kind_name(enum carry_kind k);

/* The gross of a set of items, overflow-checked; refuses mixed currencies. */
int payout_gross(const struct carry_item *items, size_t n, int64_t *gross, char currency[4], struct settle_err *err);

#endif
