/*
 * templates.c — reads templates/<lang>/<name>.txt for every notification
 * and language at the program's start (domain/notify_tmpl.h checks each),
 * so a missing template or one naming a fact that does not exist stops
 * settle-notify before anything is claimed.
 */
#include "adapters/notify/templates.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"

#define TEMPLATE_MAX (64 * 1024)

static int read_file(const char *path, char **out, struct settle_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	*out = NULL;
	if (!f)
		return err_set(err, SETTLE_EX_CONFIG, "template %s: %s", path, strerror(errno));
	buf = malloc(TEMPLATE_MAX + 1);
	if (!buf) {
		fclose(f);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	n = fread(buf, 1, TEMPLATE_MAX + 1, f);
	fclose(f);
	if (n > TEMPLATE_MAX) {
		free(buf);
		return err_set(err, SETTLE_EX_CONFIG, "template %s: longer than %d bytes", path, TEMPLATE_MAX);
	}
	buf[n] = '\0';
	if (validate_utf8(path, buf, n, err) < 0 || memchr(buf, '\0', n)) {
		free(buf);
		err->code = SETTLE_EX_CONFIG;
		return err->msg[0] ? -1 : err_set(err, SETTLE_EX_CONFIG, "template %s: holds a NUL byte", path);
	}
	*out = buf;
	return 0;
}

int notify_templates_load(const char *dir, struct notify_templates *ts, struct settle_err *err)
{
	memset(ts, 0, sizeof *ts);
	for (size_t i = 0; notify_templates[i]; i++)
		for (size_t l = 0; notify_langs[l]; l++) {
			char path[4200], *text;
			int rc;

			snprintf(path, sizeof path, "%s/%s/%s.txt", dir, notify_langs[l], notify_templates[i]);
			if (read_file(path, &text, err) < 0) {
				notify_templates_free(ts);
				return -1;
			}
			rc = notify_tmpl_parse(&ts->t[i][l], notify_templates[i], notify_langs[l], text, path, err);
			free(text);
			if (rc < 0) {
				notify_templates_free(ts);
				return -1;
			}
		}
	return 0;
}

void notify_templates_free(struct notify_templates *ts)
{
	for (size_t i = 0; i < 16; i++)
		for (size_t l = 0; l < 2; l++)
			notify_tmpl_free(&ts->t[i][l]);
}
