/* escrow-dispute — open a dispute on an escrow, resolve it once, list and show disputes. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "wire/wire_payments.h"

struct args {
	const char *reason, *amount, *split;
	int release, refund;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_STRING("reason", 0, "TEXT", &a.reason, &cli_kind_reason, "open: why the escrow is disputed (required)"),
	CLI_BOOL("release", 0, &a.release, "resolve: release all the escrow holds to the pod"),
	CLI_BOOL("refund", 0, &a.refund, "resolve: refund the customer (all, or --amount N; the rest to the pod)"),
	CLI_STRING("amount", 0, "N", &a.amount, &cli_kind_amount, "resolve --refund: how much goes back"),
	CLI_STRING("split", 0, "LEADER_AMOUNT", &a.split, &cli_kind_amount,
		   "resolve: release LEADER_AMOUNT to the pod, refund the rest"),
	CLI_END,
};

static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	const struct args *x = arg;
	const char *verb = cli->command ? cli->command->verb : "";
	int ways = x->release + x->refund + (x->split != NULL);

	if (!strcmp(verb, "open") && !x->reason)
		return err_set(err, SETTLE_EX_USAGE, "open needs --reason");
	if (strcmp(verb, "open") && x->reason)
		return err_set(err, SETTLE_EX_USAGE, "--reason goes with open");
	if (!strcmp(verb, "resolve") && ways != 1)
		return err_set(err, SETTLE_EX_USAGE, "resolve needs exactly one of --release, --refund, --split");
	if (strcmp(verb, "resolve") && ways)
		return err_set(err, SETTLE_EX_USAGE, "--release, --refund and --split go with resolve");
	if (x->amount && !x->refund)
		return err_set(err, SETTLE_EX_USAGE, "--amount goes with resolve --refund");
	return 0;
}

static json_t *dispute_json(const struct dispute_rec *d)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "disputeId", cli_json_str(d->public_id),
			 "escrowId", cli_json_str(d->escrow_public_id), "podId", cli_json_str(d->pod_id), "status",
			 cli_json_str(d->status), "reason", cli_json_str(d->reason), "openedBy", cli_json_str(d->opened_by),
			 "resolution", cli_json_text(d->resolution), "releaseAmount", (json_int_t)d->release_amount,
			 "refundAmount", (json_int_t)d->refund_amount, "openedAt", cli_json_str(d->opened_at),
			 "resolvedAt", cli_json_text(d->resolved_at));
}

static void print_dispute(const struct cli *cli, const struct dispute_rec *d)
{
	struct settle_err jerr = {0};

	if (cli->json)
		cli_json_print(dispute_json(d), &jerr);
	else
		printf("%s %s %s %s%s%s release %lld refund %lld: %s\n", cli_esc(d->public_id),
		       cli_esc(d->escrow_public_id), cli_esc(d->pod_id), cli_esc(d->status), d->resolution[0] ? " " : "",
		       cli_esc(d->resolution), (long long)d->release_amount, (long long)d->refund_amount,
		       cli_esc(d->reason));
}

static int cmd_open(struct cli *cli, void *arg, struct settle_err *err)
{
	struct payments_wiring *w = cli->wired;
	struct args *x = arg;
	struct dispute_rec d;

	if (dispute_open(&w->ctx, cli->args[0], x->reason, &d, err) < 0)
		return -1;
	print_dispute(cli, &d);
	return 0;
}

static int cmd_resolve(struct cli *cli, void *arg, struct settle_err *err)
{
	struct payments_wiring *w = cli->wired;
	struct args *x = arg;
	struct dispute_rec d;
	struct refund_rec r;
	enum dispute_how how = x->release ? DISPUTE_RELEASE : x->refund ? DISPUTE_REFUND : DISPUTE_SPLIT;
	int rc = dispute_resolve(&w->ctx, cli->args[0], how, x->split ? x->split : x->amount, &d, &r, err);

	if (rc == 0 || d.status[0] == 'R')
		print_dispute(cli, &d);
	if (r.public_id[0] && !cli->json)
		printf("  refund %s %lld %s %s\n", cli_esc(r.public_id), (long long)r.amount, cli_esc(r.currency),
		       refund_status_name(r.status));
	return rc;
}

struct lister {
	struct cli *cli;
	const struct disputes_repo *repo;
	json_t *rows;
	int n;
};

static int step_row(void *arg, const struct dispute_step *s)
{
	struct lister *l = arg;

	if (!l->cli->json)
		printf("    %s %-9s %-16s %s\n", cli_esc(s->at), cli_esc(s->step), cli_esc(s->actor), cli_esc(s->message));
	return 0;
}

static int list_row(void *arg, const struct dispute_rec *d)
{
	struct lister *l = arg;
	struct settle_err e = {0};

	l->n++;
	if (l->cli->json)
		return json_array_append_new(l->rows, dispute_json(d));
	print_dispute(l->cli, d);
	if (l->cli->args && l->cli->nargs)
		return l->repo->steps(l->repo->self, d->id, step_row, l, &e);
	return 0;
}

static int cmd_list(struct cli *cli, void *arg, struct settle_err *err)
{
	struct payments_wiring *w = cli->wired;
	struct lister l = {cli, &w->disputes, json_array(), 0};
	int rc;

	(void)arg;
	rc = w->disputes.list(w->disputes.self, cli->nargs ? cli->args[0] : NULL, list_row, &l, err);
	if (rc == 0 && cli->json) {
		struct settle_err jerr = {0};

		cli_json_print(json_incref(l.rows), &jerr);
	}
	json_decref(l.rows);
	if (rc == 0 && cli->nargs && l.n == 0)
		return err_set(err, SETTLE_EX_DATAERR, "escrow %s has no dispute", cli->args[0]);
	return rc;
}

static const struct cli_command commands[] = {
	{"open", cmd_open, 1, "ESCROW", &cli_kind_ref_id, &payments_wiring},
	{"resolve", cmd_resolve, 1, "ESCROW", &cli_kind_ref_id, &payments_wiring},
	{"list", cmd_list, 0, NULL, NULL, &payments_wiring},
	{"show", cmd_list, 1, "ESCROW", &cli_kind_ref_id, &payments_wiring},
	{0},
};

static const struct cli_spec spec = {
	.name = "escrow-dispute",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 75, 78, -1},
	.usage = "open ESCROW --reason TEXT | resolve ESCROW --release | --refund [--amount N] | --split LEADER_AMOUNT | "
		 "list | show ESCROW",
	.summary = "Hold an escrow out of the release while a dispute is open; resolve it once: release, refund or split.",
	.options = options,
	.commands = commands,
	.check = check,
};

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, NULL, &a);
}
