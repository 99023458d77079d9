/*
 * smtp.c — the sandbox's SMTP receiver (issue 14): a loopback server that
 * speaks enough of RFC 5321 for libcurl (EHLO/HELO, MAIL, RCPT, DATA,
 * RSET, NOOP, QUIT) and delivers every accepted message into a maildir
 * (DIR/new), which the tests and the demo read back, byte for byte.
 *
 * TLS and AUTH, when configured, as strictly as a real submission server
 * (Postfix with smtpd_tls_security_level = encrypt and
 * smtpd_tls_auth_only): with a certificate, EHLO in the clear offers
 * STARTTLS and no AUTH, and MAIL or AUTH before STARTTLS is refused (530,
 * 538 as RFC 4954 says); a second listener speaks TLS from the first byte
 * (SMTPS, RFC 8314). With a user, MAIL before AUTH is 530 and a wrong
 * password 535; AUTH PLAIN (initial response or not) and AUTH LOGIN.
 * Without a certificate but with a user, AUTH is offered in the clear: a
 * lax server, so a test can show it is the client that refuses to send a
 * password unencrypted.
 *
 * DIR/transcript gets one line per command: the connection, whether it was
 * under TLS, and the verb only (never an argument: AUTH carries the
 * password), so a test can tell what a client sent.
 *
 * Faults by the recipient's local part, so a test needs no control call:
 *   refuse…@  550 at RCPT (a refusal for good)
 *   defer…@   451 at RCPT (try later)
 *   hang…@    the message is read, the final answer after DATA never comes
 *   drop…@    the connection is closed after DATA, unanswered
 * Anything else is accepted with 250. Each connection has its own thread.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <stdint.h>
#include <strings.h>
#include <unistd.h>

#include "sandbox.h"

static char g_dir[1024];
static atomic_long g_seq, g_conns;
static SSL_CTX *g_tls;           /* NULL: no TLS offered */
static char g_user[256], g_password[256];
static int g_auth;               /* AUTH required */
static pthread_mutex_t g_transcript_mu = PTHREAD_MUTEX_INITIALIZER;

struct conn {
	int fd;
	SSL *ssl;        /* non-NULL once TLS is up */
	int implicit;    /* the SMTPS listener: TLS before the greeting */
	long id;
	int authed;
	char buf[8192];
	size_t n, off;
};

struct listener {
	int fd;
	int implicit;
};

static int say(struct conn *c, const char *line)
{
	size_t n = strlen(line);

	if (c->ssl)
		return SSL_write(c->ssl, line, (int)n) == (int)n ? 0 : -1;
	return write(c->fd, line, n) == (ssize_t)n ? 0 : -1;
}

/* One line without its CRLF into out; -1 on EOF. */
static int read_line(struct conn *c, char *out, size_t len)
{
	size_t o = 0;

	for (;;) {
		if (c->off == c->n) {
			ssize_t r = c->ssl ? SSL_read(c->ssl, c->buf, (int)sizeof c->buf)
					   : read(c->fd, c->buf, sizeof c->buf);

			if (r <= 0)
				return -1;
			c->n = (size_t)r;
			c->off = 0;
		}
		char ch = c->buf[c->off++];

		if (ch == '\n') {
			if (o && out[o - 1] == '\r')
				o--;
			out[o] = '\0';
			return 0;
		}
		if (o + 1 < len)
			out[o++] = ch;
	}
}

static void transcript(const struct conn *c, const char *line)
{
	char verb[12] = "", path[1200];
	size_t i = 0;
	FILE *f;

	for (; i + 1 < sizeof verb && line[i] && line[i] != ' ' && line[i] != ':'; i++)
		verb[i] = (char)((line[i] >= 'a' && line[i] <= 'z') ? line[i] - 32 : line[i]);
	verb[i] = '\0';
	snprintf(path, sizeof path, "%s/transcript", g_dir);
	pthread_mutex_lock(&g_transcript_mu);
	f = fopen(path, "a");
	if (f) {
		fprintf(f, "conn=%ld tls=%d %s\n", c->id, c->ssl != NULL, verb);
		fclose(f);
	}
	pthread_mutex_unlock(&g_transcript_mu);
}

