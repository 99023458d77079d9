/*
 * reconcile.c — the matching rule and the booking of PG settlement records
 * (see reconcile.h). Pure: no I/O; every sum is overflow-checked.
 */
#include "domain/reconcile.h"

#include <stdio.h>
#include <string.h>

#include "domain/money.h"
#include "domain/validate.h"

const char *recon_kind_name(enum recon_kind k)
{
	return k == RECON_CANCEL ? "cancel" : k == RECON_PAYMENT ? "payment" : "unknown";
}

const char *recon_status_name(enum recon_status s)
{
	switch (s) {
	case RECON_MATCHED: return "matched";
	case RECON_MISSING: return "missing";
	case RECON_EXTRA: return "extra";
	case RECON_DIFFERENT: return "different";
	default: return "unknown";
	}
}

int recon_record_check(const struct recon_record *r, struct settle_err *err)
{
	int64_t payout, fee;

	if (validate_token("paymentKey", r->payment_key, 1, RECON_KEY_MAX - 1, "_-", "1-200 of A-Z a-z 0-9 _ -",
			   err) < 0 ||
	    validate_token("transactionKey", r->transaction_key, 1, RECON_TX_MAX - 1, "_-",
			   "1-64 of A-Z a-z 0-9 _ -", err) < 0)
		return -1;
	if (r->order_id[0] && validate_order_id("orderId", r->order_id, err) < 0)
		return -1;
	if (currency_exponent(r->currency) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "currency \"%.8s\" is not one settle knows", r->currency);
	if (r->kind != RECON_PAYMENT && r->kind != RECON_CANCEL)
		return err_set(err, SETTLE_EX_DATAERR, "record is neither a payment nor a cancel");
	if (r->amount == 0)
		return err_set(err, SETTLE_EX_DATAERR, "amount is 0");
	if (r->kind == RECON_PAYMENT && r->amount < 0)
		return err_set(err, SETTLE_EX_DATAERR, "amount %lld of a payment is negative", (long long)r->amount);
	if (r->kind == RECON_CANCEL && r->amount > 0)
		return err_set(err, SETTLE_EX_DATAERR, "amount %lld of a cancel is positive", (long long)r->amount);
	/* The fee goes the way of the amount (charged on a payment, given
	 * back, or not, on a cancel); a fee the other way round is a typo. */
	if ((r->amount > 0 && r->fee < 0) || (r->amount < 0 && r->fee > 0))
		return err_set(err, SETTLE_EX_DATAERR, "fee %lld has the other sign than amount %lld", (long long)r->fee,
			       (long long)r->amount);
	if (i64_sub(&payout, r->amount, r->fee) < 0 || payout != r->payout)
		return err_set(err, SETTLE_EX_DATAERR, "payOutAmount %lld is not amount %lld − fee %lld",
			       (long long)r->payout, (long long)r->amount, (long long)r->fee);
	if ((r->fee_supply || r->fee_vat) && (i64_add(&fee, r->fee_supply, r->fee_vat) < 0 || fee != r->fee))
		return err_set(err, SETTLE_EX_DATAERR, "supplyAmount %lld + vat %lld is not fee %lld",
			       (long long)r->fee_supply, (long long)r->fee_vat, (long long)r->fee);
	if (validate_date("soldDate", r->sold_date, err) < 0 || validate_date("paidOutDate", r->paid_out_date, err) < 0)
		return -1;
	if (strcmp(r->paid_out_date, r->sold_date) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "paidOutDate %s is before soldDate %s", r->paid_out_date,
			       r->sold_date);
	return 0;
}

int recon_record_cmp(const struct recon_record *a, const struct recon_record *b)
{
	int c = strcmp(a->payment_key, b->payment_key);

	if (c)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->transaction_key, b->transaction_key);
}

int recon_record_cmp_tx(const struct recon_record *a, const struct recon_record *b)
{
	return strcmp(a->transaction_key, b->transaction_key);
}

void recon_range(const struct recon_record *recs, size_t n, const char *payment_key, size_t *lo, size_t *hi)
{
	size_t l = 0, h = n;

	while (l < h) {
		size_t mid = l + (h - l) / 2;

		if (strcmp(recs[mid].payment_key, payment_key) < 0)
			l = mid + 1;
		else
			h = mid;
	}
	*lo = l;
	h = n;
	while (l < h) {
		size_t mid = l + (h - l) / 2;

		if (strcmp(recs[mid].payment_key, payment_key) <= 0)
			l = mid + 1;
		else
			h = mid;
	}
	*hi = l;
}

