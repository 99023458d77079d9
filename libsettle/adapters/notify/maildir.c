/*
 * maildir.c — the maildir mailer: each message is written to tmp/ and
 * renamed into new/ (the maildir delivery rule, so a reader never sees half
 * a message). The file name is the Message-ID's hash, so a resend of the
 * same notification replaces its own file instead of adding a second.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/notify/mailers.h"
#include "adapters/notify/mime.h"

struct maildir {
	struct mailer_port port;
	const struct clock_port *clock;
	char dir[4096], from[255], from_name[101];
};

static int send_md(void *self, const struct mail *m, struct settle_err *err)
{
	struct maildir *d = self;
	char *msg = NULL, mid[128], tmp[4400], dst[4400];
	size_t len = 0, off = 0;
	int fd;

	if (mime_build(m, d->from, d->from_name, d->clock->now_us(d->clock->self), &msg, &len, err) < 0)
		return -1;
	mime_message_id(m->key, "x", mid, sizeof mid);
	snprintf(tmp, sizeof tmp, "%s/tmp/%.32s.%ld", d->dir, mid + 1, (long)getpid());
	snprintf(dst, sizeof dst, "%s/new/%.32s", d->dir, mid + 1);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(msg);
		return err_set(err, SETTLE_EX_TEMPFAIL, "maildir %s: %s", d->dir, strerror(errno));
	}
	while (off < len) {
		ssize_t w = write(fd, msg + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	free(msg);
	if (off < len || fsync(fd) < 0 || close(fd) < 0 || rename(tmp, dst) < 0) {
		int e = errno;

		unlink(tmp);
		return err_set(err, SETTLE_EX_TEMPFAIL, "maildir %s: %s", d->dir, strerror(e));
	}
	return 0;
}

static void destroy_md(void *self)
{
	free(self);
}

struct mailer_port *mailer_maildir_new(const struct mailer_config *cfg, const struct clock_port *clock,
				       struct settle_err *err)
{
	struct maildir *d;
	char sub[4400];

	if (!cfg->maildir || !cfg->maildir[0] || strlen(cfg->maildir) >= 4000) {
		err_set(err, SETTLE_EX_CONFIG, "[notify] maildir is not set");
		return NULL;
	}
	if (mime_address_ok("[notify] from", cfg->from ? cfg->from : "", err) < 0) {
		err->code = SETTLE_EX_CONFIG;
		return NULL;
	}
	for (int i = 0; i < 4; i++) {
		static const char *const parts[] = {"", "/tmp", "/new", "/cur"};

		snprintf(sub, sizeof sub, "%s%s", cfg->maildir, parts[i]);
		if (mkdir(sub, 0700) < 0 && errno != EEXIST) {
			err_set(err, SETTLE_EX_CONFIG, "[notify] maildir %s: %s", sub, strerror(errno));
			return NULL;
		}
	}
	if (!(d = calloc(1, sizeof *d))) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		return NULL;
	}
	d->clock = clock;
	snprintf(d->dir, sizeof d->dir, "%s", cfg->maildir);
	snprintf(d->from, sizeof d->from, "%s", cfg->from);
	snprintf(d->from_name, sizeof d->from_name, "%s", cfg->from_name ? cfg->from_name : "settle");
	d->port = (struct mailer_port){d, send_md, destroy_md};
	return &d->port;
}
