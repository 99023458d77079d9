/*
 * http.c — the libcurl wrapper behind every HTTP adapter (see http.h).
 * Its one rule: verification stays on; plain http:// only to loopback.
 */
#include "adapters/http/http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_CONNECT_MS 5000L
#define DEFAULT_TOTAL_MS 30000L

struct http_client {
	CURL *curl;
	char *base;       /* base URL without a trailing '/' */
	char curl_err[CURL_ERROR_SIZE];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
	global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int http_host_is_loopback(const char *host, size_t len)
{
	char buf[64];
	unsigned char addr[4];

	if (len == 9 && !strncasecmp(host, "localhost", 9))
		return 1;
	if (len == 5 && !strncmp(host, "[::1]", 5))
		return 1;
	if (len == 0 || len >= sizeof buf)
		return 0;
	memcpy(buf, host, len);
	buf[len] = '\0';
	/* inet_pton takes only the strict dotted-quad form, so "127.1" or
	 * "0x7f.0.0.1" (which resolvers might expand) are not loopback here. */
	if (inet_pton(AF_INET, buf, addr) != 1)
		return 0;
	return addr[0] == 127;
}

int http_base_url_check(const char *base_url, struct settle_err *err)
{
	const char *auth, *end, *host_end;
	int plain;

	if (!base_url || !*base_url)
		return err_set(err, SETTLE_EX_CONFIG, "base URL is empty");
	if (!strncasecmp(base_url, "https://", 8)) {
		plain = 0;
		auth = base_url + 8;
	} else if (!strncasecmp(base_url, "http://", 7)) {
		plain = 1;
		auth = base_url + 7;
	} else {
		return err_set(err, SETTLE_EX_CONFIG, "base URL %s: only https:// (or http:// to loopback) is allowed",
			       base_url);
	}
	end = auth + strcspn(auth, "/?#");
	if (end == auth)
		return err_set(err, SETTLE_EX_CONFIG, "base URL %s has no host", base_url);
	if (memchr(auth, '@', (size_t)(end - auth)))
		return err_set(err, SETTLE_EX_CONFIG, "base URL must not carry user information");
	if (*end == '?' || *end == '#')
		return err_set(err, SETTLE_EX_CONFIG, "base URL %s must not carry a query or fragment", base_url);
	for (const char *p = base_url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return err_set(err, SETTLE_EX_CONFIG, "base URL contains a space or control character");
	if (*auth == '[') {
		host_end = memchr(auth, ']', (size_t)(end - auth));
		if (!host_end)
			return err_set(err, SETTLE_EX_CONFIG, "base URL %s: unterminated IPv6 address", base_url);
		host_end++;
	} else {
		host_end = memchr(auth, ':', (size_t)(end - auth));
		if (!host_end)
			host_end = end;
	}
	if (host_end == auth)
		return err_set(err, SETTLE_EX_CONFIG, "base URL %s has no host", base_url);
	if (plain && !http_host_is_loopback(auth, (size_t)(host_end - auth)))
		return err_set(err, SETTLE_EX_CONFIG,
			       "base URL %s: plain http:// is allowed only to a loopback host; use https://",
			       base_url);
	return 0;
}

int http_header_value_ok(const char *s, size_t max)
{
	size_t n = 0;

	if (!s)
		return 0;
	for (; s[n]; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f)
			return 0;
	return n > 0 && n <= max;
}

char *http_path_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(3 * n + 1), *o = out;

	if (!out)
		return NULL;
	/* "." and ".." are unreserved characters but, as a whole segment,
	 * mean "this" and "parent" directory: a client or server that
	 * normalises the path would call another endpoint. */
	if (!strcmp(s, ".") || !strcmp(s, "..")) {
		for (; *s; s++)
			o += sprintf(o, "%%2E");
		return out;
	}
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			*o++ = (char)ch;
		} else {
			*o++ = '%';
			*o++ = hex[ch >> 4];
			*o++ = hex[ch & 15];
		}
	}
	*o = '\0';
	return out;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct http_response *resp = userdata;
	size_t n = size * nmemb;
	char *grown;
	size_t cap;

	if (n == 0)
		return 0; /* nothing to keep; and never memcpy from a maybe-null ptr */
	if (n > HTTP_BODY_MAX - resp->body_len)
		return 0; /* makes curl fail with CURLE_WRITE_ERROR */
	if (resp->body_len + n + 1 > resp->body_cap) {
		cap = resp->body_cap ? resp->body_cap : 4096;
		while (cap < resp->body_len + n + 1)
			cap *= 2;
		grown = realloc(resp->body, cap);
		if (!grown)
			return 0;
		resp->body = grown;
		resp->body_cap = cap;
	}
	memcpy(resp->body + resp->body_len, ptr, n);
	resp->body_len += n;
	resp->body[resp->body_len] = '\0';
	return n;
}

