/* escrow-release — release the escrows of completed pods once their hold has passed. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "wire/wire_escrow.h"

struct args {
	struct cli_list pods;
	int now, completed;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_LIST("pod", 0, "POD", &a.pods, &cli_kind_ref_id,
		 "only this pod (repeatable); refused with the reason when it cannot be released"),
	CLI_BOOL("now", 0, &a.now, "with --pod: release before the hold period ends (an operator's decision)"),
	CLI_BOOL("completed", 0, &a.completed,
		 "record pod completions first (the pods table is the source without [study])"),
	CLI_END,
};

static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	const struct args *x = arg;

	(void)cli;
	if (x->now && x->pods.n == 0)
		return err_set(err, SETTLE_EX_USAGE, "--now needs --pod");
	return 0;
}

static const struct cli_spec spec = {
	.name = "escrow-release",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 78, -1},
	.usage = "[--completed] [--pod POD]... [--now] [--dry-run]",
	.summary = "Release the HOLDING escrows of completed pods whose hold period has passed ([escrow] hold_days).",
	.options = options,
	.dry_run = true,
	.wiring = &escrow_wiring,
	.check = check,
};

struct out {
	int json;
	json_t *rows;
};

static int row(void *arg, const struct release_row *r)
{
	struct out *o = arg;

	if (o->json)
		return json_array_append_new(o->rows, json_pack("{s:o, s:o, s:I, s:s, s:o}", "escrowId",
								 cli_json_str(r->e.public_id), "podId",
								 cli_json_str(r->e.pod_id), "amount",
								 (json_int_t)r->e.released, "currency", r->e.currency,
								 "completedAt", cli_json_text(r->completed_at)));
	printf("%s %s %lld %s\n", cli_esc(r->e.public_id), cli_esc(r->e.pod_id), (long long)r->e.released,
	       cli_esc(r->e.currency));
	return 0;
}

static int run_release(struct cli *cli, void *arg, struct settle_err *err)
{
	struct escrow_wiring *w = cli->wired;
	struct args *x = arg;
	struct release_opts o = {x->pods.v, x->pods.n, x->now, cli->dry_run};
	struct release_report rep;
	struct out out = {cli->json, json_array()};
	int rc;

	if (x->completed) {
		struct completions_report cr;

		if (wire_escrow_completions(cli, w, err) < 0 || escrow_record_completions(&w->completions, &cr, err) < 0) {
			json_decref(out.rows);
			return -1;
		}
		if (!cli->json && cli->verbosity >= 0)
			printf("recorded %zu completion(s)%s\n", cr.recorded, cr.unknown ? ", some of unknown pods skipped" : "");
	}
	rc = escrow_release_run(&w->ctx, &o, row, &out, &rep, err);
	snprintf(cli->job_counts, sizeof cli->job_counts, "escrows=%lld total=%lld dry_run=%d", (long long)rep.escrows,
		 (long long)rep.total, cli->dry_run);
	if (rc == 0 && cli->json) {
		struct settle_err jerr = {0};

		cli_json_print(json_pack("{s:b, s:I, s:I, s:s, s:O}", "dryRun", cli->dry_run, "escrows",
					 (json_int_t)rep.escrows, "total", (json_int_t)rep.total, "currency",
					 rep.currency[0] ? rep.currency : "KRW", "released", out.rows),
			       &jerr);
	} else if (rc == 0 && cli->verbosity >= 0) {
		printf("%s %lld escrow(s), %lld %s\n", cli->dry_run ? "would release" : "released",
		       (long long)rep.escrows, (long long)rep.total, rep.currency[0] ? rep.currency : "KRW");
	}
	json_decref(out.rows);
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_release, &a);
}
