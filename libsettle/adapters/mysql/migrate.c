/*
 * migrate.c — ordered, checksummed schema migrations.
 *
 * MySQL commits DDL implicitly, so a migration cannot be rolled back as a
 * whole; that is why every check happens before the first file is applied,
 * and why a file is recorded only after all its statements succeeded.
 */
#include "adapters/mysql/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/mysql/db.h"
#include "util/sha256.h"

struct file_entry {
	char name[128];
	char version[8];
	char checksum[65];
	char *text;
	size_t len;
};

static int valid_name(const char *n)
{
	size_t len = strlen(n);

	if (len < 9 || len > 100 || strcmp(n + len - 4, ".sql"))
		return 0;
	for (int i = 0; i < 3; i++)
		if (n[i] < '0' || n[i] > '9')
			return 0;
	if (n[3] != '_')
		return 0;
	for (size_t i = 4; i < len - 4; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') || n[i] == '_'))
			return 0;
	return 1;
}

static int cmp_files(const void *a, const void *b)
{
	return strcmp(((const struct file_entry *)a)->name, ((const struct file_entry *)b)->name);
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
	unsigned char md[32];

	sha256(data, len, md);
	for (unsigned i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	out[64] = '\0';
}

static int read_file(const char *path, char **text, size_t *len, struct settle_err *err)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (!f)
		return err_set(err, SETTLE_EX_NOINPUT, "%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return err_set(err, SETTLE_EX_IOERR, "%s: cannot size file", path);
	}
	*text = malloc((size_t)size + 1);
	if (!*text) {
		fclose(f);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	*len = fread(*text, 1, (size_t)size, f);
	fclose(f);
	(*text)[*len] = '\0';
	return 0;
}

static void free_files(struct file_entry *files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i].text);
	free(files);
}

static int list_files(const char *dir, struct file_entry **out, size_t *n, struct settle_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct file_entry *files = NULL;
	size_t count = 0, cap = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return err_set(err, SETTLE_EX_NOINPUT, "schema directory %s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char path[4096];

		if (len < 4 || strcmp(de->d_name + len - 4, ".sql"))
			continue;
		if (!valid_name(de->d_name)) {
			/* de points into d: report before closedir frees it. */
			err_set(err, SETTLE_EX_DATAERR, "%s/%s: not a migration name (NNN_lower_case.sql)", dir,
				de->d_name);
			closedir(d);
			free_files(files, count);
			return -1;
		}
		if (count == cap) {
			struct file_entry *grown = realloc(files, (cap = cap ? cap * 2 : 16) * sizeof *files);

			if (!grown) {
				closedir(d);
				free_files(files, count);
				return err_set(err, SETTLE_EX_OSERR, "out of memory");
			}
			files = grown;
		}
		memset(&files[count], 0, sizeof files[count]);
		snprintf(files[count].name, sizeof files[count].name, "%s", de->d_name);
		memcpy(files[count].version, de->d_name, 3);
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (read_file(path, &files[count].text, &files[count].len, err) < 0) {
			closedir(d);
			free_files(files, count);
			return -1;
		}
		sha256_hex(files[count].text, files[count].len, files[count].checksum);
		count++;
	}
	closedir(d);
	/* An empty directory is a wrong --schema-dir or a broken install, not a
	 * schema with nothing to apply: say so rather than report "0 applied"
	 * (and never hand qsort a null base, which UBSan rightly refuses). */
	if (count == 0)
		return err_set(err, SETTLE_EX_NOINPUT, "schema directory %s holds no migrations (NNN_name.sql)", dir);
	qsort(files, count, sizeof *files, cmp_files);
	for (size_t i = 1; i < count; i++)
		if (!strcmp(files[i].version, files[i - 1].version)) {
			err_set(err, SETTLE_EX_DATAERR, "%s/%s and %s share version %s", dir, files[i - 1].name,
				files[i].name, files[i].version);
			free_files(files, count);
			return -1;
		}
	*out = files;
	*n = count;
	return 0;
}

static int ensure_table(struct db *db, struct settle_err *err)
{
	return db_simple(db,
			 "CREATE TABLE IF NOT EXISTS schema_migrations ("
			 " version CHAR(3) NOT NULL PRIMARY KEY,"
			 " name VARCHAR(128) NOT NULL,"
			 " checksum CHAR(64) NOT NULL,"
			 " applied_at DATETIME(6) NOT NULL"
			 ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
			 err);
}

