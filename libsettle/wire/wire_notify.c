/* wire_notify.c — configuration into settle-notify's ports. */
#include "wire/wire_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/mysql/notify_queue.h"
#include "adapters/mysql/uow.h"
#include "adapters/notify/contacts.h"
#include "adapters/notify/mailers.h"
#include "adapters/notify/templates.h"
#include "wire/job_runs.h"
#include "wire/wire_db.h"

#ifndef SETTLE_TEMPLATES_DIR
#define SETTLE_TEMPLATES_DIR "/usr/local/share/settle/templates"
#endif

int wire_notify_templates(const struct config *cfg, struct notify_templates *ts, struct settle_err *err)
{
	const char *dir = config_get(cfg, "notify", "templates_dir");

	if (!dir)
		dir = getenv("SETTLE_TEMPLATES_DIR");
	return notify_templates_load(dir ? dir : SETTLE_TEMPLATES_DIR, ts, err);
}

static int open_mailer(struct cli *cli, struct notify_wiring *w, struct settle_err *err)
{
	const char *channel = config_get_or(cli->cfg, "notify", "channel", "maildir");
	struct mailer_config mc = {0};
	int64_t cto, to;
	char password[256] = "";

	if (config_get_int(cli->cfg, "notify", "connect_timeout_ms", 5000, 1, 600000, &cto, err) < 0 ||
	    config_get_int(cli->cfg, "notify", "timeout_ms", 30000, 1, 600000, &to, err) < 0)
		return -1;
	mc.from = config_get_or(cli->cfg, "notify", "from", "");
	mc.from_name = config_get_or(cli->cfg, "notify", "from_name", "settle");
	mc.connect_timeout_ms = (long)cto;
	mc.timeout_ms = (long)to;
	if (!strcmp(channel, "maildir")) {
		mc.maildir = config_get_or(cli->cfg, "notify", "maildir", "");
		w->mailer = mailer_maildir_new(&mc, clock_system(), err);
	} else if (!strcmp(channel, "smtp")) {
		mc.url = config_get_or(cli->cfg, "notify", "smtp_url", "");
		mc.user = config_get_or(cli->cfg, "notify", "smtp_user", "");
		mc.ca_file = config_get_or(cli->cfg, "notify", "smtp_ca_file", "");
		if (mc.user[0] && config_secret(cli->cfg, "notify", "smtp_password", password, sizeof password, err) < 0)
			return -1;
		mc.password = password;
		w->mailer = mailer_smtp_new(&mc, clock_system(), err);
		memset(password, 0, sizeof password);
	} else {
		return err_set(err, SETTLE_EX_CONFIG, "%s: [notify] channel \"%.40s\" is not smtp or maildir",
			       config_path(cli->cfg), channel);
	}
	if (!w->mailer)
		return err_prefix(err, "%s", config_path(cli->cfg));
	return 0;
}

static int open_contacts(struct cli *cli, struct notify_wiring *w, struct settle_err *err)
{
	struct contacts_config cc = {0};
	char token[512] = "";
	int64_t ttl, cto, to;

	if (config_get_int(cli->cfg, "notify", "contact_ttl_s", 86400, 0, 30 * 86400, &ttl, err) < 0 ||
	    config_get_int(cli->cfg, "study", "connect_timeout_ms", 5000, 1, 600000, &cto, err) < 0 ||
	    config_get_int(cli->cfg, "study", "timeout_ms", 10000, 1, 600000, &to, err) < 0)
		return -1;
	cc.operators = config_get_or(cli->cfg, "notify", "operators", "");
	cc.operator_lang = config_get_or(cli->cfg, "notify", "operator_lang", "ko");
	cc.study_url = config_get_or(cli->cfg, "study", "base_url", "");
	if (cc.study_url[0] && config_secret(cli->cfg, "study", "token", token, sizeof token, err) < 0)
		return -1;
	cc.study_token = token;
	cc.connect_timeout_ms = (long)cto;
	cc.timeout_ms = (long)to;
	cc.ttl_s = ttl;
	w->contacts = contacts_new(&cc, cli->db, clock_system(), err);
	memset(token, 0, sizeof token);
	return w->contacts ? 0 : -1;
}

static int build(struct cli *cli, void *arg, struct settle_err *err)
{
	struct notify_wiring *w = arg;
	struct notify_ctx *c = &w->ctx;
	int64_t batch, lease, attempts, backoff;
	char host[64] = "";

	if (wire_load_config(cli, err) < 0 || wire_notify_templates(cli->cfg, &w->templates, err) < 0)
		return -1;
	if (config_get_int(cli->cfg, "notify", "batch", 100, 1, 1000, &batch, err) < 0 ||
	    config_get_int(cli->cfg, "notify", "lease_s", 120, 5, 3600, &lease, err) < 0 ||
	    config_get_int(cli->cfg, "notify", "max_attempts", 5, 1, 100, &attempts, err) < 0 ||
	    config_get_int(cli->cfg, "notify", "backoff_s", 60, 1, 86400, &backoff, err) < 0)
		return -1;
	if (open_mailer(cli, w, err) < 0 || wire_open_db(cli, err) < 0 || open_contacts(cli, w, err) < 0)
		return -1;
	gethostname(host, sizeof host - 1);
	snprintf(w->owner, sizeof w->owner, "%.24s:%ld:notify", host, (long)getpid());
	mysql_uow(&w->uow, cli->db);
	mysql_claims(&w->claims, cli->db);
	mysql_notify_queue(&w->queue, cli->db);
	*c = (struct notify_ctx){&w->uow,	 &w->claims, &w->queue, w->contacts, w->mailer, clock_system(),
				 &w->templates, w->owner,   (int)batch, (int)lease, (int)attempts, (int)backoff, 0};
	return 0;
}

static void release(void *arg)
{
	struct notify_wiring *w = arg;

	if (w->mailer)
		w->mailer->destroy(w->mailer->self);
	contacts_free(w->contacts);
	notify_templates_free(&w->templates);
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	return job_wiring_open(cli, sizeof(struct notify_wiring), build, err);
}

static void close_hook(struct cli *cli)
{
	job_wiring_close(cli, release);
}

const struct cli_wiring notify_wiring = {open_hook, close_hook};
