/*
 * ledger-check — recompute the ledger's invariants from the postings and
 * report every violation. Exit 0 when clean, 65 with a listing otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/ledger_audit.h"
#include "adapters/mysql/seal_audit.h"
#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "wire/job_runs.h"

struct args {
	int seals;
	const char *digest;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_BOOL("seals", 0, &a.seals, "also recompute every entry hash and every seal block"),
	CLI_STRING("digest", 0, "DIGEST", &a.digest, &cli_kind_seal_digest,
		   "also prove the sealed chain extends DIGEST (from ledger-seal --digest)"),
	CLI_END,
};

static const struct cli_spec spec = {
	.name = "ledger-check",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 78, -1},
	.usage = "[options]",
	.summary = "Check every journal entry balances per currency and every account carries its kind's sign.",
	.options = options,
	.wiring = &job_db_wiring,
};

struct printer {
	struct cli *cli;
	json_t *findings; /* --json: filled as findings stream */
	int failed;
};

static json_t *finding_json(const struct audit_finding *f)
{
	json_t *o = json_pack("{s:o}", "check", cli_json_str(f->check));

	if (o && f->block)
		json_object_set_new(o, "block", json_integer((json_int_t)f->block));
	if (o && f->entry_id)
		json_object_update_new(o, json_pack("{s:I, s:o}", "entry_id", (json_int_t)f->entry_id, "entry_key",
						    cli_json_str(f->entry_key)));
	if (o && f->account[0])
		json_object_set_new(o, "account", cli_json_str(f->account));
	if (o && f->currency[0])
		json_object_update_new(o, json_pack("{s:o, s:o}", "currency", cli_json_str(f->currency), "amount",
						    cli_json_str(f->amount)));
	if (o)
		json_object_set_new(o, "detail", cli_json_str(f->detail));
	if (o && f->warning)
		json_object_set_new(o, "warning", json_true());
	return o;
}

static int print_finding(void *arg, const struct audit_finding *f)
{
	struct printer *p = arg;

	if (p->cli->json) {
		if (json_array_append_new(p->findings, finding_json(f)) < 0) {
			p->failed = 1;
			return -1;
		}
	} else if (f->warning) {
		if (p->cli->verbosity >= 0)
			printf("warning       account %s: %s\n", cli_esc(f->account), cli_esc(f->detail));
	} else if (f->block) {
		printf("%-13s block %lld: %s\n", cli_esc(f->check), (long long)f->block, cli_esc(f->detail));
	} else if (f->entry_id) {
		printf("%-13s entry %lld (%s): %s\n", cli_esc(f->check), (long long)f->entry_id, cli_esc(f->entry_key),
		       cli_esc(f->detail));
	} else {
		printf("%-13s account %s: %s\n", cli_esc(f->check), cli_esc(f->account), cli_esc(f->detail));
	}
	return 0;
}

static int run_check(struct cli *cli, void *arg, struct settle_err *err)
{
	struct audit_totals t;
	struct printer p = {cli, json_array(), 0};
	int seals = ((struct args *)arg)->seals || ((struct args *)arg)->digest;
	int rc;

	if (!p.findings)
		return err_set(err, SETTLE_EX_SOFTWARE, "out of memory");
	rc = ledger_audit(cli->db, print_finding, &p, &t, err);
	if (rc == 0 && seals)
		rc = seal_audit(cli->db, ((struct args *)arg)->digest, print_finding, &p, &t, err);
	if (rc == 0 && p.failed)
		rc = err_set(err, SETTLE_EX_SOFTWARE, "out of memory building JSON");
	if (rc < 0) {
		json_decref(p.findings);
		return -1;
	}
	if (cli->json) {
		json_t *o = json_pack("{s:o, s:I, s:I, s:I, s:I, s:b}", "findings", p.findings, "entries",
				      (json_int_t)t.entries, "postings", (json_int_t)t.postings, "accounts",
				      (json_int_t)t.accounts, "warnings", (json_int_t)t.warnings, "ok", !t.findings);

		if (o && seals)
			json_object_update_new(o, json_pack("{s:I, s:I}", "blocks", (json_int_t)t.blocks, "unsealed",
							    (json_int_t)t.unsealed));
		if (cli_json_print(o, err) < 0)
			return -1;
	} else {
		json_decref(p.findings);
		if (seals && cli->verbosity >= 0)
			printf("seals: %lld block(s), %lld entr%s not sealed yet\n", (long long)t.blocks,
			       (long long)t.unsealed, t.unsealed == 1 ? "y" : "ies");
		if (cli->verbosity >= 0 || t.findings)
			printf("%s: %lld entries, %lld postings, %lld accounts, %lld finding(s)%s\n",
			       t.findings ? "FAILED" : "ok", (long long)t.entries, (long long)t.postings,
			       (long long)t.accounts, (long long)t.findings,
			       t.warnings ? (t.warnings == 1 ? ", 1 warning" : ", warnings above") : "");
	}
	snprintf(cli->job_counts, sizeof cli->job_counts, "findings=%lld entries=%lld warnings=%lld",
		 (long long)t.findings, (long long)t.entries, (long long)t.warnings);
	/* Findings are the listing above, not an error line. */
	return t.findings ? SETTLE_EX_DATAERR : 0;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_check, &a);
}
