/*
 * daemon_proc.h — running a daemon from a test the way systemd does:
 * a listening socket on a free loopback port passed as fd 3 (LISTEN_FDS=1,
 * LISTEN_PID=the child) and a NOTIFY_SOCKET of the test's own, so a test
 * sees READY=1, WATCHDOG=1 and STOPPING=1 and stops the daemon with
 * SIGTERM.
 *
 * Rule: a test owns its daemon: daemon_start() forks it, daemon_stop()
 * ends it and reaps it; nothing is shared between tests.
 */
#ifndef SETTLE_TESTS_DAEMON_PROC_H
#define SETTLE_TESTS_DAEMON_PROC_H

#include <stddef.h>
#include <sys/types.h>

struct daemon_proc {
	pid_t pid;              /* 0 when not running */
	int notify_fd;          /* our end of NOTIFY_SOCKET */
	char notify_path[108];
	int port;
	char base_url[64];      /* "http://127.0.0.1:PORT" */
	char log_path[64];      /* the daemon's stderr */
};

/* Runs $SETTLE_BIN_DIR/argv[0] with argv, the extra "KEY=VALUE" env
 * (NULL-ended, may be NULL) and, when config is not NULL, SETTLE_CONFIG.
 * WATCHDOG_USEC is set to watchdog_usec when non-zero. 0 or -1. */
int daemon_start(struct daemon_proc *d, const char *const argv[], const char *config,
		 const char *const env[], unsigned long watchdog_usec);
/* The same, running fn(arg) in the forked child instead of a program; the
 * child exits with fn's return value. */
int daemon_start_fn(struct daemon_proc *d, int (*fn)(void *), void *arg, unsigned long watchdog_usec);

/* Waits up to timeout_ms for a notify datagram containing msg: 0 or -1. */
int daemon_wait_notify(struct daemon_proc *d, const char *msg, long timeout_ms);

/* SIGTERM, then waits up to timeout_ms: the exit status (0–255), 128+signal
 * when killed, or -1 when it did not end (it is then killed). */
int daemon_stop(struct daemon_proc *d, long timeout_ms);
/* Waits for the process to end without signalling it (same results). */
int daemon_wait(struct daemon_proc *d, long timeout_ms);

/* The daemon's stderr so far (cut to len - 1). */
void daemon_log(const struct daemon_proc *d, char *out, size_t len);

/*
 * One request over a raw loopback socket, so a test controls every byte:
 * sends `raw` as is and reads the answer until the server closes the
 * connection or timeout_ms passes. Returns the HTTP status (0 when none)
 * and copies the whole answer (headers and body) to resp.
 */
int daemon_raw(const struct daemon_proc *d, const char *raw, size_t raw_len, char *resp, size_t resp_len,
	       long timeout_ms);
/* A POST (body may be NULL for a GET) with extra header lines ("Name: v\r\n" each, may be ""); the
 * answer body is copied to body_out. Returns the status (0 on failure). */
int daemon_http(const struct daemon_proc *d, const char *method, const char *path, const char *headers,
		const char *body, char *body_out, size_t body_len);

#endif
