/* test_reconcile.c — domain/reconcile.h: a PG record is refused unless its
 * amounts add up; our events match the PG's records by payment, kind,
 * transaction key or amount; every difference is classified; totals are
 * overflow-checked; a settled record books bank + payout, pg_fee_expense
 * + fee and pg_clearing − amount, balanced, with a key derived from it. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/reconcile.h"

static struct recon_record rec(const char *key, const char *tx, int64_t amount, int64_t fee)
{
	struct recon_record r;

	memset(&r, 0, sizeof r);
	snprintf(r.pg, sizeof r.pg, "toss");
	snprintf(r.payment_key, sizeof r.payment_key, "%s", key);
	snprintf(r.transaction_key, sizeof r.transaction_key, "%s", tx);
	snprintf(r.currency, sizeof r.currency, "KRW");
	r.kind = amount < 0 ? RECON_CANCEL : RECON_PAYMENT;
	r.amount = amount;
	r.fee = fee;
	r.payout = amount - fee;
	snprintf(r.sold_date, sizeof r.sold_date, "2026-11-24");
	snprintf(r.paid_out_date, sizeof r.paid_out_date, "2026-11-26");
	return r;
}

static struct recon_ours ours(const char *key, enum recon_kind kind, int64_t amount, const char *tx)
{
	struct recon_ours o;

	memset(&o, 0, sizeof o);
	snprintf(o.pg, sizeof o.pg, "toss");
	snprintf(o.payment_key, sizeof o.payment_key, "%s", key);
	snprintf(o.ref, sizeof o.ref, kind == RECON_CANCEL ? "ref_1" : "pay_1");
	snprintf(o.transaction_key, sizeof o.transaction_key, "%s", tx ? tx : "");
	snprintf(o.currency, sizeof o.currency, "KRW");
	snprintf(o.date, sizeof o.date, "2026-11-24");
	o.kind = kind;
	o.amount = amount;
	return o;
}

static void refused(const struct recon_record *r, const char *needle)
{
	struct settle_err err = {0};

	cr_assert_eq(recon_record_check(r, &err), -1, "accepted: %s", needle);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, needle), "\"%s\" does not say \"%s\"", err.msg, needle);
}

Test(domain_reconcile, well_formed_records_pass)
{
	struct recon_record r = rec("pk_1", "tx_1", 34000, 800);
	struct settle_err err = {0};

	cr_assert_eq(recon_record_check(&r, &err), 0, "%s", err.msg);
	r.fee_supply = 728;
	r.fee_vat = 72;
	cr_assert_eq(recon_record_check(&r, &err), 0, "%s", err.msg);
	r = rec("pk_1", "tx_2", -34000, -800); /* a cancel giving the fee back */
	cr_assert_eq(recon_record_check(&r, &err), 0, "%s", err.msg);
	r = rec("pk_1", "tx_3", -34000, 0); /* or not */
	cr_assert_eq(recon_record_check(&r, &err), 0, "%s", err.msg);
}

Test(domain_reconcile, malformed_records_are_refused)
{
	struct recon_record r;

	r = rec("pk_1", "tx_1", 34000, 800);
	r.payout = 33000;
	refused(&r, "payOutAmount 33000 is not amount");
	r = rec("pk_1", "tx_1", 34000, 800);
	r.fee_supply = 700;
	r.fee_vat = 72;
	refused(&r, "supplyAmount 700 + vat 72 is not fee 800");
	r = rec("pk_1", "tx_1", 0, 0);
	refused(&r, "amount is 0");
	r = rec("pk_1", "tx_1", 34000, -10);
	refused(&r, "other sign");
	r = rec("pk_1", "tx_1", -34000, 10);
	refused(&r, "other sign");
	r = rec("pk_1", "tx_1", 34000, 800);
	r.kind = RECON_CANCEL;
	refused(&r, "of a cancel is positive");
	r = rec("pk_1", "tx_1", -34000, -800);
	r.kind = RECON_PAYMENT;
	refused(&r, "of a payment is negative");
	r = rec("", "tx_1", 34000, 800);
	refused(&r, "paymentKey");
	r = rec("pk/1", "tx_1", 34000, 800);
	refused(&r, "paymentKey");
	r = rec("pk_1", "", 34000, 800);
	refused(&r, "transactionKey");
	r = rec("pk_1", "tx 1", 34000, 800);
	refused(&r, "transactionKey");
	r = rec("pk_1", "tx_1", 34000, 800);
	snprintf(r.currency, sizeof r.currency, "XYZ");
	refused(&r, "currency");
	r = rec("pk_1", "tx_1", 34000, 800);
	snprintf(r.sold_date, sizeof r.sold_date, "2026-02-30");
	refused(&r, "soldDate");
	r = rec("pk_1", "tx_1", 34000, 800);
	snprintf(r.paid_out_date, sizeof r.paid_out_date, "2026-11-23");
	refused(&r, "before soldDate");
	r = rec("pk_1", "tx_1", INT64_MIN + 1, 0);
	r.fee = 1;
	r.amount = -INT64_MAX;
	r.fee = -2;
	r.payout = INT64_MAX; /* amount - fee would overflow the other way */
	refused(&r, "payOutAmount");
	r = rec("pk_1", "tx_1", 34000, 800);
	snprintf(r.order_id, sizeof r.order_id, "a b");
	refused(&r, "orderId");
}

