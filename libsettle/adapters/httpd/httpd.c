/* httpd.c — see httpd.h. Every libmicrohttpd call of settle is here. */
#include "adapters/httpd/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "adapters/httpd/sdnotify.h"
#include "util/log.h"

struct server {
	const struct httpd_config *cfg;
	size_t body_max;
	atomic_int requests;     /* requests between first byte handled and completion */
	atomic_int connections;  /* open connections */
	atomic_int stopping;     /* set on SIGTERM: answers say Connection: close */
};

/* One request's state across libmicrohttpd's calls (its con_cls). */
struct req {
	char *body;
	size_t len, cap;
	int too_big;
	int answered;
	void (*after)(void *);
	void *after_arg;
};

const char *httpd_header(const struct httpd_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *httpd_query(const struct httpd_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

void httpd_json_error(struct httpd_response *resp, int status, const char *code, const char *message)
{
	json_t *j = json_pack("{s:s, s:s}", "code", code, "message", message);

	free(resp->body);
	resp->status = status;
	resp->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	resp->content_type = NULL;
	json_decref(j);
}

int httpd_add_header(struct httpd_response *resp, const char *name, const char *value)
{
	if (resp->n_headers >= HTTPD_EXTRA_HEADERS || strlen(value) >= sizeof resp->headers[0].value)
		return -1;
	resp->headers[resp->n_headers].name = name;
	strcpy(resp->headers[resp->n_headers].value, value);
	resp->n_headers++;
	return 0;
}

/* ---------------------------------------------------------------- listening */

static int parse_port(const char *s, in_port_t *port)
{
	char *end;
	long v;

	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > 65535)
		return -1;
	*port = htons((in_port_t)v);
	return 0;
}

static int bind_listen(int fd, const struct sockaddr *sa, socklen_t len, const char *listen_addr,
		       struct settle_err *err)
{
	int one = 1;

	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, sa, len) < 0 || listen(fd, 128) < 0) {
		int e = errno;

		close(fd);
		return err_set(err, e == EADDRINUSE ? SETTLE_EX_UNAVAILABLE : SETTLE_EX_OSERR, "listen %s: %s",
			       listen_addr, strerror(e));
	}
	return fd;
}

int httpd_listen_socket(const char *listen_addr, struct settle_err *err)
{
	int n = sd_listen_fds(err);

	if (n < 0)
		return -1;
	if (n > 1)
		return err_set(err, SETTLE_EX_CONFIG, "systemd passed %d sockets; one is expected", n);
	if (n == 1)
		return SD_LISTEN_FDS_START;
	if (!listen_addr || !*listen_addr)
		return err_set(err, SETTLE_EX_CONFIG, "no socket passed by systemd and no listen address configured");
	if (!strncmp(listen_addr, "unix:", 5)) {
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		const char *path = listen_addr + 5;
		int fd;

		if (path[0] != '/' || strlen(path) >= sizeof sa.sun_path)
			return err_set(err, SETTLE_EX_CONFIG, "listen: unix socket path must be absolute and short");
		strcpy(sa.sun_path, path);
		(void)unlink(path); /* a stale socket of an earlier run */
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return err_set(err, SETTLE_EX_OSERR, "socket: %s", strerror(errno));
		return bind_listen(fd, (struct sockaddr *)&sa, sizeof sa, listen_addr, err);
	}
	{
		const char *colon = strrchr(listen_addr, ':');
		size_t hlen = colon ? (size_t)(colon - listen_addr) : 0;
		char host[64];
		in_port_t port;
		int fd;

		if (!colon || hlen == 0 || hlen >= sizeof host || parse_port(colon + 1, &port))
			return err_set(err, SETTLE_EX_CONFIG,
				       "listen: expected HOST:PORT (loopback) or unix:/path");
		memcpy(host, listen_addr, hlen);
		host[hlen] = '\0';
		if (!strcmp(host, "[::1]")) {
			struct sockaddr_in6 sa6 = {.sin6_family = AF_INET6, .sin6_port = port, .sin6_addr = IN6ADDR_LOOPBACK_INIT};

			fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd < 0)
				return err_set(err, SETTLE_EX_OSERR, "socket: %s", strerror(errno));
			return bind_listen(fd, (struct sockaddr *)&sa6, sizeof sa6, listen_addr, err);
		} else {
			struct sockaddr_in sa4 = {.sin_family = AF_INET, .sin_port = port};

			if (!strcmp(host, "localhost"))
				strcpy(host, "127.0.0.1");
			if (inet_pton(AF_INET, host, &sa4.sin_addr) != 1 || (ntohl(sa4.sin_addr.s_addr) >> 24) != 127)
				return err_set(err, SETTLE_EX_CONFIG,
					       "listen: %s is not a loopback address (put a reverse proxy in front)",
					       host);
			fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd < 0)
				return err_set(err, SETTLE_EX_OSERR, "socket: %s", strerror(errno));
			return bind_listen(fd, (struct sockaddr *)&sa4, sizeof sa4, listen_addr, err);
		}
	}
}