long recon_pick(const struct recon_ours *o, const struct recon_record *recs, size_t lo, size_t hi,
		const unsigned char *used)
{
	long by_amount = -1, first = -1;

	for (size_t i = lo; i < hi; i++) {
		const struct recon_record *r = &recs[i];

		if (used[i] || r->kind != o->kind)
			continue;
		if (o->transaction_key[0] && !strcmp(o->transaction_key, r->transaction_key))
			return (long)i;
		if (by_amount < 0 && r->amount == o->amount && !strcmp(r->currency, o->currency))
			by_amount = (long)i;
		if (first < 0)
			first = (long)i;
	}
	return by_amount >= 0 ? by_amount : first;
}

int recon_compare(const struct recon_ours *o, const struct recon_record *r, struct recon_finding *f,
		  struct settle_err *err)
{
	memset(f, 0, sizeof *f);
	f->ours = o;
	f->pg = r;
	f->why = "";
	if (!o && !r)
		return err_set(err, SETTLE_EX_SOFTWARE, "reconcile: nothing to compare");
	if (!r) {
		f->status = RECON_MISSING;
		f->difference = -o->amount; /* amount > INT64_MIN: refunds are bounded by payments */
		f->why = o->kind == RECON_CANCEL ? "refund not in the PG's records" : "payment not in the PG's records";
		return 0;
	}
	if (!o) {
		f->status = RECON_EXTRA;
		f->difference = r->amount;
		f->why = r->kind == RECON_CANCEL ? "cancel we did not record" : "payment we did not record";
		return 0;
	}
	if (i64_sub(&f->difference, r->amount, o->amount) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s: difference does not fit 64 bits", o->payment_key);
	if (strcmp(r->currency, o->currency)) {
		f->status = RECON_DIFFERENT;
		f->why = "currency differs";
	} else if (f->difference) {
		f->status = RECON_DIFFERENT;
		f->why = "amount differs";
	} else if (o->transaction_key[0] && strcmp(o->transaction_key, r->transaction_key)) {
		f->status = RECON_DIFFERENT;
		f->why = "transaction key differs";
	} else {
		f->status = RECON_MATCHED;
	}
	return 0;
}

int recon_tally(struct recon_totals *t, const struct recon_finding *f, struct settle_err *err)
{
	if (f->status >= RECON_NSTATUS)
		return err_set(err, SETTLE_EX_SOFTWARE, "reconcile: unknown status");
	t->count[f->status]++;
	if ((f->ours && i64_add(&t->ours, t->ours, f->ours->amount) < 0) ||
	    (f->pg && (i64_add(&t->pg_amount, t->pg_amount, f->pg->amount) < 0 ||
		       i64_add(&t->pg_fee, t->pg_fee, f->pg->fee) < 0 ||
		       i64_add(&t->pg_payout, t->pg_payout, f->pg->payout) < 0)) ||
	    i64_add(&t->difference, t->difference, f->difference) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "reconciliation totals overflow 64 bits");
	return 0;
}

int recon_postable(const struct recon_finding *f, const char *today)
{
	return f->status == RECON_MATCHED && f->pg && strcmp(f->pg->paid_out_date, today) <= 0;
}

int postings_pg_settlement(const struct recon_record *r, enum recon_into into, struct journal_entry *e,
			   char key[ENTRY_KEY_MAX], struct settle_err *err)
{
	char clearing[ACCOUNT_MAX], ref[JOURNAL_REF_MAX];
	int64_t back;

	if (recon_record_check(r, err) < 0)
		return err_prefix(err, "%s record %s", r->pg, r->transaction_key);
	if (snprintf(ref, sizeof ref, "%s:%s", r->pg, r->transaction_key) >= (int)sizeof ref ||
	    snprintf(key, ENTRY_KEY_MAX, RECON_ENTRY_KIND ":%s:%s", r->pg, r->transaction_key) >= ENTRY_KEY_MAX)
		return err_set(err, SETTLE_EX_DATAERR, "%s record %s: key too long", r->pg, r->transaction_key);
	/* What leaves what the PG owes: all of it into the bank, the fee alone
	 * when the PG keeps the rest in our balance. */
	if (i64_sub(&back, 0, into == RECON_INTO_BANK ? r->amount : r->fee) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s record %s: amount out of range", r->pg, r->transaction_key);
	journal_init(e, RECON_ENTRY_KIND, ref);
	if (back == 0)
		return 0;
	if (account_name(clearing, sizeof clearing, "pg_clearing", r->pg, err) < 0 ||
	    (into == RECON_INTO_BANK && r->payout && journal_post(e, "bank", r->payout, r->currency, err) < 0) ||
	    (r->fee && journal_post(e, "pg_fee_expense", r->fee, r->currency, err) < 0) ||
	    journal_post(e, clearing, back, r->currency, err) < 0 || journal_check(e, err) < 0)
		return -1;
	return 1;
}