Test(domain_reconcile, pick_prefers_transaction_key_then_amount)
{
	struct recon_record rs[4];
	unsigned char used[4] = {0};
	struct recon_ours o;
	size_t lo, hi;

	rs[0] = rec("pk_a", "tx_a", 50000, 1175);
	rs[1] = rec("pk_b", "tx_b1", 30000, 705);
	rs[2] = rec("pk_b", "tx_b2", -10000, -235);
	rs[3] = rec("pk_b", "tx_b3", -5000, -117);
	recon_range(rs, 4, "pk_b", &lo, &hi);
	cr_assert_eq(lo, 1);
	cr_assert_eq(hi, 4);
	recon_range(rs, 4, "pk_c", &lo, &hi);
	cr_assert_eq(lo, hi);
	recon_range(rs, 4, "pk_b", &lo, &hi);

	o = ours("pk_b", RECON_CANCEL, -5000, "tx_b3");
	cr_assert_eq(recon_pick(&o, rs, lo, hi, used), 3); /* by key, though b2 comes first */
	o = ours("pk_b", RECON_CANCEL, -5000, NULL);
	cr_assert_eq(recon_pick(&o, rs, lo, hi, used), 3); /* by amount */
	o = ours("pk_b", RECON_CANCEL, -7000, NULL);
	cr_assert_eq(recon_pick(&o, rs, lo, hi, used), 2); /* the first unused cancel: a difference */
	used[2] = used[3] = 1;
	cr_assert_eq(recon_pick(&o, rs, lo, hi, used), -1); /* none left: missing */
	o = ours("pk_b", RECON_PAYMENT, 30000, NULL);
	cr_assert_eq(recon_pick(&o, rs, lo, hi, used), 1);
}

Test(domain_reconcile, every_finding_is_classified)
{
	struct recon_record r = rec("pk_a", "tx_a", 50000, 1175);
	struct recon_ours o = ours("pk_a", RECON_PAYMENT, 50000, NULL);
	struct recon_finding f;
	struct settle_err err = {0};

	cr_assert_eq(recon_compare(&o, &r, &f, &err), 0);
	cr_assert_eq(f.status, RECON_MATCHED);
	cr_assert_eq(f.difference, 0);
	o.amount = 49500;
	cr_assert_eq(recon_compare(&o, &r, &f, &err), 0);
	cr_assert_eq(f.status, RECON_DIFFERENT);
	cr_assert_eq(f.difference, 500);
	cr_assert_str_eq(f.why, "amount differs");
	o.amount = 50000;
	snprintf(o.currency, sizeof o.currency, "USD");
	cr_assert_eq(recon_compare(&o, &r, &f, &err), 0);
	cr_assert_eq(f.status, RECON_DIFFERENT);
	cr_assert_str_eq(f.why, "currency differs");
	o = ours("pk_a", RECON_CANCEL, -50000, "tx_other");
	r = rec("pk_a", "tx_c", -50000, 0);
	cr_assert_eq(recon_compare(&o, &r, &f, &err), 0);
	cr_assert_eq(f.status, RECON_DIFFERENT);
	cr_assert_str_eq(f.why, "transaction key differs");
	cr_assert_eq(recon_compare(&o, NULL, &f, &err), 0);
	cr_assert_eq(f.status, RECON_MISSING);
	cr_assert_eq(f.difference, 50000);
	cr_assert_eq(recon_compare(NULL, &r, &f, &err), 0);
	cr_assert_eq(f.status, RECON_EXTRA);
	cr_assert_eq(f.difference, -50000);
	cr_assert_eq(recon_compare(NULL, NULL, &f, &err), -1);
	cr_assert_str_eq(recon_status_name(RECON_EXTRA), "extra");
	cr_assert_str_eq(recon_kind_name(RECON_CANCEL), "cancel");
}

