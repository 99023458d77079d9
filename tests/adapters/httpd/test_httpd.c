/*
 * test_httpd.c — the daemon base as systemd runs it: a passed listening
 * socket (LISTEN_FDS, fd 3) and a NOTIFY_SOCKET of the test's own; READY
 * and WATCHDOG are seen; SIGTERM with a request in flight still answers it
 * and exits 0; bodies over the limit get 413 and never reach the handler;
 * the work after the answer runs; a bad listen address is refused.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adapters/httpd/httpd.h"
#include "adapters/httpd/sdnotify.h"
#include "lib/daemon_proc.h"
#include "util/log.h"

/* The handler: /slow sleeps 600 ms; /echo answers the body's length and a
 * header; /after writes a marker file after answering. */
static void after_work(void *arg)
{
	FILE *f = fopen(arg, "w");

	if (f) {
		fputs("done", f);
		fclose(f);
	}
	free(arg);
}

static void handler(void *ctx, const struct httpd_request *req, struct httpd_response *resp)
{
	char buf[256];
	const char *h = httpd_header(req, "X-Test");
	(void)ctx;

	if (!strcmp(req->path, "/slow"))
		nanosleep(&(struct timespec){0, 600 * 1000000L}, NULL);
	if (!strcmp(req->path, "/after")) {
		resp->after = after_work;
		resp->after_arg = strdup(req->body);
	}
	snprintf(buf, sizeof buf, "{\"method\":\"%s\",\"path\":\"%s\",\"len\":%zu,\"x\":\"%s\"}", req->method,
		 req->path, req->body_len, h ? h : "");
	resp->status = 200;
	resp->body = strdup(buf);
	httpd_add_header(resp, "X-Served", "yes");
}

static int serve(void *arg)
{
	struct httpd_config cfg = {.body_max = 1024, .threads = 2, .stop_grace_ms = 5000, .handler = handler};
	struct settle_err err = {0};
	(void)arg;

	log_init("test-httpd", LOG_WARN);
	if (httpd_serve(&cfg, &err)) {
		fprintf(stderr, "serve: %s\n", err.msg);
		return err.code;
	}
	return 0;
}

Test(adapters_httpd, ready_then_requests_on_the_passed_socket)
{
	struct daemon_proc d;
	char body[4096];

	cr_assert_eq(daemon_start_fn(&d, serve, NULL, 0), 0);
	cr_assert_eq(daemon_wait_notify(&d, "READY=1", 5000), 0, "no READY=1");
	cr_assert_eq(daemon_http(&d, "POST", "/echo", "X-Test: hi\r\n", "{\"a\":1}", body, sizeof body), 200);
	cr_assert(strstr(body, "\"method\":\"POST\""), "%s", body);
	cr_assert(strstr(body, "\"path\":\"/echo\""), "%s", body);
	cr_assert(strstr(body, "\"len\":7"), "%s", body);
	cr_assert(strstr(body, "\"x\":\"hi\""), "%s", body);
	cr_assert_eq(daemon_http(&d, "GET", "/x", "", NULL, body, sizeof body), 200);
	cr_assert(strstr(body, "\"len\":0"), "%s", body);
	cr_assert_eq(daemon_stop(&d, 5000), 0);
}

Test(adapters_httpd, watchdog_is_fed)
{
	struct daemon_proc d;

	cr_assert_eq(daemon_start_fn(&d, serve, NULL, 200000), 0); /* 200 ms: a ping every 100 ms */
	cr_assert_eq(daemon_wait_notify(&d, "READY=1", 5000), 0);
	cr_assert_eq(daemon_wait_notify(&d, "WATCHDOG=1", 2000), 0, "no first WATCHDOG=1");
	cr_assert_eq(daemon_wait_notify(&d, "WATCHDOG=1", 2000), 0, "no second WATCHDOG=1");
	cr_assert_eq(daemon_stop(&d, 5000), 0);
}

