/*
 * routes.c — settle-apid's endpoints over the programs' use cases (see
 * routes.h). Each body field is checked with the kind its program option
 * uses (cli/kinds.h), unknown fields are refused, and what the principal
 * may do is asked of domain/api_access.h — a user who may not see a
 * payment is told it does not exist, so ids cannot be probed.
 */
#include "api/routes.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/payments/payments.h"
#include "app/payments/refund_by_policy.h"
#include "app/settlement/settlement.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "domain/payout.h"
#include "util/log.h"

#define ID_MAX 64
#define EXECUTE_PODS_MAX CLI_LIST_MAX
#define LEADER_ROWS_MAX 500

static const char P_PAYMENTS[] = "/api/v1/payments";
static const char P_LEADER[] = "/api/v1/settlements/leader/";

/* The one path segment after prefix, up to suffix (or the end); 1 when the
 * path has that shape. The segment is checked later by its kind. */
static int segment(const char *path, const char *prefix, const char *suffix, char *out, size_t cap)
{
	size_t pl = strlen(prefix), n;
	const char *s, *end;

	if (strncmp(path, prefix, pl))
		return 0;
	s = path + pl;
	end = strchr(s, '/');
	n = end ? (size_t)(end - s) : strlen(s);
	if (!n || n >= cap)
		return 0;
	if (suffix ? !end || strcmp(end, suffix) : end != NULL)
		return 0;
	memcpy(out, s, n);
	out[n] = 0;
	return 1;
}

enum apid_route apid_route_of(const char *method, const char *path)
{
	char id[ID_MAX + 1];
	int get = !strcmp(method, "GET"), post = !strcmp(method, "POST");

#define R(ok, r) return (ok) ? (r) : APID_BAD_METHOD
	if (!strcmp(path, "/healthz"))
		R(get, APID_HEALTHZ);
	if (!strcmp(path, "/metrics"))
		R(get, APID_METRICS);
	if (!strcmp(path, P_PAYMENTS))
		R(post, APID_ORDER);
	if (!strcmp(path, "/api/v1/payments/confirm"))
		R(post, APID_CONFIRM);
	if (!strcmp(path, "/api/v1/settlements/execute"))
		R(post, APID_EXECUTE);
	if (segment(path, "/api/v1/payments/", "/refund", id, sizeof id))
		R(post, APID_REFUND);
	if (segment(path, "/api/v1/payments/", NULL, id, sizeof id))
		R(get, APID_PAYMENT_GET);
	if (segment(path, P_LEADER, NULL, id, sizeof id))
		R(get, APID_SETTLEMENTS_LEADER);
#undef R
	return APID_NOT_FOUND;
}

/* ---------------------------------------------------------------- answers */

static void reply(struct httpd_response *resp, int status, json_t *j)
{
	resp->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!resp->body) {
		httpd_json_error(resp, 500, "internal", "the answer could not be built");
		return;
	}
	resp->status = status;
}

/* A use case's refusal as an HTTP answer. 4xx carry the use case's own
 * one-line message (it names the input); 5xx only their class. */
static void reply_err(struct httpd_response *resp, const char *what, const struct settle_err *err)
{
	switch (err->code) {
	case SETTLE_EX_DATAERR:
	case SETTLE_EX_USAGE:
		httpd_json_error(resp, 422, err->pg_code[0] ? "refused_by_pg" : "rejected", err->msg);
		return;
	case SETTLE_EX_NOINPUT:
		httpd_json_error(resp, 404, "not_found", err->msg);
		return;
	case SETTLE_EX_TEMPFAIL:
		log_kv(LOG_WARN, "api.in_doubt", "route", what, "error", err->msg, NULL);
		httpd_json_error(resp, 503, "in_doubt", "the outcome is not known yet; retry with the same Idempotency-Key");
		httpd_add_header(resp, "Retry-After", "5");
		return;
	case SETTLE_EX_UNAVAILABLE:
		log_kv(LOG_WARN, "api.unavailable", "route", what, "error", err->msg, NULL);
		httpd_json_error(resp, 503, "unavailable", "a service behind the API is unavailable; try again");
		httpd_add_header(resp, "Retry-After", "5");
		return;
	default:
		log_kv(LOG_ERROR, "api.internal", "route", what, "error", err->msg, NULL);
		httpd_json_error(resp, 500, "internal", "internal error");
	}
}

