/*
 * pay-capture — confirm one order with its PG, or (--sweep) finish every
 * unfinished payment, refund and participation confirm.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "cli/print_payment.h"
#include "wire/job_runs.h"
#include "wire/wire_payments.h"

struct args {
	const char *order, *key, *amount;
	int sweep;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_STRING("order", 0, "ORDER", &a.order, &cli_kind_order_id, "the order id from pay-order"),
	CLI_STRING("payment-key", 0, "KEY", &a.key, &cli_kind_payment_key,
		   "the PG's payment key (Toss paymentKey / NicePay tid) from the redirect"),
	CLI_STRING("amount", 0, "N", &a.amount, &cli_kind_amount, "the amount from the redirect; must equal the order's"),
	CLI_BOOL("sweep", 0, &a.sweep, "finish in-doubt confirms, deposits, expiries, refunds, participation"),
	CLI_END,
};

static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	const struct args *x = arg;

	(void)cli;
	if (x->sweep && (x->order || x->key || x->amount))
		return err_set(err, SETTLE_EX_USAGE, "--sweep takes no --order, --payment-key or --amount");
	if (!x->sweep && (!x->order || !x->key || !x->amount))
		return err_set(err, SETTLE_EX_USAGE, "--order, --payment-key and --amount are required (or --sweep)");
	return 0;
}

static const struct cli_spec spec = {
	.name = "pay-capture",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 75, 78, -1},
	.usage = "--order ORDER --payment-key KEY --amount N | --sweep",
	.summary = "Confirm a payment with its PG and hold it in escrow; or sweep what is unfinished.",
	.options = options,
	.wiring = &payments_wiring,
	.check = check,
};

static int sweep(struct cli *cli, struct payments_wiring *w, struct settle_err *err)
{
	struct sweep_report r;
	struct settle_err jerr = {0};
	int rc;

	/* The sweep is a batch job (a timer runs it): on record in job_runs. */
	job_run_begin(cli);
	rc = pay_sweep(&w->ctx, &r, err);
	snprintf(cli->job_counts, sizeof cli->job_counts,
		 "looked_at=%lld captured=%lld failed=%lld expired=%lld in_doubt=%lld refunded=%lld refund_in_doubt=%lld",
		 (long long)r.looked_at, (long long)r.captured, (long long)r.failed, (long long)r.expired,
		 (long long)r.in_doubt, (long long)r.refunded, (long long)r.refund_doubt);

	if (cli->json) {
		json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "lookedAt",
				      (json_int_t)r.looked_at, "captured", (json_int_t)r.captured, "awaitingDeposit",
				      (json_int_t)r.awaiting, "failed", (json_int_t)r.failed, "expired",
				      (json_int_t)r.expired, "inDoubt", (json_int_t)r.in_doubt, "refunded",
				      (json_int_t)r.refunded, "refundFailed", (json_int_t)r.refund_failed, "refundInDoubt",
				      (json_int_t)r.refund_doubt, "participationDone", (json_int_t)r.participation_done,
				      "participationRetry", (json_int_t)r.participation_retry);

		/* A sweep's own error outranks a failure to print its report. */
		if (cli_json_print(j, &jerr) < 0 && rc == 0)
			return err_set(err, jerr.code, "%s", jerr.msg);
	} else if (cli->verbosity >= 0) {
		printf("sweep: looked at %lld; captured %lld, awaiting deposit %lld, failed %lld, expired %lld, in doubt "
		       "%lld; refunds done %lld, failed %lld, in doubt %lld; participation done %lld, retry %lld\n",
		       (long long)r.looked_at, (long long)r.captured, (long long)r.awaiting, (long long)r.failed,
		       (long long)r.expired, (long long)r.in_doubt, (long long)r.refunded, (long long)r.refund_failed,
		       (long long)r.refund_doubt, (long long)r.participation_done, (long long)r.participation_retry);
	}
	if (rc < 0)
		return -1;
	/* Part of the work still in doubt: say so with 75 so a timer retries. */
	if (r.in_doubt || r.refund_doubt)
		return err_set(err, SETTLE_EX_TEMPFAIL, "%lld payment(s) and %lld refund(s) are still in doubt",
			       (long long)r.in_doubt, (long long)r.refund_doubt);
	return 0;
}

static int run_capture(struct cli *cli, void *arg, struct settle_err *err)
{
	struct payments_wiring *w = cli->wired;
	struct args *x = arg;
	struct payment_rec p;
	int rc;

	if (x->sweep)
		return sweep(cli, w, err);
	memset(&p, 0, sizeof p);
	rc = pay_capture(&w->ctx, x->order, x->key, x->amount, &p, err);
	/* With --json the final state is printed even after a refusal. */
	if (p.public_id[0] && (rc == 0 || cli->json)) {
		struct settle_err jerr = {0};

		if (cli->json)
			cli_json_print(payment_json(&p), &jerr);
		else
			printf("%s %s %s\n", cli_esc(p.order_id), cli_esc(p.public_id), payment_status_name(p.status));
	}
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_capture, &a);
}