Test(domain_reconcile, totals_add_up_and_refuse_overflow)
{
	struct recon_record r = rec("pk_a", "tx_a", 50000, 1175), big = rec("pk_b", "tx_b", INT64_MAX - 100000, 0);
	struct recon_ours o = ours("pk_a", RECON_PAYMENT, 50000, NULL);
	struct recon_totals t = {0};
	struct recon_finding f;
	struct settle_err err = {0};

	cr_assert_eq(recon_compare(&o, &r, &f, &err), 0);
	cr_assert_eq(recon_tally(&t, &f, &err), 0);
	cr_assert_eq(recon_compare(&o, NULL, &f, &err), 0);
	cr_assert_eq(recon_tally(&t, &f, &err), 0);
	cr_assert_eq(t.count[RECON_MATCHED], 1);
	cr_assert_eq(t.count[RECON_MISSING], 1);
	cr_assert_eq(t.ours, 100000);
	cr_assert_eq(t.pg_amount, 50000);
	cr_assert_eq(t.pg_fee, 1175);
	cr_assert_eq(t.pg_payout, 48825);
	cr_assert_eq(t.difference, -50000);
	cr_assert_eq(recon_compare(NULL, &big, &f, &err), 0);
	cr_assert_eq(recon_tally(&t, &f, &err), 0);
	cr_assert_eq(recon_compare(NULL, &big, &f, &err), 0);
	cr_assert_eq(recon_tally(&t, &f, &err), -1);
	cr_assert(strstr(err.msg, "overflow"), "%s", err.msg);
}

Test(domain_reconcile, postable_only_when_matched_and_paid_out)
{
	struct recon_record r = rec("pk_a", "tx_a", 50000, 1175);
	struct recon_ours o = ours("pk_a", RECON_PAYMENT, 50000, NULL);
	struct recon_finding f;
	struct settle_err err = {0};

	cr_assert_eq(recon_compare(&o, &r, &f, &err), 0);
	cr_assert_not(recon_postable(&f, "2026-11-25"));
	cr_assert(recon_postable(&f, "2026-11-26"));
	o.amount = 1;
	cr_assert_eq(recon_compare(&o, &r, &f, &err), 0);
	cr_assert_not(recon_postable(&f, "2026-11-30"));
}

static int64_t leg(const struct journal_entry *e, const char *account)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->postings[i].account, account))
			return e->postings[i].amount;
	return 0;
}

Test(domain_reconcile, booking_is_balanced_with_a_derived_key)
{
	struct recon_record r = rec("pk_a", "tx_a", 50000, 1175);
	struct journal_entry e;
	char key[ENTRY_KEY_MAX];
	struct settle_err err = {0};

	cr_assert_eq(postings_pg_settlement(&r, RECON_INTO_BANK, &e, key, &err), 1, "%s", err.msg);
	cr_assert_str_eq(key, "pg_settlement:toss:tx_a");
	cr_assert_str_eq(e.kind, "pg_settlement");
	cr_assert_str_eq(e.ref, "toss:tx_a");
	cr_assert_eq(e.n, 3);
	cr_assert_eq(leg(&e, "bank"), 48825);
	cr_assert_eq(leg(&e, "pg_fee_expense"), 1175);
	cr_assert_eq(leg(&e, "pg_clearing:toss"), -50000);

	r = rec("pk_a", "tx_c", -10000, -235); /* a cancel: every sign flips */
	cr_assert_eq(postings_pg_settlement(&r, RECON_INTO_BANK, &e, key, &err), 1, "%s", err.msg);
	cr_assert_eq(leg(&e, "bank"), -9765);
	cr_assert_eq(leg(&e, "pg_fee_expense"), -235);
	cr_assert_eq(leg(&e, "pg_clearing:toss"), 10000);

	r = rec("pk_a", "tx_d", -10000, 0); /* no fee back: no fee leg */
	cr_assert_eq(postings_pg_settlement(&r, RECON_INTO_BANK, &e, key, &err), 1, "%s", err.msg);
	cr_assert_eq(e.n, 2);

	r = rec("pk_a", "tx_e", 100, 100); /* the fee eats it all: no bank leg */
	cr_assert_eq(postings_pg_settlement(&r, RECON_INTO_BANK, &e, key, &err), 1, "%s", err.msg);
	cr_assert_eq(e.n, 2);
	cr_assert_eq(leg(&e, "bank"), 0);

	/* into the PG's balance: only the fee leaves what it owes */
	r = rec("pk_a", "tx_a", 50000, 1175);
	cr_assert_eq(postings_pg_settlement(&r, RECON_INTO_PG, &e, key, &err), 1, "%s", err.msg);
	cr_assert_eq(e.n, 2);
	cr_assert_eq(leg(&e, "bank"), 0);
	cr_assert_eq(leg(&e, "pg_fee_expense"), 1175);
	cr_assert_eq(leg(&e, "pg_clearing:toss"), -1175);
	r = rec("pk_a", "tx_d", -10000, 0);
	cr_assert_eq(postings_pg_settlement(&r, RECON_INTO_PG, &e, key, &err), 0, "%s", err.msg); /* nothing moves */

	r = rec("pk_a", "tx_a", 50000, 1175);
	r.payout = 1;
	cr_assert_eq(postings_pg_settlement(&r, RECON_INTO_BANK, &e, key, &err), -1);
	cr_assert(strstr(err.msg, "payOutAmount"), "%s", err.msg);
}
