/*
 * settlement_file.c — a PG console's settlement CSV (settlement_file.h),
 * read with libcsv through csv_reader, each line checked by the domain's
 * record rule. Records are handed out as they are read; the use case keeps
 * them until the whole file has passed.
 */
#include "adapters/pg/settlement_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/csv/csv_reader.h"
#include "domain/money.h"

enum {
	COL_SOLD, COL_PAID, COL_KEY, COL_TX, COL_ORDER, COL_METHOD, COL_CUR, COL_AMOUNT, COL_FEE, COL_SUPPLY, COL_VAT,
	COL_PAYOUT, NCOLS
};

static const char *const header[] = {"soldDate", "paidOutDate", "paymentKey", "transactionKey", "orderId",
				     "method", "currency", "amount", "fee", "supplyAmount", "vat", "payOutAmount",
				     NULL};

struct sfile {
	struct pg_settlements_port port;
	char *path;
	char pg[RECON_PG_MAX];
};

struct reading {
	struct sfile *f;
	const char *from, *to;
	pg_settlement_fn fn;
	void *arg;
	int header_seen;
};

/* A signed amount in the currency's minor units: an optional '-' and what
 * money_parse accepts. Empty is 0 when optional. */
static int amount(const char *name, const char *text, const char *cur, int optional, int64_t *out,
		  struct settle_err *err)
{
	struct money m;
	int neg = text[0] == '-';

	if (!text[0] && optional) {
		*out = 0;
		return 0;
	}
	if (money_parse(&m, text + neg, cur, err) < 0)
		return err_prefix(err, "%s", name);
	*out = neg ? -m.minor : m.minor;
	return 0;
}

static int copy(const char *name, const char *v, char *dst, size_t cap, struct settle_err *err)
{
	if (strlen(v) >= cap)
		return err_set(err, SETTLE_EX_DATAERR, "%s is longer than %zu bytes", name, cap - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int row(void *arg, const char *const *fields, size_t n, long line, struct settle_err *err)
{
	struct reading *rd = arg;
	struct recon_record r;

	if (!rd->header_seen) {
		rd->header_seen = 1;
		return csv_expect_header_at(rd->f->path, line, fields, n, header, err);
	}
	if (n != NCOLS)
		return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: %zu fields; expected %d", rd->f->path, line, n, NCOLS);
	memset(&r, 0, sizeof r);
	snprintf(r.pg, sizeof r.pg, "%s", rd->f->pg);
	r.line = line;
	if (copy("soldDate", fields[COL_SOLD], r.sold_date, sizeof r.sold_date, err) < 0 ||
	    copy("paidOutDate", fields[COL_PAID], r.paid_out_date, sizeof r.paid_out_date, err) < 0 ||
	    copy("paymentKey", fields[COL_KEY], r.payment_key, sizeof r.payment_key, err) < 0 ||
	    copy("transactionKey", fields[COL_TX], r.transaction_key, sizeof r.transaction_key, err) < 0 ||
	    copy("orderId", fields[COL_ORDER], r.order_id, sizeof r.order_id, err) < 0 ||
	    copy("currency", fields[COL_CUR], r.currency, sizeof r.currency, err) < 0)
		return err_prefix(err, "%s:%ld", rd->f->path, line);
	if (currency_exponent(r.currency) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: currency \"%.8s\" is not one settle knows", rd->f->path,
			       line, r.currency);
	if (amount("amount", fields[COL_AMOUNT], r.currency, 0, &r.amount, err) < 0 ||
	    amount("fee", fields[COL_FEE], r.currency, 0, &r.fee, err) < 0 ||
	    amount("supplyAmount", fields[COL_SUPPLY], r.currency, 1, &r.fee_supply, err) < 0 ||
	    amount("vat", fields[COL_VAT], r.currency, 1, &r.fee_vat, err) < 0 ||
	    amount("payOutAmount", fields[COL_PAYOUT], r.currency, 0, &r.payout, err) < 0)
		return err_prefix(err, "%s:%ld", rd->f->path, line);
	r.kind = r.amount < 0 ? RECON_CANCEL : RECON_PAYMENT;
	if (recon_record_check(&r, err) < 0)
		return err_prefix(err, "%s:%ld", rd->f->path, line);
	return rd->fn(rd->arg, &r, err);
}

static int sf_list(void *self, const char *from, const char *to, pg_settlement_fn fn, void *arg,
		   struct settle_err *err)
{
	struct sfile *f = self;
	struct reading rd = {f, from, to, fn, arg, 0};

	if (csv_read_file(f->path, row, &rd, err) < 0)
		return -1;
	if (!rd.header_seen)
		return err_set(err, SETTLE_EX_DATAERR, "%s: empty file (no header)", f->path);
	return 0;
}

static void sf_destroy(void *self)
{
	struct sfile *f = self;

	if (!f)
		return;
	free(f->path);
	free(f);
}

struct pg_settlements_port *settlement_file_new(const char *path, const char *pg, struct settle_err *err)
{
	struct sfile *f = calloc(1, sizeof *f);

	if (!f || !(f->path = strdup(path))) {
		free(f);
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		return NULL;
	}
	snprintf(f->pg, sizeof f->pg, "%s", pg);
	f->port = (struct pg_settlements_port){.self = f, .pg = f->pg, .source = f->path, .is_file = 1,
					       .list = sf_list, .destroy = sf_destroy};
	return &f->port;
}
