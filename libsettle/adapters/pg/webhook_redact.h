/*
 * webhook_redact.h — a webhook body as it may be kept in webhook_events.
 *
 * The body is stored for the record, but two things in it must not be: a
 * card number that is not truncated (a PG that one day sends the full
 * number in a status change; domain/card_mask.h says what may be kept),
 * and a deposit callback's secret (checked when it arrives, then useless
 * to anyone but a forger).
 */
#ifndef SETTLE_ADAPTERS_PG_WEBHOOK_REDACT_H
#define SETTLE_ADAPTERS_PG_WEBHOOK_REDACT_H

#include <stddef.h>

/* 0 with *out NULL: keep the body as it came; 0 with *out a malloc'd
 * JSON text with those values replaced by null (the caller frees it);
 * -1 out of memory. A body that is not JSON is kept as it came (the
 * parsers refused it before it got here). */
int webhook_redact(const char *body, size_t len, char **out);

#endif
