/*
 * settle-report — reports for finance. This file holds the reconcile
 * verb: our captures and refunds against the PG's settlement records.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "domain/validate.h"
#include "wire/wire_reconcile.h"

struct args {
	const char *from, *to, *pg, *file;
	int post;
};

static struct args a;

static int check_date(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	if (validate_date(field, v, err) < 0) {
		err->code = k->code;
		return -1;
	}
	return 0;
}

static const struct cli_kind kind_date = {"date", check_date, SETTLE_EX_DATAERR};

static const struct cli_option options[] = {
	CLI_STRING("from", 0, "DATE", &a.from, &kind_date, "first day of the period, YYYY-MM-DD, Korea time"),
	CLI_STRING("to", 0, "DATE", &a.to, &kind_date, "last day of the period (included), YYYY-MM-DD, Korea time"),
	CLI_STRING("pg", 0, "PG", &a.pg, &cli_kind_pg_name, "reconcile: the PG whose records are read (default toss)"),
	CLI_STRING("file", 0, "FILE", &a.file, &cli_kind_input_file,
		   "reconcile: the settlement CSV downloaded from the PG's console instead of its API"),
	CLI_BOOL("post", 0, &a.post, "reconcile: book the PG's settlement of every matched, paid-out record"),
	CLI_END,
};

static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	struct args *x = arg;

	(void)cli;
	if (!x->from || !x->to)
		return err_set(err, SETTLE_EX_USAGE, "give the period: --from DATE --to DATE");
	if (strcmp(x->from, x->to) > 0)
		return err_set(err, SETTLE_EX_USAGE, "--from %s is after --to %s", x->from, x->to);
	if (!x->pg)
		x->pg = "toss";
	return wire_reconcile_check(x->pg, x->file, err);
}

struct out {
	int json;
	json_t *rows;
};

static const char *const columns[] = {
	"status", "kind", "pg", "paymentKey", "orderId", "transactionKey", "ref", "date_kst", "ourAmount", "pgAmount",
	"difference", "fee", "payOutAmount", "soldDate_kst", "paidOutDate_kst", "currency", "note", NULL,
};

static int row(void *arg, const struct recon_finding *f, struct settle_err *err)
{
	struct out *o = arg;
	const struct recon_ours *u = f->ours;
	const struct recon_record *r = f->pg;
	const char *key = u ? u->payment_key : r->payment_key;
	const char *order = u ? u->order_id : r->order_id;
	const char *cur = r ? r->currency : u->currency;
	enum recon_kind kind = u ? u->kind : r->kind;

	if (o->json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:s, "
				      "s:s}",
				      "status", recon_status_name(f->status), "kind", recon_kind_name(kind), "pg",
				      u ? u->pg : r->pg, "paymentKey", cli_json_str(key), "orderId", cli_json_str(order),
				      "transactionKey", r ? cli_json_str(r->transaction_key) : json_null(), "ref",
				      u ? cli_json_str(u->ref) : json_null(), "date", u ? cli_json_str(u->date) : json_null(),
				      "ourAmount", u ? json_integer(u->amount) : json_null(), "pgAmount",
				      r ? json_integer(r->amount) : json_null(), "difference", (json_int_t)f->difference,
				      "fee", r ? json_integer(r->fee) : json_null(), "payOutAmount",
				      r ? json_integer(r->payout) : json_null(), "soldDate",
				      r ? cli_json_str(r->sold_date) : json_null(), "paidOutDate",
				      r ? cli_json_str(r->paid_out_date) : json_null(), "currency", cur, "note", f->why);

		if (!j || json_array_append_new(o->rows, j) < 0)
			return err_set(err, SETTLE_EX_SOFTWARE, "out of memory building JSON");
		return 0;
	}
	/* Ids, dates and numbers only: no field needs CSV quoting. */
	printf("%s,%s,%s,%s,%s,%s,%s,%s,", recon_status_name(f->status), recon_kind_name(kind), u ? u->pg : r->pg,
	       cli_esc(key), cli_esc(order), r ? cli_esc(r->transaction_key) : "", u ? cli_esc(u->ref) : "",
	       u ? u->date : "");
	if (u)
		printf("%lld", (long long)u->amount);
	printf(",");
	if (r)
		printf("%lld", (long long)r->amount);
	printf(",%lld,", (long long)f->difference);
	if (r)
		printf("%lld,%lld,%s,%s", (long long)r->fee, (long long)r->payout, r->sold_date, r->paid_out_date);
	else
		printf(",,,");
	printf(",%s,%s\n", cur, f->why);
	return 0;
}

