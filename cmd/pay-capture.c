/*
 * pay-capture — confirm one order with its PG, or (--sweep) finish every
 * unfinished payment, refund and participation confirm.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/print_payment.h"
#include "wire/wire_payments.h"

enum { OPT_ORDER = 1, OPT_KEY, OPT_AMOUNT, OPT_SWEEP };

static const struct cli_option options[] = {
	{"order", 0, "ORDER", OPT_ORDER, "the order id from pay-order"},
	{"payment-key", 0, "KEY", OPT_KEY, "the PG's payment key (Toss paymentKey / NicePay tid) from the redirect"},
	{"amount", 0, "N", OPT_AMOUNT, "the amount from the redirect; must equal the order's"},
	{"sweep", 0, NULL, OPT_SWEEP, "finish in-doubt confirms, deposits, expiries, refunds, participation"},
	{0},
};

static const struct cli_spec spec = {
	.name = "pay-capture",
	.usage = "--order ORDER --payment-key KEY --amount N | --sweep",
	.summary = "Confirm a payment with its PG and hold it in escrow; or sweep what is unfinished.",
	.options = options,
};

struct args {
	const char *order, *key, *amount;
	int sweep;
};

static int on_option(void *arg, int id, const char *v, struct settle_err *err)
{
	struct args *a = arg;

	(void)err;
	if (id == OPT_ORDER)
		a->order = v;
	else if (id == OPT_KEY)
		a->key = v;
	else if (id == OPT_AMOUNT)
		a->amount = v;
	else if (id == OPT_SWEEP)
		a->sweep = 1;
	return 0;
}

static int sweep(struct cli *cli, struct payments_wiring *w, struct settle_err *err)
{
	struct sweep_report r;
	int rc = pay_sweep(&w->ctx, &r, err);

	if (cli->json)
		printf("{\"lookedAt\":%lld,\"captured\":%lld,\"awaitingDeposit\":%lld,\"failed\":%lld,\"expired\":%lld,"
		       "\"inDoubt\":%lld,\"refunded\":%lld,\"refundFailed\":%lld,\"refundInDoubt\":%lld,"
		       "\"participationDone\":%lld,\"participationRetry\":%lld}\n",
		       (long long)r.looked_at, (long long)r.captured, (long long)r.awaiting, (long long)r.failed,
		       (long long)r.expired, (long long)r.in_doubt, (long long)r.refunded, (long long)r.refund_failed,
		       (long long)r.refund_doubt, (long long)r.participation_done, (long long)r.participation_retry);
	else if (cli->verbosity >= 0)
		printf("sweep: looked at %lld; captured %lld, awaiting deposit %lld, failed %lld, expired %lld, in doubt "
		       "%lld; refunds done %lld, failed %lld, in doubt %lld; participation done %lld, retry %lld\n",
		       (long long)r.looked_at, (long long)r.captured, (long long)r.awaiting, (long long)r.failed,
		       (long long)r.expired, (long long)r.in_doubt, (long long)r.refunded, (long long)r.refund_failed,
		       (long long)r.refund_doubt, (long long)r.participation_done, (long long)r.participation_retry);
	if (rc < 0)
		return -1;
	/* Part of the work still in doubt: say so with 75 so a timer retries. */
	if (r.in_doubt || r.refund_doubt)
		return err_set(err, SETTLE_EX_TEMPFAIL, "%lld payment(s) and %lld refund(s) are still in doubt",
			       (long long)r.in_doubt, (long long)r.refund_doubt);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct settle_err err = {0};
	struct args a = {0};
	struct payments_wiring w = {0};
	struct payment_rec p;
	int rc;
	int first = cli_parse(&cli, &spec, argc, argv, on_option, &a, &err);

	if (first == -2)
		return 0;
	if (first < 0)
		return cli_fail(&cli, &err);
	if (first < argc) {
		err_set(&err, SETTLE_EX_USAGE, "unexpected argument '%s'", argv[first]);
		return cli_fail(&cli, &err);
	}
	if (a.sweep && (a.order || a.key || a.amount)) {
		err_set(&err, SETTLE_EX_USAGE, "--sweep takes no --order, --payment-key or --amount");
		return cli_fail(&cli, &err);
	}
	if (!a.sweep && (!a.order || !a.key || !a.amount)) {
		err_set(&err, SETTLE_EX_USAGE, "--order, --payment-key and --amount are required (or --sweep)");
		return cli_fail(&cli, &err);
	}
	if (wire_payments(&cli, &w, &err) < 0)
		goto fail;
	if (a.sweep) {
		if (sweep(&cli, &w, &err) < 0)
			goto fail;
	} else {
		memset(&p, 0, sizeof p);
		rc = pay_capture(&w.ctx, a.order, a.key, a.amount, &p, &err);
		if (p.public_id[0] && (rc == 0 || cli.json)) {
			if (cli.json) {
				print_payment_json(stdout, &p);
				putchar('\n');
			} else {
				printf("%s %s %s\n", p.order_id, p.public_id, payment_status_name(p.status));
			}
		}
		if (rc < 0)
			goto fail;
	}
	return payments_exit(&cli, &w, NULL);
fail:
	return payments_exit(&cli, &w, &err);
}
