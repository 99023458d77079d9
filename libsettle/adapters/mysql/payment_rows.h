/*
 * payment_rows.h — the one SELECT that reads a payment (with its escrow
 * summary and the pod's title) and the one that reads a refund, shared by
 * the payments and refunds repositories and the payment queries, so every
 * reader fills the records the same way.
 */
#ifndef SETTLE_ADAPTERS_MYSQL_PAYMENT_ROWS_H
#define SETTLE_ADAPTERS_MYSQL_PAYMENT_ROWS_H

#include <stddef.h>

#include "adapters/mysql/db.h"
#include "domain/payment.h"
#include "domain/refund.h"

#define PAY_SELECT                                                                                              \
	"SELECT p.id, p.public_id, p.order_id, p.pod_id, p.user_id, p.amount, p.refunded_amount, "            \
	"(SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.payment_id = p.id AND r.status = 'REQUESTED'), " \
	"p.currency, p.method, p.pg, COALESCE(p.payment_key, p.attempt_key, ''), p.status, "                   \
	"COALESCE(p.confirm_key, ''), COALESCE(p.pg_code, ''), COALESCE(p.pg_message, ''), "                    \
	"COALESCE(p.va_secret, ''), COALESCE(p.va_bank, ''), COALESCE(p.va_account, ''), COALESCE(p.va_due, ''), " \
	"COALESCE(DATE_FORMAT(p.approved_at, '%Y-%m-%d %H:%i:%s'), ''), "                                   \
	"DATE_FORMAT(p.created_at, '%Y-%m-%d %H:%i:%s'), "                                                     \
	"COALESCE(DATE_FORMAT(p.next_check_at, '%Y-%m-%d %H:%i:%s.%f'), ''), p.doubt_count, "                  \
	"COALESCE(e.public_id, ''), COALESCE(e.status, ''), COALESCE(e.amount, 0), COALESCE(e.refunded_amount, 0), " \
	"COALESCE((SELECT d.title FROM pods d WHERE d.pod_id = p.pod_id), '') "                                  \
	"FROM payments p LEFT JOIN escrows e ON e.payment_id = p.id "

#define PAY_NCOLS 29

struct pay_buf {
	struct payment_rec rec;
	char status[32];
	int64_t doubt;
};

void pay_cols(struct pay_buf *b, struct db_col cols[PAY_NCOLS]);
/* Finishes a fetched row: status name to enum, counters. */
int pay_finish(struct pay_buf *b, struct settle_err *err);
/* Loads one payment: PAY_SELECT followed by where (with its parameters). */
int pay_load(struct db *db, const char *where, const struct db_param *p, size_t np, struct payment_rec *out,
	     struct settle_err *err);

#define REFUND_SELECT                                                                                         \
	"SELECT id, public_id, payment_id, amount, currency, status, reason, idempotency_key, cancel_order_id, " \
	"COALESCE(pg_code, ''), COALESCE(pg_message, ''), COALESCE(pg_transaction_key, ''), "                   \
	"DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), "                                                         \
	"COALESCE(DATE_FORMAT(next_check_at, '%Y-%m-%d %H:%i:%s.%f'), ''), doubt_count FROM refunds "

#define REFUND_NCOLS 15

struct refund_buf {
	struct refund_rec rec;
	char status[32];
	int64_t doubt;
};

void refund_cols(struct refund_buf *b, struct db_col cols[REFUND_NCOLS]);
int refund_finish(struct refund_buf *b, struct settle_err *err);
int refund_load(struct db *db, const char *where, const struct db_param *p, size_t np, struct refund_rec *out,
		struct settle_err *err);

/* "?,?,…" for n placeholders into buf (n ≥ 1); returns buf. */
const char *sql_placeholders(char *buf, size_t len, size_t n);

#endif
