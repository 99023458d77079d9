/* payout-send — send leaders' payouts through the bank port; import a bank's result file. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/bank/bulk_result.h"
#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "wire/wire_payout.h"

struct args {
	const char *import_result;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_STRING("import-result", 0, "FILE", &a.import_result, &cli_kind_input_file,
		   "mark payouts PAID, FAILED or RETURNED from a bank's result file (all or nothing)"),
	CLI_END,
};

static const struct cli_spec spec = {
	.name = "payout-send",
	.exit_codes = (const int[]){0, 64, 65, 66, 69, 70, 75, 78, -1},
	.usage = "[--import-result FILE]",
	.summary = "Send PENDING payouts through the bank port, ask about those in doubt, or import a result file.",
	.options = options,
	.wiring = &payout_wiring,
};

static void print_report(struct cli *cli, const struct payout_report *r)
{
	struct settle_err jerr = {0};

	snprintf(cli->job_counts, sizeof cli->job_counts, "sent=%lld paid=%lld failed=%lld returned=%lld in_doubt=%lld",
		 (long long)r->sent, (long long)r->paid, (long long)r->failed, (long long)r->returned,
		 (long long)r->in_doubt);
	if (cli->json)
		cli_json_print(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "promoted", (json_int_t)r->promoted,
					 "sent", (json_int_t)r->sent, "paid", (json_int_t)r->paid, "failed",
					 (json_int_t)r->failed, "returned", (json_int_t)r->returned, "inDoubt",
					 (json_int_t)r->in_doubt, "stillHeld", (json_int_t)r->still_held, "amountSent",
					 (json_int_t)r->amount_sent),
			       &jerr);
	else if (cli->verbosity >= 0)
		printf("payouts: %lld sent, %lld paid, %lld failed, %lld returned, %lld in doubt; %lld released from HELD, "
		       "%lld still held\n",
		       (long long)r->sent, (long long)r->paid, (long long)r->failed, (long long)r->returned,
		       (long long)r->in_doubt, (long long)r->promoted, (long long)r->still_held);
}

static int import(struct cli *cli, struct payout_wiring *w, const char *path, struct settle_err *err)
{
	struct bulk_result br = {0};
	struct payout_result_row *rows = NULL;
	struct payout_report rep;
	int rc;

	if (bulk_result_load(path, &br, err) < 0)
		return -1;
	rows = calloc(br.n ? br.n : 1, sizeof *rows);
	if (!rows) {
		bulk_result_free(&br);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	for (size_t i = 0; i < br.n; i++)
		rows[i] = (struct payout_result_row){br.rows[i].line,	 br.rows[i].payout_id, br.rows[i].amount,
						     br.rows[i].status, br.rows[i].reference, br.rows[i].message};
	rc = payout_import(&w->ctx, path, rows, br.n, &rep, err);
	if (rc == 0)
		print_report(cli, &rep);
	free(rows);
	bulk_result_free(&br);
	return rc;
}

static int run_payout(struct cli *cli, void *arg, struct settle_err *err)
{
	struct payout_wiring *w = cli->wired;
	struct args *x = arg;
	struct payout_report rep;

	if (x->import_result)
		return import(cli, w, x->import_result, err);
	if (payout_send(&w->ctx, &rep, err) < 0)
		return -1;
	print_report(cli, &rep);
	/* A batch job that left work in doubt says so and exits non-zero. */
	if (rep.in_doubt)
		return err_set(err, SETTLE_EX_TEMPFAIL, "%lld payout(s) are in doubt; payout-send asks about them later",
			       (long long)rep.in_doubt);
	if (rep.held_by_others)
		return err_set(err, SETTLE_EX_TEMPFAIL, "%lld payout(s) are held by another payout-send; run again later",
			       (long long)rep.held_by_others);
	return 0;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_payout, &a);
}
