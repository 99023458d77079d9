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
	int register_sellers;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_STRING("import-result", 0, "FILE", &a.import_result, &cli_kind_input_file,
		   "mark payouts PAID, FAILED or RETURNED from a bank's result file (all or nothing)"),
	CLI_BOOL("register-sellers", 0, &a.register_sellers,
		 "register leaders without a seller with the [payout] channel (Toss payouts), look up those in "
		 "doubt, and refresh the status of sellers not yet approved; sends nothing"),
	CLI_END,
};

static const struct cli_spec spec = {
	.name = "payout-send",
	.exit_codes = (const int[]){0, 64, 65, 66, 69, 70, 75, 78, -1},
	.usage = "[--import-result FILE | --register-sellers]",
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

/* --json: the leaders listed, printed with the counts. */
static json_t *listed;

/* One line per leader the run could not register, or is in doubt about. */
static void seller_note(void *arg, const char *leader_id, const char *what, const char *code, const char *message)
{
	struct cli *cli = arg;

	if (cli->json)
		json_array_append_new(listed, json_pack("{s:s, s:s, s:s, s:s}", "leaderId", leader_id, "seller", what,
							"code", code, "message", message));
	else
		printf("leader %s: %s: %s%s%s\n", leader_id, what, code, *code ? ": " : "", message);
}

static int register_sellers(struct cli *cli, struct payout_wiring *w, struct settle_err *err)
{
	struct seller_reg_report r;

	if (wire_payout_open_registry(cli, w, err) < 0)
		return -1;
	w->reg_ctx.note = seller_note;
	w->reg_ctx.note_arg = cli;
	listed = json_array();
	if (!listed)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (seller_register(&w->reg_ctx, &r, err) < 0) {
		json_decref(listed);
		return -1;
	}
	snprintf(cli->job_counts, sizeof cli->job_counts,
		 "registered=%lld refused=%lld incomplete=%lld in_doubt=%lld refreshed=%lld", (long long)r.registered,
		 (long long)r.refused, (long long)r.incomplete, (long long)r.in_doubt, (long long)r.refreshed);
	if (cli->json) {
		cli_json_print(json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:O}", "registered",
					 (json_int_t)r.registered, "ready", (json_int_t)r.ready, "waiting",
					 (json_int_t)r.waiting, "refused", (json_int_t)r.refused, "incomplete",
					 (json_int_t)r.incomplete, "inDoubt", (json_int_t)r.in_doubt, "notFound",
					 (json_int_t)r.not_found, "refreshed", (json_int_t)r.refreshed, "leaders", listed),
			       &(struct settle_err){0});
	} else if (cli->verbosity >= 0) {
		printf("sellers: %lld registered, %lld ready, %lld waiting for approval, %lld refused, %lld incomplete, "
		       "%lld in doubt; %lld statuses refreshed\n",
		       (long long)r.registered, (long long)r.ready, (long long)r.waiting, (long long)r.refused,
		       (long long)r.incomplete, (long long)r.in_doubt, (long long)r.refreshed);
	}
	json_decref(listed);
	if (r.in_doubt)
		return err_set(err, SETTLE_EX_TEMPFAIL, "%lld seller registration(s) are in doubt; --register-sellers "
			       "looks them up later", (long long)r.in_doubt);
	if (r.held_by_others)
		return err_set(err, SETTLE_EX_TEMPFAIL, "%lld leader(s) are held by another --register-sellers; run again later",
			       (long long)r.held_by_others);
	if (r.refused || r.incomplete || r.not_found)
		return err_set(err, SETTLE_EX_DATAERR, "%lld leader(s) could not be registered as sellers (listed above); "
			       "the others were", (long long)(r.refused + r.incomplete + r.not_found));
	return 0;
}

static int run_payout(struct cli *cli, void *arg, struct settle_err *err)
{
	struct payout_wiring *w = cli->wired;
	struct args *x = arg;
	struct payout_report rep;

	if (x->import_result && x->register_sellers)
		return err_set(err, SETTLE_EX_USAGE, "--import-result and --register-sellers do different jobs: give one");
	if (x->import_result)
		return import(cli, w, x->import_result, err);
	if (x->register_sellers)
		return register_sellers(cli, w, err);
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