/* ---------------------------------------------------------------- requests */

static enum MHD_Result send_answer(struct server *s, struct MHD_Connection *conn, struct httpd_response *r)
{
	struct MHD_Response *mr;
	enum MHD_Result ok;
	char *body = r->body;
	size_t len = body ? strlen(body) : 0;

	r->body = NULL;
	mr = MHD_create_response_from_buffer(len, body ? body : (void *)"", body ? MHD_RESPMEM_MUST_FREE
										 : MHD_RESPMEM_PERSISTENT);
	if (!mr) {
		free(body);
		return MHD_NO;
	}
	(void)MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
				      r->content_type ? r->content_type : "application/json");
	(void)MHD_add_response_header(mr, "Cache-Control", "no-store");
	(void)MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	for (size_t i = 0; i < r->n_headers; i++)
		(void)MHD_add_response_header(mr, r->headers[i].name, r->headers[i].value);
	if (atomic_load(&s->stopping))
		(void)MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
	ok = MHD_queue_response(conn, (unsigned)(r->status ? r->status : 500), mr);
	MHD_destroy_response(mr);
	return ok;
}

static enum MHD_Result refuse(struct server *s, struct MHD_Connection *conn, int status, const char *code,
			      const char *message)
{
	struct httpd_response r = {0};

	httpd_json_error(&r, status, code, message);
	return send_answer(s, conn, &r);
}

static void client_text(struct MHD_Connection *conn, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, len, "unix");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, (socklen_t)len);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, (socklen_t)len);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct req *q = *con_cls;
	(void)version;

	if (!q) {
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

		q = calloc(1, sizeof *q);
		if (!q)
			return MHD_NO;
		*con_cls = q;
		atomic_fetch_add(&s->requests, 1);
		/* Refuse a declared oversize body before reading any of it. */
		if (cl && (strlen(cl) > 15 || strtoull(cl, NULL, 10) > s->body_max)) {
			q->answered = 1;
			log_kv(LOG_WARN, "http.refused", "method", method, "path", url, "why", "body too large", NULL);
			return refuse(s, conn, 413, "BODY_TOO_LARGE", "request body is too large");
		}
		return MHD_YES;
	}
	if (q->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;

		*upload_size = 0;
		if (q->too_big || q->len + n > s->body_max) {
			q->too_big = 1; /* keep reading, drop it: the answer comes at the end */
			return MHD_YES;
		}
		if (q->len + n + 1 > q->cap) {
			size_t cap = q->cap ? q->cap : 1024;
			char *nb;

			while (cap < q->len + n + 1)
				cap *= 2;
			nb = realloc(q->body, cap);
			if (!nb)
				return MHD_NO;
			q->body = nb;
			q->cap = cap;
		}
		memcpy(q->body + q->len, upload, n);
		q->len += n;
		q->body[q->len] = '\0';
		return MHD_YES;
	}
	q->answered = 1;
	if (q->too_big) {
		log_kv(LOG_WARN, "http.refused", "method", method, "path", url, "why", "body too large", NULL);
		return refuse(s, conn, 413, "BODY_TOO_LARGE", "request body is too large");
	}
	{
		char client[INET6_ADDRSTRLEN + 1];
		struct httpd_request hr = {method, url, q->body ? q->body : "", q->len, client, conn};
		struct httpd_response resp = {0};

		client_text(conn, client, sizeof client);
		s->cfg->handler(s->cfg->ctx, &hr, &resp);
		q->after = resp.after;
		q->after_arg = resp.after_arg;
		return send_answer(s, conn, &resp);
	}
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct req *q = *con_cls;
	(void)conn;
	(void)toe;

	if (!q)
		return;
	*con_cls = NULL;
	if (q->after)
		q->after(q->after_arg);
	free(q->body);
	free(q);
	atomic_fetch_sub(&s->requests, 1);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	struct server *s = cls;
	(void)conn;
	(void)socket_ctx;

	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		atomic_fetch_add(&s->connections, 1);
	else
		atomic_fetch_sub(&s->connections, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[256];
	size_t n;
	(void)cls;

	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_kv(LOG_WARN, "http.server", "message", line, NULL);
}

