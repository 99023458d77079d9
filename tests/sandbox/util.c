/*
 * util.c — helpers every handler uses: JSON answers, Korea-time stamps,
 * random ids, SHA-256, Basic auth parsing.
 *
 * Rule: no state of its own; randomness comes from OpenSSL's RAND_bytes,
 * which is thread-safe.
 */
#include "sandbox.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#define KST_OFFSET (9L * 3600L)

static void resp_oom(struct sbx_resp *rs)
{
	static const char msg[] = "{\"code\":\"FAILED_INTERNAL_SYSTEM_PROCESSING\",\"message\":\"sandbox out of memory\"}";

	rs->status = 500;
	rs->body = strdup(msg);
	rs->len = rs->body ? strlen(msg) : 0;
}

void resp_json(struct sbx_resp *rs, int status, json_t *obj)
{
	char *s;

	free(rs->body);
	rs->body = NULL;
	rs->len = 0;
	if (!obj) {
		resp_oom(rs);
		return;
	}
	s = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!s) {
		resp_oom(rs);
		return;
	}
	rs->status = status;
	rs->body = s;
	rs->len = strlen(s);
}

void resp_error(struct sbx_resp *rs, int status, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	resp_json(rs, status, json_pack("{s:s, s:s}", "code", code, "message", msg));
}

void resp_bytes(struct sbx_resp *rs, int status, const char *body, size_t len)
{
	free(rs->body);
	rs->body = malloc(len + 1);
	if (!rs->body) {
		resp_oom(rs);
		return;
	}
	if (len) /* body may be NULL when empty; memcpy's arguments may not */
		memcpy(rs->body, body, len);
	rs->body[len] = '\0';
	rs->len = len;
	rs->status = status;
}

void time_kst(char *buf, size_t len, long offset_sec)
{
	time_t t = time(NULL) + KST_OFFSET + offset_sec;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

void date_kst(char *buf, size_t len)
{
	time_t t = time(NULL) + KST_OFFSET;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%d", &tm);
}

static void rand_fill(unsigned char *b, size_t n)
{
	if (RAND_bytes(b, (int)n) != 1) {
		/* Never expected on Linux; ids must still differ, so fall back. */
		for (size_t i = 0; i < n; i++)
			b[i] = (unsigned char)random();
	}
}

void rand_hex(char *out, size_t nchars)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[64];

	for (size_t i = 0; i < nchars; i += 2 * sizeof b) {
		rand_fill(b, sizeof b);
		for (size_t j = 0; j < sizeof b * 2 && i + j < nchars; j++)
			out[i + j] = hex[(b[j / 2] >> ((j & 1) ? 0 : 4)) & 0xf];
	}
	out[nchars] = '\0';
}

void rand_digits(char *out, size_t nchars)
{
	unsigned char b[64];

	for (size_t i = 0; i < nchars; i += sizeof b) {
		rand_fill(b, sizeof b);
		for (size_t j = 0; j < sizeof b && i + j < nchars; j++)
			out[i + j] = (char)('0' + b[j] % 10);
	}
	out[nchars] = '\0';
}

void sha256_hex(const char *s, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)s, strlen(s), md);
	for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
}

json_t *body_object(const struct sbx_req *rq)
{
	json_t *o;

	if (!rq->body_len)
		return NULL;
	o = json_loadb(rq->body, rq->body_len, 0, NULL);
	if (o && !json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int json_int_field(const json_t *o, const char *key, int64_t *out)
{
	json_t *v = o ? json_object_get(o, key) : NULL;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return -1;
	*out = (int64_t)json_integer_value(v);
	return 1;
}

const char *json_str_field(const json_t *o, const char *key)
{
	json_t *v = o ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int basic_auth(const char *header, char *user, size_t ulen, char *pass, size_t plen)
{
	unsigned char dec[768];
	size_t n, pad = 0;
	int got;
	char *colon;

	if (!header || strncasecmp(header, "Basic ", 6))
		return -1;
	header += 6;
	while (*header == ' ')
		header++;
	n = strlen(header);
	if (n == 0 || n % 4 || n > 1000)
		return -1;
	got = EVP_DecodeBlock(dec, (const unsigned char *)header, (int)n);
	if (got < 0)
		return -1;
	/* EVP_DecodeBlock counts padding as zero bytes; drop them. */
	if (header[n - 1] == '=')
		pad++;
	if (header[n - 2] == '=')
		pad++;
	got -= (int)pad;
	dec[got] = '\0';
	if (memchr(dec, '\0', (size_t)got))
		return -1;
	colon = strchr((char *)dec, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	if (copy_str(user, ulen, (char *)dec) || copy_str(pass, plen, colon + 1))
		return -1;
	return 0;
}

int copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len) {
		if (len) {
			memcpy(dst, src, len - 1);
			dst[len - 1] = '\0';
		}
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

int sbx_id_ok(const char *s, size_t lo, size_t hi, const char *extra)
{
	size_t n = s ? strlen(s) : 0;

	if (n < lo || n > hi)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr(extra, c)))
			return 0;
	}
	return 1;
}

/* The first line of file, without its line end and trailing blanks; 0, or
 * -1 when it cannot be read or is empty. */
int read_secret_file(const char *file, char *out, size_t len)
{
	FILE *f = fopen(file, "r");
	size_t n;

	if (!f)
		return -1;
	if (!fgets(out, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	while (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
		out[--n] = '\0';
	return n ? 0 : -1;
}
