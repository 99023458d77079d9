/* settle-notify — send the notifications the outbox holds (SMTP or a maildir). */
#include <jansson.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "wire/wire_notify.h"

struct args {
	int unused;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_END,
};

static const struct cli_spec spec = {
	.name = "settle-notify",
	.exit_codes = (const int[]){0, 64, 69, 70, 75, 78, -1},
	.usage = "[--json]",
	.summary = "Send the pending notifications of the outbox: receipts, notices, alerts.",
	.options = options,
	.wiring = &notify_wiring,
};

static int run_notify(struct cli *cli, void *arg, struct settle_err *err)
{
	struct notify_wiring *w = cli->wired;
	struct notify_report rep;
	int rc;

	(void)arg;
	rc = notify_run(&w->ctx, &rep, err);
	snprintf(cli->job_counts, sizeof cli->job_counts, "sent=%lld held=%lld retry=%lld failed=%lld",
		 (long long)rep.sent, (long long)rep.held, (long long)rep.retry, (long long)rep.failed);
	if (cli->json) {
		struct settle_err jerr = {0};

		cli_json_print(json_pack("{s:I, s:I, s:I, s:I}", "sent", (json_int_t)rep.sent, "held",
					 (json_int_t)rep.held, "retry", (json_int_t)rep.retry, "failed",
					 (json_int_t)rep.failed),
			       &jerr);
	} else if (cli->verbosity >= 0) {
		printf("sent %lld notification(s); %lld held (no address), %lld to retry, %lld failed\n",
		       (long long)rep.sent, (long long)rep.held, (long long)rep.retry, (long long)rep.failed);
	}
	if (rep.held)
		fprintf(stderr, "settle-notify: %lld notification(s) held: their recipients have no usable address "
			"(see notifications.last_error)\n", (long long)rep.held);
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_notify, &a);
}
