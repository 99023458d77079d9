/* pay-webhookd — receive the PGs' notifications (deposits, payment status, payout status), verify, store, act. */
#include "cli/cli.h"
#include "wire/wire_webhooks.h"

static const struct cli_option options[] = {
	CLI_END,
};

static const struct cli_spec spec = {
	.name = "pay-webhookd",
	.exit_codes = (const int[]){0, 64, 69, 70, 78, -1},
	.usage = "",
	.summary = "Receive the PGs' webhooks on loopback (or a socket systemd passes): verify, store by event id, "
		   "then act through the payment use cases.",
	.options = options,
	.wiring = &webhooks_wiring,
};

static int run(struct cli *cli, void *arg, struct settle_err *err)
{
	(void)arg;
	return webhookd_serve(cli, err);
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run, NULL);
}
