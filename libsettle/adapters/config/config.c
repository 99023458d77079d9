/*
 * config.c — settle.conf through inih, checked against the table of known
 * keys below so a typo is an error rather than a silently ignored default.
 */
#include "adapters/config/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A line may hold a long path or URL. Debian's inih reads at most
 * ini_max_line bytes a line (200 unless told otherwise) into a buffer on the
 * heap when ini_use_stack is off; read_line below refuses a longer line. */
#define CONFIG_MAX_LINE 16384

/* Every key settle reads. A key ending in "_file" names a secret's file. */
static const char *const known_keys[] = {
	"database.socket", "database.host", "database.port", "database.user", "database.password_file",
	"database.name", "database.connect_timeout_s",
	"crypto.data_key_file", "crypto.key_id", "crypto.previous_data_key_file", "crypto.previous_key_id",
	/* settle-db grants: the role logins (issue 11; roles in adapters/mysql/grants.c) */
	"grants.user_prefix", "grants.host", "grants.order_password_file", "grants.refund_password_file",
	"grants.dispute_password_file", "grants.release_password_file", "grants.settle_password_file",
	"grants.payout_password_file", "grants.invoice_password_file", "grants.postings_password_file",
	"grants.reports_password_file", "grants.check_password_file", "grants.webhook_password_file",
	"grants.api_password_file",
	"metrics.textfile_dir",
	"payments.default_pg", "payments.currency", "payments.confirm_sweep_age_s",
	"payments.pending_expiry_s", "payments.doubt_backoff_s", "payments.sweep_concurrency",
	"payments.sweep_batch",
	"breaker.window_s", "breaker.max_failures", "breaker.open_s",
	"payments.fallback_pg", "payments.sweep_lease_s", "payments.deposit_recheck_s",
	"payments.refund_on_place_refused", "payments.participation_report_after",
	"toss.base_url", "toss.secret_key_file", "toss.connect_timeout_ms", "toss.timeout_ms",
	"nicepay.base_url", "nicepay.client_id", "nicepay.secret_key_file", "nicepay.connect_timeout_ms",
	"nicepay.timeout_ms",
	"escrow.hold_days", "escrow.batch",
	"settlement.fee_bps", "settlement.batch",
	"payout.minimum", "payout.channel", "payout.batch", "payout.rates", "payout.lease_s",
	"payout.doubt_backoff_s", "payout.recheck_s",
	"toss-payouts.base_url", "toss-payouts.secret_key_file", "toss-payouts.security_key_file",
	"toss-payouts.connect_timeout_ms", "toss-payouts.timeout_ms", "bulk-file.outbox_dir",
	"study.base_url", "study.token_file", "study.connect_timeout_ms", "study.timeout_ms",
	"refund.policy",
	"reports.dir",
	"reconcile.batch", "reconcile.page_size", "reconcile.timeout_ms", "reconcile.dir",
	"reconcile.settled_into",
	"log.level",
	"webhookd.listen", "webhookd.body_max", "webhookd.threads", "webhookd.max_skew_s", "webhookd.stop_grace_ms",
	"invoice.outbox_dir", "invoice.base_url", "invoice.auth_url", "invoice.service_id", "invoice.link_id_file",
	"invoice.secret_key_file", "invoice.corp_num", "invoice.user_id", "invoice.certificate_file",
	"invoice.key_file", "invoice.schema_file", "invoice.max_lines", "invoice.connect_timeout_ms",
	"invoice.timeout_ms",
	"platform.business_number", "platform.name", "platform.representative", "platform.address",
	"platform.business_type", "platform.business_item", "platform.email",
	/* settle-notify, settle-watch (issue 14) */
	"grants.notify_password_file",
	"notify.channel", "notify.from", "notify.from_name", "notify.smtp_url", "notify.smtp_user",
	"notify.smtp_password_file", "notify.maildir", "notify.templates_dir", "notify.operators",
	"notify.operator_lang", "notify.contact_ttl_s", "notify.batch", "notify.lease_s", "notify.max_attempts",
	"notify.backoff_s", "notify.connect_timeout_ms", "notify.timeout_ms",
	"watch.window_s", "watch.min_payments", "watch.min_success_pct", "watch.max_refund_pct",
	"watch.burst_count", "watch.burst_window_s", "watch.tamper_count", "watch.breaker_open_s",
	"watch.payout_doubt_s", "watch.job_overdue_s",
	/* issue 14: the card rule, the tamper rule's window, the SMTP CA */
	"watch.card_burst_count", "watch.card_burst_window_s", "watch.tamper_window_s", "notify.smtp_ca_file",
	/* settle-apid (issue 13 part 2) */
	"api.issuer", "api.audience", "api.clock_skew_s", "api.hs256_key_file", "api.hs256_kid",
	"api.rs256_public_key", "api.rs256_kid", "api.rate_per_s", "api.rate_burst", "api.body_max", "api.idempotency_keep_h", "api.threads",
	"api.listen",
};

