/*
 * routes_payments.c — the payment endpoints: order, confirm (the PG's
 * redirect), look-up and refund, over app/payments' use cases. A user who
 * may not see a payment is told it does not exist, so ids cannot be probed.
 */
#include "api/answers.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/payments/payments.h"
#include "app/payments/refund_by_policy.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "util/log.h"

static json_t *payment_out(const struct payment_rec *p)
{
	json_t *j = json_pack("{s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:s, s:o, s:s, s:o, s:o}", "paymentId",
			      cli_json_text(p->public_id), "orderId", cli_json_text(p->order_id), "podId",
			      cli_json_text(p->pod_id), "orderName", cli_json_text(p->order_name), "amount",
			      (json_int_t)p->amount, "refunded", (json_int_t)p->refunded, "currency",
			      cli_json_text(p->currency), "method", p->method, "pg", cli_json_text(p->pg), "status",
			      payment_status_name(p->status), "paidAt", api_iso(p->approved_at), "createdAt",
			      api_iso(p->created_at));

	if (j && p->status == PAY_WAITING_FOR_DEPOSIT && p->va_account[0])
		/* What the customer needs to pay; never the deposit secret. */
		json_object_set_new(j, "virtualAccount",
				    json_pack("{s:o, s:o, s:o}", "bank", cli_json_text(p->va_bank), "accountNumber",
					      cli_json_text(p->va_account), "dueDate", cli_json_text(p->va_due)));
	if (j && p->escrow_id[0])
		json_object_set_new(j, "escrow", json_pack("{s:o, s:o}", "escrowId", cli_json_text(p->escrow_id), "status",
							   cli_json_text(p->escrow_status)));
	return j;
}

static json_t *refund_out(const struct refund_rec *r, const char *payment_id)
{
	return json_pack("{s:o, s:s, s:I, s:o, s:s}", "refundId", cli_json_text(r->public_id), "paymentId", payment_id,
			 "amount", (json_int_t)r->amount, "currency", cli_json_text(r->currency), "status",
			 refund_status_name(r->status));
}

struct one_payment {
	struct payment_rec rec;
	int found;
};

static int keep_one(void *arg, const struct payment_rec *p)
{
	struct one_payment *o = arg;

	o->rec = *p;
	o->found++;
	return 0;
}

/* The payment by public id or order id; 1 found, 0 none, -1 err. */
static int load_payment(struct api_conn *c, enum payment_list_by by, const char *id, struct one_payment *o,
			struct settle_err *err)
{
	const struct payment_queries *q = c->refund.pay.ctx.r.queries;

	memset(o, 0, sizeof *o);
	if (q->payments(q->self, by, id, keep_one, o, err) < 0)
		return -1;
	return o->found == 1;
}

void api_order(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
	       struct httpd_response *resp)
{
	static const char *const fields[] = {"podId", "method", "amount", NULL};
	json_t *b;
	const char *pod, *method;
	char amount[32];
	int bad = 0, existing = 0;
	struct payment_rec rec;
	struct settle_err err = {0};

	if (!api_may(p, API_ORDER, NULL))
		return api_forbidden(resp);
	if (!(b = api_body_object(req, resp)))
		return;
	if (api_only_fields(b, fields, resp) < 0)
		goto out;
	pod = api_text_field(b, "podId", &cli_kind_ref_id, 1, &bad, resp);
	method = bad ? NULL : api_text_field(b, "method", &cli_kind_method, 0, &bad, resp);
	if (bad || api_amount_field(b, "amount", 0, amount, sizeof amount, &bad, resp) < 0)
		goto out;
	if (cli_kind_ref_id.check(&cli_kind_ref_id, "sub", p->sub, &err) < 0) {
		httpd_json_error(resp, 403, "forbidden", "the token's subject is not a user id");
		goto out;
	}
	memset(&rec, 0, sizeof rec);
	if (pay_order(&c->refund.pay.ctx, pod, p->sub, method, NULL, &rec, &existing, &err) < 0) {
		api_reply_err(resp, "payments_order", &err);
		goto out;
	}
	/* The amount is the pod's fee (pay-order's rule); a client that
	 * shows another one is told so rather than charged what it thinks. */
	if (amount[0] && strtoll(amount, NULL, 10) != rec.amount) {
		char m[128];

		snprintf(m, sizeof m, "the pod's fee is %lld %s, not %s", (long long)rec.amount, rec.currency, amount);
		httpd_json_error(resp, 422, "amount_mismatch", m);
		goto out;
	}
	api_reply(resp, existing ? 200 : 201, payment_out(&rec));
out:
	json_decref(b);
}

