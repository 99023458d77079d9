/* wire_payout.c — configuration into payout-send's ports. */
#include "wire/wire_payout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/payees.h"
#include "adapters/mysql/sellers_repo.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/uow.h"
#include "wire/job_runs.h"
#include "wire/wire_db.h"

static int dir_find(void *self, const char *name)
{
	struct payout_wiring *w = self;

	for (size_t i = 0; name && i < w->n_banks; i++)
		if (!strcmp(w->bank_names[i], name))
			return (int)i;
	return -1;
}

static struct bank_port *dir_open(void *self, size_t i, struct settle_err *err)
{
	struct payout_wiring *w = self;

	if (i >= w->n_banks) {
		err_set(err, SETTLE_EX_SOFTWARE, "no bank number %zu", i);
		return NULL;
	}
	return bank_open(w->bank_names[i], &w->bank_settings[i], err);
}

static void dir_close(void *self, struct bank_port *bank)
{
	(void)self;
	if (bank && bank->destroy)
		bank->destroy(bank->self);
}

static int read_text(const struct config *cfg, const char *sec, const char *key, char *out, size_t size,
		     struct settle_err *err)
{
	const char *v = config_get_or(cfg, sec, key, "");

	if (strlen(v) >= size)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [%s] %s is longer than %zu bytes", config_path(cfg), sec, key,
			       size - 1);
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

/* Every bank adapter this build knows reads its own section; opening one
 * whose keys are missing says which (bank_open). */
static int read_banks(const struct config *cfg, struct payout_wiring *w, struct settle_err *err)
{
	const struct bank_adapter *a;

	for (size_t i = 0; (a = bank_adapter_at(i)) && w->n_banks < WIRE_BANKS_MAX; i++) {
		struct bank_settings *s = &w->bank_settings[w->n_banks];
		int64_t cto, to;

		memset(s, 0, sizeof *s);
		if (read_text(cfg, a->name, "base_url", s->base_url, sizeof s->base_url, err) < 0 ||
		    read_text(cfg, a->name, "outbox_dir", s->outbox_dir, sizeof s->outbox_dir, err) < 0 ||
		    config_secret(cfg, a->name, "secret_key", s->secret_key, sizeof s->secret_key, err) < 0 ||
		    config_secret(cfg, a->name, "security_key", s->security_key, sizeof s->security_key, err) < 0 ||
		    config_get_int(cfg, a->name, "connect_timeout_ms", 5000, 1, 600000, &cto, err) < 0 ||
		    config_get_int(cfg, a->name, "timeout_ms", 60000, 1, 600000, &to, err) < 0)
			return -1;
		s->connect_timeout_ms = (long)cto;
		s->timeout_ms = (long)to;
		w->bank_names[w->n_banks++] = a->name;
	}
	return 0;
}

static int wire_payout(struct cli *cli, struct payout_wiring *w, struct settle_err *err)
{
	int64_t batch, lease, backoff, recheck;
	char host[64] = "", nonce[32];

	if (wire_open_db(cli, err) < 0)
		return -1;
	if (config_get_int(cli->cfg, "payout", "batch", 100, 1, 1000, &batch, err) < 0 ||
	    config_get_int(cli->cfg, "payout", "lease_s", 120, 3, 3600, &lease, err) < 0 ||
	    config_get_int(cli->cfg, "payout", "doubt_backoff_s", 30, 1, 3600, &backoff, err) < 0 ||
	    config_get_int(cli->cfg, "payout", "recheck_s", 300, 1, 86400, &recheck, err) < 0 ||
	    read_banks(cli->cfg, w, err) < 0)
		return -1;
	/* The data key is needed only for bank accounts; a Toss-payouts-only
	 * installation may run without one. */
	if (config_get(cli->cfg, "crypto", "data_key_file") || getenv("SETTLE_CRYPTO_DATA_KEY") ||
	    getenv("CREDENTIALS_DIRECTORY")) {
		if (crypto_load_keyring(cli->cfg, &w->keys, err) < 0)
			return -1;
		w->have_key = 1;
	}
	w->payees = mysql_payees_new(cli->db, w->have_key ? &w->keys : NULL);
	w->sellers = mysql_sellers_repo_new(cli->db, w->have_key ? &w->keys : NULL);
	if (!w->payees || !w->sellers)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	gethostname(host, sizeof host - 1);
	if (public_id(nonce, sizeof nonce, "", err) < 0)
		return -1;
	snprintf(w->owner, sizeof w->owner, "%.24s:%ld:%.12s", host, (long)getpid(), nonce);
	mysql_uow(&w->uow, cli->db);
	mysql_payouts_repo(&w->payouts, cli->db);
	mysql_claims(&w->claims, cli->db);
	mysql_ledger_repo(&w->ledger, cli->db);
	mysql_outbox(&w->outbox, cli->db);
	w->banks = (struct bank_directory){.self = w, .find = dir_find, .open = dir_open, .close = dir_close};
	w->ctx = (struct payout_ctx){.uow = &w->uow,
				     .payouts = &w->payouts,
				     .payees = w->payees,
				     .claims = &w->claims,
				     .ledger = &w->ledger,
				     .outbox = &w->outbox,
				     .clock = clock_system(),
				     .banks = &w->banks,
				     .actor = cli->spec->name,
				     .owner = w->owner,
				     .batch = (int)batch,
				     .lease_s = (int)lease,
				     .doubt_backoff_s = (int)backoff,
				     .recheck_s = (int)recheck};
	w->reg_ctx = (struct seller_reg_ctx){.uow = &w->uow,
					     .sellers = w->sellers,
					     .claims = &w->claims,
					     .clock = clock_system(),
					     .owner = w->owner,
					     .batch = (int)batch,
					     .lease_s = (int)lease,
					     .doubt_backoff_s = (int)backoff,
					     .recheck_s = (int)recheck};
	return 0;
}

int wire_payout_open_registry(struct cli *cli, struct payout_wiring *w, struct settle_err *err)
{
	const char *channel = config_get_or(cli->cfg, "payout", "channel", "bulk-file");
	int i = dir_find(w, channel);

	if (i < 0)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [payout] channel \"%.40s\" is not a known bank",
			       config_path(cli->cfg), channel);
	w->registry = seller_registry_open(channel, &w->bank_settings[i], err);
	if (!w->registry)
		return err_prefix(err, "%s: [payout] channel", config_path(cli->cfg));
	w->reg_ctx.registry = w->registry;
	return 0;
}

static int build(struct cli *cli, void *w, struct settle_err *err)
{
	return wire_payout(cli, w, err);
}

static void release(void *arg)
{
	struct payout_wiring *w = arg;

	for (size_t i = 0; i < WIRE_BANKS_MAX; i++)
		bank_settings_wipe(&w->bank_settings[i]);
	crypto_keyring_wipe(&w->keys);
	mysql_payees_free(w->payees);
	mysql_sellers_repo_free(w->sellers);
	if (w->registry)
		w->registry->destroy(w->registry->self);
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	return job_wiring_open(cli, sizeof(struct payout_wiring), build, err);
}

static void close_hook(struct cli *cli)
{
	job_wiring_close(cli, release);
}

const struct cli_wiring payout_wiring = {open_hook, close_hook};
