/*
 * loopback.c — the test-only loopback HTTP server (loopback.h). One rule:
 * every wait is bounded, so a broken test fails instead of hanging.
 */
#include "adapters/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int wait_readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, ms) == 1;
}

/* Reads headers and a Content-Length body into buf. */
static void read_request(int fd, char *buf, size_t cap)
{
	size_t len = 0, want = 0;
	char *hdr_end = NULL;

	while (len + 1 < cap && wait_readable(fd, 5000)) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (!hdr_end && (hdr_end = strstr(buf, "\r\n\r\n"))) {
			const char *cl = strcasestr(buf, "\r\nContent-Length:");

			want = (size_t)(hdr_end + 4 - buf) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (hdr_end && len >= want)
			break;
	}
	buf[len] = '\0';
}

static void *serve(void *arg)
{
	struct lb_server *s = arg;

	for (size_t i = 0; i < s->n && i < LB_MAX; i++) {
		const struct lb_reply *r = &s->replies[i];
		char head[256];
		int c;

		if (!wait_readable(s->fd, 5000))
			break;
		c = accept(s->fd, NULL, NULL);
		if (c < 0)
			break;
		read_request(c, s->requests[i], sizeof s->requests[i]);
		s->nreq = i + 1;
		if (r->hang) {
			char sink[256];

			/* Until the client gives up and closes. */
			while (wait_readable(c, 5000) && read(c, sink, sizeof sink) > 0)
				;
		} else {
			size_t blen = r->body ? strlen(r->body) : 0;
			int hl = snprintf(head, sizeof head,
					  "HTTP/1.1 %ld X\r\nContent-Type: application/json\r\n"
					  "Content-Length: %zu\r\nConnection: close\r\n\r\n", r->status, blen);

			/* MSG_NOSIGNAL: a client that gives up early (the body
			 * cap test) must not SIGPIPE the test process. */
			if (send(c, head, (size_t)hl, MSG_NOSIGNAL) > 0 && blen)
				(void)!send(c, r->body, blen, MSG_NOSIGNAL);
		}
		close(c);
	}
	return NULL;
}

int lb_start(struct lb_server *s, const struct lb_reply *replies, size_t n)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;

	memset(s, 0, sizeof *s);
	s->replies = replies;
	s->n = n;
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(s->fd, 8) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &alen) < 0)
		return -1;
	s->port = ntohs(a.sin_port);
	snprintf(s->base_url, sizeof s->base_url, "http://127.0.0.1:%d", s->port);
	return pthread_create(&s->thread, NULL, serve, s) ? -1 : 0;
}

void lb_stop(struct lb_server *s)
{
	pthread_join(s->thread, NULL);
	close(s->fd);
}
