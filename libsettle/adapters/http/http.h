/*
 * http.h — the one libcurl wrapper every HTTP adapter (Toss, NicePay,
 * Study Service) goes through.
 *
 * Rule: TLS peer and host verification are always on. The only plain
 * http:// allowed is to a loopback host (the test sandbox); any other
 * http:// base URL is refused when the client is created. Headers are
 * never logged: they carry secrets.
 *
 * A client owns one CURL easy handle so connections are kept alive
 * between calls; a client is therefore not thread-safe — use one per
 * thread. curl_global_init is called once, by the first http_client_new
 * (pthread_once); nothing calls curl_global_cleanup (process exit does).
 */
#ifndef SETTLE_ADAPTERS_HTTP_H
#define SETTLE_ADAPTERS_HTTP_H

#include <stddef.h>

#include "domain/err.h"

#define HTTP_BODY_MAX ((size_t)1 << 20) /* 1 MiB: larger answers are refused */

/* What went wrong below HTTP. Only CONNECT guarantees the request never
 * reached the server; every other kind means it may have been acted on. */
enum http_xerr {
	HTTP_XERR_NONE = 0,
	HTTP_XERR_CONNECT,  /* resolve, connect or TLS handshake failed: not sent */
	HTTP_XERR_TIMEOUT,  /* request sent, no (complete) answer in time */
	HTTP_XERR_RECV,     /* connection reset, receive error or empty reply */
	HTTP_XERR_OTHER,    /* anything else, including an over-long body */
};

struct http_response {
	long status;          /* HTTP status, 0 when none arrived */
	char *body;           /* NUL-terminated; NULL before the first byte */
	size_t body_len;
	size_t body_cap;
	enum http_xerr xerr;
	char errmsg[256];     /* curl's message for xerr, one line */
};

struct http_client;

/* Checks the base URL rule above without creating anything: 0, or -1 with
 * err (EX_CONFIG). Pure; exported for tests. */
int http_base_url_check(const char *base_url, struct settle_err *err);

/* Returns 1 when host (as it appears in a URL authority, without port;
 * IPv6 in brackets) is loopback: 127.0.0.0/8, localhost, [::1]. */
int http_host_is_loopback(const char *host, size_t len);

/* 1 when s is safe in an HTTP header value — printable ASCII only: no CR,
 * LF or other control character that could end the header or add one, no
 * byte above 0x7e that the server would read in a guessed charset — and
 * 1–max bytes long. */
int http_header_value_ok(const char *s, size_t max);

/* Percent-encodes one path segment (everything but A-Z a-z 0-9 - . _ ~,
 * and the dots too when the segment is "." or ".."), so no value can add
 * a segment, a query or a fragment, or climb to another endpoint.
 * Returns a malloc'd string, or NULL when out of memory. */
char *http_path_escape(const char *s);

/* Time-outs in milliseconds; <= 0 picks the defaults (5 s connect, 30 s
 * total). NULL with err on a bad URL or when curl cannot start. */
struct http_client *http_client_new(const char *base_url, long connect_timeout_ms,
				    long timeout_ms, struct settle_err *err);
void http_client_free(struct http_client *c);

/* Sends method ("GET", "POST") to base_url + path with the default headers
 * (Accept, and Content-Type: application/json when body != NULL and
 * `headers` carry no Content-Type of their own) plus the NULL-terminated
 * `headers` ("Name: value" lines). Fills resp (which the caller zeroes
 * once and frees with http_response_free; it is reset here). Returns 0
 * when an HTTP answer arrived, -1 otherwise (resp->xerr says why). */
int http_request(struct http_client *c, const char *method, const char *path,
		 const char *const *headers, const char *body, struct http_response *resp);

void http_response_free(struct http_response *resp);

#endif
