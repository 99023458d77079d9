/* settle-watch — anomaly rules over the last window; an alert (and an operator notification) per firing. */
#include <jansson.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "wire/wire_watch.h"

struct args {
	int unused;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_END,
};

static const struct cli_spec spec = {
	.name = "settle-watch",
	.exit_codes = (const int[]){0, 64, 69, 70, 78, -1},
	.usage = "[--json] [--dry-run]",
	.summary = "Check the anomaly rules over the last window; alert the operators once per rule and window.",
	.options = options,
	.dry_run = true,
	.wiring = &watch_wiring,
};

struct out {
	int json;
	json_t *rows;
};

static int row(void *arg, const struct watch_fire *f, int is_new)
{
	struct out *o = arg;

	if (o->json)
		return json_array_append_new(o->rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "rule", f->rule,
								"subject", f->subject, "value", f->value, "threshold",
								f->threshold, "detail", f->detail, "new", is_new));
	printf("%-22s %-20s %-12s %-22s %s%s\n", cli_esc(f->rule), cli_esc(f->subject), cli_esc(f->value),
	       cli_esc(f->threshold), cli_esc(f->detail), is_new ? "" : " (alerted already)");
	return 0;
}

static int run_watch(struct cli *cli, void *arg, struct settle_err *err)
{
	struct watch_wiring *w = cli->wired;
	struct out o = {cli->json, json_array()};
	size_t fired = 0, fresh = 0;
	int rc;

	(void)arg;
	rc = watch_run(&w->ctx, cli->dry_run, row, &o, &fired, &fresh, err);
	snprintf(cli->job_counts, sizeof cli->job_counts, "fired=%zu alerts=%zu dry_run=%d", fired, fresh,
		 cli->dry_run);
	if (rc == 0 && cli->json) {
		struct settle_err jerr = {0};

		cli_json_print(json_pack("{s:b, s:I, s:I, s:O}", "dryRun", cli->dry_run, "firing", (json_int_t)fired,
					 "newAlerts", (json_int_t)fresh, "rules", o.rows),
			       &jerr);
	} else if (rc == 0 && cli->verbosity >= 0) {
		printf("%zu rule(s) firing, %zu new alert(s)%s\n", fired, fresh, cli->dry_run ? " (dry run: none kept)" : "");
	}
	json_decref(o.rows);
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_watch, &a);
}