struct http_client *http_client_new(const char *base_url, long connect_timeout_ms,
				    long timeout_ms, struct settle_err *err)
{
	struct http_client *c;
	size_t n;
	int plain;

	if (http_base_url_check(base_url, err) < 0)
		return NULL;
	pthread_once(&global_once, global_init);
	if (global_rc != CURLE_OK) {
		err_set(err, SETTLE_EX_SOFTWARE, "curl_global_init: %s", curl_easy_strerror(global_rc));
		return NULL;
	}
	c = calloc(1, sizeof *c);
	if (!c) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		return NULL;
	}
	c->base = strdup(base_url);
	c->curl = curl_easy_init();
	if (!c->base || !c->curl) {
		http_client_free(c);
		err_set(err, SETTLE_EX_OSERR, "out of memory creating an HTTP client");
		return NULL;
	}
	n = strlen(c->base);
	while (n > 0 && c->base[n - 1] == '/')
		c->base[--n] = '\0';
	plain = !strncasecmp(base_url, "http://", 7);
	if (connect_timeout_ms <= 0)
		connect_timeout_ms = DEFAULT_CONNECT_MS;
	if (timeout_ms <= 0)
		timeout_ms = DEFAULT_TOTAL_MS;

	/* Options that never change; http_request sets the per-call ones. */
	if (curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, plain ? "http" : "https") != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    /* Send the path as built: curl would otherwise squash "/../". */
	    curl_easy_setopt(c->curl, CURLOPT_PATH_AS_IS, 1L) != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->curl_err) != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_USERAGENT, "settle/" SETTLE_VERSION) != CURLE_OK ||
	    curl_easy_setopt(c->curl, CURLOPT_VERBOSE, 0L) != CURLE_OK) {
		http_client_free(c);
		err_set(err, SETTLE_EX_SOFTWARE, "libcurl lacks a required option (need 7.85 or later)");
		return NULL;
	}
	return c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c->base);
	free(c);
}

void http_response_free(struct http_response *resp)
{
	if (!resp)
		return;
	free(resp->body);
	memset(resp, 0, sizeof *resp);
}

static void set_xerr(struct http_response *resp, enum http_xerr kind, const char *what, const char *detail)
{
	resp->xerr = kind;
	resp->status = 0;
	snprintf(resp->errmsg, sizeof resp->errmsg, "%s%s%s", what, detail && *detail ? ": " : "",
		 detail ? detail : "");
	for (char *p = resp->errmsg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

/* Sorts a failed transfer into the kinds callers act on. `sent` tells
 * whether any request bytes left this host: a time-out before that is a
 * connect failure, after it the server may have acted on the request. */
static enum http_xerr xerr_kind(CURLcode rc, int sent)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return HTTP_XERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return sent ? HTTP_XERR_TIMEOUT : HTTP_XERR_CONNECT;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
		return HTTP_XERR_RECV;
	case CURLE_SEND_ERROR:
		return sent ? HTTP_XERR_RECV : HTTP_XERR_CONNECT;
	default:
		return HTTP_XERR_OTHER;
	}
}

int http_request(struct http_client *c, const char *method, const char *path,
		 const char *const *headers, const char *body, struct http_response *resp)
{
	struct curl_slist *list = NULL, *grown;
	char *url = NULL;
	size_t url_len;
	CURLcode rc;
	long status = 0, req_size = 0;
	int ok = 0, body_type_given = 0;

	free(resp->body);
	memset(resp, 0, sizeof *resp);
	c->curl_err[0] = '\0';

	url_len = strlen(c->base) + strlen(path) + 1;
	url = malloc(url_len);
	if (!url) {
		set_xerr(resp, HTTP_XERR_OTHER, "out of memory", NULL);
		return -1;
	}
	snprintf(url, url_len, "%s%s", c->base, path);

	grown = curl_slist_append(list, "Accept: application/json");
	/* A caller's own Content-Type (Toss payouts send text/plain JWE)
	 * replaces the default: curl would send both. */
	for (size_t i = 0; body && headers && headers[i]; i++)
		if (!strncasecmp(headers[i], "Content-Type:", 13))
			body_type_given = 1;
	if (grown && body && !body_type_given)
		grown = curl_slist_append(list = grown, "Content-Type: application/json");
	if (grown)
		grown = curl_slist_append(list = grown, "Expect:"); /* no 100-continue round trip */
	for (size_t i = 0; grown && headers && headers[i]; i++)
		grown = curl_slist_append(list = grown, headers[i]);
	if (!grown) {
		set_xerr(resp, HTTP_XERR_OTHER, "out of memory", NULL);
		goto out;
	}
	list = grown;

	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, resp);
	if (body) {
		curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
	} else {
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	}
	/* "GET" and "POST" are what the options above already say; anything
	 * else (none today) goes out as a custom verb. */
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST,
			 strcmp(method, "GET") && strcmp(method, "POST") ? method : NULL);

	rc = curl_easy_perform(c->curl);
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c->curl, CURLINFO_REQUEST_SIZE, &req_size);
	if (rc == CURLE_WRITE_ERROR) {
		set_xerr(resp, HTTP_XERR_OTHER, "response body larger than 1 MiB (or out of memory)", NULL);
	} else if (rc != CURLE_OK) {
		set_xerr(resp, xerr_kind(rc, req_size > 0), curl_easy_strerror(rc), c->curl_err);
	} else {
		resp->status = status;
		ok = 1;
	}
out:
	/* The handle must not keep pointers into memory freed below. */
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, NULL);
	curl_slist_free_all(list);
	free(url);
	return ok ? 0 : -1;
}
