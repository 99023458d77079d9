/*
 * report_file.c — where a report goes: stdout, or a file written
 * atomically — a temp dot-file in the same directory (so rename stays on
 * one file system), flushed and fsync'ed, then renamed over the name and
 * the directory fsync'ed; on failure the temp file is removed. Files are
 * created 0600: a report may hold resident numbers (--with-rrn).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/report/report_out.h"
#include "adapters/report/sink_base.h"

struct report_file {
	FILE *fp;
	int own;                 /* a file of ours (not stdout) */
	char path[PATH_MAX], tmp[PATH_MAX], dir[PATH_MAX];
	struct report_sink *sink;
};

void report_sink_free(struct report_sink *s)
{
	if (s) {
		struct sink_base *b = (struct sink_base *)s;

		b->destroy(b);
	}
}

static void dir_of(const char *path, char *dir, size_t len)
{
	char copy[PATH_MAX];

	snprintf(copy, sizeof copy, "%s", path);
	snprintf(dir, len, "%s", dirname(copy));
}

int report_output_dir_ok(const char *field, const char *path, struct settle_err *err)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!path || !*path)
		return err_set(err, SETTLE_EX_USAGE, "%s needs a file name", field);
	if (strlen(path) >= PATH_MAX - 32)
		return err_set(err, SETTLE_EX_DATAERR, "%s is too long", field);
	if (path[strlen(path) - 1] == '/')
		return err_set(err, SETTLE_EX_DATAERR, "%s %s names a directory, not a file", field, path);
	dir_of(path, dir, sizeof dir);
	if (stat(dir, &st) < 0)
		return err_set(err, SETTLE_EX_NOINPUT, "%s %s: directory %s: %s", field, path, dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(err, SETTLE_EX_NOINPUT, "%s %s: %s is not a directory", field, path, dir);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return err_set(err, SETTLE_EX_DATAERR, "%s %s is a directory", field, path);
	return 0;
}

int report_file_open(const char *path, const struct report_out_opts *o, struct report_file **out,
		     struct settle_err *err)
{
	struct report_file *f = calloc(1, sizeof *f);
	char base[PATH_MAX];
	int fd;

	*out = NULL;
	if (!f)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	if (!path) {
		f->fp = stdout;
	} else {
		if (report_output_dir_ok("--output", path, err) < 0) {
			free(f);
			return -1;
		}
		snprintf(f->path, sizeof f->path, "%s", path);
		dir_of(path, f->dir, sizeof f->dir);
		snprintf(base, sizeof base, "%s", path);
		snprintf(f->tmp, sizeof f->tmp, "%s/.%s.XXXXXX", f->dir, basename(base));
		fd = mkstemp(f->tmp);
		if (fd < 0) {
			err_set(err, SETTLE_EX_CANTCREAT, "--output %s: cannot create a file in %s: %s", path, f->dir,
				strerror(errno));
			free(f);
			return -1;
		}
		f->fp = fdopen(fd, "w");
		if (!f->fp) {
			close(fd);
			unlink(f->tmp);
			free(f);
			return err_set(err, SETTLE_EX_OSERR, "--output %s: %s", path, strerror(errno));
		}
		f->own = 1;
	}
	setvbuf(f->fp, NULL, _IOFBF, 1 << 16);
	f->sink = o->format == REPORT_JSON ? json_sink_new(f->fp, o)
		  : o->format == REPORT_HTML ? html_sink_new(f->fp, o)
					     : csv_sink_new(f->fp, o);
	if (!f->sink) {
		report_file_close(f, 0, err);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	*out = f;
	return 0;
}

struct report_sink *report_file_sink(struct report_file *f)
{
	return f->sink;
}

int report_file_close(struct report_file *f, int commit, struct settle_err *err)
{
	int rc = 0;

	if (!f)
		return 0;
	report_sink_free(f->sink);
	if (!f->own) {
		if ((fflush(f->fp) != 0 || ferror(f->fp)) && commit)
			rc = err_set(err, SETTLE_EX_IOERR, "writing the report to stdout failed");
		free(f);
		return rc;
	}
	if (commit && (fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0))
		rc = err_set(err, SETTLE_EX_IOERR, "--output %s: write failed: %s", f->path, strerror(errno));
	if (fclose(f->fp) != 0 && commit && rc == 0)
		rc = err_set(err, SETTLE_EX_IOERR, "--output %s: write failed: %s", f->path, strerror(errno));
	if (commit && rc == 0) {
		if (rename(f->tmp, f->path) < 0) {
			rc = err_set(err, SETTLE_EX_CANTCREAT, "--output %s: %s", f->path, strerror(errno));
		} else {
			int dfd = open(f->dir, O_RDONLY | O_DIRECTORY);

			if (dfd >= 0) {
				fsync(dfd);
				close(dfd);
			}
		}
	}
	if (!commit || rc < 0)
		unlink(f->tmp);
	free(f);
	return rc;
}
