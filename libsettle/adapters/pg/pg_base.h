/*
 * pg_base.h — the part every PG adapter's constructor and destructor
 * share: the port struct, one HTTP client (base URL, time-outs) and the
 * Basic Authorization header. An adapter embeds struct pg_base first in
 * its own struct and fills in the port's operations.
 *
 * Rule: the Authorization header holds a secret; it is built once, never
 * printed, and wiped when the adapter is destroyed.
 */
#ifndef SETTLE_ADAPTERS_PG_BASE_H
#define SETTLE_ADAPTERS_PG_BASE_H

#include <stddef.h>

#include "adapters/http/http.h"
#include "domain/err.h"
#include "ports/pg.h"

struct pg_base {
	struct pg_port port;
	struct http_client *http;
	char *auth_header; /* "Authorization: Basic base64(user:pass)"; secret */
	size_t auth_len;
};

/* Creates the HTTP client for base_url (time-outs <= 0: the defaults) and
 * the header "Authorization: Basic base64(user + ':' + pass)" (pass may be
 * ""). The port is a copy of ops (the adapter's name and operations) with
 * self set. On failure: -1 with err prefixed by the name ("toss: …"), and
 * nothing left to free but b itself. */
int pg_base_init(struct pg_base *b, void *self, const struct pg_port *ops, const char *base_url,
		 long connect_timeout_ms, long timeout_ms, const char *user, const char *pass, struct settle_err *err);

/* Frees the client and wipes the header; b itself is the caller's. */
void pg_base_release(struct pg_base *b);

#endif
