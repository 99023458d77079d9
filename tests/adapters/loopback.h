/*
 * loopback.h — a one-thread HTTP/1.1 server on 127.0.0.1 for adapter wire
 * tests: it answers a fixed script of replies (or hangs on one, to make
 * the client time out after sending) and keeps the raw requests so tests
 * can check paths, headers and bodies. Test-only; the real sandbox is
 * tests/sandbox/.
 */
#ifndef SETTLE_TESTS_ADAPTERS_LOOPBACK_H
#define SETTLE_TESTS_ADAPTERS_LOOPBACK_H

#include <pthread.h>
#include <stddef.h>

#define LB_MAX 4

struct lb_reply {
	int hang;           /* 1: read the request, never answer */
	long status;
	const char *body;
};

struct lb_server {
	int fd;
	int port;
	pthread_t thread;
	const struct lb_reply *replies;
	size_t n;
	char requests[LB_MAX][8192];
	size_t nreq;
	char base_url[64];
};

int lb_start(struct lb_server *s, const struct lb_reply *replies, size_t n);
void lb_stop(struct lb_server *s);

#endif
