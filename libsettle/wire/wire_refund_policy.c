/* wire_refund_policy.c — pay-refund's ports (see wire_refund_policy.h). */
#include "wire/wire_refund_policy.h"

#include <stdlib.h>
#include <string.h>

#include "adapters/config/config.h"
#include "adapters/mysql/refund_terms_repo.h"
#include "wire/wire_db.h"

int refund_policy_config_read(const struct config *cfg, struct policy_versions *out, struct settle_err *err)
{
	const char *text = config_get(cfg, "refund", "policy");

	memset(out, 0, sizeof *out);
	if (!text)
		return 0;
	if (refund_policy_versions_parse(text, out, err) < 0) {
		err->code = SETTLE_EX_CONFIG;
		return err_prefix(err, "%s: [refund] policy", config_path(cfg));
	}
	return 0;
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	struct refund_policy_wiring *w = calloc(1, sizeof *w);

	if (!w)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	cli->wired = w;
	if (wire_payments(cli, &w->pay, err) < 0 || refund_policy_config_read(cli->cfg, &w->default_policy, err) < 0)
		return -1;
	mysql_refund_terms_repo(&w->terms, cli->db);
	w->ctx = (struct policy_refund_ctx){&w->pay.ctx, &w->terms, &w->default_policy};
	return 0;
}

static void close_hook(struct cli *cli)
{
	struct refund_policy_wiring *w = cli->wired;

	if (w) {
		unwire_payments(&w->pay);
		free(w);
		cli->wired = NULL;
	}
	wire_close_db(cli);
}

const struct cli_wiring refund_policy_wiring = {open_hook, close_hook};
