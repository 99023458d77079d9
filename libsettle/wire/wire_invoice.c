/* wire_invoice.c — configuration into invoice-issue's ports. */
#include "wire/wire_invoice.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "adapters/clock/clock.h"
#include "adapters/config/config.h"
#include "adapters/einvoice/popbill.h"
#include "adapters/einvoice/xml.h"
#include "adapters/mysql/invoices_repo.h"
#include "adapters/mysql/outbox_repo.h"
#include "adapters/mysql/uow.h"
#include "wire/job_runs.h"
#include "wire/wire_db.h"

/* [invoice] schema_file, else $SETTLE_SCHEMA_DIR/taxinvoice.xsd, else the
 * schema/ of the tree the program was built in (build/bin or build/check/bin),
 * else the installed one. */
static const char *schema_file(const struct config *cfg, char *buf, size_t len)
{
	const char *s = config_get(cfg, "invoice", "schema_file"), *env = getenv("SETTLE_SCHEMA_DIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (s)
		return s;
	if (env && *env) {
		snprintf(buf, len, "%s/taxinvoice.xsd", env);
		return buf;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		for (int up = 0; up < 4 && (slash = strrchr(exe, '/')); up++) {
			*slash = '\0';
			snprintf(buf, len, "%s/schema/taxinvoice.xsd", exe);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	snprintf(buf, len, "%s/taxinvoice.xsd", SETTLE_SCHEMA_DIR);
	return buf;
}

static int platform_text(const struct config *cfg, const char *key, char *dst, size_t cap, int required,
			 struct settle_err *err)
{
	const char *v = config_get(cfg, "platform", key);

	if (!v || !*v) {
		if (required)
			return err_set(err, SETTLE_EX_CONFIG, "%s: [platform] %s is not set (the supplier on every invoice)",
				       config_path(cfg), key);
		dst[0] = '\0';
		return 0;
	}
	if (strlen(v) >= cap)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [platform] %s is longer than %zu bytes", config_path(cfg), key,
			       cap - 1);
	snprintf(dst, cap, "%s", v);
	return 0;
}

static int wire(struct cli *cli, struct invoice_wiring *w, struct settle_err *err)
{
	struct invoice_ctx *c = &w->ctx;
	const struct config *cfg;
	struct invoice_party *p = &c->platform;
	struct popbill_config pc = {0};
	char schema[PATH_MAX], link_id[128], secret[256];
	int64_t max_lines, connect_ms, timeout_ms;
	int rc;

	memset(w, 0, sizeof *w);
	if (wire_open_db(cli, err) < 0)
		return -1;
	cfg = cli->cfg;
	if (platform_text(cfg, "business_number", p->brn, sizeof p->brn, 1, err) < 0 ||
	    platform_text(cfg, "name", p->name, sizeof p->name, 1, err) < 0 ||
	    platform_text(cfg, "representative", p->representative, sizeof p->representative, 1, err) < 0 ||
	    platform_text(cfg, "address", p->address, sizeof p->address, 1, err) < 0 ||
	    platform_text(cfg, "business_type", p->business_type, sizeof p->business_type, 1, err) < 0 ||
	    platform_text(cfg, "business_item", p->business_item, sizeof p->business_item, 1, err) < 0 ||
	    platform_text(cfg, "email", p->email, sizeof p->email, 0, err) < 0)
		return -1;
	if (brn_check(p->brn, err) < 0) {
		err->code = SETTLE_EX_CONFIG;
		return err_prefix(err, "%s: [platform] business_number", config_path(cfg));
	}
	if (config_get_int(cfg, "invoice", "max_lines", INVOICE_LINES_MAX, 1, INVOICE_LINES_MAX, &max_lines, err) < 0 ||
	    config_get_int(cfg, "invoice", "connect_timeout_ms", 5000, 1, 600000, &connect_ms, err) < 0 ||
	    config_get_int(cfg, "invoice", "timeout_ms", 30000, 1, 600000, &timeout_ms, err) < 0)
		return -1;
	if (einvoice_xml_open(&w->xml, schema_file(cfg, schema, sizeof schema), config_get(cfg, "invoice", "outbox_dir"),
			      config_get(cfg, "invoice", "key_file"), config_get(cfg, "invoice", "certificate_file"),
			      err) < 0)
		return err_prefix(err, "%s", config_path(cfg));
	rc = config_secret(cfg, "invoice", "link_id", link_id, sizeof link_id, err);
	if (rc == 0)
		err_set(err, SETTLE_EX_CONFIG, "%s: [invoice] link_id_file is not set", config_path(cfg));
	if (rc <= 0)
		return -1;
	rc = config_secret(cfg, "invoice", "secret_key", secret, sizeof secret, err);
	if (rc == 0)
		err_set(err, SETTLE_EX_CONFIG, "%s: [invoice] secret_key_file is not set", config_path(cfg));
	if (rc <= 0)
		return -1;
	pc.base_url = config_get(cfg, "invoice", "base_url");
	pc.auth_url = config_get_or(cfg, "invoice", "auth_url", "https://auth.linkhub.co.kr");
	pc.service_id = config_get_or(cfg, "invoice", "service_id", "POPBILL");
	pc.link_id = link_id;
	pc.secret_key = secret;
	pc.corp_num = config_get_or(cfg, "invoice", "corp_num", p->brn);
	pc.user_id = config_get(cfg, "invoice", "user_id");
	pc.connect_timeout_ms = (long)connect_ms;
	pc.timeout_ms = (long)timeout_ms;
	if (!pc.base_url) {
		rc = err_set(err, SETTLE_EX_CONFIG, "%s: [invoice] base_url is not set", config_path(cfg));
	} else {
		rc = popbill_new(&w->popbill, &pc, err);
		if (rc < 0)
			err_prefix(err, "%s", config_path(cfg));
	}
	OPENSSL_cleanse(secret, sizeof secret);
	if (rc < 0)
		return -1;
	mysql_uow(&w->uow, cli->db);
	mysql_invoices_repo(&w->repo, cli->db);
	popbill_port(&w->provider, w->popbill);
	einvoice_xml_outbox(&w->outbox, w->xml);
	mysql_outbox(&w->notes, cli->db);
	c->notes = &w->notes;
	c->uow = &w->uow;
	c->repo = &w->repo;
	c->provider = &w->provider;
	c->outbox = &w->outbox;
	c->clock = clock_system();
	c->max_lines = (size_t)max_lines;
	return 0;
}

static int build(struct cli *cli, void *w, struct settle_err *err)
{
	return wire(cli, w, err);
}

static int open_hook(struct cli *cli, struct settle_err *err)
{
	return job_wiring_open(cli, sizeof(struct invoice_wiring), build, err);
}

static void release(void *arg)
{
	struct invoice_wiring *w = arg;

	popbill_free(w->popbill);
	einvoice_xml_close(w->xml);
}

static void close_hook(struct cli *cli)
{
	job_wiring_close(cli, release);
}

const struct cli_wiring invoice_wiring = {open_hook, close_hook};
