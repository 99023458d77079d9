/* pay-refund — refund a payment, fully or partly, while its escrow holds it;
 * by its refund policy with --policy. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "cli/print_payment.h"
#include "cli/print_refund_policy.h"
#include "wire/wire_refund_policy.h"

struct args {
	const char *amount, *reason;
	int after_release, policy, override;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_STRING("amount", 0, "N", &a.amount, &cli_kind_amount, "how much (default: all that remains)"),
	CLI_STRING("reason", 0, "TEXT", &a.reason, &cli_kind_reason,
		   "why; sent to the PG (required; UTF-8, at most 100 bytes)"),
	CLI_BOOL("policy", 0, &a.policy,
		 "refund what the payment's refund policy gives today (Korea time), and print how; takes no --amount"),
	CLI_BOOL("override", 0, &a.override,
		 "an --amount above what the refund policy gives; the --reason is recorded as the override's"),
	CLI_BOOL("after-release", 0, &a.after_release,
		 "the escrow was released to the leader: refund out of the leader's share (a clawback once settled)"),
	CLI_END,
};

static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	const struct args *x = arg;

	(void)cli;
	if (x->policy && x->amount)
		return err_set(err, SETTLE_EX_USAGE, "--policy takes no --amount: the policy decides the amount");
	if (x->policy && x->override)
		return err_set(err, SETTLE_EX_USAGE, "--policy takes no --override");
	if (x->override && !x->amount)
		return err_set(err, SETTLE_EX_USAGE, "--override needs --amount (the amount above the policy's)");
	if (!x->reason)
		return err_set(err, SETTLE_EX_USAGE, x->override ? "--override needs --reason TEXT" : "--reason is required");
	return 0;
}

static const struct cli_spec spec = {
	.name = "pay-refund",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 75, 78, -1},
	.usage = "PAYMENT_ID [--amount N [--override] | --policy] --reason TEXT [--after-release] [--dry-run]",
	.summary = "Refund a captured payment through its PG while the escrow holds the money.",
	.options = options,
	.dry_run = true,
	.wiring = &refund_policy_wiring,
	.arg_name = "PAYMENT_ID",
	.arg_kind = &cli_kind_ref_id,
	.min_args = 1,
	.max_args = 1,
	.check = check,
};

static int run_refund(struct cli *cli, void *arg, struct settle_err *err)
{
	struct refund_policy_wiring *w = cli->wired;
	struct args *x = arg;
	struct policy_refund_ask ask = {cli->args[0], x->amount, x->reason, x->after_release, x->policy, x->override,
					cli->dry_run};
	struct policy_refund_how how;
	struct refund_rec r;
	int rc;

	memset(&r, 0, sizeof r);
	rc = pay_refund_by_policy(&w->ctx, &ask, &how, &r, err);
	if (cli->dry_run) {
		struct settle_err jerr = {0};

		if (rc < 0)
			return rc;
		if (cli->json)
			return cli_json_print(refund_how_json(&how), &jerr) < 0 ? err_set(err, jerr.code, "%s", jerr.msg) : 0;
		print_refund_how(stdout, &how);
		printf("dry run: would refund %lld %s (nothing sent)\n", (long long)how.amount, cli_esc(how.currency));
		return 0;
	}
	if (how.applied && !cli->json && r.public_id[0])
		print_refund_how(stdout, &how);
	/* With --json the refund's state is printed even when it is in doubt. */
	if (r.public_id[0] && (rc == 0 || cli->json)) {
		struct settle_err jerr = {0};

		if (cli->json) {
			json_t *j = refund_json(&r);

			if (j && how.applied)
				json_object_set_new(j, "policy", refund_how_json(&how));
			cli_json_print(j, &jerr);
		} else {
			printf("%s %lld %s %s\n", cli_esc(r.public_id), (long long)r.amount, cli_esc(r.currency),
			       cli_esc(refund_status_name(r.status)));
		}
	}
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_refund, &a);
}