void api_confirm(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
		 struct httpd_response *resp)
{
	static const char *const fields[] = {"paymentKey", "orderId", "amount", NULL};
	json_t *b;
	const char *key, *order_id;
	char amount[32];
	int bad = 0;
	struct one_payment o;
	struct payment_rec rec;
	struct settle_err err = {0};

	if (!api_may(p, API_CONFIRM, p->sub))
		return api_forbidden(resp);
	if (!(b = api_body_object(req, resp)))
		return;
	if (api_only_fields(b, fields, resp) < 0)
		goto out;
	key = api_text_field(b, "paymentKey", &cli_kind_payment_key, 1, &bad, resp);
	order_id = bad ? NULL : api_text_field(b, "orderId", &cli_kind_order_id, 1, &bad, resp);
	if (bad || api_amount_field(b, "amount", 1, amount, sizeof amount, &bad, resp) < 0)
		goto out;
	switch (load_payment(c, LIST_BY_ORDER_ID, order_id, &o, &err)) {
	case -1:
		api_reply_err(resp, "payments_confirm", &err);
		goto out;
	case 0:
		api_not_found(resp, "no such order");
		goto out;
	}
	if (!api_may(p, API_CONFIRM, o.rec.user_id)) {
		api_not_found(resp, "no such order");
		goto out;
	}
	memset(&rec, 0, sizeof rec);
	if (pay_capture(&c->refund.pay.ctx, order_id, key, amount, &rec, &err) < 0) {
		api_reply_err(resp, "payments_confirm", &err);
		goto out;
	}
	api_reply(resp, 200, payment_out(&rec));
out:
	json_decref(b);
}

void api_payment_get(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
		     struct httpd_response *resp)
{
	char id[ID_MAX + 1];
	struct one_payment o;
	struct settle_err err = {0};

	if (!api_may(p, API_PAYMENT_READ, p->sub) && p->role != API_ROLE_ADMIN)
		return api_forbidden(resp);
	if (api_path_id(req->path, "/api/v1/payments/", NULL, id, resp) < 0)
		return;
	switch (load_payment(c, LIST_BY_PUBLIC_ID, id, &o, &err)) {
	case -1:
		return api_reply_err(resp, "payments_get", &err);
	case 0:
		return api_not_found(resp, "no such payment");
	}
	if (!api_may(p, API_PAYMENT_READ, o.rec.user_id))
		return api_not_found(resp, "no such payment");
	api_reply(resp, 200, payment_out(&o.rec));
}

void api_refund(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
		struct httpd_response *resp)
{
	static const char *const fields[] = {"reason", "refundAmount", NULL};
	char id[ID_MAX + 1], amount[32];
	json_t *b = NULL;
	const char *reason;
	int bad = 0, has_amount;
	struct one_payment o;
	struct refund_rec r;
	struct policy_refund_how how;
	struct policy_refund_ask ask;
	struct settle_err err = {0};

	if (!api_may(p, API_PAYMENT_REFUND, p->sub) && p->role != API_ROLE_ADMIN)
		return api_forbidden(resp);
	if (api_path_id(req->path, "/api/v1/payments/", "/refund", id, resp) < 0 || !(b = api_body_object(req, resp)))
		return;
	if (api_only_fields(b, fields, resp) < 0)
		goto out;
	reason = api_text_field(b, "reason", &cli_kind_reason, 1, &bad, resp);
	if (bad || (has_amount = api_amount_field(b, "refundAmount", 0, amount, sizeof amount, &bad, resp)) < 0)
		goto out;
	switch (load_payment(c, LIST_BY_PUBLIC_ID, id, &o, &err)) {
	case -1:
		api_reply_err(resp, "payments_refund", &err);
		goto out;
	case 0:
		api_not_found(resp, "no such payment");
		goto out;
	}
	if (!api_may(p, API_PAYMENT_REFUND, o.rec.user_id)) {
		api_not_found(resp, "no such payment");
		goto out;
	}
	/* A user gets what the refund policy gives (or asks for less); an
	 * admin is the operator of pay-refund, who may override the policy
	 * and always gives a reason. */
	ask = (struct policy_refund_ask){.payment_id = id,
					 .amount_text = has_amount ? amount : NULL,
					 .reason = reason,
					 .by_policy = p->role == API_ROLE_USER && !has_amount,
					 .override = p->role == API_ROLE_ADMIN};
	memset(&r, 0, sizeof r);
	memset(&how, 0, sizeof how);
	if (pay_refund_by_policy(&c->refund.ctx, &ask, &how, &r, &err) < 0) {
		api_reply_err(resp, "payments_refund", &err);
		goto out;
	}
	api_reply(resp, 200, refund_out(&r, id));
out:
	json_decref(b);
}
