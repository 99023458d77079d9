/*
 * settle-report — finance's reports (CSV, JSON, HTML) that reconcile to
 * the won, the remittances of withholding and VAT, and the month's close.
 *
 * Adding a report: one row in `commands` below (its verb, its function,
 * its argument) and one entry in `needs` (the options it requires and
 * accepts); the function opens the output and calls one use case.
 */
#include <stdio.h>
#include <string.h>

#include "adapters/report/report_out.h"
#include "app/reports/reports.h"
#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "cli/report_kinds.h"
#include "wire/wire_kpi.h"
#include "wire/wire_reports.h"

struct args {
	const char *from, *to, *at, *month, *quarter, *paid_on, *output, *format, *lang;
	int detail, with_rrn, bom, early;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_STRING("from", 0, "DATE", &a.from, &cli_kind_date, "first day of the period, YYYY-MM-DD, Korea time"),
	CLI_STRING("to", 0, "DATE", &a.to, &cli_kind_date, "last day of the period (inclusive), YYYY-MM-DD, Korea time"),
	CLI_STRING("at", 0, "DATE", &a.at, &cli_kind_date, "escrow: balances as of the end of this day, Korea time"),
	CLI_STRING("month", 0, "YYYY-MM", &a.month, &cli_kind_month, "the month (Korea time)"),
	CLI_STRING("quarter", 0, "YYYY-Qn", &a.quarter, &cli_kind_quarter, "the quarter (Korea time), n 1-4"),
	CLI_STRING("paid-on", 0, "DATE", &a.paid_on, &cli_kind_date, "remit: the day the tax was paid, Korea time"),
	CLI_BOOL("detail", 0, &a.detail, "payouts: add the settlements, clawbacks and payments each payout carries"),
	CLI_BOOL("with-rrn", 0, &a.with_rrn, "withholding: resident numbers in clear (needs the data key)"),
	CLI_STRING("output", 'o', "FILE", &a.output, &cli_kind_output_file,
		   "write the report to FILE atomically (default: stdout)"),
	CLI_BOOL("bom", 0, &a.bom, "CSV: start with a UTF-8 byte-order mark (Excel and Hangul)"),
	CLI_STRING("lang", 0, "LANG", &a.lang, &cli_kind_lang, "column names: en (default) or ko"),
	CLI_STRING("format", 0, "FORMAT", &a.format, &cli_kind_report_format, "csv (default), json or html"),
	CLI_BOOL("early", 0, &a.early, "remit, close: allow a period that has not ended yet"),
	CLI_END,
};

/* --- output -------------------------------------------------------------- */

static struct report_out_opts out_opts(const struct cli *cli, enum report_format dflt)
{
	struct report_out_opts o = {dflt, a.bom, a.lang && !strcmp(a.lang, "ko"), !a.output && cli->tty};

	if (a.format)
		o.format = !strcmp(a.format, "json") ? REPORT_JSON : !strcmp(a.format, "html") ? REPORT_HTML : REPORT_CSV;
	else if (cli->json)
		o.format = REPORT_JSON;
	return o;
}

typedef int (*report_fn)(struct cli *cli, struct report_sink *sink, struct report_totals *tot, struct settle_err *err);

/* Opens the output, runs one report into it, commits the file only when
 * the report is whole. */
static int write_report(struct cli *cli, enum report_format dflt, report_fn fn, struct settle_err *err)
{
	struct report_out_opts o = out_opts(cli, dflt);
	struct report_file *f;
	struct report_totals tot;
	int rc;

	if (report_file_open(a.output, &o, &f, err) < 0)
		return -1;
	rc = fn(cli, report_file_sink(f), &tot, err);
	if (report_file_close(f, rc == 0, rc == 0 ? err : &(struct settle_err){0}) < 0 && rc == 0)
		rc = -1;
	if (rc == 0 && a.output && cli->verbosity >= 0)
		printf("wrote %s: %lld row(s)\n", cli_esc(a.output), (long long)tot.rows);
	return rc;
}

static struct reports_wiring *W(struct cli *cli)
{
	return cli->wired;
}

/* --- the reports ---------------------------------------------------------- */

static int range(struct period *p, struct settle_err *err)
{
	return period_range(a.from, a.to, p, err);
}

