/* daemon_proc.c — see daemon_proc.h. */
#include "lib/daemon_proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/testdb.h"

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int prepare(struct daemon_proc *d, int *lfd)
{
	static int seq;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	socklen_t len = sizeof sa;
	int fd;

	memset(d, 0, sizeof *d);
	d->notify_fd = -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 128) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		perror("daemon_proc: listen");
		return -1;
	}
	d->port = ntohs(sa.sin_port);
	snprintf(d->base_url, sizeof d->base_url, "http://127.0.0.1:%d", d->port);
	snprintf(d->notify_path, sizeof d->notify_path, "/tmp/settle-notify-%d-%d", (int)getpid(), seq++);
	snprintf(d->log_path, sizeof d->log_path, "/tmp/settle-daemon-%d-%d.log", (int)getpid(), seq++);
	unlink(d->notify_path);
	strcpy(un.sun_path, d->notify_path);
	d->notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (d->notify_fd < 0 || bind(d->notify_fd, (struct sockaddr *)&un, sizeof un) < 0) {
		perror("daemon_proc: notify socket");
		close(fd);
		return -1;
	}
	*lfd = fd;
	return 0;
}

/* In the child: the listening socket to fd 3, the environment systemd sets. */
static void child_setup(struct daemon_proc *d, int lfd, unsigned long watchdog_usec)
{
	char buf[32];
	int logfd = open(d->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int devnull = open("/dev/null", O_RDONLY);

	if (lfd != 3) {
		dup2(lfd, 3);
		close(lfd);
	}
	dup2(devnull, 0);
	if (logfd >= 0)
		dup2(logfd, 2);
	/* Close what the test runner left open beyond 3 (its pipes). */
	for (int fd = 4; fd < 1024; fd++)
		if (fd != 2)
			close(fd);
	snprintf(buf, sizeof buf, "%d", (int)getpid());
	setenv("LISTEN_PID", buf, 1);
	setenv("LISTEN_FDS", "1", 1);
	setenv("NOTIFY_SOCKET", d->notify_path, 1);
	if (watchdog_usec) {
		snprintf(buf, sizeof buf, "%lu", watchdog_usec);
		setenv("WATCHDOG_USEC", buf, 1);
	} else {
		unsetenv("WATCHDOG_USEC");
	}
	unsetenv("WATCHDOG_PID");
}

int daemon_start(struct daemon_proc *d, const char *const argv[], const char *config, const char *const env[],
		 unsigned long watchdog_usec)
{
	char path[1024];
	int lfd;

	if (prepare(d, &lfd))
		return -1;
	snprintf(path, sizeof path, "%s/%s", test_bin_dir(), argv[0]);
	fflush(NULL);
	d->pid = fork();
	if (d->pid < 0)
		return -1;
	if (d->pid == 0) {
		child_setup(d, lfd, watchdog_usec);
		if (config)
			setenv("SETTLE_CONFIG", config, 1);
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)(uintptr_t)env[i]);
		execv(path, (char *const *)(uintptr_t)argv);
		fprintf(stderr, "exec %s failed\n", path);
		_exit(127);
	}
	close(lfd);
	return 0;
}

int daemon_start_fn(struct daemon_proc *d, int (*fn)(void *), void *arg, unsigned long watchdog_usec)
{
	int lfd;

	if (prepare(d, &lfd))
		return -1;
	fflush(NULL);
	d->pid = fork();
	if (d->pid < 0)
		return -1;
	if (d->pid == 0) {
		child_setup(d, lfd, watchdog_usec);
		_exit(fn(arg));
	}
	close(lfd);
	return 0;
}

int daemon_wait_notify(struct daemon_proc *d, const char *msg, long timeout_ms)
{
	long end = now_ms() + timeout_ms;
	char buf[512];

	for (;;) {
		long left = end - now_ms();
		struct pollfd p = {d->notify_fd, POLLIN, 0};
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		n = recv(d->notify_fd, buf, sizeof buf - 1, 0);
		if (n < 0)
			return -1;
		buf[n] = '\0';
		if (strstr(buf, msg))
			return 0;
	}
}

int daemon_wait(struct daemon_proc *d, long timeout_ms)
{
	long end = now_ms() + timeout_ms;
	int status, rc = -1;

	if (!d->pid)
		return -1;
	for (;;) {
		pid_t w = waitpid(d->pid, &status, WNOHANG);

		if (w == d->pid) {
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
		if (now_ms() >= end) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &status, 0);
			break;
		}
		nanosleep(&(struct timespec){0, 10 * 1000000}, NULL);
	}
	d->pid = 0;
	if (d->notify_fd >= 0)
		close(d->notify_fd);
	d->notify_fd = -1;
	unlink(d->notify_path);
	return rc;
}

int daemon_stop(struct daemon_proc *d, long timeout_ms)
{
	if (!d->pid)
		return -1;
	kill(d->pid, SIGTERM);
	return daemon_wait(d, timeout_ms);
}

void daemon_log(const struct daemon_proc *d, char *out, size_t len)
{
	FILE *f = fopen(d->log_path, "r");
	size_t n = 0;

	if (f) {
		n = fread(out, 1, len - 1, f);
		fclose(f);
	}
	out[n] = '\0';
}

int daemon_raw(const struct daemon_proc *d, const char *raw, size_t raw_len, char *resp, size_t resp_len,
	       long timeout_ms)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)d->port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	long end = now_ms() + timeout_ms;
	size_t got = 0, sent = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), status = 0;

	resp[0] = '\0';
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (sent < raw_len) {
		ssize_t n = send(fd, raw + sent, raw_len - sent, MSG_NOSIGNAL);

		if (n <= 0)
			break; /* the server may answer (413) and close before reading all */
		sent += (size_t)n;
	}
	for (;;) {
		long left = end - now_ms();
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		n = recv(fd, resp + got, resp_len - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got >= resp_len - 1)
			break;
	}
	resp[got] = '\0';
	close(fd);
	if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1)
		status = 0;
	return status;
}

int daemon_http(const struct daemon_proc *d, const char *method, const char *path, const char *headers,
		const char *body, char *body_out, size_t body_len)
{
	size_t blen = body ? strlen(body) : 0, cap = blen + strlen(path) + strlen(headers ? headers : "") + 256;
	char *req = malloc(cap), *resp = malloc(1 << 20);
	const char *b;
	int n, status;

	if (!req || !resp) {
		free(req);
		free(resp);
		return 0;
	}
	n = snprintf(req, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%sContent-Length: %zu\r\n\r\n%s",
		     method, path, headers ? headers : "", blen, body ? body : "");
	status = daemon_raw(d, req, (size_t)n, resp, 1 << 20, 10000);
	b = strstr(resp, "\r\n\r\n");
	if (body_out && body_len)
		snprintf(body_out, body_len, "%s", b ? b + 4 : "");
	free(req);
	free(resp);
	return status;
}