int migrate_status(struct db *db, const char *dir, struct migration_status **out, size_t *n,
		   struct settle_err *err)
{
	struct file_entry *files;
	struct migration_status *st = NULL;
	size_t nf, count = 0, cap;
	struct db_cursor *c;
	char version[8], name[128], checksum[65], at[32];
	int rc;

	*out = NULL;
	*n = 0;
	if (ensure_table(db, err) < 0 || list_files(dir, &files, &nf, err) < 0)
		return -1;
	cap = nf + 16;
	st = calloc(cap, sizeof *st);
	if (!st) {
		free_files(files, nf);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	for (size_t i = 0; i < nf; i++) {
		snprintf(st[count].version, sizeof st[count].version, "%s", files[i].version);
		snprintf(st[count].name, sizeof st[count].name, "%s", files[i].name);
		snprintf(st[count].checksum, sizeof st[count].checksum, "%s", files[i].checksum);
		count++;
	}
	if (db_query(db, &c,
		     "SELECT version, name, checksum, DATE_FORMAT(applied_at, '%Y-%m-%dT%H:%i:%sZ') "
		     "FROM schema_migrations ORDER BY version",
		     DB_NOPARAMS, DB_COLS(DC_S(version), DC_S(name), DC_S(checksum), DC_S(at)), err) < 0) {
		free(st);
		free_files(files, nf);
		return -1;
	}
	while ((rc = db_fetch(c, err)) == 1) {
		size_t i;

		for (i = 0; i < count; i++)
			if (!strcmp(st[i].version, version))
				break;
		if (i == count) {
			if (count == cap) {
				struct migration_status *grown = realloc(st, (cap *= 2) * sizeof *st);

				if (!grown) {
					rc = err_set(err, SETTLE_EX_OSERR, "out of memory");
					break;
				}
				st = grown;
			}
			memset(&st[count], 0, sizeof st[count]);
			snprintf(st[count].version, sizeof st[count].version, "%s", version);
			snprintf(st[count].name, sizeof st[count].name, "%s", name);
			st[count].missing = true;
			count++;
		} else if (strcmp(st[i].checksum, checksum) || strcmp(st[i].name, name)) {
			st[i].changed = true;
		}
		st[i].applied = true;
		snprintf(st[i].applied_at, sizeof st[i].applied_at, "%s", at);
		snprintf(st[i].checksum, sizeof st[i].checksum, "%s", checksum);
	}
	db_cursor_close(c);
	free_files(files, nf);
	if (rc < 0) {
		free(st);
		return -1;
	}
	*out = st;
	*n = count;
	return 0;
}

int migrate_apply(struct db *db, const char *dir, const char *now, bool dry_run, size_t *applied,
		  struct settle_err *err)
{
	struct migration_status *st;
	struct file_entry *files;
	size_t n, nf;

	*applied = 0;
	if (migrate_status(db, dir, &st, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (st[i].changed || st[i].missing) {
			err_set(err, SETTLE_EX_DATAERR,
				"migration %s was applied but the file %s; nothing applied (write a new migration "
				"instead of editing an applied one)",
				st[i].name, st[i].missing ? "is missing" : "has changed since");
			free(st);
			return -1;
		}
	}
	free(st);
	if (list_files(dir, &files, &nf, err) < 0)
		return -1;
	for (size_t i = 0; i < nf; i++) {
		int64_t done = 0;

		if (db_query_one(db, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
				 DB_PARAMS(DB_S(files[i].version)), DB_COLS(DC_I(&done)), err) < 0)
			goto fail;
		if (done)
			continue;
		if (dry_run) {
			(*applied)++;
			continue;
		}
		if (db_run_script(db, files[i].text, files[i].len, err) < 0) {
			err_prefix(err, "applying %s", files[i].name);
			goto fail;
		}
		if (db_exec(db, "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?,?,?,?)",
			    DB_PARAMS(DB_S(files[i].version), DB_S(files[i].name), DB_S(files[i].checksum),
				      DB_S(now)),
			    NULL, NULL, err) < 0)
			goto fail;
		(*applied)++;
	}
	free_files(files, nf);
	return 0;
fail:
	free_files(files, nf);
	return -1;
}
