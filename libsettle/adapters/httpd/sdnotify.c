/* sdnotify.c — see sdnotify.h. */
#include "adapters/httpd/sdnotify.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int sd_notify_send(const char *msg, struct settle_err *err)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t plen;
	socklen_t salen;
	ssize_t n;
	int fd;

	if (!path || !*path)
		return 0;
	plen = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || plen >= sizeof sa.sun_path)
		return err_set(err, SETTLE_EX_OSERR, "NOTIFY_SOCKET is neither an absolute path nor @abstract");
	memcpy(sa.sun_path, path, plen);
	if (path[0] == '@')
		sa.sun_path[0] = '\0'; /* abstract namespace: no trailing NUL counted */
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + (path[0] == '/'));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(err, SETTLE_EX_OSERR, "notify socket: %s", strerror(errno));
	do
		n = sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;

		close(fd);
		return err_set(err, SETTLE_EX_OSERR, "sending to NOTIFY_SOCKET: %s", strerror(e));
	}
	close(fd);
	return 0;
}

static int env_u64(const char *name, uint64_t *out)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (!s || !*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

uint64_t sd_watchdog_usec(void)
{
	uint64_t usec, pid;

	if (env_u64("WATCHDOG_USEC", &usec) || usec == 0)
		return 0;
	if (getenv("WATCHDOG_PID") && (env_u64("WATCHDOG_PID", &pid) || pid != (uint64_t)getpid()))
		return 0;
	return usec;
}

int sd_listen_fds(struct settle_err *err)
{
	uint64_t pid, n;
	int rc = 0;

	if (!getenv("LISTEN_FDS"))
		goto out;
	if (env_u64("LISTEN_PID", &pid) || pid != (uint64_t)getpid())
		goto out; /* inherited from a parent: not ours */
	if (env_u64("LISTEN_FDS", &n) || n > 64) {
		rc = err_set(err, SETTLE_EX_CONFIG, "LISTEN_FDS is not a small number");
		goto out;
	}
	for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + (int)n; fd++) {
		int fl = fcntl(fd, F_GETFD);

		if (fl < 0) {
			rc = err_set(err, SETTLE_EX_CONFIG, "LISTEN_FDS names fd %d, which is not open", fd);
			goto out;
		}
		(void)fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
	}
	rc = (int)n;
out:
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDNAMES");
	return rc;
}
