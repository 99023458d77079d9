/* pay-refund — refund a payment, fully or partly, while its escrow holds it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/print_payment.h"
#include "wire/wire_payments.h"

enum { OPT_AMOUNT = 1, OPT_REASON };

static const struct cli_option options[] = {
	{"amount", 0, "N", OPT_AMOUNT, "how much (default: all that remains)"},
	{"reason", 0, "TEXT", OPT_REASON, "why; sent to the PG (required, at most 100 bytes)"},
	{0},
};

static const struct cli_spec spec = {
	.name = "pay-refund",
	.usage = "PAYMENT_ID [--amount N] --reason TEXT",
	.summary = "Refund a captured payment through its PG while the escrow holds the money.",
	.options = options,
};

struct args {
	const char *amount, *reason;
};

static int on_option(void *arg, int id, const char *v, struct settle_err *err)
{
	struct args *a = arg;

	(void)err;
	if (id == OPT_AMOUNT)
		a->amount = v;
	else if (id == OPT_REASON)
		a->reason = v;
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct settle_err err = {0};
	struct args a = {0};
	struct payments_wiring w = {0};
	struct refund_rec r;
	int rc;
	int first = cli_parse(&cli, &spec, argc, argv, on_option, &a, &err);

	if (first == -2)
		return 0;
	if (first < 0)
		return cli_fail(&cli, &err);
	if (first + 1 != argc || !a.reason) {
		err_set(&err, SETTLE_EX_USAGE, first + 1 != argc ? "give exactly one PAYMENT_ID" : "--reason is required");
		return cli_fail(&cli, &err);
	}
	memset(&r, 0, sizeof r);
	if (wire_payments(&cli, &w, &err) < 0)
		goto fail;
	rc = pay_refund(&w.ctx, argv[first], a.amount, a.reason, &r, &err);
	if (r.public_id[0] && (rc == 0 || cli.json)) {
		if (cli.json) {
			print_refund_json(stdout, &r);
			putchar('\n');
		} else {
			printf("%s %lld %s %s\n", r.public_id, (long long)r.amount, r.currency, refund_status_name(r.status));
		}
	}
	if (rc < 0)
		goto fail;
	return payments_exit(&cli, &w, NULL);
fail:
	return payments_exit(&cli, &w, &err);
}
