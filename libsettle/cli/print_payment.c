/* print_payment.c — payment and refund rows as jansson objects and fixed-width lines. */
#include "cli/print_payment.h"

#include "cli/output.h"
#include "domain/money.h"

/* json_object_set_new ignores a NULL value; a NULL object stays NULL. */
static json_t *put(json_t *o, const char *key, json_t *v)
{
	if (!o || !v || json_object_set_new(o, key, v) < 0) {
		json_decref(o);
		json_decref(v);
		return NULL;
	}
	return o;
}

json_t *payment_json(const struct payment_rec *p)
{
	json_t *o = json_object();

	o = put(o, "paymentId", cli_json_text(p->public_id));
	o = put(o, "orderId", cli_json_text(p->order_id));
	o = put(o, "podId", cli_json_text(p->pod_id));
	o = put(o, "userId", cli_json_text(p->user_id));
	o = put(o, "orderName", cli_json_text(p->order_name));
	o = put(o, "amount", json_integer(p->amount));
	o = put(o, "refunded", json_integer(p->refunded));
	o = put(o, "currency", cli_json_text(p->currency));
	o = put(o, "method", cli_json_text(p->method));
	o = put(o, "pg", cli_json_text(p->pg));
	o = put(o, "paymentKey", cli_json_text(p->payment_key));
	o = put(o, "status", cli_json_text(payment_status_name(p->status)));
	o = put(o, "pgCode", cli_json_text(p->pg_code));
	o = put(o, "pgMessage", cli_json_text(p->pg_message));
	o = put(o, "createdAt", cli_json_text(p->created_at));
	o = put(o, "approvedAt", cli_json_text(p->approved_at));
	if (p->va_account[0]) {
		json_t *va = json_object();

		va = put(va, "bankCode", cli_json_text(p->va_bank));
		va = put(va, "accountNumber", cli_json_text(p->va_account));
		va = put(va, "dueDate", cli_json_text(p->va_due));
		o = put(o, "virtualAccount", va);
	}
	if (p->escrow_id[0]) {
		json_t *e = json_object();

		e = put(e, "escrowId", cli_json_text(p->escrow_id));
		e = put(e, "status", cli_json_text(p->escrow_status));
		e = put(e, "amount", json_integer(p->escrow_amount));
		e = put(e, "refunded", json_integer(p->escrow_refunded));
		o = put(o, "escrow", e);
	}
	return o;
}

json_t *refund_json(const struct refund_rec *r)
{
	json_t *o = json_object();

	o = put(o, "refundId", cli_json_text(r->public_id));
	o = put(o, "amount", json_integer(r->amount));
	o = put(o, "currency", cli_json_text(r->currency));
	o = put(o, "status", cli_json_text(refund_status_name(r->status)));
	o = put(o, "reason", cli_json_text(r->reason));
	o = put(o, "pgCode", cli_json_text(r->pg_code));
	o = put(o, "pgMessage", cli_json_text(r->pg_message));
	o = put(o, "createdAt", cli_json_text(r->created_at));
	return o;
}

void print_payment_header(FILE *out)
{
	fprintf(out, "%-25s %-25s %-14s %-12s %10s %-3s %-16s %-8s %-19s %-9s %s\n", "PAYMENT", "ORDER", "POD", "USER",
		"AMOUNT", "CUR", "METHOD", "PG", "STATUS", "ESCROW", "REFUNDED");
}

void print_payment_row(FILE *out, const struct payment_rec *p)
{
	char amount[32], refunded[32];
	struct money m = {p->amount, ""}, r = {p->refunded, ""};

	snprintf(m.cur, sizeof m.cur, "%s", p->currency);
	snprintf(r.cur, sizeof r.cur, "%s", p->currency);
	if (money_format(amount, sizeof amount, m) < 0)
		snprintf(amount, sizeof amount, "%lld", (long long)p->amount);
	if (money_format(refunded, sizeof refunded, r) < 0)
		snprintf(refunded, sizeof refunded, "%lld", (long long)p->refunded);
	fprintf(out, "%-25s %-25s %-14.14s %-12.12s %10s %-3s %-16s %-8s %-19s %-9s %s\n", cli_esc(p->public_id),
		cli_esc(p->order_id), cli_esc(p->pod_id), cli_esc(p->user_id), amount, cli_esc(p->currency),
		cli_esc(p->method), cli_esc(p->pg), payment_status_name(p->status),
		p->escrow_status[0] ? cli_esc(p->escrow_status) : "-", refunded);
}
