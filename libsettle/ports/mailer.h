/*
 * ports/mailer.h — the notification port: hands one rendered message to a
 * mail system. Adapters: SMTP over libcurl, a maildir.
 */
#ifndef SETTLE_PORTS_MAILER_H
#define SETTLE_PORTS_MAILER_H

#include "domain/err.h"

struct mail {
	const char *to;         /* a checked address */
	const char *to_name;    /* display name, may be "" */
	const char *subject;    /* one line, UTF-8 */
	const char *text, *html;
	const char *key;        /* the notification key: the Message-ID is derived from it */
};

struct mailer_port {
	void *self;
	/* 0 taken; -1 with err: EX_DATAERR refused for good (5xx),
	 * EX_TEMPFAIL in doubt or refused for now (4xx, time-out, a dropped
	 * connection), EX_UNAVAILABLE no server. */
	int (*send)(void *self, const struct mail *m, struct settle_err *err);
	void (*destroy)(void *self);
};

#endif
