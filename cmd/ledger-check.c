/*
 * ledger-check — recompute the ledger's invariants from the postings and
 * report every violation. Exit 0 when clean, 65 with a listing otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/ledger_audit.h"
#include "cli/cli.h"

static const struct cli_spec spec = {
	.name = "ledger-check",
	.usage = "[options]",
	.summary = "Check every journal entry balances per currency and every account carries its kind's sign.",
};

struct printer {
	struct cli *cli;
	int64_t printed;
};

static int print_finding(void *arg, const struct audit_finding *f)
{
	struct printer *p = arg;

	if (p->cli->json) {
		printf("%s{\"check\":\"%s\"", p->printed ? "," : "", f->check);
		if (f->entry_id) {
			printf(",\"entry_id\":%lld,\"entry_key\":", (long long)f->entry_id);
			cli_json_string(stdout, f->entry_key);
		}
		if (f->account[0]) {
			printf(",\"account\":");
			cli_json_string(stdout, f->account);
		}
		if (f->currency[0])
			printf(",\"currency\":\"%s\",\"amount\":\"%s\"", f->currency, f->amount);
		printf(",\"detail\":");
		cli_json_string(stdout, f->detail);
		printf("}");
	} else if (f->entry_id) {
		printf("%-13s entry %lld (%s): %s\n", f->check, (long long)f->entry_id, f->entry_key, f->detail);
	} else {
		printf("%-13s account %s: %s\n", f->check, f->account, f->detail);
	}
	p->printed++;
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct settle_err err = {0};
	struct audit_totals t;
	struct printer p = {&cli, 0};
	int first = cli_parse(&cli, &spec, argc, argv, NULL, NULL, &err), rc;

	if (first == -2)
		return 0;
	if (first < 0)
		return cli_fail(&cli, &err);
	if (first < argc) {
		err_set(&err, SETTLE_EX_USAGE, "unexpected argument '%s'", argv[first]);
		return cli_fail(&cli, &err);
	}
	if (cli_open_db(&cli, &err) < 0)
		goto fail;
	if (cli.json)
		printf("{\"findings\":[");
	if (ledger_audit(cli.db, print_finding, &p, &t, &err) < 0) {
		if (cli.json)
			printf("]}\n");
		goto fail;
	}
	if (cli.json)
		printf("],\"entries\":%lld,\"postings\":%lld,\"accounts\":%lld,\"ok\":%s}\n", (long long)t.entries,
		       (long long)t.postings, (long long)t.accounts, t.findings ? "false" : "true");
	else if (cli.verbosity >= 0 || t.findings)
		printf("%s: %lld entries, %lld postings, %lld accounts, %lld finding(s)\n",
		       t.findings ? "FAILED" : "ok", (long long)t.entries, (long long)t.postings, (long long)t.accounts,
		       (long long)t.findings);
	cli_close(&cli);
	return t.findings ? 65 : 0;
fail:
	rc = cli_fail(&cli, &err);
	cli_close(&cli);
	return rc;
}
