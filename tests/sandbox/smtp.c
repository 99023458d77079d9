/*
 * smtp.c — the sandbox's SMTP receiver (issue 14): a loopback server that
 * speaks enough of RFC 5321 for libcurl (EHLO/HELO, MAIL, RCPT, DATA,
 * RSET, NOOP, QUIT) and delivers every accepted message into a maildir
 * (DIR/new), which the tests and the demo read back, byte for byte.
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
static atomic_long g_seq;

struct conn {
	int fd;
	char buf[8192];
	size_t n, off;
};

static int say(struct conn *c, const char *line)
{
	size_t n = strlen(line);

	return write(c->fd, line, n) == (ssize_t)n ? 0 : -1;
}

/* One line without its CRLF into out; -1 on EOF. */
static int read_line(struct conn *c, char *out, size_t len)
{
	size_t o = 0;

	for (;;) {
		if (c->off == c->n) {
			ssize_t r = read(c->fd, c->buf, sizeof c->buf);

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

static void *session(void *arg)
{
	struct conn *c = arg;
	char line[4096], rcpt[512] = "";
	char *msg = NULL;
	size_t len = 0, cap = 0;

	say(c, "220 sandbox.local ESMTP settle-sandbox\r\n");
	while (read_line(c, line, sizeof line) == 0) {
		if (!strncasecmp(line, "EHLO", 4)) {
			say(c, "250-sandbox.local\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n");
		} else if (!strncasecmp(line, "HELO", 4) || !strncasecmp(line, "NOOP", 4) ||
			   !strncasecmp(line, "RSET", 4)) {
			say(c, "250 OK\r\n");
		} else if (!strncasecmp(line, "MAIL FROM:", 10)) {
			say(c, "250 OK\r\n");
		} else if (!strncasecmp(line, "RCPT TO:", 8)) {
			const char *a = strchr(line, '<');

			snprintf(rcpt, sizeof rcpt, "%s", a ? a + 1 : line + 8);
			if (!strncmp(rcpt, "refuse", 6))
				say(c, "550 5.1.1 mailbox refused by the sandbox\r\n");
			else if (!strncmp(rcpt, "defer", 5))
				say(c, "451 4.3.0 try again later\r\n");
			else
				say(c, "250 OK\r\n");
		} else if (!strncasecmp(line, "DATA", 4)) {
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
	close(c->fd);
	free(c);
	return NULL;
}

static void *acceptor(void *arg)
{
	int ls = (int)(intptr_t)arg;

	for (;;) {
		int fd = accept(ls, NULL, NULL);
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
		if (pthread_create(&th, NULL, session, c)) {
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(th);
	}
}

int smtp_start(const char *maildir, const char *port_file, char *why, size_t why_len)
{
	struct sockaddr_in sa = {0};
	socklen_t sl = sizeof sa;
	char sub[1200];
	pthread_t th;
	FILE *f;
	int ls;

	snprintf(g_dir, sizeof g_dir, "%s", maildir);
	for (int i = 0; i < 4; i++) {
		static const char *const parts[] = {"", "/tmp", "/new", "/cur"};

		snprintf(sub, sizeof sub, "%s%s", maildir, parts[i]);
		if (mkdir(sub, 0700) < 0 && errno != EEXIST) {
			snprintf(why, why_len, "%s: %s", sub, strerror(errno));
			return -1;
		}
	}
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) || listen(ls, 128) ||
	    getsockname(ls, (struct sockaddr *)&sa, &sl)) {
		snprintf(why, why_len, "SMTP listener: %s", strerror(errno));
		return -1;
	}
	snprintf(sub, sizeof sub, "%s.tmp", port_file);
	f = fopen(sub, "w");
	if (!f || fprintf(f, "%u\n", ntohs(sa.sin_port)) < 0 || fclose(f) || rename(sub, port_file)) {
		snprintf(why, why_len, "%s: cannot write the SMTP port", port_file);
		return -1;
	}
	if (pthread_create(&th, NULL, acceptor, (void *)(intptr_t)ls)) {
		snprintf(why, why_len, "SMTP listener: no thread");
		return -1;
	}
	pthread_detach(th);
	return 0;
}
