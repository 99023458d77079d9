/* invoice-issue — the month's e-tax invoices for the platform's fee, one per business leader, and amendments. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "wire/wire_invoice.h"

struct args {
	const char *month;
	int late;
};

static struct args a;

/* YYYY-MM, a real month: checked before anything is opened. */
static int check_month(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	struct invoice_month m;

	if (invoice_month_parse(v, &m, err) < 0) {
		err->code = k->code;
		return err_prefix(err, "%s", field);
	}
	return 0;
}

static const struct cli_kind kind_month = {"month", check_month, 65};

static const struct cli_option options[] = {
	CLI_STRING("month", 0, "YYYY-MM", &a.month, &kind_month,
		   "the month (Korea time) whose completed pods' fee is invoiced (required)"),
	CLI_BOOL("late", 0, &a.late, "issue after the deadline (the 10th of the next month); reported late"),
	CLI_END,
};

static int check_args(const struct cli *cli, void *arg, struct settle_err *err)
{
	const struct args *x = arg;

	(void)cli;
	if (!x->month)
		return err_set(err, SETTLE_EX_USAGE, "--month is required");
	return 0;
}

static const struct cli_spec spec = {
	.name = "invoice-issue",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 75, 78, -1},
	.usage = "--month YYYY-MM [--late] [--dry-run]",
	.summary = "Issue the month's e-tax invoices for the platform's fee (one per business leader) and amendments.",
	.options = options,
	.dry_run = true,
	.wiring = &invoice_wiring,
	.check = check_args,
};

struct out {
	int json, header;
	json_t *rows;
};

static int row(void *arg, const struct invoice_row *r)
{
	struct out *o = arg;
	const struct invoice_doc *d = r->doc;

	if (o->json) {
		json_array_append_new(o->rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s?, s:I, s:I, s:I, s:s, "
							 "s:b, s:s?, s:s?}",
							 "invoiceId", r->public_id, "leaderId", r->leader_id, "status",
							 r->status, "period", d->period, "typeCode", d->type_code,
							 "sequence", d->sequence, "writeDate", d->write_date,
							 "amendmentCode", d->amendment_code[0] ? d->amendment_code : NULL,
							 "supply", (json_int_t)d->supply, "vat", (json_int_t)d->vat,
							 "total", (json_int_t)d->total, "mgtKey", d->mgt_key, "late",
							 d->late, "approvalNumber", d->issue_id[0] ? d->issue_id : NULL,
							 "xml", r->xml_path[0] ? r->xml_path : NULL));
		return 0;
	}
	if (!o->header++)
		printf("%-9s %-26s %-14s %-4s %-2s %-8s %10s %9s %10s %-24s %s\n", "STATUS", "INVOICE", "LEADER", "TYPE",
		       "RS", "DATE", "SUPPLY", "VAT", "TOTAL", "APPROVAL", "XML");
	printf("%-9s %-26s %-14s %-4s %-2s %-8s %10lld %9lld %10lld %-24s %s%s%s%s\n", r->status,
	       r->public_id[0] ? cli_esc(r->public_id) : "-", cli_esc(r->leader_id), d->type_code,
	       d->amendment_code[0] ? d->amendment_code : "-", d->write_date, (long long)d->supply, (long long)d->vat,
	       (long long)d->total, d->issue_id[0] ? cli_esc(d->issue_id) : "-",
	       r->xml_path[0] ? cli_esc(r->xml_path) : "-", d->late ? " LATE" : "", r->note ? " — " : "",
	       r->note ? cli_esc(r->note) : "");
	return 0;
}

static void skip(void *arg, const char *leader_id, const char *why)
{
	struct out *o = arg;

	if (!o->json)
		printf("not invoiced: %s: %s\n", cli_esc(leader_id), cli_esc(why));
}

static int run_issue(struct cli *cli, void *arg, struct settle_err *err)
{
	struct invoice_wiring *w = cli->wired;
	struct args *x = arg;
	struct invoice_opts o = {x->month, x->late, cli->dry_run};
	struct invoice_report rep;
	struct out out = {cli->json, 0, json_array()};
	int rc = invoice_issue(&w->ctx, &o, row, skip, &out, &rep, err);

	snprintf(cli->job_counts, sizeof cli->job_counts,
		 "month=%s documents=%lld issued=%lld amendments=%lld rejected=%lld in_doubt=%lld late=%lld "
		 "skipped=%lld dry_run=%d",
		 x->month, (long long)rep.documents, (long long)rep.issued, (long long)rep.amendments,
		 (long long)rep.rejected, (long long)rep.in_doubt, (long long)rep.late, (long long)rep.skipped,
		 cli->dry_run);
	if (cli->json && (rc == 0 || rep.documents || rep.skipped)) {
		struct settle_err jerr = {0};

		cli_json_print(json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:O}", "month", x->month,
					 "dryRun", cli->dry_run, "documents", (json_int_t)rep.documents, "issued",
					 (json_int_t)rep.issued, "amendments", (json_int_t)rep.amendments, "rejected",
					 (json_int_t)rep.rejected, "inDoubt", (json_int_t)rep.in_doubt, "late",
					 (json_int_t)rep.late, "supply", (json_int_t)rep.supply, "vat", (json_int_t)rep.vat,
					 "rows", out.rows),
			       &jerr);
	} else if (!cli->json && cli->verbosity >= 0 && (rc == 0 || rep.documents)) {
		if (cli->dry_run)
			printf("(dry run: nothing was recorded or sent) %lld document(s) would be issued for %s\n",
			       (long long)rep.documents, x->month);
		else
			printf("issued %lld document(s) for %s (%lld amendment(s), %lld late): supply %lld, VAT %lld; "
			       "%lld refused, %lld in doubt\n",
			       (long long)rep.issued, x->month, (long long)rep.amendments, (long long)rep.late,
			       (long long)rep.supply, (long long)rep.vat, (long long)rep.rejected,
			       (long long)rep.in_doubt);
	}
	json_decref(out.rows);
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_issue, &a);
}
