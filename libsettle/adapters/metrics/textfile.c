/* textfile.c — Prometheus text format files, written atomically (see textfile.h). */
#include "adapters/metrics/textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void add(struct textfile *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->text + t->len, sizeof t->text - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof t->text - t->len) {
		t->overflow = 1;
		t->text[t->len] = '\0';
		return;
	}
	t->len += (size_t)n;
}

void textfile_family(struct textfile *t, const char *name, const char *type, const char *help)
{
	add(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void textfile_sample(struct textfile *t, const char *name, const char *labels, const char *value)
{
	add(t, labels && *labels ? "%s{%s} %s\n" : "%s%s %s\n", name, labels && *labels ? labels : "", value);
}

int textfile_write(const char *dir, const char *job, const struct textfile *t, struct settle_err *err)
{
	char tmp[PATH_MAX], final[PATH_MAX];
	size_t off = 0;
	int fd;

	if (t->overflow)
		return err_set(err, SETTLE_EX_SOFTWARE, "metrics: more series than the file holds");
	if ((size_t)snprintf(final, sizeof final, "%s/settle_%s.prom", dir, job) >= sizeof final ||
	    (size_t)snprintf(tmp, sizeof tmp, "%s/.settle_%s.prom.XXXXXX", dir, job) >= sizeof tmp)
		return err_set(err, SETTLE_EX_CONFIG, "metrics: [metrics] textfile_dir %s is too long", dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return err_set(err, SETTLE_EX_CANTCREAT, "metrics: cannot write in %s: %s", dir, strerror(errno));
	while (off < t->len) {
		ssize_t n = write(fd, t->text + off, t->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_set(err, SETTLE_EX_IOERR, "metrics: writing %s: %s", tmp, n < 0 ? strerror(errno) : "short write");
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)n;
	}
	/* mkstemp made it 0600; the collector runs as another user. */
	int chmod_rc = fchmod(fd, 0644);

	if (close(fd) < 0 || chmod_rc < 0) {
		err_set(err, SETTLE_EX_IOERR, "metrics: %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, final) < 0) {
		err_set(err, SETTLE_EX_CANTCREAT, "metrics: cannot rename to %s: %s", final, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