static int do_settlements(struct cli *cli, struct report_sink *s, struct report_totals *t, struct settle_err *err)
{
	struct period p;

	return range(&p, err) < 0 ? -1 : report_settlements(&W(cli)->ctx, &p, s, t, err);
}

static int do_payouts(struct cli *cli, struct report_sink *s, struct report_totals *t, struct settle_err *err)
{
	struct period p;

	return range(&p, err) < 0 ? -1 : report_payouts(&W(cli)->ctx, &p, a.detail, s, t, err);
}

static int do_escrow(struct cli *cli, struct report_sink *s, struct report_totals *t, struct settle_err *err)
{
	struct period p;

	return period_day("--at", a.at, &p, err) < 0 ? -1 : report_escrow(&W(cli)->ctx, &p, s, t, err);
}

static int do_leader(struct cli *cli, struct report_sink *s, struct report_totals *t, struct settle_err *err)
{
	struct period p;

	return period_month("--month", a.month, &p, err) < 0 ? -1
							     : report_leader(&W(cli)->ctx, cli->args[0], &p, s, t, err);
}

static int do_withholding(struct cli *cli, struct report_sink *s, struct report_totals *t, struct settle_err *err)
{
	struct period p;

	if (period_month("--month", a.month, &p, err) < 0)
		return -1;
	if (a.with_rrn && wire_reports_rrn(cli, W(cli), err) < 0)
		return -1;
	return report_withholding(&W(cli)->ctx, &p, s, t, err);
}

static int do_vat(struct cli *cli, struct report_sink *s, struct report_totals *t, struct settle_err *err)
{
	struct period p;

	return period_quarter("--quarter", a.quarter, &p, err) < 0 ? -1 : report_vat(&W(cli)->ctx, &p, s, t, err);
}

/* kpi: a month (to date when current) or --from/--to, never in the future. */
static int do_kpi(struct cli *cli, struct report_sink *s, struct report_totals *t, struct settle_err *err)
{
	struct kpi_wiring *w = cli->wired;
	struct period p;

	if (a.month ? period_month("--month", a.month, &p, err) < 0 : range(&p, err) < 0)
		return -1;
	return report_kpi(&w->ctx, &p, !a.month, s, t, err);
}

static int cmd_kpi(struct cli *cli, void *arg, struct settle_err *err)
{
	(void)arg;
	return write_report(cli, REPORT_CSV, do_kpi, err);
}

static int cmd_settlements(struct cli *cli, void *arg, struct settle_err *err)
{
	(void)arg;
	return write_report(cli, REPORT_CSV, do_settlements, err);
}

static int cmd_payouts(struct cli *cli, void *arg, struct settle_err *err)
{
	(void)arg;
	return write_report(cli, REPORT_CSV, do_payouts, err);
}

static int cmd_escrow(struct cli *cli, void *arg, struct settle_err *err)
{
	(void)arg;
	return write_report(cli, REPORT_CSV, do_escrow, err);
}

static int cmd_leader(struct cli *cli, void *arg, struct settle_err *err)
{
	(void)arg;
	return write_report(cli, REPORT_CSV, do_leader, err);
}

static int cmd_withholding(struct cli *cli, void *arg, struct settle_err *err)
{
	(void)arg;
	return write_report(cli, REPORT_CSV, do_withholding, err);
}

static int cmd_vat(struct cli *cli, void *arg, struct settle_err *err)
{
	(void)arg;
	return write_report(cli, REPORT_CSV, do_vat, err);
}

/* --- remittances ------------------------------------------------------------ */

struct printed {
	struct cli *cli;
	json_t *list;
	int n;
};

static int open_item(void *arg, const struct rq_open_item *r)
{
	struct printed *p = arg;

	if (p->cli->json)
		json_array_append_new(p->list, json_pack("{s:o, s:o, s:o, s:I}", "payoutId", cli_json_str(r->ref), "status",
							 cli_json_str(r->status), "atKst", cli_json_str(r->when_kst),
							 "withholding", (json_int_t)r->amount));
	else if (p->cli->verbosity >= 0) {
		if (!p->n)
			printf("stays on withholding_payable (later periods):\n");
		printf("  %-26s %-8s %s KST %lld %s\n", cli_esc(r->ref), cli_esc(r->status), cli_esc(r->when_kst),
		       (long long)r->amount, cli_esc(r->currency));
	}
	p->n++;
	return 0;
}

