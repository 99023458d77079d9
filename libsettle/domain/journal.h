/*
 * journal.h — building a balanced (debit = credit) journal entry.
 *
 * Rule: an entry is written only if journal_check() accepts it: at least
 * two postings, no zero posting, known accounts and currencies, and the
 * postings sum to zero per currency. amount > 0 is a debit, < 0 a credit.
 */
#ifndef SETTLE_DOMAIN_JOURNAL_H
#define SETTLE_DOMAIN_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "domain/money.h"

#define JOURNAL_MAX_POSTINGS 16
#define ACCOUNT_MAX 128
#define JOURNAL_KIND_MAX 32
#define JOURNAL_REF_MAX 96

enum account_kind {
	ACCOUNT_UNKNOWN = 0,
	ACCOUNT_ASSET,     /* normal balance: debit (>= 0) */
	ACCOUNT_LIABILITY, /* normal balance: credit (<= 0) */
	ACCOUNT_INCOME,    /* normal balance: credit (<= 0) */
	ACCOUNT_EXPENSE,   /* normal balance: debit (>= 0) */
};

struct posting {
	char account[ACCOUNT_MAX]; /* "pg_clearing", "escrow:pod-1" … */
	int64_t amount;
	char cur[4];
};

struct journal_entry {
	char kind[JOURNAL_KIND_MAX];   /* "capture", "refund", "reversal" … */
	char ref[JOURNAL_REF_MAX];     /* what it is about: "pay_…", "ref_…" */
	int64_t reverses;              /* id of the entry this one reverses, or 0 */
	size_t n;
	struct posting postings[JOURNAL_MAX_POSTINGS];
};

/* The kind of an account name ("escrow:pod-1" -> liability); the part
 * after ':' is the sub-account key and must be non-empty where the
 * account takes one. */
enum account_kind account_kind(const char *account);
const char *account_kind_name(enum account_kind kind);
/* True when a balance of this sign is allowed for the kind. */
int account_balance_sign_ok(enum account_kind kind, int64_t balance);

/* Formats "escrow:{key}" style names; fails when the result is too long. */
int account_name(char *buf, size_t len, const char *base, const char *key, struct settle_err *err);

void journal_init(struct journal_entry *e, const char *kind, const char *ref);
int journal_post(struct journal_entry *e, const char *account, int64_t amount, const char *cur,
		 struct settle_err *err);
/* Debit one account and credit another with the same positive amount. */
int journal_move(struct journal_entry *e, const char *debit, const char *credit, struct money amount,
		 struct settle_err *err);
int journal_check(const struct journal_entry *e, struct settle_err *err);

#endif
