/*
 * mime.h — a notification as an Internet message (RFC 5322, MIME
 * multipart/alternative, RFC 2047 encoded words), shared by the SMTP and
 * maildir mailers.
 *
 * Rules: the subject and the display name are always UTF-8 encoded words
 * (so Hangul reads right, and so no byte of them is a line break on the
 * wire); an address with anything but printable ASCII and no '<', '>' is
 * refused; both bodies are base64. The Message-ID is derived from the
 * notification key: a resend is the same message.
 */
#ifndef SETTLE_ADAPTERS_NOTIFY_MIME_H
#define SETTLE_ADAPTERS_NOTIFY_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "domain/err.h"
#include "ports/mailer.h"

/* An address a header may carry: printable ASCII, one '@', no space,
 * quotes, angle brackets, commas or line breaks. EX_DATAERR otherwise. */
int mime_address_ok(const char *field, const char *addr, struct settle_err *err);

/* "<hex>@domain" from the key (SHA-256, 32 hex digits). */
void mime_message_id(const char *key, const char *domain, char *buf, size_t len);

/* The whole message, CRLF lines, malloc'd into *out (*len bytes). date_us:
 * the Date header's instant. */
int mime_build(const struct mail *m, const char *from, const char *from_name, int64_t date_us, char **out,
	       size_t *len, struct settle_err *err);

#endif
