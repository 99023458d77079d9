/*
 * bulk_file.c — the bulk-transfer CSV writer behind struct bank_port (see
 * bulk_file.h). Its one rule: the bytes holding account numbers (stdio's
 * buffer, which this file provides) are wiped once the file is closed.
 */
#include "adapters/bank/bulk_file.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "adapters/bank/bank_common.h"

#define HOLDER_MAX 60   /* bytes of UTF-8: 20 Hangul syllables */
#define MEMO_MAX 60
#define ACCOUNT_MIN 6
#define ACCOUNT_MAX 32

struct bulk_file {
	struct bank_port port;
	char *dir;
	long long (*now)(void);
};

static void bulk_destroy(void *self)
{
	struct bulk_file *b = self;

	if (!b)
		return;
	free(b->dir);
	free(b);
}

static void bulk_status(void *self, const struct payout_order *order, struct bank_result *res)
{
	(void)self;
	memset(res, 0, sizeof *res);
	bank_result_set(res, BANK_IN_DOUBT, BANK_ST_UNKNOWN, "ASK_RESULT_FILE",
			"payout %s: a bulk transfer is known only from the bank's result file",
			order && order->payout_id ? order->payout_id : "?");
}

/* A spreadsheet would run a cell starting with one of these as a formula;
 * operators open these files, so such text is refused, never rewritten. */
static int formula_start(const char *s)
{
	return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
}

static int refuse(struct bank_result *res, const char *id, const char *what)
{
	bank_result_set(res, BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST", "payout %s: %s", id, what);
	return -1;
}

static int order_ok(const struct payout_order *o, struct bank_result *res)
{
	size_t n;

	if (bank_order_check(o, res) < 0)
		return -1;
	if (!o->bank_code || strlen(o->bank_code) != 3 || strspn(o->bank_code, "0123456789") != 3)
		return refuse(res, o->payout_id, "bank code must be 3 digits");
	n = o->account ? strlen(o->account) : 0;
	if (n < ACCOUNT_MIN || n > ACCOUNT_MAX || strspn(o->account, "0123456789-") != n || o->account[0] == '-')
		return refuse(res, o->payout_id, "account number must be 6..32 digits (hyphens allowed inside)");
	if (!o->holder || !o->holder[0] || !bank_text_ok(o->holder, HOLDER_MAX) || formula_start(o->holder))
		return refuse(res, o->payout_id,
			      "holder must be 1..60 bytes of UTF-8 without control characters, not starting with = + - @");
	if (o->memo && (!bank_text_ok(o->memo, MEMO_MAX) || formula_start(o->memo)))
		return refuse(res, o->payout_id,
			      "memo must be at most 60 bytes of UTF-8 without control characters, not starting with = + - @");
	return 0;
}

static int put_field(FILE *f, const char *s, int last)
{
	if (csv_fwrite(f, s, strlen(s)) != 0)
		return -1;
	return fputs(last ? "\r\n" : ",", f) == EOF ? -1 : 0;
}

static int write_rows(FILE *f, const struct payout_order *orders, size_t n, const int *ok)
{
	char amount[24];

	if (fputs("bank_code,account_number,holder,amount,memo,payout_id\r\n", f) == EOF)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct payout_order *o = &orders[i];

		if (!ok[i])
			continue;
		snprintf(amount, sizeof amount, "%lld", (long long)o->amount);
		if (put_field(f, o->bank_code, 0) || put_field(f, o->account, 0) || put_field(f, o->holder, 0) ||
		    put_field(f, amount, 0) || put_field(f, o->memo ? o->memo : "", 0) ||
		    put_field(f, o->payout_id, 1))
			return -1;
	}
	return 0;
}

/* Writes the temp file; 0, or -1 with errno. */
static int write_temp(int fd, const struct payout_order *orders, size_t n, const int *ok)
{
	static const size_t bufsz = 1 << 16;
	char *buf = malloc(bufsz);
	FILE *f;
	int rc = -1, saved = 0;

	if (!buf)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		saved = errno;
		free(buf);
		close(fd);
		errno = saved;
		return -1;
	}
	setvbuf(f, buf, _IOFBF, bufsz);
	if (write_rows(f, orders, n, ok) == 0 && fflush(f) == 0 && fsync(fileno(f)) == 0)
		rc = 0;
	saved = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	OPENSSL_cleanse(buf, bufsz);
	free(buf);
	errno = saved;
	return rc;
}

