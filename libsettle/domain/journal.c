/*
 * journal.c — the balanced-entry rule and the chart of accounts
 * (DESIGN.md §5). The chart lives here, in one table, so the writer and
 * ledger-check agree on which sign each account may carry.
 */
#include "domain/journal.h"

#include <stdio.h>
#include <string.h>

struct chart_row {
	const char *base;
	enum account_kind kind;
	int has_key; /* 1: "base:key" required, 0: plain name, 2: either */
};

static const struct chart_row chart[] = {
	/* pg_clearing:{pg}: what each PG owes (reconciled per PG); the plain
	 * name stays valid for manual entries and older ledgers. */
	{"pg_clearing", ACCOUNT_ASSET, 2},
	{"escrow", ACCOUNT_LIABILITY, 1},
	{"released", ACCOUNT_LIABILITY, 1},
	{"leader_payable", ACCOUNT_LIABILITY, 1},
	{"platform_revenue", ACCOUNT_INCOME, 0},
	{"vat_payable", ACCOUNT_LIABILITY, 0},
	{"withholding_payable", ACCOUNT_LIABILITY, 0},
	{"bank", ACCOUNT_ASSET, 0},
	{"pg_fee_expense", ACCOUNT_EXPENSE, 0},
};

enum account_kind account_kind(const char *account)
{
	const char *colon;
	size_t base_len;

	if (!account || !*account)
		return ACCOUNT_UNKNOWN;
	colon = strchr(account, ':');
	base_len = colon ? (size_t)(colon - account) : strlen(account);
	for (size_t i = 0; i < sizeof chart / sizeof chart[0]; i++) {
		if (strlen(chart[i].base) != base_len || strncmp(chart[i].base, account, base_len))
			continue;
		if (chart[i].has_key != 2 && chart[i].has_key != (colon != NULL))
			return ACCOUNT_UNKNOWN;
		if (colon && (!colon[1] || strchr(colon + 1, ':')))
			return ACCOUNT_UNKNOWN;
		return chart[i].kind;
	}
	return ACCOUNT_UNKNOWN;
}

const char *account_kind_name(enum account_kind kind)
{
	switch (kind) {
	case ACCOUNT_ASSET: return "asset";
	case ACCOUNT_LIABILITY: return "liability";
	case ACCOUNT_INCOME: return "income";
	case ACCOUNT_EXPENSE: return "expense";
	default: return "unknown";
	}
}

int account_balance_sign_ok(enum account_kind kind, int64_t balance)
{
	switch (kind) {
	case ACCOUNT_ASSET:
	case ACCOUNT_EXPENSE:
		return balance >= 0;
	case ACCOUNT_LIABILITY:
	case ACCOUNT_INCOME:
		return balance <= 0;
	default:
		return 0;
	}
}

int account_name(char *buf, size_t len, const char *base, const char *key, struct settle_err *err)
{
	int n = key ? snprintf(buf, len, "%s:%s", base, key) : snprintf(buf, len, "%s", base);

	if (n < 0 || (size_t)n >= len)
		return err_set(err, SETTLE_EX_DATAERR, "account name %s:%s is too long", base, key ? key : "");
	if (account_kind(buf) == ACCOUNT_UNKNOWN)
		return err_set(err, SETTLE_EX_DATAERR, "unknown account %s", buf);
	return 0;
}

void journal_init(struct journal_entry *e, const char *kind, const char *ref)
{
	memset(e, 0, sizeof *e);
	snprintf(e->kind, sizeof e->kind, "%s", kind ? kind : "");
	snprintf(e->ref, sizeof e->ref, "%s", ref ? ref : "");
}

int journal_post(struct journal_entry *e, const char *account, int64_t amount, const char *cur,
		 struct settle_err *err)
{
	struct posting *p;

	if (e->n >= JOURNAL_MAX_POSTINGS)
		return err_set(err, SETTLE_EX_SOFTWARE, "journal entry %s has more than %d postings", e->kind,
			       JOURNAL_MAX_POSTINGS);
	if (strlen(account) >= ACCOUNT_MAX)
		return err_set(err, SETTLE_EX_DATAERR, "account name too long: %.40s…", account);
	/* Refused rather than cut: "KRWX" cut to "KRW" would balance as won. */
	if (strlen(cur) >= sizeof p->cur)
		return err_set(err, SETTLE_EX_DATAERR, "journal entry %s: currency code too long: %.8s", e->kind,
			       cur);
	p = &e->postings[e->n++];
	snprintf(p->account, sizeof p->account, "%s", account);
	p->amount = amount;
	snprintf(p->cur, sizeof p->cur, "%s", cur);
	return 0;
}

int journal_move(struct journal_entry *e, const char *debit, const char *credit, struct money amount,
		 struct settle_err *err)
{
	if (amount.minor <= 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "journal move of a non-positive amount %lld",
			       (long long)amount.minor);
	if (journal_post(e, debit, amount.minor, amount.cur, err) < 0)
		return -1;
	return journal_post(e, credit, -amount.minor, amount.cur, err);
}

int journal_check(const struct journal_entry *e, struct settle_err *err)
{
	if (!e->kind[0])
		return err_set(err, SETTLE_EX_SOFTWARE, "journal entry has no kind");
	if (e->n < 2)
		return err_set(err, SETTLE_EX_SOFTWARE, "journal entry %s has %zu posting(s); at least 2 needed",
			       e->kind, e->n);
	for (size_t i = 0; i < e->n; i++) {
		const struct posting *p = &e->postings[i];

		if (p->amount == 0)
			return err_set(err, SETTLE_EX_SOFTWARE, "journal entry %s: zero posting to %s", e->kind,
				       p->account);
		if (account_kind(p->account) == ACCOUNT_UNKNOWN)
			return err_set(err, SETTLE_EX_SOFTWARE, "journal entry %s: unknown account %s", e->kind,
				       p->account);
		if (!currency_known(p->cur))
			return err_set(err, SETTLE_EX_SOFTWARE, "journal entry %s: unknown currency %s", e->kind,
				       p->cur);
	}
	/* Sum per currency: each distinct currency is summed once, checked. */
	for (size_t i = 0; i < e->n; i++) {
		int64_t sum = 0;
		int seen = 0;

		for (size_t j = 0; j < i; j++)
			if (!strcmp(e->postings[j].cur, e->postings[i].cur))
				seen = 1;
		if (seen)
			continue;
		for (size_t j = i; j < e->n; j++) {
			if (strcmp(e->postings[j].cur, e->postings[i].cur))
				continue;
			if (i64_add(&sum, sum, e->postings[j].amount) < 0)
				return err_set(err, SETTLE_EX_DATAERR, "journal entry %s: %s postings overflow",
					       e->kind, e->postings[i].cur);
		}
		if (sum != 0)
			return err_set(err, SETTLE_EX_SOFTWARE,
				       "journal entry %s (%s) is unbalanced: %s postings sum to %lld", e->kind,
				       e->ref, e->postings[i].cur, (long long)sum);
	}
	return 0;
}
