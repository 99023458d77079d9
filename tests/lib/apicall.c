/* apicall.c — libcurl requests for daemon tests (see apicall.h). */
#include "lib/apicall.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static size_t on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct api_resp *r = arg;
	size_t n = sz * nm, room = sizeof r->body - 1 - r->n;

	memcpy(r->body + r->n, p, n < room ? n : room);
	r->n += n < room ? n : room;
	r->body[r->n] = 0;
	return n;
}

static size_t on_header(char *p, size_t sz, size_t nm, void *arg)
{
	struct api_resp *r = arg;
	size_t n = sz * nm, room = sizeof r->headers - 1 - r->hn;

	memcpy(r->headers + r->hn, p, n < room ? n : room);
	r->hn += n < room ? n : room;
	r->headers[r->hn] = 0;
	return n;
}

long api_call(const char *base_url, const struct api_req *q, struct api_resp *r)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char url[1024], line[9000];

	memset(r, 0, sizeof *r);
	if (!c)
		return 0;
	snprintf(url, sizeof url, "%s%s", base_url, q->path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 30000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	h = curl_slist_append(h, "Expect:");
	if (q->token) {
		snprintf(line, sizeof line, "Authorization: Bearer %s", q->token);
		h = curl_slist_append(h, line);
	}
	if (q->idem) {
		snprintf(line, sizeof line, "Idempotency-Key: %s", q->idem);
		h = curl_slist_append(h, line);
	}
	if (q->body || q->ctype) {
		snprintf(line, sizeof line, "Content-Type: %s", q->ctype ? q->ctype : "application/json");
		h = curl_slist_append(h, line);
	}
	if (q->body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)(q->body_len ? q->body_len : strlen(q->body)));
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return r->status;
}

const char *api_header(const struct api_resp *r, const char *name, char *out, size_t len)
{
	size_t n = strlen(name);

	out[0] = 0;
	for (const char *l = r->headers; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncasecmp(l, name, n) && l[n] == ':') {
			const char *v = l + n + 1, *e;

			while (*v == ' ')
				v++;
			e = strpbrk(v, "\r\n");
			snprintf(out, len, "%.*s", (int)(e ? e - v : (long)strlen(v)), v);
			break;
		}
	return out;
}
