/*
 * smtp.c — the SMTP mailer over libcurl. smtps:// is TLS from the start;
 * smtp:// must upgrade with STARTTLS (CURLUSESSL_ALL) unless the host is
 * loopback (the sandbox's receiver) and no AUTH is configured: a password
 * is never sent over a connection that is not encrypted, whatever the
 * host, and a server that offers no STARTTLS then gets nothing at all.
 * Peer and host verification stay on; [notify] smtp_ca_file names the CA
 * bundle to verify against instead of the system's (a private CA, or the
 * tests' self-signed certificate). AUTH from [notify] smtp_user and the
 * password credential, never argv.
 *
 * Outcomes: a 5xx is a refusal (EX_DATAERR: failed, not retried); a 4xx,
 * a time-out after DATA or a dropped connection is in doubt (EX_TEMPFAIL:
 * retried later with the same Message-ID, so the receiver can tell); no
 * connection at all is EX_UNAVAILABLE (retried too: nothing was sent).
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/http/http.h"
#include "adapters/notify/mailers.h"
#include "adapters/notify/mime.h"

struct smtp {
	struct mailer_port port;
	const struct clock_port *clock;
	CURL *curl;
	char url[1024], from[255], from_name[101], user[256], password[256], ca_file[1024];
	long connect_timeout_ms, timeout_ms;
	int loopback;
};

struct reader {
	const char *s;
	size_t n, off;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t take = size * nmemb;

	if (take > r->n - r->off)
		take = r->n - r->off;
	memcpy(buf, r->s + r->off, take);
	r->off += take;
	return take;
}

/* Every server reply line of this transfer passes here: the last code is
 * first refusal decides it (curl's QUIT after a refusal answers 221, and
 * CURLINFO_RESPONSE_CODE keeps a reused connection's earlier code when a
 * transfer gets no answer at all). */
static size_t reply_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	long *code = arg;
	size_t n = size * nmemb;

	if (*code < 400 && n >= 3 && buf[0] >= '2' && buf[0] <= '5' && buf[1] >= '0' && buf[1] <= '9' && buf[2] >= '0' && buf[2] <= '9')
		*code = (buf[0] - '0') * 100 + (buf[1] - '0') * 10 + (buf[2] - '0');
	return n;
}

static int send_smtp(void *self, const struct mail *m, struct settle_err *err)
{
	struct smtp *s = self;
	struct curl_slist *rcpt = NULL;
	struct reader r = {0};
	char *msg = NULL, errbuf[CURL_ERROR_SIZE] = "";
	size_t len = 0;
	long code = 0;
	CURLcode cc;
	int rc = 0;

	if (mime_build(m, s->from, s->from_name, s->clock->now_us(s->clock->self), &msg, &len, err) < 0)
		return -1;
	r = (struct reader){msg, len, 0};
	/* The address passed mime_address_ok: no CR, LF, '<' or '>'. */
	rcpt = curl_slist_append(NULL, m->to);
	curl_easy_reset(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_URL, s->url);
	curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(s->curl, CURLOPT_USE_SSL,
			 s->loopback && !s->user[0] ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca_file[0])
		curl_easy_setopt(s->curl, CURLOPT_CAINFO, s->ca_file);
	if (s->user[0]) {
		curl_easy_setopt(s->curl, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(s->curl, CURLOPT_PASSWORD, s->password);
	}
	curl_easy_setopt(s->curl, CURLOPT_MAIL_FROM, s->from);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(s->curl, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(s->curl, CURLOPT_READDATA, &r);
	curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(s->curl, CURLOPT_HEADERFUNCTION, reply_cb);
	curl_easy_setopt(s->curl, CURLOPT_HEADERDATA, &code);
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT_MS, s->connect_timeout_ms);
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT_MS, s->timeout_ms);
	cc = curl_easy_perform(s->curl);
	/* Nothing of the message went out in the first four: the
	 * notification waits for a retry (an operator fixes the config or
	 * the server), it is not the recipient's failure. */
	if (cc == CURLE_OK)
		rc = 0;
	else if (cc == CURLE_LOGIN_DENIED)
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "SMTP login refused (%ld): check [notify] smtp_user and its password",
			     code);
	else if (cc == CURLE_USE_SSL_FAILED)
		rc = err_set(err, SETTLE_EX_UNAVAILABLE,
			     "SMTP server offers no STARTTLS; nothing is sent over a connection that is not encrypted");
	else if (cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE)
		rc = err_set(err, SETTLE_EX_UNAVAILABLE,
			     "SMTP server's certificate does not verify (%s); name its CA in [notify] smtp_ca_file",
			     errbuf[0] ? errbuf : curl_easy_strerror(cc));
	else if (code == 530 || code == 538)
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "SMTP server requires authentication over TLS (%ld): set [notify] "
			     "smtp_user and its password", code);
	else if (cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_RECV_ERROR || cc == CURLE_GOT_NOTHING ||
		 (code >= 200 && code < 400))
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "SMTP in doubt after %ld: %s", code,
			     errbuf[0] ? errbuf : curl_easy_strerror(cc));
	else if (code >= 500 && code < 600)
		rc = err_set(err, SETTLE_EX_DATAERR, "SMTP server refused %s: %ld", m->to, code);
	else if (code >= 400 && code < 500)
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "SMTP server deferred %s: %ld", m->to, code);
	else if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST)
		rc = err_set(err, SETTLE_EX_UNAVAILABLE, "SMTP server cannot be reached: %s",
			     errbuf[0] ? errbuf : curl_easy_strerror(cc));
	else if (cc == CURLE_LOGIN_DENIED)
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "SMTP login refused");
	else
		rc = err_set(err, SETTLE_EX_TEMPFAIL, "SMTP in doubt: %s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
	curl_slist_free_all(rcpt);
	free(msg);
	return rc;
}