static int cmd_remit(struct cli *cli, void *arg, struct settle_err *err)
{
	struct remit_req req = {.paid_on = a.paid_on, .early = a.early, .dry_run = cli->dry_run};
	struct remit_result res;
	struct printed p = {cli, json_array(), 0};
	int rc;

	(void)arg;
	if (!strcmp(cli->args[0], "vat")) {
		req.kind = REMIT_VAT;
		rc = period_quarter("--quarter", a.quarter, &req.period, err);
	} else {
		req.kind = REMIT_WITHHOLDING;
		rc = period_month("--month", a.month, &req.period, err);
	}
	if (rc == 0)
		rc = remit(&W(cli)->ctx, &req, open_item, &p, &res, err);
	if (rc == 0 && cli->json) {
		rc = cli_json_print(json_pack("{s:b, s:s, s:s, s:I, s:s, s:s, s:I, s:O}", "dryRun", cli->dry_run, "kind",
					      res.r.kind, "period", res.r.period, "amount", (json_int_t)res.r.amount,
					      "currency", res.r.currency, "paidOn", res.r.paid_on, "payableAfter",
					      (json_int_t)res.payable_after, "open", p.list),
				    err);
	} else if (rc == 0 && cli->verbosity >= 0) {
		printf("%s %s for %s: %lld %s paid on %s (entry remittance:%s:%s: %s_payable +, bank -)\n",
		       cli->dry_run ? "would remit" : "remitted", res.r.kind, res.r.period, (long long)res.r.amount,
		       res.r.currency, res.r.paid_on, res.r.kind, res.r.period, res.r.kind);
		printf("%s_payable %s: %lld %s still owed\n", res.r.kind, cli->dry_run ? "now" : "afterwards",
		       (long long)res.payable_after, res.r.currency);
	}
	json_decref(p.list);
	return rc;
}

/* --- close ------------------------------------------------------------------ */

static int blocker(void *arg, const struct rq_blocker *b)
{
	struct printed *p = arg;

	if (!p->n++)
		printf("the month cannot close while these are open:\n");
	printf("  %-7s %-26s %-10s %lld  %s\n", b->what, cli_esc(b->ref), cli_esc(b->status), (long long)b->amount,
		cli_esc(b->detail));
	return 0;
}

static int cmd_close(struct cli *cli, void *arg, struct settle_err *err)
{
	struct close_req req = {.early = a.early};
	/* the pack is CSV whatever --json says (that is the summary line) */
	struct report_out_opts o = {REPORT_CSV, a.bom, a.lang && !strcmp(a.lang, "ko"), 0};
	struct close_result res;
	struct printed p = {cli, NULL, 0};

	(void)arg;
	if (period_month("--month", a.month, &req.month, err) < 0 || wire_reports_pack(cli, W(cli), &o, err) < 0)
		return -1;
	if (month_close(&W(cli)->ctx, W(cli)->pack, &req, blocker, &p, &res, err) < 0)
		return -1;
	if (cli->json)
		return cli_json_print(json_pack("{s:s, s:o, s:I, s:s}", "month", req.month.label, "dir",
						cli_json_str(res.dir), "files", (json_int_t)res.files, "manifestSha256",
						res.manifest_sha256),
				      err);
	if (cli->verbosity >= 0)
		printf("closed %s: %zu file(s) in %s\nMANIFEST.sha256 %s (check: cd %s && sha256sum -c MANIFEST.sha256)\n",
		       req.month.label, res.files, cli_esc(res.dir), res.manifest_sha256, cli_esc(res.dir));
	return 0;
}

/* --- the verbs ------------------------------------------------------------- */

static const struct cli_command commands[] = {
	{"settlements", cmd_settlements, 0, NULL, NULL, &reports_wiring},
	{"payouts", cmd_payouts, 0, NULL, NULL, &reports_wiring},
	{"escrow", cmd_escrow, 0, NULL, NULL, &reports_wiring},
	{"leader", cmd_leader, 1, "LEADER", &cli_kind_ref_id, &reports_wiring},
	{"withholding", cmd_withholding, 0, NULL, NULL, &reports_wiring},
	{"vat", cmd_vat, 0, NULL, NULL, &reports_wiring},
	{"remit", cmd_remit, 1, "KIND", &cli_kind_remit_kind, &reports_wiring},
	{"close", cmd_close, 0, NULL, NULL, &reports_wiring},
	{"kpi", cmd_kpi, 0, NULL, NULL, &kpi_wiring},
	{0},
};