static void deliver(const char *msg, size_t len)
{
	char tmp[1200], dst[1200];
	long n = atomic_fetch_add(&g_seq, 1);
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s/tmp/%ld.%ld", g_dir, (long)getpid(), n);
	snprintf(dst, sizeof dst, "%s/new/%06ld.%ld", g_dir, n, (long)getpid());
	f = fopen(tmp, "wb");
	if (!f)
		return;
	fwrite(msg, 1, len, f);
	fclose(f);
	rename(tmp, dst);
}

/* Server-side TLS on c's socket; -1 when the handshake fails. */
static int tls_up(struct conn *c)
{
	c->ssl = SSL_new(g_tls);
	if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1 || SSL_accept(c->ssl) != 1) {
		if (c->ssl)
			SSL_free(c->ssl);
		c->ssl = NULL;
		ERR_clear_error();
		return -1;
	}
	/* Nothing read in the clear may be taken as said under TLS. */
	c->n = c->off = 0;
	return 0;
}

/* Base64 into out (NUL-terminated); its length, or -1 when it is not base64. */
static int unbase64(const char *in, char *out, size_t cap)
{
	size_t n = strlen(in);
	int len;

	if (n == 0 || n % 4 || n / 4 * 3 >= cap)
		return -1;
	len = EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)in, (int)n);
	if (len < 0)
		return -1;
	if (in[n - 1] == '=')
		len--;
	if (in[n - 2] == '=')
		len--;
	out[len] = '\0';
	return len;
}

static int credentials_ok(const char *user, const char *password)
{
	/* Both compared whole; a constant-time compare is the real server's
	 * business, the sandbox only has to refuse. */
	return !strcmp(user, g_user) && !strcmp(password, g_password);
}

/* AUTH PLAIN: authzid NUL authcid NUL passwd. */
static int plain_ok(const char *b64)
{
	char raw[600];
	int n = unbase64(b64, raw, sizeof raw);
	const char *user, *pass;

	if (n < 0)
		return 0;
	user = memchr(raw, '\0', (size_t)n);
	if (!user || ++user >= raw + n)
		return 0;
	pass = memchr(user, '\0', (size_t)(raw + n - user));
	if (!pass || ++pass > raw + n)
		return 0;
	return credentials_ok(user, pass);
}

/* The AUTH command (line is after "AUTH "). Returns -1 when the
 * connection is gone. */
static int auth(struct conn *c, const char *args)
{
	char mech[16] = "", initial[600] = "", line[600], user[600], pass[600];
	int ok;

	if (sscanf(args, "%15s %599s", mech, initial) < 1)
		return say(c, "501 5.5.4 Syntax: AUTH mechanism\r\n");
	if (!g_auth)
		return say(c, "503 5.5.1 Error: authentication not enabled\r\n");
	if (g_tls && !c->ssl)
		return say(c, "538 5.7.11 Encryption required for requested authentication mechanism\r\n");
	if (c->authed)
		return say(c, "503 5.5.1 Error: already authenticated\r\n");
	if (!strcasecmp(mech, "PLAIN")) {
		if (!initial[0]) {
			if (say(c, "334 \r\n") || read_line(c, initial, sizeof initial))
				return -1;
		}
		if (!strcmp(initial, "*"))
			return say(c, "501 5.7.0 Authentication aborted\r\n");
		ok = plain_ok(initial);
	} else if (!strcasecmp(mech, "LOGIN")) {
		if (!initial[0]) {
			if (say(c, "334 VXNlcm5hbWU6\r\n") || read_line(c, line, sizeof line))
				return -1;
		} else {
			snprintf(line, sizeof line, "%s", initial);
		}
		if (!strcmp(line, "*"))
			return say(c, "501 5.7.0 Authentication aborted\r\n");
		ok = unbase64(line, user, sizeof user) >= 0;
		if (say(c, "334 UGFzc3dvcmQ6\r\n") || read_line(c, line, sizeof line))
			return -1;
		if (!strcmp(line, "*"))
			return say(c, "501 5.7.0 Authentication aborted\r\n");
		ok = ok && unbase64(line, pass, sizeof pass) >= 0 && credentials_ok(user, pass);
	} else {
		return say(c, "504 5.5.4 Unrecognized authentication type\r\n");
	}
	if (!ok)
		return say(c, "535 5.7.8 Error: authentication failed: authentication credentials invalid\r\n");
	c->authed = 1;
	return say(c, "235 2.7.0 Authentication successful\r\n");
}

