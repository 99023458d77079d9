/* print_payment.c — JSON by hand (flat, escaped) and fixed-width rows. */
#include "cli/print_payment.h"

#include "cli/cli.h"
#include "domain/money.h"

static void kv(FILE *out, const char *k, const char *v, int first)
{
	fprintf(out, "%s\"%s\":", first ? "" : ",", k);
	if (v && *v)
		cli_json_string(out, v);
	else
		fputs("null", out);
}

void print_payment_json(FILE *out, const struct payment_rec *p)
{
	fputc('{', out);
	kv(out, "paymentId", p->public_id, 1);
	kv(out, "orderId", p->order_id, 0);
	kv(out, "podId", p->pod_id, 0);
	kv(out, "userId", p->user_id, 0);
	kv(out, "orderName", p->order_name, 0);
	fprintf(out, ",\"amount\":%lld,\"refunded\":%lld", (long long)p->amount, (long long)p->refunded);
	kv(out, "currency", p->currency, 0);
	kv(out, "method", p->method, 0);
	kv(out, "pg", p->pg, 0);
	kv(out, "paymentKey", p->payment_key, 0);
	kv(out, "status", payment_status_name(p->status), 0);
	kv(out, "pgCode", p->pg_code, 0);
	kv(out, "pgMessage", p->pg_message, 0);
	kv(out, "createdAt", p->created_at, 0);
	kv(out, "approvedAt", p->approved_at, 0);
	if (p->va_account[0]) {
		fputs(",\"virtualAccount\":{", out);
		kv(out, "bankCode", p->va_bank, 1);
		kv(out, "accountNumber", p->va_account, 0);
		kv(out, "dueDate", p->va_due, 0);
		fputc('}', out);
	}
	if (p->escrow_id[0]) {
		fputs(",\"escrow\":{", out);
		kv(out, "escrowId", p->escrow_id, 1);
		kv(out, "status", p->escrow_status, 0);
		fprintf(out, ",\"amount\":%lld,\"refunded\":%lld}", (long long)p->escrow_amount,
			(long long)p->escrow_refunded);
	}
	fputc('}', out);
}

void print_refund_json(FILE *out, const struct refund_rec *r)
{
	fputc('{', out);
	kv(out, "refundId", r->public_id, 1);
	fprintf(out, ",\"amount\":%lld", (long long)r->amount);
	kv(out, "currency", r->currency, 0);
	kv(out, "status", refund_status_name(r->status), 0);
	kv(out, "reason", r->reason, 0);
	kv(out, "pgCode", r->pg_code, 0);
	kv(out, "pgMessage", r->pg_message, 0);
	kv(out, "createdAt", r->created_at, 0);
	fputc('}', out);
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
	fprintf(out, "%-25s %-25s %-14.14s %-12.12s %10s %-3s %-16s %-8s %-19s %-9s %s\n", p->public_id, p->order_id,
		p->pod_id, p->user_id, amount, p->currency, p->method, p->pg, payment_status_name(p->status),
		p->escrow_status[0] ? p->escrow_status : "-", refunded);
}
