/* pay-order — create a PENDING payment for a pod and a user. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "cli/print_payment.h"
#include "wire/wire_payments.h"

struct args {
	const char *pod, *user, *method, *pg;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_STRING("pod", 0, "POD", &a.pod, &cli_kind_ref_id, "the pod (Study Service id)"),
	CLI_STRING("user", 0, "USER", &a.user, &cli_kind_ref_id, "the paying user (Study Service id)"),
	CLI_STRING("method", 0, "METHOD", &a.method, &cli_kind_method, "CARD (default), TRANSFER or VIRTUAL_ACCOUNT"),
	CLI_STRING("pg", 0, "PG", &a.pg, &cli_kind_pg_name,
		   "force toss or nicepay (default: configured PG unless its breaker tripped)"),
	CLI_END,
};

static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	const struct args *x = arg;

	(void)cli;
	if (!x->pod || !x->user)
		return err_set(err, SETTLE_EX_USAGE, "--pod and --user are required");
	return 0;
}

static const struct cli_spec spec = {
	.name = "pay-order",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 78, -1},
	.usage = "--pod POD --user USER [--method METHOD] [--pg PG]",
	.summary = "Create a PENDING order; the amount comes from the pod. Prints the order id.",
	.options = options,
	.wiring = &payments_wiring,
	.check = check,
};

static int run_order(struct cli *cli, void *arg, struct settle_err *err)
{
	struct payments_wiring *w = cli->wired;
	struct args *x = arg;
	struct payment_rec p;
	int existing = 0;

	/* Nothing is recorded before the pod is known, so nothing is ever in
	 * doubt: a Study Service that cannot be asked is 69, not 75 (the
	 * spec's exit codes fold it). */
	if (pay_order(&w->ctx, x->pod, x->user, x->method, x->pg, &p, &existing, err) < 0)
		return -1;
	if (cli->json)
		return cli_json_print(json_pack("{s:b, s:o}", "existing", existing, "order", payment_json(&p)), err);
	printf("%s\n", cli_esc(p.order_id));
	return 0;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_order, &a);
}
