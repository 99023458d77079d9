/* rrn_open.c — the --with-rrn port: leaders.rrn_enc opened with the data key (AES-256-GCM, adapters/crypto). */
#include <stdlib.h>
#include <string.h>

#include "adapters/crypto/crypto.h"
#include "adapters/report/report_out.h"

struct rrn_open {
	struct rrn_port port;
	struct data_key key;
};

static int open_rrn(void *self, const unsigned char *sealed, size_t len, char *out, size_t cap, struct settle_err *err)
{
	struct rrn_open *r = self;
	size_t n = 0;

	if (len < CRYPTO_OVERHEAD || len - CRYPTO_OVERHEAD + 1 > cap)
		return err_set(err, SETTLE_EX_DATAERR, "sealed resident number has a wrong length");
	return crypto_open(&r->key, "leaders.rrn_enc", sealed, len, out, &n, err);
}

struct rrn_port *rrn_port_new(const struct data_key *key)
{
	struct rrn_open *r = calloc(1, sizeof *r);

	if (!r)
		return NULL;
	memcpy(&r->key, key, sizeof r->key);
	r->port = (struct rrn_port){r, open_rrn};
	return &r->port;
}

void rrn_port_free(struct rrn_port *p)
{
	struct rrn_open *r = p ? p->self : NULL;

	if (!r)
		return;
	crypto_key_wipe(&r->key);
	free(r);
}