/* What each verb requires (R) and accepts (A), by option: an option a
 * verb does not take is a usage error, not silently ignored. */
struct need {
	const char *verb;
	const char *required; /* space-separated option names */
	const char *accepted;
};

static const struct need needs[] = {
	{"settlements", "from to", "output bom lang format"},
	{"payouts", "from to", "detail output bom lang format"},
	{"escrow", "at", "output bom lang format"},
	{"leader", "month", "output bom lang format"},
	{"withholding", "month", "with-rrn output bom lang format"},
	{"vat", "quarter", "output bom lang format"},
	{"remit withholding", "month paid-on", "early"},
	{"remit vat", "quarter paid-on", "early"},
	{"close", "month", "early bom lang"},
	{"kpi", "", "month from to output bom lang format"},
	{NULL, NULL, NULL},
};

static int given(const char *name)
{
	const struct {
		const char *n;
		int on;
	} opts[] = {
		{"from", !!a.from},     {"to", !!a.to},         {"at", !!a.at},         {"month", !!a.month},
		{"quarter", !!a.quarter}, {"paid-on", !!a.paid_on}, {"detail", a.detail}, {"with-rrn", a.with_rrn},
		{"output", !!a.output}, {"bom", a.bom},         {"lang", !!a.lang},     {"format", !!a.format},
		{"early", a.early},
	};

	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (!strcmp(opts[i].n, name))
			return opts[i].on;
	return 0;
}

static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	static const char *const all[] = {"from", "to", "at", "month", "quarter", "paid-on", "detail", "with-rrn",
					  "output", "bom", "lang", "format", "early"};
	char verb[64];
	const struct need *nd = NULL;

	(void)arg;
	snprintf(verb, sizeof verb, "%s%s%s", cli->command->verb, strcmp(cli->command->verb, "remit") ? "" : " ",
		 strcmp(cli->command->verb, "remit") ? "" : cli->args[0]);
	for (const struct need *x = needs; x->verb; x++)
		if (!strcmp(x->verb, verb))
			nd = x;
	if (!nd)
		return err_set(err, SETTLE_EX_SOFTWARE, "%s has no option rules", verb);
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (listed(nd->required, all[i]) && !given(all[i]))
			return err_set(err, SETTLE_EX_USAGE, "%s needs --%s (see --help)", verb, all[i]);
		if (given(all[i]) && !listed(nd->required, all[i]) && !listed(nd->accepted, all[i]))
			return err_set(err, SETTLE_EX_USAGE, "%s takes no --%s", verb, all[i]);
	}
	if (!strcmp(verb, "kpi") && (a.month ? a.from || a.to : !a.from || !a.to))
		return err_set(err, SETTLE_EX_USAGE, "kpi takes --month YYYY-MM or --from DATE --to DATE (one of them)");
	if (cli->dry_run && strcmp(cli->command->verb, "remit"))
		return err_set(err, SETTLE_EX_USAGE, "%s takes no --dry-run (a report changes nothing)", verb);
	if (a.from && a.to) {
		struct period p;

		if (period_range(a.from, a.to, &p, err) < 0)
			return -1;
	}
	return 0;
}

static const struct cli_spec spec = {
	.name = "settle-report",
	.exit_codes = (const int[]){0, 64, 65, 66, 69, 70, 78, -1},
	.usage = "[options] settlements --from DATE --to DATE | payouts --from DATE --to DATE [--detail] | "
		 "escrow --at DATE | leader LEADER --month YYYY-MM | withholding --month YYYY-MM [--with-rrn] | "
		 "vat --quarter YYYY-Qn | remit withholding --month YYYY-MM --paid-on DATE | "
		 "remit vat --quarter YYYY-Qn --paid-on DATE | close --month YYYY-MM | "
		 "kpi --month YYYY-MM | kpi --from DATE --to DATE",
	.summary = "Finance reports in Korea time that reconcile to the ledger; tax remittances; the month's close.",
	.options = options,
	.dry_run = true,
	.commands = commands,
	.check = check,
};

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, NULL, &a);
}
