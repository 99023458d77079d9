/*
 * The sandbox's SMTP receiver is as strict as a real submission server
 * (issue 14): with a certificate it offers STARTTLS and no AUTH in the
 * clear, refuses AUTH before TLS with 538 and MAIL with 530; under TLS it
 * offers AUTH PLAIN LOGIN, takes either with the right password, answers
 * a wrong one with 535 and MAIL before AUTH with 530. Its transcript
 * names verbs only, never the credentials.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/sandbox_proc.h"
#include "lib/selfsigned.h"

static struct sandbox_proc sp;
static char dir[64], mail[128], cert[128], key[128], pw[128];
static unsigned port, sport;

static unsigned read_port(const char *file)
{
	unsigned p = 0;
	FILE *f = fopen(file, "r");

	cr_assert_not_null(f, "%s", file);
	cr_assert_eq(fscanf(f, "%u", &p), 1);
	fclose(f);
	return p;
}

static void setup(void)
{
	char pf[128], spf[128];
	FILE *f;

	snprintf(dir, sizeof dir, "/tmp/settle-sbx-smtp-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(mail, sizeof mail, "%s/mail", dir);
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(pw, sizeof pw, "%s/pw", dir);
	snprintf(pf, sizeof pf, "%s/port", dir);
	snprintf(spf, sizeof spf, "%s/sport", dir);
	cr_assert_eq(selfsigned_write(cert, key), 0);
	f = fopen(pw, "w");
	cr_assert_not_null(f);
	fputs("right-password\n", f);
	fclose(f);
	cr_assert_eq(sandbox_start_args(&sp, NULL,
					(const char *const[]){"--smtp-maildir", mail, "--smtp-port-file", pf,
							      "--smtp-tls-cert", cert, "--smtp-tls-key", key,
							      "--smtps-port-file", spf, "--smtp-user", "mailer",
							      "--smtp-password-file", pw, NULL}),
		     0);
	port = read_port(pf);
	sport = read_port(spf);
}

static void teardown(void)
{
	char cmd[160];

	sandbox_stop(&sp);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd)) {
	}
}

TestSuite(sandbox_smtp, .init = setup, .fini = teardown, .timeout = 30);

/* A reply (all its lines) to what was sent; "" when the line is NULL (the greeting). */
static const char *exchange(int fd, const char *line, char *buf, size_t len)
{
	size_t n = 0;

	if (line) {
		cr_assert_eq(write(fd, line, strlen(line)), (ssize_t)strlen(line));
		cr_assert_eq(write(fd, "\r\n", 2), 2);
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, len - 1 - n);
		char *last;

		cr_assert_gt(r, 0, "connection closed after %s", line ? line : "connect");
		n += (size_t)r;
		buf[n] = '\0';
		/* complete when the last line is "NNN text\r\n" */
		if (n >= 2 && buf[n - 1] == '\n') {
			buf[n - 2] = '\0';
			last = strrchr(buf, '\n');
			last = last ? last + 1 : buf;
			buf[n - 2] = '\r';
			if (strlen(last) >= 4 && last[3] == ' ')
				return buf;
		}
	}
}

static int plain_connect(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	return fd;
}

Test(sandbox_smtp, in_the_clear_it_offers_starttls_only_and_refuses_auth_and_mail)
{
	char buf[2048];
	int fd = plain_connect();

	cr_assert(!strncmp(exchange(fd, NULL, buf, sizeof buf), "220 ", 4), "%s", buf);
	exchange(fd, "EHLO test.example", buf, sizeof buf);
	cr_assert(strstr(buf, "STARTTLS"), "%s", buf);
	cr_assert_null(strstr(buf, "AUTH"), "%s", buf);
	cr_assert(!strncmp(exchange(fd, "AUTH PLAIN AG1haWxlcgByaWdodC1wYXNzd29yZA==", buf, sizeof buf), "538 ", 4),
		  "%s", buf);
	cr_assert(!strncmp(exchange(fd, "MAIL FROM:<a@b.example>", buf, sizeof buf), "530 ", 4), "%s", buf);
	cr_assert(!strncmp(exchange(fd, "RCPT TO:<c@d.example>", buf, sizeof buf), "503 ", 4), "%s", buf);
	cr_assert(!strncmp(exchange(fd, "QUIT", buf, sizeof buf), "221 ", 4), "%s", buf);
	close(fd);
}

static size_t reader(char *buf, size_t size, size_t nmemb, void *arg)
{
	const char **p = arg;
	size_t n = strlen(*p);

	if (n > size * nmemb)
		n = size * nmemb;
	memcpy(buf, *p, n);
	*p += n;
	return n;
}

/* One message through libcurl: mech "" lets curl choose (PLAIN). */
static CURLcode send_mail(const char *url, const char *user, const char *password, const char *mech, long *code)
{
	const char *msg = "Subject: t\r\n\r\nhello\r\n", *p = msg;
	struct curl_slist *rcpt = curl_slist_append(NULL, "<someone@study.example>");
	CURL *c = curl_easy_init();
	char opts[32];
	CURLcode cc;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(c, CURLOPT_CAINFO, cert);
	if (user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, password);
	}
	if (mech && *mech) {
		snprintf(opts, sizeof opts, "AUTH=%s", mech);
		curl_easy_setopt(c, CURLOPT_LOGIN_OPTIONS, opts);
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, "<settle@pod.example>");
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, reader);
	curl_easy_setopt(c, CURLOPT_READDATA, &p);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
	cc = curl_easy_perform(c);
	*code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	curl_easy_cleanup(c);
	curl_slist_free_all(rcpt);
	return cc;
}

Test(sandbox_smtp, under_tls_auth_plain_and_login_take_the_right_password_only)
{
	char url[64], surl[64], tr[4096] = "", path[200];
	long code;
	FILE *f;
	size_t n;

	snprintf(url, sizeof url, "smtp://127.0.0.1:%u", port);
	snprintf(surl, sizeof surl, "smtps://127.0.0.1:%u", sport);
	cr_assert_eq(send_mail(url, "mailer", "right-password", "", &code), CURLE_OK, "%ld", code);
	cr_assert_eq(send_mail(url, "mailer", "right-password", "LOGIN", &code), CURLE_OK, "%ld", code);
	cr_assert_eq(send_mail(surl, "mailer", "right-password", "PLAIN", &code), CURLE_OK, "%ld", code);
	cr_assert_eq(send_mail(url, "mailer", "wrong", "PLAIN", &code), CURLE_LOGIN_DENIED);
	cr_assert_eq(code, 535);
	cr_assert_eq(send_mail(surl, "mailer", "wrong", "LOGIN", &code), CURLE_LOGIN_DENIED);
	cr_assert_eq(code, 535);
	cr_assert_eq(send_mail(url, "someone-else", "right-password", "", &code), CURLE_LOGIN_DENIED);
	/* under TLS, but no AUTH: MAIL is refused */
	cr_assert_neq(send_mail(url, NULL, NULL, "", &code), CURLE_OK);
	cr_assert_eq(code, 530);
	snprintf(path, sizeof path, "%s/transcript", mail);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	n = fread(tr, 1, sizeof tr - 1, f);
	tr[n] = '\0';
	fclose(f);
	cr_assert(strstr(tr, "tls=1 AUTH"), "%s", tr);
	cr_assert_null(strstr(tr, "password"), "%s", tr);
	cr_assert_null(strstr(tr, "bWFpbGVy"), "credentials in the transcript: %s", tr);
}