struct config_entry {
	char *section, *key, *value;
	int line;
};

struct config {
	char path[PATH_MAX];
	struct config_entry *entries;
	size_t n, cap;
	struct settle_err *err; /* during parsing only */
	int failed;
	FILE *file;             /* during parsing only */
	int line;               /* the line the reader last returned */
};

static int section_known(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++)
		if (!strncmp(known_keys[i], name, len) && known_keys[i][len] == '.')
			return 1;
	return 0;
}

/*
 * Checks a line before inih sees it. inih keeps parsing after a bad line
 * (so a later error would replace the first) and silently splits a line
 * longer than its buffer; here the first bad line stops the parse.
 * Never echoes the line: it may hold a secret.
 */
static int line_ok(struct config *cfg, char *str, int num)
{
	char *s = str, *end;
	size_t len = strlen(str);

	if (len == (size_t)num - 1 && str[len - 1] != '\n') {
		int c = getc(cfg->file);

		if (c != EOF && c != '\n') {
			err_set(cfg->err, SETTLE_EX_CONFIG, "%s:%d: line is longer than %d characters", cfg->path,
				cfg->line, num - 3);
			return 0;
		}
	}
	if (cfg->line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == ';' || *s == '#')
		return 1;
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end) {
			err_set(cfg->err, SETTLE_EX_CONFIG,
				"%s:%d: malformed line (expected 'key = value' or '[section]')", cfg->path, cfg->line);
			return 0;
		}
		if (!section_known(s + 1, (size_t)(end - s - 1))) {
			err_set(cfg->err, SETTLE_EX_CONFIG, "%s:%d: unknown section [%.*s]", cfg->path, cfg->line,
				(int)(end - s - 1 > 64 ? 64 : end - s - 1), s + 1);
			return 0;
		}
		return 1;
	}
	if (!strpbrk(s, "=:")) {
		err_set(cfg->err, SETTLE_EX_CONFIG, "%s:%d: malformed line (expected 'key = value' or '[section]')",
			cfg->path, cfg->line);
		return 0;
	}
	return 1;
}

/* Debian's inih is built without INI_HANDLER_LINENO, so the reader counts
 * lines itself and the handler reads the count. */
static char *read_line(char *str, int num, void *stream)
{
	struct config *cfg = stream;
	char *got;

	if (cfg->failed)
		return NULL;
	got = fgets(str, num, cfg->file);
	if (!got)
		return NULL;
	cfg->line++;
	if (!line_ok(cfg, str, num)) {
		cfg->failed = 1;
		return NULL;
	}
	return got;
}

static int key_known(const char *section, const char *key)
{
	char full[256];

	snprintf(full, sizeof full, "%s.%s", section, key);
	for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++)
		if (!strcmp(known_keys[i], full))
			return 1;
	return 0;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct config *cfg = user;
	struct config_entry *e;
	int lineno = cfg->line;

	if (cfg->failed)
		return 0;
	if (!name) /* a section header alone */
		return 1;
	if (!key_known(section, name)) {
		/* A secret written straight into the file is refused by name. */
		char fk[200];

		snprintf(fk, sizeof fk, "%s_file", name);
		if (key_known(section, fk))
			err_set(cfg->err, SETTLE_EX_CONFIG,
				"%s:%d: [%s] %s: secrets are not read from the config file; use %s = PATH",
				cfg->path, lineno, section, name, fk);
		else
			err_set(cfg->err, SETTLE_EX_CONFIG, "%s:%d: unknown key '%s' in [%s]", cfg->path, lineno,
				name, section);
		cfg->failed = 1;
		return 0;
	}
	for (size_t i = 0; i < cfg->n; i++) {
		if (!strcmp(cfg->entries[i].section, section) && !strcmp(cfg->entries[i].key, name)) {
			err_set(cfg->err, SETTLE_EX_CONFIG, "%s:%d: key '%s' in [%s] repeats line %d", cfg->path,
				lineno, name, section, cfg->entries[i].line);
			cfg->failed = 1;
			return 0;
		}
	}
	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 16;
		struct config_entry *grown = realloc(cfg->entries, cap * sizeof *grown);

		if (!grown)
			goto oom;
		cfg->entries = grown;
		cfg->cap = cap;
	}
	e = &cfg->entries[cfg->n];
	e->section = strdup(section);
	e->key = strdup(name);
	e->value = strdup(value);
	e->line = lineno;
	if (!e->section || !e->key || !e->value) {
		free(e->section);
		free(e->key);
		free(e->value);
		goto oom;
	}
	cfg->n++;
	return 1;