static void destroy_smtp(void *self)
{
	struct smtp *s = self;

	curl_easy_cleanup(s->curl);
	memset(s->password, 0, sizeof s->password);
	free(s);
}

struct mailer_port *mailer_smtp_new(const struct mailer_config *cfg, const struct clock_port *clock,
				    struct settle_err *err)
{
	const char *url = cfg->url ? cfg->url : "", *host, *end;
	struct smtp *s;

	if (strncmp(url, "smtp://", 7) && strncmp(url, "smtps://", 8)) {
		err_set(err, SETTLE_EX_CONFIG, "[notify] smtp_url \"%.60s\" is not smtp://HOST[:PORT] or smtps://…", url);
		return NULL;
	}
	if (strlen(url) >= 1000 || strpbrk(url, " \r\n\t")) {
		err_set(err, SETTLE_EX_CONFIG, "[notify] smtp_url is not a URL");
		return NULL;
	}
	if (cfg->ca_file && cfg->ca_file[0] && (strlen(cfg->ca_file) >= 1000 || access(cfg->ca_file, R_OK) < 0)) {
		err_set(err, SETTLE_EX_CONFIG, "[notify] smtp_ca_file %.200s cannot be read", cfg->ca_file);
		return NULL;
	}
	if (mime_address_ok("[notify] from", cfg->from ? cfg->from : "", err) < 0) {
		err->code = SETTLE_EX_CONFIG;
		return NULL;
	}
	if (!(s = calloc(1, sizeof *s)) || !(s->curl = curl_easy_init())) {
		free(s);
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		return NULL;
	}
	host = strstr(url, "://") + 3;
	end = host + strcspn(host, ":/");
	if (*host == '[')
		end = host + strcspn(host, "]") + 1;
	s->loopback = http_host_is_loopback(host, (size_t)(end - host));
	s->clock = clock;
	snprintf(s->url, sizeof s->url, "%s", url);
	snprintf(s->from, sizeof s->from, "%s", cfg->from);
	snprintf(s->from_name, sizeof s->from_name, "%s", cfg->from_name ? cfg->from_name : "settle");
	snprintf(s->user, sizeof s->user, "%s", cfg->user ? cfg->user : "");
	snprintf(s->password, sizeof s->password, "%s", cfg->password ? cfg->password : "");
	snprintf(s->ca_file, sizeof s->ca_file, "%s", cfg->ca_file ? cfg->ca_file : "");
	s->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 5000;
	s->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
	s->port = (struct mailer_port){s, send_smtp, destroy_smtp};
	return &s->port;
}
