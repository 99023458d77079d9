/* mime.c — notifications as Internet messages (see mime.h). */
#include "adapters/notify/mime.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char hex[33];

	EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha256(), NULL);
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(buf, len, "<%s@%s>", hex, domain);
}

struct buf {
	char *s;
	size_t n, cap;
	int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *g = realloc(b->s, cap);

		if (!g) {
			b->oom = 1;
			return;
		}
		b->s = g;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* RFC 2047 "B" words of at most 45 bytes of UTF-8 each (never splitting a
 * character), folded with CRLF SP. Control characters become spaces
 * first, so nothing of the text can end the header. */
static void encoded_words(struct buf *b, const char *text)
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
			puts_(b, "\r\n ");
		puts_(b, "=?UTF-8?B?");
		puts_(b, (const char *)enc);
		puts_(b, "?=");
		i += take;
	}
	free(clean);
}

static void base64_body(struct buf *b, const char *text)
{
	size_t n = strlen(text);

	for (size_t i = 0; i < n; i += 57) { /* 76-character lines */
		unsigned char enc[80];

		EVP_EncodeBlock(enc, (const unsigned char *)text + i, (int)(n - i > 57 ? 57 : n - i));
		puts_(b, (const char *)enc);
		puts_(b, "\r\n");
	}
}

int mime_build(const struct mail *m, const char *from, const char *from_name, int64_t date_us, char **out,
	       size_t *len, struct settle_err *err)
{
	struct buf b = {0};
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
	puts_(&b, "From: ");
	encoded_words(&b, from_name);
	snprintf(line, sizeof line, " <%s>\r\nTo: ", from);
	puts_(&b, line);
	if (m->to_name && m->to_name[0]) {
		encoded_words(&b, m->to_name);
		puts_(&b, " ");
	}
	snprintf(line, sizeof line, "<%s>\r\nSubject: ", m->to);
	puts_(&b, line);
	encoded_words(&b, m->subject);
	snprintf(line, sizeof line,
		 "\r\nDate: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
		 "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
		 "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		 date, mid, boundary, boundary);
	puts_(&b, line);
	base64_body(&b, m->text);
	snprintf(line, sizeof line,
		 "--%s\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary);
	puts_(&b, line);
	base64_body(&b, m->html ? m->html : "");
	snprintf(line, sizeof line, "--%s--\r\n", boundary);
	puts_(&b, line);
	if (b.oom) {
		free(b.s);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	*out = b.s;
	*len = b.n;
	return 0;
}