oom:
	err_set(cfg->err, SETTLE_EX_OSERR, "%s:%d: out of memory", cfg->path, lineno);
	cfg->failed = 1;
	return 0;
}

/* A path given where a file is expected that is a directory, a device or a
 * pipe says so, instead of a read error later. Fills *st; prefix starts
 * the message ("<path>:" or "[toss] secret_key: secret file <path>"). */
static int regular_file(FILE *f, const char *prefix, struct stat *st, struct settle_err *err)
{
	if (fstat(fileno(f), st) < 0)
		return err_set(err, SETTLE_EX_CONFIG, "%s cannot be read: %s", prefix, strerror(errno));
	if (S_ISDIR(st->st_mode))
		return err_set(err, SETTLE_EX_CONFIG, "%s is a directory, not a file", prefix);
	if (!S_ISREG(st->st_mode))
		return err_set(err, SETTLE_EX_CONFIG, "%s is not a regular file", prefix);
	return 0;
}

int config_load(struct config **out, const char *explicit_path, struct settle_err *err)
{
	const char *path = explicit_path;
	char prefix[PATH_MAX + 16];
	struct stat st;
	struct config *cfg;
	FILE *f;
	int rc;

	*out = NULL;
	if (!path || !*path)
		path = getenv("SETTLE_CONFIG");
	if (!path || !*path)
		path = CONFIG_DEFAULT_PATH;
	cfg = calloc(1, sizeof *cfg);
	if (!cfg)
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	snprintf(cfg->path, sizeof cfg->path, "%s", path);
	f = fopen(path, "r");
	if (!f) {
		err_set(err, SETTLE_EX_CONFIG, "%s: cannot open config file: %s", path, strerror(errno));
		config_free(cfg);
		return -1;
	}
	/* fopen opens a directory for reading; only the first read fails. */
	snprintf(prefix, sizeof prefix, "%s: config file", path);
	if (regular_file(f, prefix, &st, err) < 0) {
		fclose(f);
		config_free(cfg);
		return -1;
	}
	cfg->err = err;
	cfg->file = f;
	ini_use_stack = false;
	ini_allow_realloc = false;
	/* With the heap buffer, inih reads lines of ini_initial_alloc bytes
	 * (+ "\r\n" and the NUL); ini_max_line bounds the stack one. */
	ini_initial_alloc = CONFIG_MAX_LINE + 3;
	ini_max_line = CONFIG_MAX_LINE + 3;
	rc = ini_parse_stream(read_line, cfg, on_entry, cfg);
	fclose(f);
	cfg->file = NULL;
	cfg->err = NULL;
	if (cfg->failed) {
		config_free(cfg);
		return -1;
	}
	if (rc != 0) {
		err_set(err, SETTLE_EX_CONFIG, "%s:%d: malformed line (expected 'key = value' or '[section]')", path,
			rc);
		config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->entries[i].section);
		free(cfg->entries[i].key);
		if (cfg->entries[i].value)
			memset(cfg->entries[i].value, 0, strlen(cfg->entries[i].value));
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	free(cfg);
}

const char *config_path(const struct config *cfg)
{
	return cfg->path;
}

static const struct config_entry *find(const struct config *cfg, const char *section, const char *key)
{
	for (size_t i = 0; cfg && i < cfg->n; i++)
		if (!strcmp(cfg->entries[i].section, section) && !strcmp(cfg->entries[i].key, key))
			return &cfg->entries[i];
	return NULL;
}

const char *config_get(const struct config *cfg, const char *section, const char *key)
{
	const struct config_entry *e = find(cfg, section, key);

	return e ? e->value : NULL;
}

