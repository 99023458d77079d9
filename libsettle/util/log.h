/*
 * util/log.h — one key=value line per event on stderr, so journald keeps it.
 *
 * Rule: a value whose key names a secret (password, secret, token,
 * authorization, account_number, rrn, card) is printed as "[redacted]",
 * whatever the caller passes.
 */
#ifndef SETTLE_ADAPTERS_LOG_H
#define SETTLE_ADAPTERS_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_init(const char *program, enum log_level level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* log_kv(LOG_INFO, "capture.done", "order_id", id, "status", st, NULL):
 * key/value string pairs ending with NULL. */
void log_kv(enum log_level level, const char *event, ...) __attribute__((sentinel));

/* Exposed for tests: 1 when a key's value must never be printed. */
int log_key_is_secret(const char *key);

#endif