/* ---------------------------------------------------------------- life */

static void notify(const char *msg)
{
	struct settle_err err = {0};

	if (sd_notify_send(msg, &err))
		log_kv(LOG_WARN, "sd_notify.failed", "message", err.msg, NULL);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* After the listening socket is gone: wait until no connection is open, or
 * no request has been in flight for 200 ms (an idle keep-alive connection
 * holds nothing), or the grace time is up. */
static void drain(struct server *s, unsigned grace_ms)
{
	struct timespec t0, idle0;
	int idle = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ms_since(&t0) < (long)grace_ms) {
		if (atomic_load(&s->connections) == 0)
			return;
		if (atomic_load(&s->requests) == 0) {
			if (!idle) {
				idle = 1;
				clock_gettime(CLOCK_MONOTONIC, &idle0);
			} else if (ms_since(&idle0) >= 200) {
				return;
			}
		} else {
			idle = 0;
		}
		nanosleep(&(struct timespec){0, 10 * 1000000}, NULL);
	}
	log_kv(LOG_WARN, "http.stop", "why", "grace time over with requests in flight", NULL);
}

int httpd_serve(const struct httpd_config *cfg, struct settle_err *err)
{
	struct server s = {.cfg = cfg, .body_max = cfg->body_max ? cfg->body_max : HTTPD_BODY_MAX_DEFAULT};
	uint64_t wd_usec = sd_watchdog_usec();
	struct MHD_Daemon *d;
	sigset_t set, old;
	int fd, sig;
	MHD_socket lfd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	fd = httpd_listen_socket(cfg->listen, err);
	if (fd < 0) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_ERROR_LOG,
			     0, NULL, NULL, on_request, &s,
			     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 2),
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(cfg->timeout_s ? cfg->timeout_s : 30),
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
			     MHD_OPTION_NOTIFY_CONNECTION, on_connection, &s,
			     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
			     MHD_OPTION_END);
	if (!d) {
		close(fd);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return err_set(err, SETTLE_EX_OSERR, "the HTTP server did not start");
	}
	log_kv(LOG_INFO, "http.ready", NULL);
	notify("READY=1");
	if (wd_usec)
		notify("WATCHDOG=1");
	for (;;) {
		uint64_t tick = wd_usec ? wd_usec / 2 : 1000000;
		struct timespec ts = {(time_t)(tick / 1000000), (long)(tick % 1000000) * 1000};

		sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig < 0 && wd_usec && (!cfg->healthy || cfg->healthy(cfg->ctx) == 0))
			notify("WATCHDOG=1");
	}
	notify("STOPPING=1");
	log_kv(LOG_INFO, "http.stopping", "signal", sig == SIGTERM ? "TERM" : "INT", NULL);
	atomic_store(&s.stopping, 1);
	lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	drain(&s, cfg->stop_grace_ms ? cfg->stop_grace_ms : 10000);
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	log_kv(LOG_INFO, "http.stopped", NULL);
	return 0;
}
