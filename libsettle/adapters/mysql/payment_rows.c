/* payment_rows.c — reading payment and refund rows (see payment_rows.h). */
#include "adapters/mysql/payment_rows.h"

#include <stdio.h>
#include <string.h>

void pay_cols(struct pay_buf *b, struct db_col c[PAY_NCOLS])
{
	struct payment_rec *r = &b->rec;
	size_t i = 0;

	c[i++] = DC_I(&r->id);
	c[i++] = DC_S(r->public_id);
	c[i++] = DC_S(r->order_id);
	c[i++] = DC_S(r->pod_id);
	c[i++] = DC_S(r->user_id);
	c[i++] = DC_I(&r->amount);
	c[i++] = DC_I(&r->refunded);
	c[i++] = DC_I(&r->refund_pending);
	c[i++] = DC_S(r->currency);
	c[i++] = DC_S(r->method);
	c[i++] = DC_S(r->pg);
	c[i++] = DC_S(r->payment_key);
	c[i++] = DC_S(b->status);
	c[i++] = DC_S(r->confirm_key);
	c[i++] = DC_S(r->pg_code);
	c[i++] = DC_S(r->pg_message);
	c[i++] = DC_S(r->va_secret);
	c[i++] = DC_S(r->va_bank);
	c[i++] = DC_S(r->va_account);
	c[i++] = DC_S(r->va_due);
	c[i++] = DC_S(r->approved_at);
	c[i++] = DC_S(r->created_at);
	c[i++] = DC_S(r->next_check_at);
	c[i++] = DC_I(&b->doubt);
	c[i++] = DC_S(r->escrow_id);
	c[i++] = DC_S(r->escrow_status);
	c[i++] = DC_I(&r->escrow_amount);
	c[i++] = DC_I(&r->escrow_refunded);
	c[i++] = DC_S(r->order_name);
}

int pay_finish(struct pay_buf *b, struct settle_err *err)
{
	b->rec.doubt_count = (int)b->doubt;
	if (payment_status_parse(b->status, &b->rec.status) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "payment %s has unknown status %s", b->rec.public_id, b->status);
	return 0;
}

int pay_load(struct db *db, const char *where, const struct db_param *p, size_t np, struct payment_rec *out,
	     struct settle_err *err)
{
	struct pay_buf b;
	struct db_col cols[PAY_NCOLS];
	char sql[2560];
	int rc;

	memset(&b, 0, sizeof b);
	pay_cols(&b, cols);
	snprintf(sql, sizeof sql, "%s%s", PAY_SELECT, where);
	rc = db_query_one(db, sql, p, np, cols, PAY_NCOLS, err);
	if (rc == 1) {
		if (pay_finish(&b, err) < 0)
			return -1;
		*out = b.rec;
	}
	return rc;
}

void refund_cols(struct refund_buf *b, struct db_col c[REFUND_NCOLS])
{
	struct refund_rec *r = &b->rec;
	size_t i = 0;

	c[i++] = DC_I(&r->id);
	c[i++] = DC_S(r->public_id);
	c[i++] = DC_I(&r->payment_id);
	c[i++] = DC_I(&r->amount);
	c[i++] = DC_S(r->currency);
	c[i++] = DC_S(b->status);
	c[i++] = DC_S(r->reason);
	c[i++] = DC_S(r->idempotency_key);
	c[i++] = DC_S(r->cancel_order_id);
	c[i++] = DC_S(r->pg_code);
	c[i++] = DC_S(r->pg_message);
	c[i++] = DC_S(r->pg_transaction_key);
	c[i++] = DC_S(r->created_at);
	c[i++] = DC_S(r->next_check_at);
	c[i++] = DC_I(&b->doubt);
}

int refund_finish(struct refund_buf *b, struct settle_err *err)
{
	b->rec.doubt_count = (int)b->doubt;
	if (refund_status_parse(b->status, &b->rec.status) < 0)
		return err_set(err, SETTLE_EX_DATAERR, "refund %s has unknown status %s", b->rec.public_id, b->status);
	return 0;
}

int refund_load(struct db *db, const char *where, const struct db_param *p, size_t np, struct refund_rec *out,
		struct settle_err *err)
{
	struct refund_buf b;
	struct db_col cols[REFUND_NCOLS];
	char sql[1024];
	int rc;

	memset(&b, 0, sizeof b);
	refund_cols(&b, cols);
	snprintf(sql, sizeof sql, "%s%s", REFUND_SELECT, where);
	rc = db_query_one(db, sql, p, np, cols, REFUND_NCOLS, err);
	if (rc == 1) {
		if (refund_finish(&b, err) < 0)
			return -1;
		*out = b.rec;
	}
	return rc;
}

const char *sql_placeholders(char *buf, size_t len, size_t n)
{
	size_t at = 0;

	/* "?,?,…,?" is 2n − 1 characters and a NUL: 2n bytes. */
	for (size_t i = 0; i < n && at + 2 <= len - (i ? 1 : 0); i++) {
		if (i)
			buf[at++] = ',';
		buf[at++] = '?';
	}
	buf[at] = '\0';
	return buf;
}
