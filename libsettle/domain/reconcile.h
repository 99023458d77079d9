/*
 * domain/reconcile.h — PG reconciliation: our captures and refunds against
 * the PG's settlement records (one record per PG transaction: the approval
 * of a payment, or one cancel of it), and the entry that books a record
 * the PG has settled.
 *
 * Rules:
 *  - a PG record is well formed only if payOutAmount = amount − fee, the
 *    fee's supply value and VAT add up to the fee (when given), an approval
 *    is positive and a cancel negative, and its dates are calendar dates;
 *    a record that breaks one is refused, never "corrected";
 *  - a record matches our event of the same payment and kind: a cancel by
 *    the PG's transaction key when we kept it, otherwise by amount; an
 *    approval is the payment's one approval;
 *  - only a MATCHED record is booked, once (its entry key is derived from
 *    the PG and the record's transaction key), and only once it is paid out.
 */
#ifndef SETTLE_DOMAIN_RECONCILE_H
#define SETTLE_DOMAIN_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/journal.h"
#include "domain/postings.h"

#define RECON_KEY_MAX 201  /* Toss paymentKey ≤ 200 */
#define RECON_TX_MAX 65    /* a PG transaction key: 1–64 of [A-Za-z0-9_-] */
#define RECON_ORDER_MAX 65
#define RECON_REF_MAX 48   /* our pay_… / ref_… */
#define RECON_PG_MAX 16

enum recon_kind {
	RECON_PAYMENT = 1, /* the approval (capture) of a payment */
	RECON_CANCEL = 2,  /* one cancel of it (our refund) */
};

const char *recon_kind_name(enum recon_kind k); /* "payment", "cancel" */

/* One money event of ours: a capture (+amount) or a completed refund
 * (−amount), with the day it happened (Korea time). */
struct recon_ours {
	char pg[RECON_PG_MAX];
	char payment_key[RECON_KEY_MAX];
	char order_id[RECON_ORDER_MAX];
	char ref[RECON_REF_MAX];             /* pay_… or ref_… */
	enum recon_kind kind;
	char transaction_key[129];           /* refunds: the PG's cancel key as we recorded it, or "" */
	int64_t amount;                      /* signed: capture +, refund − */
	char currency[4];
	char date[11];                       /* YYYY-MM-DD, Korea time */
};

/* One settlement record of the PG, as read by an adapter (API or file). */
struct recon_record {
	char pg[RECON_PG_MAX];
	char payment_key[RECON_KEY_MAX];
	char transaction_key[RECON_TX_MAX];  /* unique per record at the PG */
	char order_id[RECON_ORDER_MAX];      /* "" when the PG did not send it */
	enum recon_kind kind;
	int64_t amount;                      /* signed: approval +, cancel − */
	int64_t fee;                         /* the PG's fee (VAT included), signed like amount */
	int64_t fee_supply, fee_vat;         /* its split; both 0 when the PG gave none */
	int64_t payout;                      /* payOutAmount = amount − fee */
	char currency[4];
	char sold_date[11], paid_out_date[11];
	long line;                           /* file line or 1-based position in the API's answer */
};

/* Checks one record (the rules above); err names the field. */
int recon_record_check(const struct recon_record *r, struct settle_err *err);

/* Order of records: payment key, kind, transaction key (bytes). */
int recon_record_cmp(const struct recon_record *a, const struct recon_record *b);
/* Order by transaction key alone (for finding duplicates). */
int recon_record_cmp_tx(const struct recon_record *a, const struct recon_record *b);

/* The first and one-past-last index of records with this payment key in
 * an array sorted by recon_record_cmp. */
void recon_range(const struct recon_record *recs, size_t n, const char *payment_key, size_t *lo, size_t *hi);

/* Which of recs[lo..hi) (one payment's records, sorted) our event o is:
 * an unused record of o's kind — the one with o's transaction key, else
 * one with o's amount, else the first unused one (a difference). -1 when
 * none is left (o is missing at the PG). */
long recon_pick(const struct recon_ours *o, const struct recon_record *recs, size_t lo, size_t hi,
		const unsigned char *used);

enum recon_status {
	RECON_MATCHED = 0,
	RECON_MISSING,   /* ours, not in the PG's records */
	RECON_EXTRA,     /* the PG's, not ours */
	RECON_DIFFERENT, /* both, but amount or currency differ */
	RECON_NSTATUS,
};

const char *recon_status_name(enum recon_status s); /* "matched", "missing", "extra", "different" */

struct recon_finding {
	enum recon_status status;
	const struct recon_ours *ours;     /* NULL for EXTRA */
	const struct recon_record *pg;     /* NULL for MISSING */
	int64_t difference;                /* pg amount − our amount (a missing side counts 0) */
	const char *why;                   /* one phrase, "" when matched */
};

/* The finding for a pair (either side may be NULL, not both). */
int recon_compare(const struct recon_ours *o, const struct recon_record *r, struct recon_finding *f,
		  struct settle_err *err);

struct recon_totals {
	int64_t count[RECON_NSTATUS];
	int64_t ours;        /* sum of our amounts */
	int64_t pg_amount;   /* sum of the PG's amounts */
	int64_t pg_fee;
	int64_t pg_payout;
	int64_t difference;  /* pg_amount − ours */
	int64_t postable;    /* matched records paid out by today */
	int64_t posted;      /* booked by this run */
	int64_t already;     /* booked by an earlier run */
};

/* Adds a finding to the totals; overflow is an error. */
int recon_tally(struct recon_totals *t, const struct recon_finding *f, struct settle_err *err);

/* 1 when a record may be booked on `today` (YYYY-MM-DD, Korea time): it
 * matched and its payout day has come. */
int recon_postable(const struct recon_finding *f, const char *today);

#define RECON_ENTRY_KIND "pg_settlement"

/* Where the PG puts what it settles: into our bank account, or into our
 * balance at the PG (Toss payouts v2 pays leaders out of that balance, so
 * the money stays what the PG owes us until it is withdrawn). */
enum recon_into { RECON_INTO_BANK = 0, RECON_INTO_PG = 1 };

/* The PG's settlement of one record. Into the bank: bank +payout,
 * pg_fee_expense +fee, pg_clearing:{pg} −amount. Into the PG balance:
 * pg_fee_expense +fee, pg_clearing:{pg} −fee (the rest stays owed).
 * Signs flip for a cancel; zero legs are left out. Key
 * "pg_settlement:{pg}:{transaction key}", ref "{pg}:{transaction key}".
 * Returns 1 with the entry built, 0 when nothing moves (into the PG
 * balance with no fee), -1 on error. */
int postings_pg_settlement(const struct recon_record *r, enum recon_into into, struct journal_entry *e,
			   char key[ENTRY_KEY_MAX], struct settle_err *err);

#endif