struct slow_call {
	struct daemon_proc *d;
	int status;
	char body[512];
};

#include <pthread.h>
static void *slow_request(void *arg)
{
	struct slow_call *c = arg;

	c->status = daemon_http(c->d, "POST", "/slow", "", "{}", c->body, sizeof c->body);
	return NULL;
}

Test(adapters_httpd, sigterm_finishes_the_request_in_flight_and_exits_0)
{
	struct daemon_proc d;
	struct slow_call c = {&d, 0, ""};
	pthread_t t;
	int rc;

	cr_assert_eq(daemon_start_fn(&d, serve, NULL, 0), 0);
	cr_assert_eq(daemon_wait_notify(&d, "READY=1", 5000), 0);
	cr_assert_eq(pthread_create(&t, NULL, slow_request, &c), 0);
	nanosleep(&(struct timespec){0, 200 * 1000000L}, NULL); /* the request is in the handler now */
	kill(d.pid, SIGTERM);
	cr_assert_eq(daemon_wait_notify(&d, "STOPPING=1", 2000), 0, "no STOPPING=1");
	pthread_join(t, NULL);
	cr_assert_eq(c.status, 200, "the request in flight was not answered: %d", c.status);
	cr_assert(strstr(c.body, "\"path\":\"/slow\""), "%s", c.body);
	rc = daemon_wait(&d, 5000);
	cr_assert_eq(rc, 0, "exit status %d", rc);
}

Test(adapters_httpd, new_connections_are_refused_after_sigterm)
{
	struct daemon_proc d;
	struct slow_call c = {&d, 0, ""};
	char body[512];
	pthread_t t;

	cr_assert_eq(daemon_start_fn(&d, serve, NULL, 0), 0);
	cr_assert_eq(daemon_wait_notify(&d, "READY=1", 5000), 0);
	cr_assert_eq(pthread_create(&t, NULL, slow_request, &c), 0);
	nanosleep(&(struct timespec){0, 200 * 1000000L}, NULL);
	kill(d.pid, SIGTERM);
	cr_assert_eq(daemon_wait_notify(&d, "STOPPING=1", 2000), 0);
	nanosleep(&(struct timespec){0, 100 * 1000000L}, NULL);
	/* The test closed its copy of the passed socket, so the server's close
	 * leaves nothing listening (under systemd the socket unit keeps it and
	 * the connection waits for the next start). */
	cr_assert_eq(daemon_http(&d, "GET", "/late", "", NULL, body, sizeof body), 0, "%s", body);
	pthread_join(t, NULL);
	cr_assert_eq(c.status, 200);
	cr_assert_eq(daemon_wait(&d, 5000), 0);
}

