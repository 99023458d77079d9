/*
 * ports/report_queries.h — the read models of settle-report: settlements,
 * payouts (with what they carry), escrow balances as of an instant, a
 * leader's movements, withholding and VAT, streamed row by row from the
 * database; and the ledger sums the reports' totals must equal.
 *
 * Rule: a query never changes anything and holds no lock; rows are handed
 * to the callback while the cursor is open, so memory stays flat whatever
 * the period — the callback must not query again. Periods are UTC instants
 * [from, to) (domain/report_period.h); *_kst fields are Korea-time text
 * ("2026-11-24 19:00:00") formatted by the query.
 */
#ifndef SETTLE_PORTS_REPORT_QUERIES_H
#define SETTLE_PORTS_REPORT_QUERIES_H

#include <stdint.h>

#include "domain/err.h"
#include "domain/report_period.h"

struct rq_settlement {
	const char *public_id, *pod_id, *title, *leader_id, *currency, *status, *settled_kst;
	int64_t total, fee, supply, vat, leader_share, clawed_back;
	const char *payout_id, *payout_status; /* the live payout carrying it ("" when none) */
};

/* line "PAYOUT" is the payout itself; with detail, "SETTLEMENT",
 * "CLAWBACK" and "PAYMENT" lines follow it (item_ref, item_amount). */
struct rq_payout {
	const char *line, *public_id, *leader_id, *leader_kind, *currency, *channel, *status;
	const char *created_kst, *sent_kst, *paid_kst;
	int64_t gross, income_tax, local_tax, withholding, amount;
	const char *item_ref;
	int64_t item_amount;
};

/* Balances per pod at an instant, from the postings (signs as the
 * liability is owed: positive = held for the pod). */
struct rq_escrow {
	const char *pod_id, *title, *leader_id, *currency;
	int64_t held, disputed, released_unsettled;
};

/* One posting on leader_payable:{leader} (amount > 0: owed to the leader). */
struct rq_leader_line {
	const char *at_kst, *kind, *ref, *currency;
	int64_t amount;
};

struct rq_leader_summary {
	char name[101], kind[24], currency[4];
	int64_t opening, closing;           /* owed to the leader before / at the end (ledger) */
	int64_t paid_in, refunded;          /* captures and refunds on the leader's pods in the period */
	int64_t settled_total, fee, vat, leader_share, clawbacks, withholding, paid_out, reversed;
};

/* A payout sent in the period to an individual leader (rrn_sealed: the
 * AES-GCM ciphertext of the resident number, NULL when none is on file). */
struct rq_withholding {
	const char *leader_id, *name, *payout_id, *sent_kst, *currency;
	const unsigned char *rrn_sealed;
	size_t rrn_len;
	int64_t gross, income_tax, local_tax, withholding, amount;
};

/* The platform fee's supply value and VAT of one Korea-time month:
 * settlements minus clawbacks. */
struct rq_vat_month {
	const char *month, *currency;
	int64_t settlements, supply, vat, clawbacks, clawback_supply, clawback_vat;
};

/* What stays on a payable after a remittance: a payout whose withholding
 * is booked but not in the remitted month (not sent yet, or another month). */
struct rq_open_item {
	const char *ref, *status, *when_kst, *currency;
	int64_t amount;
};

/* What blocks a month's close: a pod completed in it with money not
 * settled, or a payout in doubt. */
struct rq_blocker {
	const char *what, *ref, *status, *detail;
	int64_t amount;
};

struct report_queries {
	void *self;
	int (*settlements)(void *self, const struct period *p, int (*fn)(void *arg, const struct rq_settlement *r),
			   void *arg, struct settle_err *err);
	int (*payouts)(void *self, const struct period *p, int detail, int (*fn)(void *arg, const struct rq_payout *r),
		       void *arg, struct settle_err *err);
	int (*escrow_at)(void *self, int64_t at_us, int (*fn)(void *arg, const struct rq_escrow *r), void *arg,
			 struct settle_err *err);
	/* 1 found (summary filled), 0 no such leader. */
	int (*leader_summary)(void *self, const char *leader_id, const struct period *p, struct rq_leader_summary *out,
			      struct settle_err *err);
	int (*leader_lines)(void *self, const char *leader_id, const struct period *p,
			    int (*fn)(void *arg, const struct rq_leader_line *r), void *arg, struct settle_err *err);
	int (*withholding)(void *self, const struct period *p, int (*fn)(void *arg, const struct rq_withholding *r),
			   void *arg, struct settle_err *err);
	int (*vat)(void *self, const struct period *p, int (*fn)(void *arg, const struct rq_vat_month *r), void *arg,
		   struct settle_err *err);
	/* Withholding booked on live payouts outside the month's sent ones. */
	int (*withholding_open)(void *self, const struct period *p, int (*fn)(void *arg, const struct rq_open_item *r),
				void *arg, struct settle_err *err);
	int (*close_blockers)(void *self, const struct period *p, int (*fn)(void *arg, const struct rq_blocker *r),
			      void *arg, struct settle_err *err);
	/* The ledger's balance of an account (exact name) over every posting. */
	int (*balance)(void *self, const char *account, const char *currency, int64_t *out, struct settle_err *err);
};

#endif