const char *config_get_or(const struct config *cfg, const char *section, const char *key, const char *dflt)
{
	const char *v = config_get(cfg, section, key);

	return v && *v ? v : dflt;
}

int config_get_int(const struct config *cfg, const char *section, const char *key, int64_t dflt, int64_t min,
		   int64_t max, int64_t *out, struct settle_err *err)
{
	const struct config_entry *e = find(cfg, section, key);
	char *end;
	long long v;

	if (!e || !*e->value) {
		*out = dflt;
		return 0;
	}
	errno = 0;
	v = strtoll(e->value, &end, 10);
	if (errno || *end || !isdigit((unsigned char)e->value[e->value[0] == '-']))
		return err_set(err, SETTLE_EX_CONFIG, "%s:%d: [%s] %s: '%s' is not a whole number", cfg->path,
			       e->line, section, key, e->value);
	if (v < min || v > max)
		return err_set(err, SETTLE_EX_CONFIG, "%s:%d: [%s] %s: %lld is outside %lld..%lld", cfg->path,
			       e->line, section, key, v, (long long)min, (long long)max);
	*out = v;
	return 0;
}

/*
 * A secret named by a *_file key must be the owner's alone, as ssh refuses
 * a private key others can read: a key readable by group or others has
 * already leaked to them, and failing loudly gets it fixed.
 */
static int secret_mode_ok(FILE *f, const char *path, const char *what, int check_mode, struct settle_err *err)
{
	char prefix[PATH_MAX + 200];
	struct stat st;

	snprintf(prefix, sizeof prefix, "%s: secret file %s", what, path);
	if (regular_file(f, prefix, &st, err) < 0)
		return -1;
	if (check_mode && (st.st_mode & 077))
		return err_set(err, SETTLE_EX_CONFIG,
			       "%s has mode %04o: it must not be readable by group or others (chmod 600 it)", prefix,
			       (unsigned)(st.st_mode & 07777));
	return 0;
}

static int read_secret_file(const char *path, char *buf, size_t len, const char *what, int check_mode,
			    struct settle_err *err)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return err_set(err, SETTLE_EX_CONFIG, "%s: cannot read secret file %s: %s", what, path,
			       strerror(errno));
	if (secret_mode_ok(f, path, what, check_mode, err) < 0) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, len, f);
	fclose(f);
	if (n == len)
		return err_set(err, SETTLE_EX_CONFIG, "%s: secret file %s is too long", what, path);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n == 0)
		return err_set(err, SETTLE_EX_CONFIG, "%s: secret file %s is empty", what, path);
	return 1;
}

int config_secret(const struct config *cfg, const char *section, const char *key, char *buf, size_t len,
		  struct settle_err *err)
{
	char name[160], path[PATH_MAX], what[160];
	const char *dir, *file, *env;
	size_t i;

	buf[0] = '\0';
	snprintf(what, sizeof what, "[%s] %s", section, key);
	snprintf(name, sizeof name, "%s_file", key);
	file = config_get(cfg, section, name);
	if (file && *file)
		return read_secret_file(file, buf, len, what, 1, err);
	dir = getenv("CREDENTIALS_DIRECTORY");
	if (dir && *dir) {
		snprintf(path, sizeof path, "%s/%s.%s", dir, section, key);
		if (access(path, R_OK) == 0)
			/* systemd writes credentials itself, readable by the
			 * service alone; their mode is its business. */
			return read_secret_file(path, buf, len, what, 0, err);
	}
	snprintf(name, sizeof name, "SETTLE_%s_%s", section, key);
	for (i = 0; name[i]; i++)
		name[i] = (char)toupper((unsigned char)name[i]);
	env = getenv(name);
	if (env && *env) {
		if (strlen(env) >= len)
			return err_set(err, SETTLE_EX_CONFIG, "%s: secret in %s is too long", what, name);
		snprintf(buf, len, "%s", env);
		return 1;
	}
	return 0;
}

int config_credential(const char *name, char *buf, size_t len, struct settle_err *err)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	char path[PATH_MAX], what[160];

	buf[0] = '\0';
	if (!dir || !*dir)
		return 0;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (access(path, F_OK) != 0)
		return 0;
	snprintf(what, sizeof what, "credential %s", name);
	return read_secret_file(path, buf, len, what, 0, err);
}

const char *config_known_key(size_t i)
{
	return i < sizeof known_keys / sizeof known_keys[0] ? known_keys[i] : NULL;
}