static void ehlo(struct conn *c)
{
	char reply[256];

	snprintf(reply, sizeof reply, "250-sandbox.local\r\n250-8BITMIME\r\n%s%s250 SIZE 10485760\r\n",
		 g_tls && !c->ssl ? "250-STARTTLS\r\n" : "",
		 g_auth && (c->ssl || !g_tls) && !c->authed ? "250-AUTH PLAIN LOGIN\r\n" : "");
	say(c, reply);
}

static void *session(void *arg)
{
	struct conn *c = arg;
	char line[4096], rcpt[512] = "";
	char *msg = NULL;
	size_t len = 0, cap = 0;

	if (c->implicit && tls_up(c) < 0)
		goto out;
	say(c, "220 sandbox.local ESMTP settle-sandbox\r\n");
	while (read_line(c, line, sizeof line) == 0) {
		transcript(c, line);
		if (!strncasecmp(line, "EHLO", 4)) {
			ehlo(c);
		} else if (!strncasecmp(line, "STARTTLS", 8)) {
			if (!g_tls) {
				say(c, "502 5.5.1 STARTTLS not offered\r\n");
			} else if (c->ssl) {
				say(c, "503 5.5.1 TLS already active\r\n");
			} else {
				say(c, "220 2.0.0 Ready to start TLS\r\n");
				if (tls_up(c) < 0)
					goto out;
				c->authed = 0; /* RFC 3207: the client starts over */
				rcpt[0] = '\0';
			}
		} else if (!strncasecmp(line, "AUTH ", 5) || !strcasecmp(line, "AUTH")) {
			if (auth(c, line + (line[4] ? 5 : 4)) < 0)
				goto out;
		} else if (!strncasecmp(line, "HELO", 4) || !strncasecmp(line, "NOOP", 4) ||
			   !strncasecmp(line, "RSET", 4)) {
			say(c, "250 OK\r\n");
		} else if (!strncasecmp(line, "MAIL FROM:", 10)) {
			if (g_tls && !c->ssl)
				say(c, "530 5.7.0 Must issue a STARTTLS command first\r\n");
			else if (g_auth && !c->authed)
				say(c, "530 5.7.0 Authentication required\r\n");
			else
				say(c, "250 OK\r\n");
		} else if (!strncasecmp(line, "RCPT TO:", 8)) {
			const char *a = strchr(line, '<');

			snprintf(rcpt, sizeof rcpt, "%s", a ? a + 1 : line + 8);
			if ((g_tls && !c->ssl) || (g_auth && !c->authed))
				say(c, "503 5.5.1 Error: need MAIL command\r\n");
			else if (!strncmp(rcpt, "refuse", 6))
				say(c, "550 5.1.1 mailbox refused by the sandbox\r\n");
			else if (!strncmp(rcpt, "defer", 5))
				say(c, "451 4.3.0 try again later\r\n");
			else
				say(c, "250 OK\r\n");
		} else if (!strncasecmp(line, "DATA", 4)) {
			if ((g_tls && !c->ssl) || (g_auth && !c->authed)) {
				say(c, "503 5.5.1 Error: need RCPT command\r\n");
				continue;
			}
			say(c, "354 end with <CRLF>.<CRLF>\r\n");
			len = 0;
			while (read_line(c, line, sizeof line) == 0 && strcmp(line, ".")) {
				const char *l = line[0] == '.' ? line + 1 : line; /* dot-unstuffing */
				size_t n = strlen(l);

				if (len + n + 3 > cap) {
					char *g = realloc(msg, cap = (len + n + 3) * 2);

					if (!g)
						goto out;
					msg = g;
				}
				memcpy(msg + len, l, n);
				len += n;
				msg[len++] = '\r';
				msg[len++] = '\n';
			}
			if (!strncmp(rcpt, "hang", 4)) {
				sleep(3600); /* the client's time-out ends it */
				goto out;
			}
			if (!strncmp(rcpt, "drop", 4))
				goto out;
			deliver(msg ? msg : "", len);
			say(c, "250 OK queued\r\n");
		} else if (!strncasecmp(line, "QUIT", 4)) {
			say(c, "221 bye\r\n");
			break;
		} else {
			say(c, "502 command not implemented\r\n");
		}
	}
out:
	free(msg);
	if (c->ssl) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	close(c->fd);
	free(c);
	return NULL;
}

