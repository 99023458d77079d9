/* pay-order — create a PENDING payment for a pod and a user. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/print_payment.h"
#include "wire/wire_payments.h"

enum { OPT_POD = 1, OPT_USER, OPT_METHOD, OPT_PG };

static const struct cli_option options[] = {
	{"pod", 0, "POD", OPT_POD, "the pod (Study Service id)"},
	{"user", 0, "USER", OPT_USER, "the paying user (Study Service id)"},
	{"method", 0, "METHOD", OPT_METHOD, "CARD (default), TRANSFER or VIRTUAL_ACCOUNT"},
	{"pg", 0, "PG", OPT_PG, "force toss or nicepay (default: configured PG unless its breaker tripped)"},
	{0},
};

static const struct cli_spec spec = {
	.name = "pay-order",
	.usage = "--pod POD --user USER [--method METHOD] [--pg PG]",
	.summary = "Create a PENDING order; the amount comes from the pod. Prints the order id.",
	.options = options,
};

struct args {
	const char *pod, *user, *method, *pg;
};

static int on_option(void *arg, int id, const char *v, struct settle_err *err)
{
	struct args *a = arg;

	(void)err;
	if (id == OPT_POD)
		a->pod = v;
	else if (id == OPT_USER)
		a->user = v;
	else if (id == OPT_METHOD)
		a->method = v;
	else if (id == OPT_PG)
		a->pg = v;
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct settle_err err = {0};
	struct args a = {0};
	struct payments_wiring w = {0};
	struct payment_rec p;
	int existing = 0;
	int first = cli_parse(&cli, &spec, argc, argv, on_option, &a, &err);

	if (first == -2)
		return 0;
	if (first < 0)
		return cli_fail(&cli, &err);
	if (first < argc || !a.pod || !a.user) {
		err_set(&err, SETTLE_EX_USAGE, first < argc ? "unexpected argument '%s'" : "--pod and --user are required",
			first < argc ? argv[first] : "");
		return cli_fail(&cli, &err);
	}
	if (wire_payments(&cli, &w, &err) < 0 ||
	    pay_order(&w.ctx, a.pod, a.user, a.method, a.pg, &p, &existing, &err) < 0)
		goto fail;
	if (cli.json) {
		printf("{\"existing\":%s,\"order\":", existing ? "true" : "false");
		print_payment_json(stdout, &p);
		printf("}\n");
	} else {
		printf("%s\n", p.order_id);
	}
	return payments_exit(&cli, &w, NULL);
fail:
	return payments_exit(&cli, &w, &err);
}
