/*
 * pg_base.c — the shared constructor part of the PG adapters (pg_base.h).
 * Its one rule: the Authorization header is a secret, wiped on release.
 */
#include "adapters/pg/pg_base.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* "Authorization: Basic " + base64(user + ":" + pass). */
static char *basic_auth_header(const char *user, const char *pass, size_t *out_len)
{
	static const char prefix[] = "Authorization: Basic ";
	size_t ulen = strlen(user), plen = strlen(pass), raw_len = ulen + 1 + plen;
	size_t b64_len = 4 * ((raw_len + 2) / 3);
	unsigned char *raw = malloc(raw_len);
	char *hdr = malloc(sizeof prefix + b64_len + 1);

	if (!raw || !hdr) {
		free(raw);
		free(hdr);
		return NULL;
	}
	memcpy(raw, user, ulen);
	raw[ulen] = ':';
	if (plen)
		memcpy(raw + ulen + 1, pass, plen);
	memcpy(hdr, prefix, sizeof prefix - 1);
	EVP_EncodeBlock((unsigned char *)hdr + sizeof prefix - 1, raw, (int)raw_len);
	OPENSSL_cleanse(raw, raw_len);
	free(raw);
	*out_len = sizeof prefix + b64_len + 1;
	return hdr;
}

int pg_base_init(struct pg_base *b, void *self, const struct pg_port *ops, const char *base_url,
		 long connect_timeout_ms, long timeout_ms, const char *user, const char *pass, struct settle_err *err)
{
	memset(b, 0, sizeof *b);
	b->http = http_client_new(base_url, connect_timeout_ms, timeout_ms, err);
	if (!b->http)
		return err_prefix(err, "%s", ops->name);
	b->auth_header = basic_auth_header(user, pass, &b->auth_len);
	if (!b->auth_header) {
		pg_base_release(b);
		return err_set(err, SETTLE_EX_OSERR, "%s: out of memory", ops->name);
	}
	b->port = *ops;
	b->port.self = self;
	return 0;
}

void pg_base_release(struct pg_base *b)
{
	if (!b)
		return;
	http_client_free(b->http);
	b->http = NULL;
	if (b->auth_header) {
		OPENSSL_cleanse(b->auth_header, b->auth_len);
		free(b->auth_header);
		b->auth_header = NULL;
	}
}
