/* mime.c — notifications as Internet messages (see mime.h). */
#include "adapters/notify/mime.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/strbuf.h"
#include "util/sha256.h"

int mime_address_ok(const char *field, const char *addr, struct settle_err *err)
{
	const char *at = strchr(addr, '@');
	size_t n = strlen(addr);

	if (n < 3 || n > 254 || !at || at == addr || !at[1] || strchr(at + 1, '@'))
		return err_set(err, SETTLE_EX_DATAERR, "%s: \"%.60s\" is not an e-mail address", field, addr);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)addr[i];

		if (c <= 0x20 || c >= 0x7f || strchr("<>()[],;:\"\\", c))
			return err_set(err, SETTLE_EX_DATAERR, "%s: an e-mail address may not hold %s", field,
				       c == '\r' || c == '\n' ? "a line break" : "that character");
	}
	return 0;
}

void mime_message_id(const char *key, const char *domain, char *buf, size_t len)
{
	unsigned char md[32];
	char hex[33];

	sha256(key, strlen(key), md);
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(buf, len, "<%s@%s>", hex, domain);
}

static void encoded_words(struct strbuf *b, const char *text)
{
	size_t n = strlen(text), i = 0;
	char *clean = strdup(text);

	if (!clean) {
		b->oom = 1;
		return;
	}
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)clean[k] < 0x20 || clean[k] == 0x7f)
			clean[k] = ' ';
	while (i < n) {
		size_t take = n - i > 45 ? 45 : n - i;
		unsigned char enc[64];

		while (take < n - i && take > 0 && ((unsigned char)clean[i + take] & 0xC0) == 0x80)
			take--;
		EVP_EncodeBlock(enc, (const unsigned char *)clean + i, (int)take);
		if (i)
			strbuf_adds(b, "\r\n ");
		strbuf_adds(b, "=?UTF-8?B?");
		strbuf_adds(b, (const char *)enc);
		strbuf_adds(b, "?=");
		i += take;
	}
	free(clean);
}

static void base64_body(struct strbuf *b, const char *text)
{
	size_t n = strlen(text);

	for (size_t i = 0; i < n; i += 57) { /* 76-character lines */
		unsigned char enc[80];

		EVP_EncodeBlock(enc, (const unsigned char *)text + i, (int)(n - i > 57 ? 57 : n - i));
		strbuf_adds(b, (const char *)enc);
		strbuf_adds(b, "\r\n");
	}
}

int mime_build(const struct mail *m, const char *from, const char *from_name, int64_t date_us, char **out,
	       size_t *len, struct settle_err *err)
{
	struct strbuf b = {0};
	char line[512], mid[128], date[64], boundary[80];
	const char *domain = strchr(from, '@');
	time_t t = (time_t)(date_us / 1000000);
	struct tm tm;

	*out = NULL;
	if (mime_address_ok("to", m->to, err) < 0 || mime_address_ok("from", from, err) < 0)
		return -1;
	mime_message_id(m->key, domain + 1, mid, sizeof mid);
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(boundary, sizeof boundary, "settle-%.32s", mid + 1);
	strbuf_adds(&b, "From: ");
	encoded_words(&b, from_name);
	snprintf(line, sizeof line, " <%s>\r\nTo: ", from);
	strbuf_adds(&b, line);
	if (m->to_name && m->to_name[0]) {
		encoded_words(&b, m->to_name);
		strbuf_adds(&b, " ");
	}
	snprintf(line, sizeof line, "<%s>\r\nSubject: ", m->to);
	strbuf_adds(&b, line);
	encoded_words(&b, m->subject);
	snprintf(line, sizeof line,
		 "\r\nDate: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
		 "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
		 "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		 date, mid, boundary, boundary);
	strbuf_adds(&b, line);
	base64_body(&b, m->text);
	snprintf(line, sizeof line,
		 "--%s\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary);
	strbuf_adds(&b, line);
	base64_body(&b, m->html ? m->html : "");
	snprintf(line, sizeof line, "--%s--\r\n", boundary);
	strbuf_adds(&b, line);
	if (b.oom) {
		free(b.s);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	*out = b.s;
	*len = b.n;
	return 0;
}
