/* registry.c — the bank adapters by name (see registry.h). */
#include "adapters/bank/registry.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "adapters/bank/bulk_file.h"
#include "adapters/bank/toss_payouts.h"
#include "adapters/bank/toss_sellers.h"

static struct bank_port *open_toss(const struct bank_settings *s, struct settle_err *err)
{
	struct toss_payouts_config c = {s->base_url, s->secret_key, s->security_key, s->connect_timeout_ms,
					s->timeout_ms, s->max_lookup_pages};

	if (!s->base_url[0] || !s->secret_key[0] || !s->security_key[0]) {
		err_set(err, SETTLE_EX_CONFIG, "toss-payouts is not configured ([toss-payouts] %s)",
			bank_adapter_find("toss-payouts")->needs);
		return NULL;
	}
	return toss_payouts_new(&c, err);
}

static struct bank_port *open_bulk(const struct bank_settings *s, struct settle_err *err)
{
	struct bulk_file_config c = {s->outbox_dir, NULL};

	if (!s->outbox_dir[0]) {
		err_set(err, SETTLE_EX_CONFIG, "bulk-file is not configured ([bulk-file] outbox_dir)");
		return NULL;
	}
	return bulk_file_new(&c, err);
}

/* The default bank first. */
static const struct bank_adapter adapters[] = {
	{"toss-payouts", "base_url, secret_key_file, security_key_file", open_toss, 0},
	{"bulk-file", "outbox_dir", open_bulk, 1},
};

const struct bank_adapter *bank_adapter_at(size_t i)
{
	return i < sizeof adapters / sizeof adapters[0] ? &adapters[i] : NULL;
}

const struct bank_adapter *bank_adapter_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof adapters / sizeof adapters[0]; i++)
		if (!strcmp(adapters[i].name, name))
			return &adapters[i];
	return NULL;
}

void bank_registry_names(char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof adapters / sizeof adapters[0] && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", adapters[i].name);
}

struct bank_port *bank_open(const char *name, const struct bank_settings *s, struct settle_err *err)
{
	const struct bank_adapter *a = bank_adapter_find(name);
	char names[128];

	if (!a) {
		bank_registry_names(names, sizeof names);
		err_set(err, SETTLE_EX_CONFIG, "unknown bank \"%.64s\"; known: %s", name ? name : "", names);
		return NULL;
	}
	return a->open(s, err);
}

void bank_settings_wipe(struct bank_settings *s)
{
	OPENSSL_cleanse(s->secret_key, sizeof s->secret_key);
	OPENSSL_cleanse(s->security_key, sizeof s->security_key);
}

struct seller_registry *seller_registry_open(const char *name, const struct bank_settings *s, struct settle_err *err)
{
	struct toss_payouts_config c = {s->base_url, s->secret_key, s->security_key, s->connect_timeout_ms,
					s->timeout_ms, s->max_lookup_pages};

	if (!name || strcmp(name, "toss-payouts")) {
		err_set(err, SETTLE_EX_CONFIG, "payout channel \"%.64s\" pays bank accounts and registers no sellers",
			name ? name : "");
		return NULL;
	}
	if (!s->base_url[0] || !s->secret_key[0] || !s->security_key[0]) {
		err_set(err, SETTLE_EX_CONFIG, "toss-payouts is not configured ([toss-payouts] %s)",
			bank_adapter_find("toss-payouts")->needs);
		return NULL;
	}
	return toss_sellers_new(&c, err);
}
