/* settle-run — settle released money per pod (80/20 by default) and create each leader's payout. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "wire/wire_settlement.h"

struct args {
	struct cli_list pods;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_LIST("pod", 0, "POD", &a.pods, &cli_kind_ref_id,
		 "only this pod's released money (repeatable): the admin's \"execute settlement\""),
	CLI_END,
};

static const struct cli_spec spec = {
	.name = "settle-run",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 78, -1},
	.usage = "[--pod POD]... [--dry-run]",
	.summary = "Settle every pod's released money and create one payout per leader (withholding for individuals).",
	.options = options,
	.dry_run = true,
	.wiring = &settlement_wiring,
};

struct out {
	int json, header;
	json_t *rows;
};

static int row(void *arg, const struct settle_leader_result *r)
{
	struct out *o = arg;

	if (!o->json && !o->header++)
		printf("%-26s %-16s %-14s %12s %10s %10s %10s %12s\n", "SETTLEMENT", "POD", "LEADER", "TOTAL", "FEE",
		       "SUPPLY", "VAT", "LEADER");
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
		printf("%-26s %-16s %-14s %12lld %10lld %10lld %10lld %12lld\n", cli_esc(s->public_id), cli_esc(s->pod_id),
		       cli_esc(s->leader_id),
		       (long long)s->split.total, (long long)s->split.fee, (long long)s->split.supply,
		       (long long)s->split.vat, (long long)s->split.leader_share);
	}
	if (r->payout && !o->json)
		printf("  payout %s %s gross %lld withholding %lld (income %lld, local %lld) amount %lld %s %s\n",
		       cli_esc(r->payout->public_id), cli_esc(r->leader_id), (long long)r->payout->gross, (long long)r->payout->withholding,
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
		printf("  no payout for %s: %lld %s\n", cli_esc(r->leader_id), (long long)r->carried_gross, r->why_no_payout);
	return 0;
}

static int run_settle(struct cli *cli, void *arg, struct settle_err *err)
{
	struct settlement_wiring *w = cli->wired;
	struct args *x = arg;
	struct settle_opts o = {x->pods.v, x->pods.n, cli->dry_run};
	struct settle_report rep;
	struct out out = {cli->json, 0, json_array()};
	int rc = settle_run(&w->ctx, &o, row, &out, &rep, err);

	snprintf(cli->job_counts, sizeof cli->job_counts,
		 "leaders=%lld settlements=%lld payouts=%lld held=%lld total=%lld withholding=%lld dry_run=%d",
		 (long long)rep.leaders, (long long)rep.settlements, (long long)rep.payouts, (long long)rep.held,
		 (long long)rep.total, (long long)rep.withholding, cli->dry_run);

	if (rc == 0 && cli->json) {
		struct settle_err jerr = {0};

		cli_json_print(json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:O}", "dryRun",
					 cli->dry_run, "leaders", (json_int_t)rep.leaders, "settlements",
					 (json_int_t)rep.settlements, "payouts", (json_int_t)rep.payouts, "held",
					 (json_int_t)rep.held, "total", (json_int_t)rep.total, "fee", (json_int_t)rep.fee,
					 "vat", (json_int_t)rep.vat, "leaderShare", (json_int_t)rep.leader_share,
					 "withholding", (json_int_t)rep.withholding, "paidOut", (json_int_t)rep.paid_out,
					 "rows", out.rows),
			       &jerr);
	} else if (rc == 0 && cli->verbosity >= 0) {
		if (cli->dry_run)
			printf("(dry run: nothing was kept; the ids above are not the ones a run will give)\n");
		printf("%s %lld settlement(s): total %lld, fee %lld (VAT %lld), leaders %lld; %lld payout(s) (%lld held), "
		       "withholding %lld, to send %lld\n",
		       cli->dry_run ? "would make" : "made", (long long)rep.settlements, (long long)rep.total,
		       (long long)rep.fee, (long long)rep.vat, (long long)rep.leader_share, (long long)rep.payouts,
		       (long long)rep.held, (long long)rep.withholding, (long long)rep.paid_out);
	}
	if (rc == 0 && rep.unknown_leaders)
		fprintf(stderr, "settle-run: %lld pod(s) of %lld leader(s) unknown to settle wait for `settle-db "
			"load-leaders`\n", (long long)rep.unknown_pods, (long long)rep.unknown_leaders);
	json_decref(out.rows);
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_settle, &a);
}