/* Links tmp to its final name without replacing anything; fills name. */
static int publish(const char *dir, const char *tmp, const char *base, char *name, size_t name_len)
{
	char path[4096];

	for (int k = 1; k <= 100; k++) {
		if (k == 1)
			snprintf(name, name_len, "%s.csv", base);
		else
			snprintf(name, name_len, "%s-%d.csv", base, k);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (link(tmp, path) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static void bulk_send(void *self, const struct payout_order *orders, size_t n, struct bank_result *results)
{
	struct bulk_file *b = self;
	int *ok = calloc(n ? n : 1, sizeof *ok), fd = -1;
	const char *first = NULL, *step = "";
	char tmp[4096], base[128], name[160], stamp[20];
	size_t line = 1, valid = 0;
	time_t t;
	struct tm tm;

	for (size_t i = 0; i < n; i++) {
		memset(&results[i], 0, sizeof results[i]);
		if (n > BULK_FILE_MAX_BATCH) {
			bank_result_set(&results[i], BANK_REFUSED, BANK_ST_FAILED, "INVALID_REQUEST",
					"batch of %zu payouts is larger than %d", n, BULK_FILE_MAX_BATCH);
			continue;
		}
		if (!ok) {
			bank_result_set(&results[i], BANK_IN_DOUBT, BANK_ST_UNKNOWN, "WRITE_FAILED", "out of memory");
			continue;
		}
		if (order_ok(&orders[i], &results[i]) < 0)
			continue;
		for (size_t j = 0; j < i && ok[i] == 0; j++)
			if (ok[j] && !strcmp(orders[j].payout_id, orders[i].payout_id))
				ok[i] = -1;
		if (ok[i] < 0) {
			ok[i] = 0;
			refuse(&results[i], orders[i].payout_id, "appears twice in the batch");
			continue;
		}
		ok[i] = 1;
		valid++;
		if (!first)
			first = orders[i].payout_id;
	}
	if (!valid || n > BULK_FILE_MAX_BATCH) {
		free(ok);
		return;
	}

	t = (time_t)(b->now ? b->now() : (long long)time(NULL));
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(base, sizeof base, "payouts-%s-%s", stamp, first);
	snprintf(tmp, sizeof tmp, "%s/.%s.tmp-XXXXXX", b->dir, base);
	step = "create a temp file";
	fd = mkstemp(tmp); /* mode 0600 */
	if (fd < 0)
		goto fail;
	step = "write";
	if (fchmod(fd, 0600) != 0 || write_temp(fd, orders, n, ok) != 0) {
		int e = errno;

		unlink(tmp);
		errno = e;
		goto fail;
	}
	step = "name the file";
	if (publish(b->dir, tmp, base, name, sizeof name) != 0) {
		int e = errno;

		unlink(tmp);
		errno = e;
		goto fail;
	}
	unlink(tmp);
	step = "sync the directory";
	if (fsync_dir(b->dir) != 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		line++;
		bank_result_set(&results[i], BANK_OK, BANK_ST_ACCEPTED, "", "written to %s line %zu", name, line);
		snprintf(results[i].reference, sizeof results[i].reference, "%s:%zu", name, line);
	}
	free(ok);
	return;
fail:
	for (size_t i = 0; i < n; i++)
		if (ok[i])
			bank_result_set(&results[i], BANK_IN_DOUBT, BANK_ST_UNKNOWN, "WRITE_FAILED",
					"outbox %s: cannot %s: %s", b->dir, step, strerror(errno));
	free(ok);
}

struct bank_port *bulk_file_new(const struct bulk_file_config *cfg, struct settle_err *err)
{
	struct bulk_file *b;
	struct stat st;

	if (!cfg || !cfg->outbox_dir || !cfg->outbox_dir[0]) {
		err_set(err, SETTLE_EX_CONFIG, "bulk-file: outbox directory is not set");
		return NULL;
	}
	if (strlen(cfg->outbox_dir) > 3000) {
		err_set(err, SETTLE_EX_CONFIG, "bulk-file: outbox directory path is too long");
		return NULL;
	}
	if (stat(cfg->outbox_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		err_set(err, SETTLE_EX_CONFIG, "bulk-file: outbox %s is not a directory", cfg->outbox_dir);
		return NULL;
	}
	if (access(cfg->outbox_dir, W_OK | X_OK) != 0) {
		err_set(err, SETTLE_EX_CONFIG, "bulk-file: outbox %s is not writable: %s", cfg->outbox_dir,
			strerror(errno));
		return NULL;
	}
	b = calloc(1, sizeof *b);
	if (!b || !(b->dir = strdup(cfg->outbox_dir))) {
		free(b);
		err_set(err, SETTLE_EX_OSERR, "bulk-file: out of memory");
		return NULL;
	}
	b->now = cfg->now;
	b->port.self = b;
	b->port.name = "bulk-file";
	b->port.max_batch = BULK_FILE_MAX_BATCH;
	b->port.source_account = "bank";
	b->port.needs_account = 1;
	b->port.send = bulk_send;
	b->port.status = bulk_status;
	b->port.destroy = bulk_destroy;
	return &b->port;
}
