/*
 * app/notify/notify.h — settle-notify: sends what the outbox holds.
 *
 * Batches of PENDING notifications are claimed (ports/claims.h: SKIP
 * LOCKED and a lease in the row, so two senders never take the same one)
 * and committed; then, outside any transaction, each recipient is looked
 * up, the template rendered and the message handed to the mailer; the
 * outcomes are committed in one unit of work. An in-doubt send is tried
 * again after a back-off that doubles, max_attempts times in all, then
 * FAILED and reported. A recipient without an address is HELD and
 * reported, not an error. The Message-ID is derived from the key, so a
 * resend after a lost answer is recognisable as the same message.
 */
#ifndef SETTLE_APP_NOTIFY_NOTIFY_H
#define SETTLE_APP_NOTIFY_NOTIFY_H

#include <stdint.h>

#include "domain/notify_tmpl.h"
#include "ports/claims.h"
#include "ports/clock.h"
#include "ports/contacts.h"
#include "ports/mailer.h"
#include "ports/notify_queue.h"
#include "ports/uow.h"

/* The templates, loaded and checked at the start (every template in every
 * language). */
struct notify_templates {
	struct notify_tmpl t[16][2];
};

const struct notify_tmpl *notify_templates_find(const struct notify_templates *ts, const char *name,
						const char *lang);

struct notify_ctx {
	const struct uow_port *uow;
	const struct claims_port *claims;
	const struct notify_queue *queue;
	const struct contacts_port *contacts;
	const struct mailer_port *mailer;
	const struct clock_port *clock;
	const struct notify_templates *templates;
	const char *owner;
	int batch;          /* notifications per claim */
	int lease_s;
	int max_attempts;   /* then FAILED */
	int backoff_s;      /* first retry; doubles */
	int64_t limit;      /* stop after this many (0: all) */
};

struct notify_report {
	int64_t sent, held, retry, failed, looked_at;
};

/* 0 when every claimed notification was sent or held; -1 with err
 * EX_TEMPFAIL when some wait for a retry or failed (counted in rep), or
 * the error that stopped the run. */
int notify_run(const struct notify_ctx *c, struct notify_report *rep, struct settle_err *err);

#endif
