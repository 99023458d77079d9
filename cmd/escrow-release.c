/* escrow-release — release the escrows of completed pods once their hold has passed. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "wire/wire_escrow.h"

enum { OPT_POD = 1, OPT_NOW, OPT_COMPLETED };

static const struct cli_option options[] = {
	{"pod", 0, "POD", OPT_POD, "only this pod (repeatable); refused with the reason when it cannot be released"},
	{"now", 0, NULL, OPT_NOW, "with --pod: release before the hold period ends (an operator's decision)"},
	{"completed", 0, NULL, OPT_COMPLETED, "record pod completions first (the pods table is the source without [study])"},
	{0},
};

static const struct cli_spec spec = {
	.name = "escrow-release",
	.usage = "[--completed] [--pod POD]... [--now] [--dry-run]",
	.summary = "Release the HOLDING escrows of completed pods whose hold period has passed ([escrow] hold_days).",
	.options = options,
	.dry_run = true,
};

#define MAX_PODS 64

struct args {
	const char *pods[MAX_PODS];
	size_t n_pods;
	int now, completed;
};

static int on_option(void *arg, int id, const char *v, struct settle_err *err)
{
	struct args *a = arg;

	if (id == OPT_POD) {
		if (a->n_pods == MAX_PODS)
			return err_set(err, SETTLE_EX_USAGE, "at most %d --pod options", MAX_PODS);
		a->pods[a->n_pods++] = v;
	} else if (id == OPT_NOW) {
		a->now = 1;
	} else {
		a->completed = 1;
	}
	return 0;
}

struct out {
	int json;
	json_t *rows;
};

static int row(void *arg, const struct release_row *r)
{
	struct out *o = arg;

	if (o->json)
		return json_array_append_new(o->rows, json_pack("{s:s, s:s, s:I, s:s, s:s}", "escrowId", r->e.public_id,
								 "podId", r->e.pod_id, "amount", (json_int_t)r->e.released,
								 "currency", r->e.currency, "completedAt",
								 r->completed_at));
	printf("%s %s %lld %s\n", r->e.public_id, r->e.pod_id, (long long)r->e.released, r->e.currency);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct settle_err err = {0};
	struct args a = {0};
	struct escrow_wiring w;
	struct release_opts o;
	struct release_report rep;
	struct out out = {0};
	int code = 0;
	int first = cli_parse(&cli, &spec, argc, argv, on_option, &a, &err);

	if (first == -2)
		return 0;
	if (first < 0)
		return cli_fail(&cli, &err);
	if (first != argc || (a.now && a.n_pods == 0)) {
		err_set(&err, SETTLE_EX_USAGE, first != argc ? "unexpected argument '%s'" : "--now needs --pod",
			first != argc ? argv[first] : "");
		return cli_fail(&cli, &err);
	}
	if (wire_escrow(&cli, &w, &err) < 0)
		goto fail;
	out.json = cli.json;
	out.rows = json_array();
	o = (struct release_opts){a.pods, a.n_pods, a.now, cli.dry_run};
	if (escrow_release_run(&w.ctx, &o, row, &out, &rep, &err) < 0)
		goto fail;
	if (cli.json) {
		json_t *doc = json_pack("{s:b, s:I, s:I, s:s, s:O}", "dryRun", cli.dry_run, "escrows",
					(json_int_t)rep.escrows, "total", (json_int_t)rep.total, "currency",
					rep.currency[0] ? rep.currency : "KRW", "released", out.rows);

		json_dumpf(doc, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(doc);
	} else if (cli.verbosity >= 0) {
		printf("%s %lld escrow(s), %lld %s\n", cli.dry_run ? "would release" : "released", (long long)rep.escrows,
		       (long long)rep.total, rep.currency[0] ? rep.currency : "KRW");
	}
	json_decref(out.rows);
	cli_close(&cli);
	return 0;
fail:
	json_decref(out.rows);
	code = cli_fail(&cli, &err);
	cli_close(&cli);
	return code;
}