static void *acceptor(void *arg)
{
	struct listener *l = arg;

	for (;;) {
		int fd = accept(l->fd, NULL, NULL);
		struct conn *c;
		pthread_t th;

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		c = calloc(1, sizeof *c);
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->implicit = l->implicit;
		c->id = atomic_fetch_add(&g_conns, 1) + 1;
		if (pthread_create(&th, NULL, session, c)) {
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(th);
	}
}

/* A loopback listener with its port written to port_file, served by its own thread. */
static int listen_on(const char *port_file, int implicit, char *why, size_t why_len)
{
	static struct listener ls[2];
	static int n_ls;
	struct sockaddr_in sa = {0};
	socklen_t sl = sizeof sa;
	char tmp[1200];
	pthread_t th;
	FILE *f;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 128) ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl)) {
		snprintf(why, why_len, "SMTP listener: %s", strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", ntohs(sa.sin_port)) < 0 || fclose(f) || rename(tmp, port_file)) {
		snprintf(why, why_len, "%s: cannot write the SMTP port", port_file);
		return -1;
	}
	if (n_ls >= 2) {
		snprintf(why, why_len, "SMTP listener: too many");
		return -1;
	}
	ls[n_ls] = (struct listener){fd, implicit};
	if (pthread_create(&th, NULL, acceptor, &ls[n_ls])) {
		snprintf(why, why_len, "SMTP listener: no thread");
		return -1;
	}
	n_ls++;
	pthread_detach(th);
	return 0;
}

static int tls_setup(const struct sbx_config *cfg, char *why, size_t why_len)
{
	if (!cfg->smtp_tls_cert && !cfg->smtp_tls_key)
		return 0;
	if (!cfg->smtp_tls_cert || !cfg->smtp_tls_key) {
		snprintf(why, why_len, "--smtp-tls-cert and --smtp-tls-key go together");
		return -1;
	}
	g_tls = SSL_CTX_new(TLS_server_method());
	if (!g_tls || SSL_CTX_set_min_proto_version(g_tls, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_use_certificate_chain_file(g_tls, cfg->smtp_tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(g_tls, cfg->smtp_tls_key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(g_tls) != 1) {
		snprintf(why, why_len, "TLS: cannot use %s / %s", cfg->smtp_tls_cert, cfg->smtp_tls_key);
		ERR_clear_error();
		return -1;
	}
	return 0;
}

int smtp_start(const struct sbx_config *cfg, char *why, size_t why_len)
{
	char sub[1200];

	snprintf(g_dir, sizeof g_dir, "%s", cfg->smtp_maildir);
	for (int i = 0; i < 4; i++) {
		static const char *const parts[] = {"", "/tmp", "/new", "/cur"};

		snprintf(sub, sizeof sub, "%s%s", cfg->smtp_maildir, parts[i]);
		if (mkdir(sub, 0700) < 0 && errno != EEXIST) {
			snprintf(why, why_len, "%s: %s", sub, strerror(errno));
			return -1;
		}
	}
	if (tls_setup(cfg, why, why_len) < 0)
		return -1;
	if (cfg->smtp_user) {
		if (!cfg->smtp_password_file || read_secret_file(cfg->smtp_password_file, g_password, sizeof g_password)) {
			snprintf(why, why_len, "--smtp-user needs --smtp-password-file with the password on its first line");
			return -1;
		}
		snprintf(g_user, sizeof g_user, "%s", cfg->smtp_user);
		g_auth = 1;
	}
	if (listen_on(cfg->smtp_port_file, 0, why, why_len) < 0)
		return -1;
	if (cfg->smtps_port_file) {
		if (!g_tls) {
			snprintf(why, why_len, "--smtps-port-file needs --smtp-tls-cert and --smtp-tls-key");
			return -1;
		}
		if (listen_on(cfg->smtps_port_file, 1, why, why_len) < 0)
			return -1;
	}
	return 0;
}
