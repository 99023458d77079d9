/*
 * ports/contacts.h — where a notification goes: a participant's or a
 * leader's address and language (the Study Service's user look-up, cached
 * with an expiry), the operators' from config.
 */
#ifndef SETTLE_PORTS_CONTACTS_H
#define SETTLE_PORTS_CONTACTS_H

#include "domain/err.h"

struct contact {
	char email[255]; /* "" when the user has none */
	char name[101];
	char lang[3];    /* "ko" or "en" */
};

struct contacts_port {
	void *self;
	/* kind "user", "leader" or "operator". 0 found (email may be ""),
	 * -1 with err: EX_NOINPUT unknown user, EX_TEMPFAIL / EX_UNAVAILABLE
	 * the Study Service cannot be asked. */
	int (*lookup)(void *self, const char *kind, const char *id, struct contact *out, struct settle_err *err);
};

#endif
