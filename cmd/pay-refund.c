/* pay-refund — refund a payment, fully or partly, while its escrow holds it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "cli/print_payment.h"
#include "wire/wire_payments.h"

struct args {
	const char *amount, *reason;
	int after_release;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_STRING("amount", 0, "N", &a.amount, &cli_kind_amount, "how much (default: all that remains)"),
	CLI_STRING("reason", 0, "TEXT", &a.reason, &cli_kind_reason,
		   "why; sent to the PG (required; UTF-8, at most 100 bytes)"),
	CLI_BOOL("after-release", 0, &a.after_release,
		 "the escrow was released to the leader: refund out of the leader's share (a clawback once settled)"),
	CLI_END,
};

static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	const struct args *x = arg;

	(void)cli;
	if (!x->reason)
		return err_set(err, SETTLE_EX_USAGE, "--reason is required");
	return 0;
}

static const struct cli_spec spec = {
	.name = "pay-refund",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 75, 78, -1},
	.usage = "PAYMENT_ID [--amount N] --reason TEXT [--after-release]",
	.summary = "Refund a captured payment through its PG while the escrow holds the money.",
	.options = options,
	.wiring = &payments_wiring,
	.arg_name = "PAYMENT_ID",
	.arg_kind = &cli_kind_ref_id,
	.min_args = 1,
	.max_args = 1,
	.check = check,
};

static int run_refund(struct cli *cli, void *arg, struct settle_err *err)
{
	struct payments_wiring *w = cli->wired;
	struct args *x = arg;
	struct refund_rec r;
	int rc;

	memset(&r, 0, sizeof r);
	rc = pay_refund_ask(&w->ctx, &(struct refund_ask){cli->args[0], x->amount, x->reason, x->after_release}, &r,
			    err);
	/* With --json the refund's state is printed even when it is in doubt. */
	if (r.public_id[0] && (rc == 0 || cli->json)) {
		struct settle_err jerr = {0};

		if (cli->json)
			cli_json_print(refund_json(&r), &jerr);
		else
			printf("%s %lld %s %s\n", cli_esc(r.public_id), (long long)r.amount, cli_esc(r.currency),
			       cli_esc(refund_status_name(r.status)));
	}
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_refund, &a);
}