static int cmd_reconcile(struct cli *cli, void *arg, struct settle_err *err)
{
	struct args *x = arg;
	struct reconcile_wiring *w = cli->wired;
	struct reconcile_opts o = {x->from, x->to, x->post, cli->dry_run};
	struct reconcile_report rep;
	struct out out = {cli->json, json_array()};
	int64_t diffs;
	int rc;

	if (!out.rows)
		return err_set(err, SETTLE_EX_SOFTWARE, "out of memory");
	if (wire_reconcile_source(cli, x->pg, x->file, err) < 0) {
		json_decref(out.rows);
		return -1;
	}
	if (!cli->json) {
		printf("# PG reconciliation, %s, %s to %s; dates are Korea time (Asia/Seoul), amounts in minor units\n",
		       w->source->source, x->from, x->to);
		for (size_t i = 0; columns[i]; i++)
			printf("%s%s", i ? "," : "", columns[i]);
		printf("\n");
	}
	rc = reconcile_run(&w->ctx, &o, row, &out, &rep, err);
	if (rc < 0) {
		json_decref(out.rows);
		return -1;
	}
	diffs = rep.t.count[RECON_MISSING] + rep.t.count[RECON_EXTRA] + rep.t.count[RECON_DIFFERENT];
	if (cli->json) {
		json_t *totals = json_pack(
			"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "matched",
			(json_int_t)rep.t.count[RECON_MATCHED], "missing", (json_int_t)rep.t.count[RECON_MISSING], "extra",
			(json_int_t)rep.t.count[RECON_EXTRA], "different", (json_int_t)rep.t.count[RECON_DIFFERENT],
			"ourAmount", (json_int_t)rep.t.ours, "pgAmount", (json_int_t)rep.t.pg_amount, "difference",
			(json_int_t)rep.t.difference, "fee", (json_int_t)rep.t.pg_fee, "payOutAmount",
			(json_int_t)rep.t.pg_payout, "postable", (json_int_t)rep.t.postable, "booked",
			(json_int_t)rep.t.posted, "alreadyBooked", (json_int_t)rep.t.already, "outsidePeriod",
			(json_int_t)rep.outside);

		if (cli_json_print(json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o, s:o}", "report", "reconcile", "pg",
					     x->pg, "from", x->from, "to", x->to, "timezone", "Asia/Seoul", "post",
					     x->post, "dryRun", cli->dry_run, "rows", out.rows, "totals", totals),
				   err) < 0)
			return -1;
	} else {
		json_decref(out.rows);
		printf("total,,%s,,,,,,%lld,%lld,%lld,%lld,%lld,,,,%lld matched %lld missing %lld extra %lld different\n",
		       x->pg, (long long)rep.t.ours, (long long)rep.t.pg_amount, (long long)rep.t.difference,
		       (long long)rep.t.pg_fee, (long long)rep.t.pg_payout, (long long)rep.t.count[RECON_MATCHED],
		       (long long)rep.t.count[RECON_MISSING], (long long)rep.t.count[RECON_EXTRA],
		       (long long)rep.t.count[RECON_DIFFERENT]);
	}
	snprintf(cli->job_counts, sizeof cli->job_counts,
		 "matched=%lld missing=%lld extra=%lld different=%lld booked=%lld already=%lld dry_run=%d",
		 (long long)rep.t.count[RECON_MATCHED], (long long)rep.t.count[RECON_MISSING],
		 (long long)rep.t.count[RECON_EXTRA], (long long)rep.t.count[RECON_DIFFERENT], (long long)rep.t.posted,
		 (long long)rep.t.already, cli->dry_run);
	if (x->post && cli->verbosity >= 0)
		fprintf(stderr, "reconcile pg=%s from=%s to=%s booked=%lld already=%lld waiting=%lld dry_run=%d\n", x->pg,
			x->from, x->to, (long long)rep.t.posted, (long long)rep.t.already,
			(long long)(rep.t.count[RECON_MATCHED] - rep.t.postable), cli->dry_run);
	fflush(stdout);
	if (diffs)
		return err_set(err, SETTLE_EX_DATAERR, "%lld difference(s) between our books and %s's settlement records",
			       (long long)diffs, x->pg);
	return 0;
}

static const struct cli_command commands[] = {
	{"reconcile", cmd_reconcile, 0, NULL, NULL, &reconcile_wiring},
	{0},
};

static const struct cli_spec spec = {
	.name = "settle-report",
	.exit_codes = (const int[]){0, 64, 65, 66, 69, 70, 78, -1},
	.usage = "[options] reconcile --from DATE --to DATE [--pg PG] [--file FILE] [--post]",
	.summary = "Reports for finance: PG reconciliation.",
	.options = options,
	.dry_run = true,
	.commands = commands,
	.check = check,
};

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, NULL, &a);
}
