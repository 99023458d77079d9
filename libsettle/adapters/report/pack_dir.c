/*
 * pack_dir.c — a month's pack as a directory: <base>/<YYYY-MM>/ with the
 * reports written atomically, the extras other parts leave for the month
 * copied in (each extra's <src_dir>/<YYYY-MM>/ regular files into
 * <name>/), and MANIFEST.sha256 last: "<sha256 hex>  <relative path>" per
 * file in name order, the format `sha256sum -c` checks (OpenSSL SHA-256).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/report/report_out.h"

#define PACK_MAX_FILES 256

struct pack_dir {
	struct report_pack port;
	char base[PATH_MAX - 64], dir[PATH_MAX], month[8];
	const struct pack_extra *extras;
	struct report_out_opts o;
	struct report_file *open_file;
};

static int mkdir_ok(const char *path, struct settle_err *err)
{
	if (mkdir(path, 0750) < 0 && errno != EEXIST)
		return err_set(err, SETTLE_EX_CANTCREAT, "[reports] dir: cannot create %s: %s", path, strerror(errno));
	return 0;
}

static int open_pack(void *self, const char *month, char *dir, size_t len, struct settle_err *err)
{
	struct pack_dir *p = self;
	struct stat st;

	snprintf(p->month, sizeof p->month, "%s", month);
	if (mkdir_ok(p->base, err) < 0)
		return -1;
	snprintf(p->dir, sizeof p->dir, "%s/%s", p->base, month);
	if (mkdir_ok(p->dir, err) < 0)
		return -1;
	if (stat(p->dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(err, SETTLE_EX_CANTCREAT, "[reports] dir: %s is not a directory", p->dir);
	snprintf(dir, len, "%s", p->dir);
	return 0;
}

static int file(void *self, const char *name, struct report_sink **out, struct settle_err *err)
{
	struct pack_dir *p = self;
	char path[PATH_MAX + 64];

	snprintf(path, sizeof path, "%s/%s", p->dir, name);
	if (report_file_open(path, &p->o, &p->open_file, err) < 0)
		return -1;
	*out = report_file_sink(p->open_file);
	return 0;
}

static int file_done(void *self, struct report_sink *s, int ok, struct settle_err *err)
{
	struct pack_dir *p = self;
	struct report_file *f = p->open_file;

	(void)s;
	p->open_file = NULL;
	return report_file_close(f, ok, err);
}

/* Copies src to dst through a temp file and rename. */
static int copy_file(const char *src, const char *dst, struct settle_err *err)
{
	char tmp[PATH_MAX + 80], buf[65536];
	FILE *in = fopen(src, "rb"), *out;
	size_t n;
	int fd, rc = 0;

	if (!in)
		return err_set(err, SETTLE_EX_NOINPUT, "pack: cannot read %s: %s", src, strerror(errno));
	snprintf(tmp, sizeof tmp, "%s.XXXXXX", dst);
	fd = mkstemp(tmp);
	out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!out) {
		if (fd >= 0)
			close(fd);
		fclose(in);
		return err_set(err, SETTLE_EX_CANTCREAT, "pack: cannot write %s: %s", dst, strerror(errno));
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	if (ferror(in) || fflush(out) != 0 || ferror(out) || fsync(fileno(out)) != 0)
		rc = err_set(err, SETTLE_EX_IOERR, "pack: copying %s failed", src);
	fclose(in);
	if (fclose(out) != 0 && rc == 0)
		rc = err_set(err, SETTLE_EX_IOERR, "pack: copying %s failed", src);
	if (rc == 0 && rename(tmp, dst) < 0)
		rc = err_set(err, SETTLE_EX_CANTCREAT, "pack: %s: %s", dst, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* The hook of the other finance parts: whatever they leave for the month
 * under their own directory (invoice-issue's outbox, the reconciliation)
 * travels with the pack. A missing month directory is no extra. */
static int extras(void *self, size_t *n, struct settle_err *err)
{
	struct pack_dir *p = self;

	*n = 0;
	for (const struct pack_extra *x = p->extras; x && x->name; x++) {
		char src[PATH_MAX], dst_dir[PATH_MAX + 64];
		DIR *d;
		struct dirent *e;

		if (!x->src_dir || !*x->src_dir)
			continue;
		snprintf(src, sizeof src, "%s/%s", x->src_dir, p->month);
		d = opendir(src);
		if (!d)
			continue;
		snprintf(dst_dir, sizeof dst_dir, "%s/%s", p->dir, x->name);
		if (mkdir_ok(dst_dir, err) < 0) {
			closedir(d);
			return -1;
		}
		while ((e = readdir(d))) {
			char from[PATH_MAX + 300], to[PATH_MAX + 400];
			struct stat st;

			if (e->d_name[0] == '.')
				continue;
			snprintf(from, sizeof from, "%s/%s", src, e->d_name);
			if (stat(from, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			snprintf(to, sizeof to, "%s/%s", dst_dir, e->d_name);
			if (copy_file(from, to, err) < 0) {
				closedir(d);
				return -1;
			}
			(*n)++;
		}
		closedir(d);
	}
	return 0;
}

static int sha256_file(const char *path, char hex[65], struct settle_err *err)
{
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *fp = fopen(path, "rb");
	size_t n;
	int ok;

	if (!ctx || !fp) {
		EVP_MD_CTX_free(ctx);
		if (fp)
			fclose(fp);
		return err_set(err, SETTLE_EX_IOERR, "pack: cannot read %s", path);
	}
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	while (ok && (n = fread(buf, 1, sizeof buf, fp)) > 0)
		ok = EVP_DigestUpdate(ctx, buf, n) == 1;
	ok = ok && !ferror(fp) && EVP_DigestFinal_ex(ctx, md, &len) == 1 && len == 32;
	fclose(fp);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return err_set(err, SETTLE_EX_IOERR, "pack: cannot hash %s", path);
	for (unsigned i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The pack's files (relative paths, one level of subdirectories). */
static int list(struct pack_dir *p, const char *sub, char **names, size_t *n, struct settle_err *err)
{
	char path[PATH_MAX + 64];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof path, "%s%s%s", p->dir, sub ? "/" : "", sub ? sub : "");
	d = opendir(path);
	if (!d)
		return err_set(err, SETTLE_EX_IOERR, "pack: cannot list %s", path);
	while ((e = readdir(d))) {
		char rel[600], full[PATH_MAX + 700];
		struct stat st;

		if (e->d_name[0] == '.' || (!sub && !strcmp(e->d_name, "MANIFEST.sha256")))
			continue;
		snprintf(rel, sizeof rel, "%s%s%s", sub ? sub : "", sub ? "/" : "", e->d_name);
		snprintf(full, sizeof full, "%s/%s", p->dir, rel);
		if (stat(full, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && !sub) {
			if (list(p, e->d_name, names, n, err) < 0) {
				closedir(d);
				return -1;
			}
		} else if (S_ISREG(st.st_mode)) {
			if (*n == PACK_MAX_FILES || !(names[*n] = strdup(rel))) {
				closedir(d);
				return err_set(err, SETTLE_EX_SOFTWARE, "pack: more than %d files", PACK_MAX_FILES);
			}
			(*n)++;
		}
	}
	closedir(d);
	return 0;
}

static int manifest(void *self, char sha[65], struct settle_err *err)
{
	struct pack_dir *p = self;
	char *names[PACK_MAX_FILES], path[PATH_MAX + 64], tmp[PATH_MAX + 64];
	size_t n = 0;
	FILE *out = NULL;
	int fd, rc = 0;

	if (list(p, NULL, names, &n, err) < 0)
		rc = -1;
	qsort(names, n, sizeof names[0], cmp);
	snprintf(path, sizeof path, "%s/MANIFEST.sha256", p->dir);
	snprintf(tmp, sizeof tmp, "%s/.MANIFEST.sha256.XXXXXX", p->dir);
	if (rc == 0) {
		fd = mkstemp(tmp);
		out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!out) {
			if (fd >= 0)
				close(fd);
			rc = err_set(err, SETTLE_EX_CANTCREAT, "pack: cannot write %s", path);
		}
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char hex[65], full[PATH_MAX + 700];

		snprintf(full, sizeof full, "%s/%s", p->dir, names[i]);
		if (sha256_file(full, hex, err) < 0)
			rc = -1;
		else
			fprintf(out, "%s  %s\n", hex, names[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	if (out) {
		if (rc == 0 && (fflush(out) != 0 || ferror(out) || fsync(fileno(out)) != 0))
			rc = err_set(err, SETTLE_EX_IOERR, "pack: writing %s failed", path);
		fclose(out);
		if (rc == 0 && rename(tmp, path) < 0)
			rc = err_set(err, SETTLE_EX_CANTCREAT, "pack: %s: %s", path, strerror(errno));
		if (rc < 0)
			unlink(tmp);
	}
	if (rc == 0)
		rc = sha256_file(path, sha, err);
	return rc;
}

struct report_pack *pack_dir_new(const char *base, const struct pack_extra *extras_list, const struct report_out_opts *o)
{
	struct pack_dir *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	snprintf(p->base, sizeof p->base, "%s", base);
	p->extras = extras_list;
	p->o = *o;
	p->port = (struct report_pack){p, open_pack, file, file_done, extras, manifest};
	return &p->port;
}

void pack_dir_free(struct report_pack *port)
{
	struct pack_dir *p = port ? port->self : NULL;

	if (!p)
		return;
	if (p->open_file)
		report_file_close(p->open_file, 0, NULL);
	free(p);
}
