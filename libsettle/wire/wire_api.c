/* wire_api.c — settle-apid's settings and per-thread ports (see wire_api.h). */
#include "wire/wire_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/config/config.h"
#include "adapters/mysql/db.h"
#include "adapters/mysql/refund_terms_repo.h"
#include "adapters/mysql/settlement_queries.h"
#include "wire/wire_db.h"

#define PEM_MAX 16384

static int read_public_key(const struct config *cfg, const char *path, char *buf, size_t cap, size_t *len,
			   struct settle_err *err)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return err_set(err, SETTLE_EX_CONFIG, "%s: [api] rs256_public_key: cannot open %.200s", config_path(cfg),
			       path);
	*len = fread(buf, 1, cap - 1, f);
	if (ferror(f) || *len == cap - 1) {
		fclose(f);
		return err_set(err, SETTLE_EX_CONFIG, "%s: [api] rs256_public_key: unreadable or too large",
			       config_path(cfg));
	}
	fclose(f);
	buf[*len] = 0;
	return 0;
}

int wire_api_settings(const struct config *cfg, struct api_settings *s, struct settle_err *err)
{
	char secret[1024], *pem = NULL;
	const char *pem_path;
	int64_t skew;
	int found;
	size_t len = 0;

	memset(s, 0, sizeof *s);
	snprintf(s->jwt.issuer, sizeof s->jwt.issuer, "%s", config_get_or(cfg, "api", "issuer", ""));
	snprintf(s->jwt.audience, sizeof s->jwt.audience, "%s", config_get_or(cfg, "api", "audience", ""));
	if (!s->jwt.issuer[0] || !s->jwt.audience[0])
		return err_set(err, SETTLE_EX_CONFIG, "%s: [api] issuer and audience must be set", config_path(cfg));
	if (config_get_int(cfg, "api", "clock_skew_s", 30, 0, 300, &skew, err) < 0 ||
	    config_get_int(cfg, "api", "rate_per_s", 50, 1, 1000000, &s->rate_per_s, err) < 0 ||
	    config_get_int(cfg, "api", "rate_burst", 100, 1, 1000000, &s->rate_burst, err) < 0 ||
	    config_get_int(cfg, "api", "body_max", 16384, 256, 1048576, &s->body_max, err) < 0 ||
	    config_get_int(cfg, "api", "idempotency_keep_h", 24, 1, 720, &s->idempotency_keep_h, err) < 0 ||
	    config_get_int(cfg, "api", "threads", 4, 1, 64, &s->threads, err) < 0)
		return -1;
	s->jwt.skew_s = (int)skew;
	s->listen = config_get_or(cfg, "api", "listen", "127.0.0.1:8081");
	found = config_secret(cfg, "api", "hs256_key", secret, sizeof secret, err);
	if (found < 0)
		return -1;
	if (found && jwtv_add_key(&s->jwt, config_get_or(cfg, "api", "hs256_kid", ""), "HS256",
				  (const unsigned char *)secret, strlen(secret), err) < 0) {
		memset(secret, 0, sizeof secret);
		return err_prefix(err, "%s", config_path(cfg));
	}
	memset(secret, 0, sizeof secret);
	pem_path = config_get(cfg, "api", "rs256_public_key");
	if (pem_path) {
		pem = malloc(PEM_MAX);
		if (!pem)
			return err_set(err, SETTLE_EX_OSERR, "out of memory");
		if (read_public_key(cfg, pem_path, pem, PEM_MAX, &len, err) < 0 ||
		    jwtv_add_key(&s->jwt, config_get_or(cfg, "api", "rs256_kid", ""), "RS256", (unsigned char *)pem, len,
				 err) < 0) {
			free(pem);
			jwtv_free(&s->jwt);
			return err_prefix(err, "%s", config_path(cfg));
		}
		free(pem);
	}
	if (s->jwt.n == 0)
		return err_set(err, SETTLE_EX_CONFIG,
			       "%s: [api] needs a key: hs256_key_file (or credential api.hs256_key) or rs256_public_key",
			       config_path(cfg));
	return 0;
}

int wire_api_conn(const struct cli *proto, struct api_conn *c, struct settle_err *err)
{
	memset(c, 0, sizeof *c);
	c->cli.spec = proto->spec;
	c->cli.cfg = proto->cfg;
	c->cli.config_path = proto->config_path;
	if (wire_payments(&c->cli, &c->refund.pay, err) < 0 ||
	    refund_policy_config_read(c->cli.cfg, &c->refund.default_policy, err) < 0 ||
	    wire_settlement(&c->cli, &c->settle, err) < 0)
		return -1;
	mysql_refund_terms_repo(&c->refund.terms, c->cli.db);
	c->refund.ctx = (struct policy_refund_ctx){&c->refund.pay.ctx, &c->refund.terms, &c->refund.default_policy};
	mysql_settlement_queries(&c->settlements, c->cli.db);
	return 0;
}

void unwire_api_conn(struct api_conn *c)
{
	unwire_payments(&c->refund.pay);
	db_close(c->cli.db);
	c->cli.db = NULL;
}
