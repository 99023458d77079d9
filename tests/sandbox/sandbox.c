/*
 * sandbox.c — settle-sandbox: one loopback HTTP server that plays Toss
 * Payments, NicePay and the Study Service for tests, the demo and the
 * benchmarks. main(), options, the libmicrohttpd daemon and routing.
 *
 * Rule: bind to 127.0.0.1 only, and tell readiness only through the port
 * file, written whole (temp file + rename) once the socket listens.
 *
 * Routing: /_sandbox/… control; /v1/pods/… Study; /toss/v1/… Toss and
 * /nicepay/v1/… NicePay (prefix stripped, so an adapter's base URL can be
 * http://127.0.0.1:PORT/toss); bare /v1/payments/… goes to NicePay when the
 * Basic credentials carry a password (clientId:secretKey) and to Toss
 * otherwise (Toss keys have an empty password).
 */
#include "sandbox.h"
#include "payouts.h"
#include "einvoice.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#define MAX_BODY (1024 * 1024)

struct conn_ctx {
	char *buf;
	size_t len, cap;
	int too_big;
	struct timespec t0;
	/* A delayed answer, sent when the delayer resumes the connection. */
	int has_pending;
	int pending_status;
	char *pending_body;
	size_t pending_len;
};

/*
 * The delay fault suspends the connection and a timer thread resumes it,
 * so a delayed answer holds no pool thread and the other connections of
 * that thread go on being served.
 */
struct delayed {
	struct delayed *next;
	struct MHD_Connection *conn;
	struct timespec due; /* CLOCK_MONOTONIC */
};

struct delayer {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct delayed *head;
	int stop;
	pthread_t th;
	int started;
};

static int ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *delayer_main(void *arg)
{
	struct delayer *d = arg;
	struct timespec now;

	pthread_mutex_lock(&d->mu);
	for (;;) {
		struct delayed **pp = &d->head, *due = NULL, *x;

		clock_gettime(CLOCK_MONOTONIC, &now);
		while ((x = *pp)) {
			if (d->stop || !ts_before(&now, &x->due)) {
				*pp = x->next;
				x->next = due;
				due = x;
			} else {
				pp = &x->next;
			}
		}
		for (; due; due = x) {
			x = due->next;
			MHD_resume_connection(due->conn);
			free(due);
		}
		if (d->stop)
			break;
		if (!d->head) {
			pthread_cond_wait(&d->cv, &d->mu);
		} else {
			struct timespec next = d->head->due;

			for (x = d->head->next; x; x = x->next)
				if (ts_before(&x->due, &next))
					next = x->due;
			pthread_cond_timedwait(&d->cv, &d->mu, &next);
		}
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

static int delayer_start(struct delayer *d)
{
	pthread_condattr_t ca;

	memset(d, 0, sizeof *d);
	if (pthread_mutex_init(&d->mu, NULL))
		return -1;
	if (pthread_condattr_init(&ca) || pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) ||
	    pthread_cond_init(&d->cv, &ca)) {
		pthread_mutex_destroy(&d->mu);
		return -1;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_create(&d->th, NULL, delayer_main, d)) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		return -1;
	}
	d->started = 1;
	return 0;
}

/* Resumes every waiting connection (libmicrohttpd must not be stopped
 * with suspended ones) and ends the thread. */
static void delayer_stop(struct delayer *d)
{
	if (!d->started)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = 1;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->th, NULL);
}

/* After MHD_stop_daemon: no handler can reach the delayer any more. */
static void delayer_destroy(struct delayer *d)
{
	if (!d->started)
		return;
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	d->started = 0;
}

/* Suspends conn for ms. 0, or -1 (nothing suspended) when out of memory. */
static int delay_connection(struct delayer *d, struct MHD_Connection *conn, int ms)
{
	struct delayed *x = calloc(1, sizeof *x);

	if (!x)
		return -1;
	x->conn = conn;
	clock_gettime(CLOCK_MONOTONIC, &x->due);
	x->due.tv_sec += ms / 1000;
	x->due.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (x->due.tv_nsec >= 1000000000L) {
		x->due.tv_sec++;
		x->due.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&d->mu);
	if (d->stop) { /* shutting down: nobody would resume it */
		pthread_mutex_unlock(&d->mu);
		free(x);
		return -1;
	}
	/* Suspend before the timer can see it: resuming is safe at any time after. */
	MHD_suspend_connection(conn);
	x->next = d->head;
	d->head = x;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	return 0;
}

