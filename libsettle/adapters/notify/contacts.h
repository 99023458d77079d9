/*
 * contacts.h — ports/contacts.h: operators from [notify] operators; users
 * and leaders from the Study Service's GET /v1/users/{id}, kept in
 * notify_contacts until [notify] contact_ttl_s has passed. Without a
 * [study] base_url a user's address is unknown (the notification is held).
 */
#ifndef SETTLE_ADAPTERS_NOTIFY_CONTACTS_H
#define SETTLE_ADAPTERS_NOTIFY_CONTACTS_H

#include <stddef.h>
#include <stdint.h>

#include "ports/clock.h"
#include "ports/contacts.h"

struct db;

struct contacts_config {
	const char *operators;     /* one address */
	const char *operator_lang; /* "ko" / "en" */
	const char *study_url;     /* "" or NULL: no service */
	const char *study_token;
	long connect_timeout_ms, timeout_ms;
	int64_t ttl_s;
};

struct contacts_port *contacts_new(const struct contacts_config *cfg, struct db *db, const struct clock_port *clock,
				   struct settle_err *err);
void contacts_free(struct contacts_port *p);

/* The Study Service's answer: 200 {"email": string|null, "name", "lang"};
 * 404 EX_NOINPUT; anything else EX_TEMPFAIL or EX_DATAERR. Pure. */
int contacts_parse_user(long status, const char *body, size_t len, const char *id, struct contact *out,
			struct settle_err *err);

#endif