static void forbidden(struct httpd_response *resp)
{
	httpd_json_error(resp, 403, "forbidden", "the token's role may not do this");
}

static void not_found(struct httpd_response *resp, const char *what)
{
	httpd_json_error(resp, 404, "not_found", what);
}

/* "2026-11-24 10:00:00[.ffffff]" (UTC) → "2026-11-24T10:00:00Z"; "" stays "". */
static json_t *iso(const char *sql)
{
	char b[24];

	if (!sql[0] || strlen(sql) < 19)
		return json_null();
	snprintf(b, sizeof b, "%.10sT%.8sZ", sql, sql + 11);
	return json_string(b);
}

static json_t *payment_out(const struct payment_rec *p)
{
	json_t *j = json_pack("{s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:s, s:o, s:s, s:o, s:o}", "paymentId",
			      cli_json_text(p->public_id), "orderId", cli_json_text(p->order_id), "podId",
			      cli_json_text(p->pod_id), "orderName", cli_json_text(p->order_name), "amount",
			      (json_int_t)p->amount, "refunded", (json_int_t)p->refunded, "currency",
			      cli_json_text(p->currency), "method", p->method, "pg", cli_json_text(p->pg), "status",
			      payment_status_name(p->status), "paidAt", iso(p->approved_at), "createdAt",
			      iso(p->created_at));

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

/* ---------------------------------------------------------------- bodies */

/* The request's JSON object; NULL with resp set (400/415). */
static json_t *body_object(const struct httpd_request *req, struct httpd_response *resp)
{
	const char *ct = httpd_header(req, "Content-Type");
	json_error_t je;
	json_t *j;

	if (!ct || strncasecmp(ct, "application/json", 16) || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		httpd_json_error(resp, 415, "unsupported_media_type", "the body must be application/json");
		return NULL;
	}
	j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		httpd_json_error(resp, 400, "malformed_body", "the body is not a JSON object (or repeats a key)");
		return NULL;
	}
	return j;
}

/* Refuses a field outside allowed (NULL-ended): 0, or -1 with resp 400. */
static int only_fields(json_t *o, const char *const *allowed, struct httpd_response *resp)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		int ok = 0;

		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, k);
		if (!ok) {
			char m[160];

			snprintf(m, sizeof m, "unknown field \"%.60s\"", k);
			httpd_json_error(resp, 400, "unknown_field", m);
			return -1;
		}
	}
	return 0;
}

/* A string field checked by its kind: the value, NULL when absent and not
 * required; on a refusal NULL with *bad set and resp a 400. */
static const char *text_field(json_t *o, const char *name, const struct cli_kind *kind, int required, int *bad,
			      struct httpd_response *resp)
{
	json_t *v = json_object_get(o, name);
	struct settle_err err = {0};
	char m[200];

