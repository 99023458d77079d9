/*
 * mailers.h — the notification port's adapters (ports/mailer.h): SMTP over
 * libcurl (STARTTLS or SMTPS; plain smtp:// only to a loopback host, the
 * sandbox, and never with AUTH) and a maildir (for an installation without a mail server).
 */
#ifndef SETTLE_ADAPTERS_NOTIFY_MAILERS_H
#define SETTLE_ADAPTERS_NOTIFY_MAILERS_H

#include "ports/clock.h"
#include "ports/mailer.h"

struct mailer_config {
	const char *from, *from_name;
	/* smtp */
	const char *url;      /* smtp://host:587 (STARTTLS required), smtps://host:465 */
	const char *user, *password; /* "" or NULL: no AUTH */
	const char *ca_file;  /* "" or NULL: the system's CAs; else only this bundle (PEM) */
	long connect_timeout_ms, timeout_ms;
	/* maildir */
	const char *maildir;
};

struct mailer_port *mailer_smtp_new(const struct mailer_config *cfg, const struct clock_port *clock,
				    struct settle_err *err);
struct mailer_port *mailer_maildir_new(const struct mailer_config *cfg, const struct clock_port *clock,
				       struct settle_err *err);

#endif
