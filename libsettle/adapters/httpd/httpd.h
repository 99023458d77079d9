/*
 * httpd.h — the daemon base: one libmicrohttpd server wrapper that both
 * settle daemons (pay-webhookd, settle-apid) run on.
 *
 * What it does, so a daemon only writes its handler:
 *  - listens on the socket systemd passed (LISTEN_FDS, fd 3), else on the
 *    configured address: "127.0.0.1:PORT", "[::1]:PORT", "localhost:PORT"
 *    or "unix:/path". Only loopback or a unix socket: a reverse proxy (or
 *    systemd's socket unit) faces the network, never the daemon itself;
 *  - reads each request body whole, up to body_max bytes (413 beyond, and
 *    the handler never sees it), then calls the handler once with method,
 *    path, headers and body;
 *  - answers with what the handler put in the response (JSON by default);
 *  - runs the response's `after` function once the answer has been sent, so
 *    a webhook is answered fast and acted on afterwards;
 *  - tells systemd READY=1 once listening, WATCHDOG=1 every half
 *    WATCHDOG_USEC while the optional health check passes, STOPPING=1 on
 *    SIGTERM/SIGINT; then stops accepting, lets the requests in flight
 *    (and their `after` work) finish within stop_grace_ms, and returns 0.
 *
 * Threads: a pool of `threads` libmicrohttpd threads calls the handler
 * concurrently; a handler that needs per-thread state (a database
 * connection) keeps it in a pthread key whose destructor closes it — the
 * pool threads end inside httpd_serve, so destructors run before it
 * returns.
 */
#ifndef SETTLE_ADAPTERS_HTTPD_H
#define SETTLE_ADAPTERS_HTTPD_H

#include <stddef.h>

#include "domain/err.h"

#define HTTPD_BODY_MAX_DEFAULT ((size_t)64 * 1024)
#define HTTPD_EXTRA_HEADERS 4

struct httpd_request {
	const char *method;   /* "GET", "POST", ... */
	const char *path;     /* decoded by libmicrohttpd, without the query */
	const char *body;     /* NUL-terminated (the NUL is not counted); "" when none */
	size_t body_len;
	const char *client;   /* peer address as text ("127.0.0.1", "unix") */
	void *conn;           /* opaque: for httpd_header / httpd_query */
};

/* A request header's value (case-insensitive name), NULL when absent. */
const char *httpd_header(const struct httpd_request *req, const char *name);
/* A query-string argument's value, NULL when absent. */
const char *httpd_query(const struct httpd_request *req, const char *name);

struct httpd_response {
	int status;                     /* 0 means 500 */
	char *body;                     /* malloc'd; the server frees it. NULL: empty body */
	const char *content_type;       /* NULL: application/json */
	/* Extra headers ("Retry-After", "60"); names and values are copied. */
	struct { const char *name; char value[128]; } headers[HTTPD_EXTRA_HEADERS];
	size_t n_headers;
	/* Run after the answer has gone (or the client went away), on the same
	 * thread; `after_arg` is the function's to free. */
	void (*after)(void *after_arg);
	void *after_arg;
};

/* Sets resp to status with a body {"code": code, "message": message}. */
void httpd_json_error(struct httpd_response *resp, int status, const char *code, const char *message);
/* Adds one extra header; -1 when full or the value does not fit. */
int httpd_add_header(struct httpd_response *resp, const char *name, const char *value);

typedef void (*httpd_handler)(void *ctx, const struct httpd_request *req, struct httpd_response *resp);

struct httpd_config {
	const char *listen;        /* used when no socket was passed; see above */
	size_t body_max;           /* 0: HTTPD_BODY_MAX_DEFAULT */
	unsigned threads;          /* 0: 2 */
	unsigned timeout_s;        /* idle connection time-out; 0: 30 */
	unsigned stop_grace_ms;    /* 0: 10000 */
	httpd_handler handler;
	void *ctx;
	/* Called before each WATCHDOG=1; a non-zero return withholds it so
	 * systemd restarts a daemon that has lost what it needs. NULL: always
	 * healthy. */
	int (*healthy)(void *ctx);
};

/* The listening socket: the one passed by systemd, else a new one bound to
 * cfg->listen. -1 with err (EX_CONFIG for a bad or non-loopback address,
 * EX_OSERR/EX_UNAVAILABLE when it cannot be bound). Exported for tests. */
int httpd_listen_socket(const char *listen, struct settle_err *err);

/* Serves until SIGTERM or SIGINT, then stops gracefully: returns 0, or -1
 * with err when the server could not start. Blocks SIGTERM, SIGINT and
 * SIGPIPE in the calling thread (the pool inherits that mask). */
int httpd_serve(const struct httpd_config *cfg, struct settle_err *err);

#endif
