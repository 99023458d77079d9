/* settle-apid — the HTTP API of settle (the seed's §7): JWT-authenticated, rate-limited, idempotent POSTs. */
#include <stdio.h>

#include "adapters/httpd/httpd.h"
#include "api/apid.h"
#include "cli/cli.h"
#include "wire/wire_db.h"

static const struct cli_option options[] = {
	CLI_END,
};

static const struct cli_spec spec = {
	.name = "settle-apid",
	.exit_codes = (const int[]){0, 64, 69, 70, 78, -1},
	.usage = "[--config FILE]",
	.summary = "Serve the payments and settlements HTTP API on loopback (systemd socket activation, Type=notify).",
	.options = options,
	.wiring = &wire_config,
};

static int serve(struct cli *cli, void *arg, struct settle_err *err)
{
	static struct apid a; /* large (metrics counters); one per process */
	struct httpd_config hc = {0};
	int rc;

	(void)arg;
	if (apid_init(&a, cli, err) < 0)
		return -1;
	hc.listen = a.set.listen;
	hc.body_max = (size_t)a.set.body_max;
	hc.threads = (unsigned)a.set.threads;
	hc.handler = apid_handle;
	hc.ctx = &a;
	hc.healthy = apid_healthy;
	rc = httpd_serve(&hc, err);
	apid_fini(&a);
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, serve, NULL);
}
