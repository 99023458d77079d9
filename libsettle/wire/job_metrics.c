/*
 * job_metrics.c — a job's run as Prometheus metrics (see job_metrics.h):
 * settle_job_last_success_timestamp_seconds, settle_job_duration_seconds,
 * settle_job_items_total{job,outcome} from the run's counts, and the gauge
 * its job owns (escrow-release: settle_escrow_held_won; payout-send:
 * settle_payouts_in_doubt; ledger-check: settle_ledger_findings), so no
 * two files carry the same series.
 */
#include "wire/job_metrics.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/metrics/textfile.h"
#include "adapters/mysql/ops_queries.h"
#include "domain/timefmt.h"
#include "util/log.h"

/* Counts that are money or flags, not items (escrow-release's total). */
static int is_item_count(const char *key)
{
	return strcmp(key, "total") && strcmp(key, "dry_run") && strcmp(key, "amount");
}

/* "released=3 total=150000": every key=whole-number pair, as items by
 * outcome. Keys are the program's own words ([a-z_]). */
static void items(struct textfile *t, const char *job, const char *counts)
{
	char buf[256], labels[160];

	snprintf(buf, sizeof buf, "%s", counts);
	for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '='), *end;
		long long v;

		if (!eq)
			continue;
		*eq = '\0';
		if (!*tok || strspn(tok, "abcdefghijklmnopqrstuvwxyz_") != strlen(tok) || !is_item_count(tok))
			continue;
		v = strtoll(eq + 1, &end, 10);
		if (*end || end == eq + 1 || v < 0)
			continue;
		snprintf(labels, sizeof labels, "job=\"%s\",outcome=\"%s\"", job, tok);
		{
			char value[32];

			snprintf(value, sizeof value, "%lld", v);
			textfile_sample(t, "settle_job_items_total", labels, value);
		}
	}
}

static int64_t count_of(const char *counts, const char *key)
{
	const char *at = counts;
	size_t n = strlen(key);

	while ((at = strstr(at, key))) {
		if ((at == counts || at[-1] == ' ') && at[n] == '=')
			return strtoll(at + n + 1, NULL, 10);
		at += n;
	}
	return -1;
}

/* The gauge this job owns, read after its work. */
static void gauge(struct textfile *t, struct cli *cli, const char *job)
{
	struct settle_err err = {0};
	char value[32];
	int64_t v = -1;

	if (!strcmp(job, "ledger-check")) {
		v = count_of(cli->job_counts, "findings");
		if (v < 0)
			return;
		textfile_family(t, "settle_ledger_findings", "gauge", "Broken ledger invariants found by the last ledger-check.");
		snprintf(value, sizeof value, "%lld", (long long)v);
		textfile_sample(t, "settle_ledger_findings", "", value);
	} else if (!strcmp(job, "escrow-release") && cli->db) {
		if (ops_escrow_held(cli->db, "KRW", &v, &err) < 0) {
			log_kv(LOG_WARN, "metrics.gauge_failed", "metric", "settle_escrow_held_won", "error", err.msg,
			       (char *)NULL);
			return;
		}
		textfile_family(t, "settle_escrow_held_won", "gauge", "Won held in escrow (HOLDING or DISPUTED).");
		snprintf(value, sizeof value, "%lld", (long long)v);
		textfile_sample(t, "settle_escrow_held_won", "", value);
	} else if (!strcmp(job, "payout-send") && cli->db) {
		if (ops_payouts_in_doubt(cli->db, &v, &err) < 0) {
			log_kv(LOG_WARN, "metrics.gauge_failed", "metric", "settle_payouts_in_doubt", "error", err.msg,
			       (char *)NULL);
			return;
		}
		textfile_family(t, "settle_payouts_in_doubt", "gauge", "Payouts sent whose outcome is not known yet.");
		snprintf(value, sizeof value, "%lld", (long long)v);
		textfile_sample(t, "settle_payouts_in_doubt", "", value);
	}
}

void job_metrics_write(struct cli *cli, const char *job, int64_t started_us)
{
	const char *dir = cli->cfg ? config_get(cli->cfg, "metrics", "textfile_dir") : NULL;
	const struct clock_port *clock = clock_system();
	int64_t now = clock->now_us(clock->self), last_success = 0;
	struct textfile *t;
	struct settle_err err = {0};
	char labels[96], value[48];

	if (!dir || !*dir || cli->dry_run)
		return;
	/* A job name goes into a file name and a label: programs' own names. */
	if (strspn(job, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(job))
		return;
	t = calloc(1, sizeof *t);
	if (!t) {
		log_kv(LOG_WARN, "metrics.not_written", "error", "out of memory", (char *)NULL);
		return;
	}
	if (cli->status == 0) {
		last_success = now;
	} else if (cli->db) {
		struct job_last_run last;

		if (ops_job_last_run(cli->db, job, &last, &err) == 0 && last.last_success[0])
			time_parse_utc(last.last_success, &last_success);
	}
	snprintf(labels, sizeof labels, "job=\"%s\"", job);
	if (last_success > 0) {
		textfile_family(t, "settle_job_last_success_timestamp_seconds", "gauge",
				"When the job last finished without an error (Unix time).");
		snprintf(value, sizeof value, "%lld", (long long)(last_success / 1000000));
		textfile_sample(t, "settle_job_last_success_timestamp_seconds", labels, value);
	}
	textfile_family(t, "settle_job_duration_seconds", "gauge", "How long the job's last run took.");
	snprintf(value, sizeof value, "%lld.%06lld", (long long)((now - started_us) / 1000000),
		 (long long)((now - started_us) % 1000000));
	textfile_sample(t, "settle_job_duration_seconds", labels, value);
	textfile_family(t, "settle_job_last_exit_status", "gauge", "The exit status of the job's last run.");
	snprintf(value, sizeof value, "%d", cli->status);
	textfile_sample(t, "settle_job_last_exit_status", labels, value);
	textfile_family(t, "settle_job_items_total", "gauge", "What the job's last run did, by outcome.");
	items(t, job, cli->job_counts);
	gauge(t, cli, job);
	if (textfile_write(dir, job, t, &err) < 0)
		log_kv(LOG_WARN, "metrics.not_written", "dir", dir, "error", err.msg, (char *)NULL);
	free(t);
}