Test(adapters_httpd, oversized_bodies_get_413_and_never_reach_the_handler)
{
	struct daemon_proc d;
	char *big = malloc(4096), resp[8192], req[8192];
	int n;

	memset(big, 'a', 4095);
	big[4095] = '\0';
	cr_assert_eq(daemon_start_fn(&d, serve, NULL, 0), 0);
	cr_assert_eq(daemon_wait_notify(&d, "READY=1", 5000), 0);
	/* Declared too large. */
	cr_assert_eq(daemon_http(&d, "POST", "/echo", "", big, resp, sizeof resp), 413, "%s", resp);
	cr_assert(strstr(resp, "BODY_TOO_LARGE"), "%s", resp);
	/* Chunked, so the size is only known while reading. */
	n = snprintf(req, sizeof req,
		     "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "400\r\n%.1024s\r\n400\r\n%.1024s\r\n0\r\n\r\n", big, big);
	cr_assert_eq(daemon_raw(&d, req, (size_t)n, resp, sizeof resp, 5000), 413, "%s", resp);
	cr_assert_null(strstr(resp, "\"path\""), "the handler saw it: %s", resp);
	/* Exactly at the limit is fine. */
	big[1024] = '\0';
	cr_assert_eq(daemon_http(&d, "POST", "/echo", "", big, resp, sizeof resp), 200, "%s", resp);
	cr_assert(strstr(resp, "\"len\":1024"), "%s", resp);
	free(big);
	cr_assert_eq(daemon_stop(&d, 5000), 0);
}

Test(adapters_httpd, after_work_runs_once_answered)
{
	struct daemon_proc d;
	char marker[64], resp[512], got[16] = "";
	FILE *f = NULL;

	snprintf(marker, sizeof marker, "/tmp/settle-after-%d", (int)getpid());
	unlink(marker);
	cr_assert_eq(daemon_start_fn(&d, serve, NULL, 0), 0);
	cr_assert_eq(daemon_wait_notify(&d, "READY=1", 5000), 0);
	cr_assert_eq(daemon_http(&d, "POST", "/after", "", marker, resp, sizeof resp), 200);
	for (int i = 0; i < 200 && !(f = fopen(marker, "r")); i++)
		nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
	cr_assert_not_null(f, "the after work did not run");
	cr_assert_not_null(fgets(got, sizeof got, f));
	fclose(f);
	cr_assert_str_eq(got, "done");
	unlink(marker);
	cr_assert_eq(daemon_stop(&d, 5000), 0);
}

Test(adapters_httpd, listen_addresses_outside_loopback_are_refused)
{
	static const char *const bad[] = {"0.0.0.0:8080", "10.0.0.1:80", "example.com:80", "127.0.0.1", "127.0.0.1:0",
					  "127.0.0.1:70000", "127.0.0.1:8x", ":80", "unix:relative.sock", ""};
	struct settle_err err = {0};

	unsetenv("LISTEN_FDS");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&err);
		cr_assert_eq(httpd_listen_socket(bad[i], &err), -1, "%s accepted", bad[i]);
		cr_assert_eq(err.code, SETTLE_EX_CONFIG, "%s: %d %s", bad[i], err.code, err.msg);
		cr_assert_null(strchr(err.msg, '\n'));
	}
}

Test(adapters_httpd, unix_and_loopback_addresses_listen)
{
	struct settle_err err = {0};
	char path[64];
	int fd;

	unsetenv("LISTEN_FDS");
	snprintf(path, sizeof path, "unix:/tmp/settle-httpd-%d.sock", (int)getpid());
	fd = httpd_listen_socket(path, &err);
	cr_assert_geq(fd, 0, "%s", err.msg);
	close(fd);
	unlink(path + 5);
}

Test(adapters_httpd, listen_fds_for_another_process_are_ignored)
{
	struct settle_err err = {0};

	setenv("LISTEN_FDS", "1", 1);
	setenv("LISTEN_PID", "1", 1);
	cr_assert_eq(sd_listen_fds(&err), 0);
	cr_assert_null(getenv("LISTEN_FDS"), "not unset");
	setenv("LISTEN_FDS", "x", 1);
	{
		char pid[16];

		snprintf(pid, sizeof pid, "%d", (int)getpid());
		setenv("LISTEN_PID", pid, 1);
	}
	cr_assert_eq(sd_listen_fds(&err), -1);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
}

Test(adapters_httpd, no_notify_socket_is_not_an_error)
{
	struct settle_err err = {0};

	unsetenv("NOTIFY_SOCKET");
	cr_assert_eq(sd_notify_send("READY=1", &err), 0);
	setenv("NOTIFY_SOCKET", "relative", 1);
	cr_assert_eq(sd_notify_send("READY=1", &err), -1);
	unsetenv("NOTIFY_SOCKET");
	setenv("WATCHDOG_USEC", "5000000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	cr_assert_eq(sd_watchdog_usec(), 0, "another process's watchdog");
	unsetenv("WATCHDOG_PID");
	cr_assert_eq(sd_watchdog_usec(), 5000000);
	unsetenv("WATCHDOG_USEC");
}