static enum MHD_Result send_answer(struct MHD_Connection *conn, int status, char *body, size_t len)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (body)
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	else
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
	ret = MHD_queue_response(conn, (unsigned)(status ? status : 500), resp);
	MHD_destroy_response(resp);
	return ret;
}

const char *sbx_header(const struct sbx_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *sbx_query(const struct sbx_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

static void route(struct sbx_req *rq, struct sbx_resp *rs, const char *url)
{
	char user[256], pass[256];

	rq->path = url;
	if (!strncmp(url, "/_sandbox/payouts/", 18)) {
		payouts_control(rq, rs);
	} else if (!strncmp(url, "/linkhub/", 9) || !strncmp(url, "/popbill/", 9) || !strncmp(url, "/_sandbox/einvoice/", 19)) {
		einvoice_handle(rq, rs);
	} else if (!strncmp(url, "/toss/v2/", 9) || !strncmp(url, "/v2/", 4)) {
		rq->path = url[1] == 't' ? url + 5 : url;
		payouts_handle(rq, rs);
	} else if (!strncmp(url, "/_sandbox/settlements/", 22)) {
		settlements_control(rq, rs);
	} else if (!strcmp(url, "/toss/v1/settlements") || !strcmp(url, "/v1/settlements")) {
		rq->path = url[1] == 't' ? url + 5 : url;
		settlements_handle(rq, rs);
	} else if (!strncmp(url, "/_sandbox/", 10)) {
		control_handle(rq, rs);
	} else if (!strncmp(url, "/toss/v1/", 9)) {
		rq->path = url + 5;
		toss_handle(rq, rs);
	} else if (!strncmp(url, "/nicepay/v1/", 12)) {
		rq->path = url + 8;
		nicepay_handle(rq, rs);
	} else if (!strncmp(url, "/v1/pods/", 9)) {
		study_handle(rq, rs);
	} else if (!strncmp(url, "/v1/users/", 10)) {
		study_users_handle(rq, rs);
	} else if (!strncmp(url, "/v1/payments/", 13)) {
		if (!basic_auth(sbx_header(rq, "Authorization"), user, sizeof user, pass, sizeof pass) && pass[0])
			nicepay_handle(rq, rs);
		else
			toss_handle(rq, rs);
	} else {
		resp_error(rs, 404, "NOT_FOUND", "no such API: %s %s", rq->method, url);
	}
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void log_line(const struct sandbox *sb, const struct sbx_req *rq, const struct sbx_resp *rs,
		     const struct conn_ctx *ctx)
{
	if (!sb->cfg.verbose)
		return;
	/* One fprintf per request so lines from the pool threads do not mix. */
	fprintf(stderr, "sandbox method=%s path=%s op=%s orderId=%s status=%d bytes=%zu fault=%s ms=%ld\n",
		rq->method, rq->path, rq->op ? rq->op : "-", rq->order_id[0] ? rq->order_id : "-",
		rs->fault == FAULT_DROP ? 0 : rs->status, rs->len, fault_kind_name(rs->fault), ms_since(&ctx->t0));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct sandbox *sb = cls;
	struct conn_ctx *ctx = *con_cls;
	struct sbx_req rq = {0};
	struct sbx_resp rs = {0};

	(void)version;
	if (!ctx) {
		ctx = calloc(1, sizeof *ctx);
		if (!ctx)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &ctx->t0);
		*con_cls = ctx;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;

		*upload_size = 0;
		if (ctx->too_big || ctx->len + n > MAX_BODY) {
			ctx->too_big = 1;
			return MHD_YES;
		}
		if (ctx->len + n + 1 > ctx->cap) {
			size_t cap = (ctx->len + n + 1) * 2;
			char *b = realloc(ctx->buf, cap);

			if (!b)
				return MHD_NO;
			ctx->buf = b;
			ctx->cap = cap;
		}
		if (n) /* never memcpy from a null upload, even for 0 bytes */
			memcpy(ctx->buf + ctx->len, upload, n);
		ctx->len += n;
		ctx->buf[ctx->len] = '\0';
		return MHD_YES;
	}
	if (ctx->has_pending) { /* resumed after a delay fault */
		ctx->has_pending = 0;
		return send_answer(conn, ctx->pending_status, ctx->pending_body, ctx->pending_len);
	}

	rq.sb = sb;
	rq.conn = conn;
	rq.method = method;
	rq.body = ctx->buf ? ctx->buf : "";
	rq.body_len = ctx->len;
	if (ctx->too_big) {
		rq.path = url;
		resp_error(&rs, 413, "INVALID_REQUEST", "request body larger than %d bytes", MAX_BODY);
	} else {
		route(&rq, &rs, url);
	}

	/* Fault effects after the commit. */
	if (rs.fault == FAULT_DROP) {
		log_line(sb, &rq, &rs, ctx);
		free(rs.body);
		return MHD_NO; /* libmicrohttpd closes the connection, no answer */
	}
	if (rs.fault == FAULT_MALFORMED) {
		/* Half of the real answer: cut mid-token, never valid JSON. */
		rs.status = 200;
		rs.len /= 2;
		if (!rs.len) {
			free(rs.body);
			rs.body = strdup("{");
			rs.len = rs.body ? 1 : 0;
		}
	}
	log_line(sb, &rq, &rs, ctx);
	if (rs.fault == FAULT_DELAY && rs.delay_ms > 0) {
		ctx->has_pending = 1;
		ctx->pending_status = rs.status;
		ctx->pending_body = rs.body;
		ctx->pending_len = rs.len;
		if (delay_connection(sb->delayer, conn, rs.delay_ms) == 0)
			return MHD_YES;
		ctx->has_pending = 0; /* no memory for the timer: answer now */
	}
	return send_answer(conn, rs.status, rs.body, rs.len);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_ctx *ctx = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (ctx) {
		if (ctx->has_pending)
			free(ctx->pending_body);
		free(ctx->buf);
		free(ctx);
	}
	*con_cls = NULL;
}

static int write_port_file(const char *file, unsigned port)
{
	char tmp[4096];
	FILE *f;
	int ok;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", file, (long)getpid()) >= sizeof tmp)
		return -1;
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	ok = fprintf(f, "%u\n", port) > 0;
	ok &= fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok &= fclose(f) == 0;
	if (!ok || rename(tmp, file)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: settle-sandbox [--port N] [--port-file FILE] [--pods FILE.csv]\n"
		   "                      [--nicepay-secret-file FILE] [--toss-secret-prefix test_sk_] [-v]\n"
		   "                      [--smtp-maildir DIR --smtp-port-file FILE\n"
		   "                       [--smtp-tls-cert PEM --smtp-tls-key PEM --smtps-port-file FILE]\n"
		   "                       [--smtp-user NAME --smtp-password-file FILE]]\n");
}

/* 0 to run, -1 to exit 0 (--help), else the exit status. */
static int parse_args(int argc, char **argv, struct sbx_config *cfg)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"port-file", required_argument, NULL, 'f'},
		{"pods", required_argument, NULL, 'P'},
		{"nicepay-secret-file", required_argument, NULL, 'n'},
		{"toss-secret-prefix", required_argument, NULL, 't'},
		{"smtp-maildir", required_argument, NULL, 'M'},
		{"smtp-port-file", required_argument, NULL, 'S'},
		{"smtp-tls-cert", required_argument, NULL, 'C'},
		{"smtp-tls-key", required_argument, NULL, 'K'},
		{"smtps-port-file", required_argument, NULL, 'T'},
		{"smtp-user", required_argument, NULL, 'U'},
		{"smtp-password-file", required_argument, NULL, 'W'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	char *end;
	long v;

	strcpy(cfg->nicepay_secret, "sandbox-nicepay-secret");
	strcpy(cfg->toss_prefix, "test_sk_");
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 0 || v > 65535) {
				fprintf(stderr, "settle-sandbox: --port must be 0..65535\n");
				return 64;
			}
			cfg->port = (unsigned)v;
			break;
		case 'f': cfg->port_file = optarg; break;
		case 'P': cfg->pods_file = optarg; break;
		case 'M': cfg->smtp_maildir = optarg; break;
		case 'S': cfg->smtp_port_file = optarg; break;
		case 'C': cfg->smtp_tls_cert = optarg; break;
		case 'K': cfg->smtp_tls_key = optarg; break;
		case 'T': cfg->smtps_port_file = optarg; break;
		case 'U': cfg->smtp_user = optarg; break;
		case 'W': cfg->smtp_password_file = optarg; break;
		case 'n':
			if (read_secret_file(optarg, cfg->nicepay_secret, sizeof cfg->nicepay_secret)) {
				fprintf(stderr, "settle-sandbox: %s: cannot read a secret from its first line\n", optarg);
				return 66;
			}
			break;
		case 't':
			if (copy_str(cfg->toss_prefix, sizeof cfg->toss_prefix, optarg)) {
				fprintf(stderr, "settle-sandbox: --toss-secret-prefix is too long\n");
				return 64;
			}
			break;
		case 'v': cfg->verbose = 1; break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return 64;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 64;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sandbox *sb = calloc(1, sizeof *sb);
	struct sockaddr_in sa = {0};
	struct MHD_Daemon *d = NULL;
	struct delayer delayer;
	const union MHD_DaemonInfo *info;
	unsigned flags;
	sigset_t set;
	char why[512];
	int rc = 0, sig;

	if (!sb) {
		fprintf(stderr, "settle-sandbox: out of memory\n");
		return 71;
	}
	if ((rc = parse_args(argc, argv, &sb->cfg))) {
		rc = rc < 0 ? 0 : rc; /* -1: --help was answered */
		goto free_sb;
	}
	if (state_init(&sb->st) || faults_init(&sb->faults)) {
		fprintf(stderr, "settle-sandbox: cannot initialise state\n");
		rc = 71;
		goto free_sb;
	}
	if (sb->cfg.pods_file && study_load_csv(&sb->st, sb->cfg.pods_file, why, sizeof why)) {
		fprintf(stderr, "settle-sandbox: pods: %s\n", why);
		rc = access(sb->cfg.pods_file, R_OK) ? 66 : 65; /* EX_NOINPUT : EX_DATAERR */
		goto out;
	}

	if (sb->cfg.smtp_maildir && sb->cfg.smtp_port_file &&
	    smtp_start(&sb->cfg, why, sizeof why)) {
		fprintf(stderr, "settle-sandbox: smtp: %s\n", why);
		rc = 71;
		goto out;
	}
	/* Block the stop signals in every thread; main takes them with sigwait. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)sb->cfg.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (delayer_start(&delayer)) {
		fprintf(stderr, "settle-sandbox: cannot start the delay timer\n");
		rc = 71;
		goto out;
	}
	sb->delayer = &delayer;
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
		(sb->cfg.verbose ? MHD_USE_ERROR_LOG : 0);
	for (int attempt = 0; attempt < 2 && !d; attempt++) {
		d = MHD_start_daemon(flags, (uint16_t)sb->cfg.port, NULL, NULL, on_request, sb,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				     MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)4,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4000,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
				     MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				     MHD_OPTION_END);
		/* No epoll (not Linux?): let libmicrohttpd pick. */
		flags = (flags & ~(unsigned)MHD_USE_EPOLL) | MHD_USE_AUTO;
	}
	if (!d) {
		fprintf(stderr, "settle-sandbox: cannot listen on 127.0.0.1:%u\n", sb->cfg.port);
		rc = 71;
		delayer_stop(&delayer);
		delayer_destroy(&delayer);
		goto out;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (!info || !info->port) {
		fprintf(stderr, "settle-sandbox: cannot learn the bound port\n");
		rc = 71;
		goto stop;
	}
	if (sb->cfg.port_file && write_port_file(sb->cfg.port_file, info->port)) {
		fprintf(stderr, "settle-sandbox: %s: %s\n", sb->cfg.port_file, strerror(errno));
		rc = 73;
		goto stop;
	}
	if (sb->cfg.verbose)
		fprintf(stderr, "sandbox listening=127.0.0.1:%u\n", info->port);
	while (sigwait(&set, &sig) == 0 && sig != SIGTERM && sig != SIGINT)
		;
stop:
	delayer_stop(&delayer);
	MHD_stop_daemon(d);
	delayer_destroy(&delayer);
out:
	faults_free(&sb->faults);
	state_free(&sb->st);
free_sb:
	free(sb);
	return rc;
}
