/* settle-run — settle released money per pod (80/20 by default) and create each leader's payout. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "wire/wire_settlement.h"

enum { OPT_POD = 1 };

static const struct cli_option options[] = {
	{"pod", 0, "POD", OPT_POD, "only this pod's released money (repeatable): the admin's \"execute settlement\""},
	{0},
};

static const struct cli_spec spec = {
	.name = "settle-run",
	.usage = "[--pod POD]... [--dry-run]",
	.summary = "Settle every pod's released money and create one payout per leader (withholding for individuals).",
	.options = options,
	.dry_run = true,
};

#define MAX_PODS 64

struct args {
	const char *pods[MAX_PODS];
	size_t n_pods;
};

static int on_option(void *arg, int id, const char *v, struct settle_err *err)
{
	struct args *a = arg;

	(void)id;
	if (a->n_pods == MAX_PODS)
		return err_set(err, SETTLE_EX_USAGE, "at most %d --pod options", MAX_PODS);
	a->pods[a->n_pods++] = v;
	return 0;
}

struct out {
	int json, header;
	json_t *rows;
};

static int row(void *arg, const struct settle_leader_result *r)
{
	struct out *o = arg;

	for (size_t i = 0; i < r->n_settled; i++) {
		const struct settlement_rec *s = &r->settled[i];

		if (o->json) {
			json_array_append_new(o->rows,
					      json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:I, s:I, s:I, s:I}", "settlementId",
							s->public_id, "podId", s->pod_id, "leaderId", s->leader_id, "currency",
							s->currency, "total", (json_int_t)s->split.total, "feeBps",
							s->fee_bps, "fee", (json_int_t)s->split.fee, "supply",
							(json_int_t)s->split.supply, "vat", (json_int_t)s->split.vat,
							"leaderShare", (json_int_t)s->split.leader_share));
			continue;
		}
		if (!o->header++)
			printf("%-26s %-16s %-14s %12s %10s %10s %10s %12s\n", "SETTLEMENT", "POD", "LEADER", "TOTAL",
			       "FEE", "SUPPLY", "VAT", "LEADER");
		printf("%-26s %-16s %-14s %12lld %10lld %10lld %10lld %12lld\n", s->public_id, s->pod_id, s->leader_id,
		       (long long)s->split.total, (long long)s->split.fee, (long long)s->split.supply,
		       (long long)s->split.vat, (long long)s->split.leader_share);
	}
	if (r->payout && !o->json)
		printf("  payout %s %s gross %lld withholding %lld (income %lld, local %lld) amount %lld %s %s\n",
		       r->payout->public_id, r->leader_id, (long long)r->payout->gross, (long long)r->payout->withholding,
		       (long long)r->payout->income_tax, (long long)r->payout->local_tax, (long long)r->payout->amount,
		       r->payout->currency, payout_status_name(r->payout->status));
	else if (r->payout)
		json_array_append_new(o->rows, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:s}", "payoutId",
							 r->payout->public_id, "leaderId", r->leader_id, "gross",
							 (json_int_t)r->payout->gross, "incomeTax",
							 (json_int_t)r->payout->income_tax, "localTax",
							 (json_int_t)r->payout->local_tax, "withholding",
							 (json_int_t)r->payout->withholding, "amount",
							 (json_int_t)r->payout->amount, "status",
							 payout_status_name(r->payout->status), "channel",
							 r->payout->channel));
	else if (r->why_no_payout && !o->json)
		printf("  no payout for %s: %lld %s\n", r->leader_id, (long long)r->carried_gross, r->why_no_payout);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct settle_err err = {0};
	struct args a = {0};
	struct settlement_wiring w;
	struct settle_opts o;
	struct settle_report rep;
	struct out out = {0};
	int code;
	int first = cli_parse(&cli, &spec, argc, argv, on_option, &a, &err);

	if (first == -2)
		return 0;
	if (first < 0)
		return cli_fail(&cli, &err);
	if (first != argc) {
		err_set(&err, SETTLE_EX_USAGE, "unexpected argument '%s'", argv[first]);
		return cli_fail(&cli, &err);
	}
	if (wire_settlement(&cli, &w, &err) < 0)
		goto fail;
	out.json = cli.json;
	out.rows = json_array();
	o = (struct settle_opts){a.pods, a.n_pods, cli.dry_run};
	if (settle_run(&w.ctx, &o, row, &out, &rep, &err) < 0)
		goto fail;
	if (cli.json) {
		json_t *doc = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:O}", "dryRun",
					cli.dry_run, "leaders", (json_int_t)rep.leaders, "settlements",
					(json_int_t)rep.settlements, "payouts", (json_int_t)rep.payouts, "held",
					(json_int_t)rep.held, "total", (json_int_t)rep.total, "fee", (json_int_t)rep.fee,
					"vat", (json_int_t)rep.vat, "leaderShare", (json_int_t)rep.leader_share,
					"withholding", (json_int_t)rep.withholding, "paidOut", (json_int_t)rep.paid_out,
					"rows", out.rows);

		json_dumpf(doc, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(doc);
	} else if (cli.verbosity >= 0) {
		printf("%s %lld settlement(s): total %lld, fee %lld (VAT %lld), leaders %lld; %lld payout(s) (%lld held), "
		       "withholding %lld, to send %lld\n",
		       cli.dry_run ? "would make" : "made", (long long)rep.settlements, (long long)rep.total,
		       (long long)rep.fee, (long long)rep.vat, (long long)rep.leader_share, (long long)rep.payouts,
		       (long long)rep.held, (long long)rep.withholding, (long long)rep.paid_out);
	}
	if (rep.unknown_leaders)
		fprintf(stderr, "settle-run: %lld pod(s) of %lld leader(s) unknown to settle wait for `settle-db "
			"load-leaders`\n", (long long)rep.unknown_pods, (long long)rep.unknown_leaders);
	json_decref(out.rows);
	cli_close(&cli);
	return 0;
fail:
	json_decref(out.rows);
	code = cli_fail(&cli, &err);
	cli_close(&cli);
	return code;
}
