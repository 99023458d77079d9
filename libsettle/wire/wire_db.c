/* wire_db.c — settle.conf and the database, opened for cli_run and closed after. */
#include "wire/wire_db.h"

#include "adapters/config/config.h"
#include "adapters/mysql/db.h"
#include "util/log.h"

#include <inttypes.h>
#include <stdio.h>

int wire_load_config(struct cli *cli, struct settle_err *err)
{
	if (cli->cfg)
		return 0;
	return config_load(&cli->cfg, cli->config_path, err);
}

int wire_open_db(struct cli *cli, struct settle_err *err)
{
	if (wire_load_config(cli, err) < 0)
		return -1;
	if (cli->db)
		return 0;
	return db_open_config(&cli->db, cli->cfg, NULL, false, err);
}

static int open_admin(struct cli *cli, struct settle_err *err)
{
	if (wire_load_config(cli, err) < 0)
		return -1;
	if (cli->db)
		return 0;
	return db_open_config(&cli->db, cli->cfg, NULL, true, err);
}

void wire_close_db(struct cli *cli)
{
	/* How many transactions were retried on 1213/1205 (a deadlock here, a
	 * certification conflict on a Galera cluster): one line at the end of
	 * every run that had a database, so a multi-node run can be counted
	 * from the logs (scripts/galera-check.sh). */
	if (cli->db) {
		char n[24];

		snprintf(n, sizeof n, "%" PRIu64, db_retry_count(cli->db));
		log_kv(LOG_INFO, "db.retries", "count", n, (char *)NULL);
	}
	db_close(cli->db);
	cli->db = NULL;
	config_free(cli->cfg);
	cli->cfg = NULL;
}

const struct cli_wiring wire_config = {wire_load_config, wire_close_db};
const struct cli_wiring wire_db = {wire_open_db, wire_close_db};
const struct cli_wiring wire_db_admin = {open_admin, wire_close_db};
