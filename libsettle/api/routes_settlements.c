/*
 * routes_settlements.c — the settlement endpoints: a leader's settlements
 * (their read model) and an administrator's "execute settlement" (settle-run's
 * use case for the named pods).
 */
#include "api/answers.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/settlement/settlement.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "domain/payout.h"
#include "util/log.h"

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

void api_leader_settlements(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
			    struct httpd_response *resp)
{
	char id[ID_MAX + 1];
	json_t *rows;
	struct settle_err err = {0};

	if (p->role != API_ROLE_LEADER && p->role != API_ROLE_ADMIN)
		return api_forbidden(resp);
	if (api_path_id(req->path, P_LEADER, NULL, id, resp) < 0)
		return;
	if (!api_may(p, API_SETTLEMENTS_READ, id))
		return api_forbidden(resp);
	rows = json_array();
	if (c->settlements.by_leader(c->settlements.self, id, LEADER_ROWS_MAX, leader_row, rows, &err) != 0) {
		json_decref(rows);
		if (!err.code)
			err_set(&err, SETTLE_EX_SOFTWARE, "out of memory building the answer");
		return api_reply_err(resp, "settlements_leader", &err);
	}
	api_reply(resp, 200, json_pack("{s:s, s:o}", "leaderId", id, "settlements", rows));
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

void api_execute(struct api_conn *c, const struct api_principal *p, const struct httpd_request *req,
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
		return api_forbidden(resp);
	if (!(b = api_body_object(req, resp)))
		return;
	if (api_only_fields(b, fields, resp) < 0)
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
		api_reply_err(resp, "settlements_execute", &err);
		json_decref(out.settlements);
		json_decref(out.payouts);
		goto out;
	}
	api_reply(resp, 200,
	      json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "settlements", out.settlements, "payouts",
			out.payouts, "total", (json_int_t)rep.total, "fee", (json_int_t)rep.fee, "vat", (json_int_t)rep.vat,
			"leaderShare", (json_int_t)rep.leader_share, "withholding", (json_int_t)rep.withholding,
			"paidOut", (json_int_t)rep.paid_out, "unknownLeaders", (json_int_t)rep.unknown_leaders));
out:
	json_decref(b);
}