	if (!v && !required)
		return NULL;
	if (!json_is_string(v)) {
		snprintf(m, sizeof m, "\"%s\" must be a string", name);
		httpd_json_error(resp, 400, "invalid_field", m);
		*bad = 1;
		return NULL;
	}
	if (strlen(json_string_value(v)) != json_string_length(v) ||
	    kind->check(kind, name, json_string_value(v), &err) < 0) {
		snprintf(m, sizeof m, "\"%s\": %s", name, err.msg[0] ? err.msg : "contains NUL");
		httpd_json_error(resp, 400, "invalid_field", m);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

/* A positive integer amount as the use cases take it (text). */
static int amount_field(json_t *o, const char *name, int required, char *out, size_t cap, int *bad,
			struct httpd_response *resp)
{
	json_t *v = json_object_get(o, name);
	char m[160];

	out[0] = 0;
	if (!v && !required)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		snprintf(m, sizeof m, "\"%s\" must be a positive whole number of minor units", name);
		httpd_json_error(resp, 400, "invalid_field", m);
		*bad = 1;
		return -1;
	}
	snprintf(out, cap, "%lld", (long long)json_integer_value(v));
	return 1;
}

static int path_id(const char *path, const char *prefix, const char *suffix, char *id, struct httpd_response *resp)
{
	struct settle_err err = {0};

	if (!segment(path, prefix, suffix, id, ID_MAX + 1) || !id[0] ||
	    cli_kind_ref_id.check(&cli_kind_ref_id, "id", id, &err) < 0) {
		not_found(resp, "no such resource");
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- payments */

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

static void order(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
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
		return forbidden(resp);
	if (!(b = body_object(req, resp)))
		return;
	if (only_fields(b, fields, resp) < 0)
		goto out;
	pod = text_field(b, "podId", &cli_kind_ref_id, 1, &bad, resp);
	method = bad ? NULL : text_field(b, "method", &cli_kind_method, 0, &bad, resp);
	if (bad || amount_field(b, "amount", 0, amount, sizeof amount, &bad, resp) < 0)
		goto out;
	if (cli_kind_ref_id.check(&cli_kind_ref_id, "sub", p->sub, &err) < 0) {
		httpd_json_error(resp, 403, "forbidden", "the token's subject is not a user id");
		goto out;
	}
	memset(&rec, 0, sizeof rec);
	if (pay_order(&c->refund.pay.ctx, pod, p->sub, method, NULL, &rec, &existing, &err) < 0) {
		reply_err(resp, "payments_order", &err);
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
	reply(resp, existing ? 200 : 201, payment_out(&rec));
out:
	json_decref(b);
}

static void confirm(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
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
		return forbidden(resp);
	if (!(b = body_object(req, resp)))
		return;
	if (only_fields(b, fields, resp) < 0)
		goto out;
	key = text_field(b, "paymentKey", &cli_kind_payment_key, 1, &bad, resp);
	order_id = bad ? NULL : text_field(b, "orderId", &cli_kind_order_id, 1, &bad, resp);
	if (bad || amount_field(b, "amount", 1, amount, sizeof amount, &bad, resp) < 0)
		goto out;
	switch (load_payment(c, LIST_BY_ORDER_ID, order_id, &o, &err)) {
	case -1:
		reply_err(resp, "payments_confirm", &err);
		goto out;
	case 0:
		not_found(resp, "no such order");
		goto out;
	}
	if (!api_may(p, API_CONFIRM, o.rec.user_id)) {
		not_found(resp, "no such order");
		goto out;
	}
	memset(&rec, 0, sizeof rec);
	if (pay_capture(&c->refund.pay.ctx, order_id, key, amount, &rec, &err) < 0) {
		reply_err(resp, "payments_confirm", &err);
		goto out;
	}
	reply(resp, 200, payment_out(&rec));
out:
	json_decref(b);
}

static void payment_get(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
			struct httpd_response *resp)
{
	char id[ID_MAX + 1];
	struct one_payment o;
	struct settle_err err = {0};

	if (!api_may(p, API_PAYMENT_READ, p->sub) && p->role != API_ROLE_ADMIN)
		return forbidden(resp);
	if (path_id(req->path, "/api/v1/payments/", NULL, id, resp) < 0)
		return;
	switch (load_payment(c, LIST_BY_PUBLIC_ID, id, &o, &err)) {
	case -1:
		return reply_err(resp, "payments_get", &err);
	case 0:
		return not_found(resp, "no such payment");
	}
	if (!api_may(p, API_PAYMENT_READ, o.rec.user_id))
		return not_found(resp, "no such payment");
	reply(resp, 200, payment_out(&o.rec));
}

static void refund(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
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
		return forbidden(resp);
	if (path_id(req->path, "/api/v1/payments/", "/refund", id, resp) < 0 || !(b = body_object(req, resp)))
		return;
	if (only_fields(b, fields, resp) < 0)
		goto out;
	reason = text_field(b, "reason", &cli_kind_reason, 1, &bad, resp);
	if (bad || (has_amount = amount_field(b, "refundAmount", 0, amount, sizeof amount, &bad, resp)) < 0)
		goto out;
	switch (load_payment(c, LIST_BY_PUBLIC_ID, id, &o, &err)) {
	case -1:
		reply_err(resp, "payments_refund", &err);
		goto out;
	case 0:
		not_found(resp, "no such payment");
		goto out;
	}
	if (!api_may(p, API_PAYMENT_REFUND, o.rec.user_id)) {
		not_found(resp, "no such payment");
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
		reply_err(resp, "payments_refund", &err);
		goto out;
	}
	reply(resp, 200, refund_out(&r, id));
out:
	json_decref(b);
}

/* ---------------------------------------------------------------- settlements */

static int leader_row(void *arg, const struct leader_settlement_row *r)
{
	return json_array_append_new(
		arg, json_pack("{s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "settlementId",
			       cli_json_text(r->settlement_id), "podId", cli_json_text(r->pod_id), "podTitle",
			       cli_json_text(r->pod_title), "amount", (json_int_t)r->leader_share, "total",
			       (json_int_t)r->total, "fee", (json_int_t)r->fee, "vat", (json_int_t)r->vat, "leaderShare",
			       (json_int_t)r->leader_share, "withholding", (json_int_t)r->withholding, "net",
			       (json_int_t)r->net, "currency", cli_json_text(r->currency), "status",
			       cli_json_text(r->status), "settledAt", cli_json_text(r->settled_at)))
		       ? -1
		       : 0;
}

static void leader_settlements(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
			       struct httpd_response *resp)
{
	char id[ID_MAX + 1];
	json_t *rows;
	struct settle_err err = {0};

	if (p->role != API_ROLE_LEADER && p->role != API_ROLE_ADMIN)
		return forbidden(resp);
	if (path_id(req->path, P_LEADER, NULL, id, resp) < 0)
		return;
	if (!api_may(p, API_SETTLEMENTS_READ, id))
		return forbidden(resp);
	rows = json_array();
	if (c->settlements.by_leader(c->settlements.self, id, LEADER_ROWS_MAX, leader_row, rows, &err) != 0) {
		json_decref(rows);
		if (!err.code)
			err_set(&err, SETTLE_EX_SOFTWARE, "out of memory building the answer");
		return reply_err(resp, "settlements_leader", &err);
	}
	reply(resp, 200, json_pack("{s:s, s:o}", "leaderId", id, "settlements", rows));
}

struct exec_out {
	json_t *settlements, *payouts;
};

static int exec_row(void *arg, const struct settle_leader_result *r)
{
	struct exec_out *o = arg;

	for (size_t i = 0; i < r->n_settled; i++) {
		const struct settlement_rec *s = &r->settled[i];

		json_array_append_new(o->settlements,
				      json_pack("{s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}", "settlementId",
						cli_json_text(s->public_id), "podId", cli_json_text(s->pod_id), "leaderId",
						cli_json_text(s->leader_id), "currency", cli_json_text(s->currency), "total",
						(json_int_t)s->split.total, "fee", (json_int_t)s->split.fee, "vat",
						(json_int_t)s->split.vat, "leaderShare", (json_int_t)s->split.leader_share));
	}
	if (r->payout)
		json_array_append_new(o->payouts,
				      json_pack("{s:o, s:o, s:I, s:I, s:I, s:s}", "payoutId",
						cli_json_text(r->payout->public_id), "leaderId", cli_json_text(r->leader_id),
						"gross", (json_int_t)r->payout->gross, "withholding",
						(json_int_t)r->payout->withholding, "amount", (json_int_t)r->payout->amount,
						"status", payout_status_name(r->payout->status)));
	return 0;
}

static void execute(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
		    struct httpd_response *resp)
{
	static const char *const fields[] = {"podIds", NULL};
	const char *pods[EXECUTE_PODS_MAX];
	json_t *b, *ids, *v;
	size_t i, n;
	struct settle_opts o;
	struct settle_report rep;
	struct exec_out out = {0};
	struct settle_err err = {0};

	if (!api_may(p, API_SETTLE_EXECUTE, NULL))
		return forbidden(resp);
	if (!(b = body_object(req, resp)))
		return;
	if (only_fields(b, fields, resp) < 0)
		goto out;
	ids = json_object_get(b, "podIds");
	n = json_array_size(ids);
	if (!json_is_array(ids) || n == 0 || n > EXECUTE_PODS_MAX) {
		httpd_json_error(resp, 400, "invalid_field", "\"podIds\" must be an array of 1 to 64 pod ids");
		goto out;
	}
	json_array_foreach(ids, i, v) {
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
		    cli_kind_ref_id.check(&cli_kind_ref_id, "podIds", json_string_value(v), &err) < 0) {
			httpd_json_error(resp, 400, "invalid_field", "\"podIds\": each must be a pod id (1-64 of A-Z a-z 0-9 _ . -)");
			goto out;
		}
		pods[i] = json_string_value(v);
	}
	o = (struct settle_opts){pods, n, 0};
	out.settlements = json_array();
	out.payouts = json_array();
	memset(&rep, 0, sizeof rep);
	if (settle_run(&c->settle.ctx, &o, exec_row, &out, &rep, &err) < 0) {
		reply_err(resp, "settlements_execute", &err);
		json_decref(out.settlements);
		json_decref(out.payouts);
		goto out;
	}
	reply(resp, 200,
	      json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "settlements", out.settlements, "payouts",
			out.payouts, "total", (json_int_t)rep.total, "fee", (json_int_t)rep.fee, "vat", (json_int_t)rep.vat,
			"leaderShare", (json_int_t)rep.leader_share, "withholding", (json_int_t)rep.withholding,
			"paidOut", (json_int_t)rep.paid_out, "unknownLeaders", (json_int_t)rep.unknown_leaders));
out:
	json_decref(b);
}

int apid_route_role_ok(const struct api_principal *p, enum apid_route route)
{
	/* The owner is the principal itself: "could this role ever". */
	switch (route) {
	case APID_ORDER: return api_may(p, API_ORDER, NULL);
	case APID_CONFIRM: return api_may(p, API_CONFIRM, p->sub);
	case APID_PAYMENT_GET: return api_may(p, API_PAYMENT_READ, p->sub);
	case APID_REFUND: return api_may(p, API_PAYMENT_REFUND, p->sub);
	case APID_SETTLEMENTS_LEADER: return api_may(p, API_SETTLEMENTS_READ, p->sub);
	case APID_EXECUTE: return api_may(p, API_SETTLE_EXECUTE, NULL);
	default: return 0;
	}
}

void apid_route_run(struct api_conn *c, const struct api_principal *p, enum apid_route route,
		    const struct httpd_request *req, struct httpd_response *resp)
{
	switch (route) {
	case APID_ORDER: return order(c, p, req, resp);
	case APID_CONFIRM: return confirm(c, p, req, resp);
	case APID_PAYMENT_GET: return payment_get(c, p, req, resp);
	case APID_REFUND: return refund(c, p, req, resp);
	case APID_SETTLEMENTS_LEADER: return leader_settlements(c, p, req, resp);
	case APID_EXECUTE: return execute(c, p, req, resp);
	default: return not_found(resp, "no such endpoint");
	}
}
