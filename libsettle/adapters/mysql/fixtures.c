/*
 * fixtures.c — validated CSV import. Two streaming passes over the file:
 * the first only validates, the second (inside db_tx, so a retried
 * transaction simply reads the file again) validates again and writes.
 * What only the whole file can show — the header on its first non-blank
 * line, no id twice — is checked in both passes, so a file changed
 * between them is refused and its transaction rolled back.
 */
#include "adapters/mysql/fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adapters/crypto/crypto.h"
#include "adapters/csv/csv_reader.h"
#include "adapters/mysql/db.h"
#include "domain/money.h"
#include "domain/refund_policy.h"
#include "domain/release.h"
#include "domain/timefmt.h"
#include "domain/validate.h"

static const char *const pod_columns[] = {"pod_id", "leader_id", "title", "fee", "currency",
					  "capacity", "status", "starts_on", "ends_on", NULL};
/* The same with the pod's own refund policy (empty: the default). */
static const char *const pod_policy_columns[] = {"pod_id", "leader_id", "title", "fee", "currency", "capacity",
						 "status", "starts_on", "ends_on", "refund_policy", NULL};
static const char *const policy_columns[] = {"policy", "from", "steps", NULL};
static const char *const pod_statuses[] = {"OPEN", "FULL", "CLOSED", "COMPLETED", "CANCELLED", NULL};

/* The first nine are required; phone and representative_name (what a Toss
 * seller registration needs) may follow, in that order. */
static const char *const leader_columns[] = {"leader_id",	"name",		   "kind",
					     "business_number", "email",	   "bank_code",
					     "account_number",	"holder_name",	   "resident_number",
					     "phone",		"representative_name", NULL};
#define LEADER_REQUIRED_COLUMNS 9
#define LEADER_COLUMNS 11
static const char *const leader_kinds[] = {"INDIVIDUAL", "INDIVIDUAL_BUSINESS", "CORPORATE", NULL};

/* An id and the line it was read on. */
struct seen_id {
	char id[65];
	long line;
};

struct load {
	struct db *db;
	const char *path, *now;
	const struct data_key *key;
	const char *id_column;
	int write;      /* 0: validate pass, 1: write pass */
	int check_only; /* --dry-run: the validate pass alone */
	int header_seen;
	size_t ncolumns; /* pods: 9, or 10 with refund_policy */
	size_t leader_width; /* leaders: columns the header has (9..11) */
	size_t rows;
	struct seen_id *ids;
	size_t nids, ids_cap;
};

static int row_error(struct load *l, long line, struct settle_err *err)
{
	return err_prefix(err, "%s:%ld", l->path, line);
}

/* The header is the first non-blank line, wherever it is; every field of a
 * data row is well-formed UTF-8, checked here so that the error names the
 * file, line and column instead of the database refusing "row 1". Returns
 * 1 when the record was the header (checked), 0 for a data row to go on
 * with, -1 on error. */
static int header_or_text(struct load *l, const char *const *f, size_t n, long line, const char *const *columns,
			  size_t ncolumns, struct settle_err *err)
{
	if (!l->header_seen) {
		l->header_seen = 1;
		return csv_expect_header_at(l->path, line, f, n, columns, err) < 0 ? -1 : 1;
	}
	if (n != ncolumns)
		return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: %zu fields; expected %zu", l->path, line, n, ncolumns);
	for (size_t i = 0; i < n; i++)
		if (validate_utf8(columns[i], f[i], strlen(f[i]), err) < 0)
			return row_error(l, line, err);
	return 0;
}

/* Remembers a (valid) id; duplicates are looked for once the file is read. */
static int remember_id(struct load *l, const char *id, long line, struct settle_err *err)
{
	if (l->nids == l->ids_cap) {
		size_t cap = l->ids_cap ? l->ids_cap * 2 : 256;
		struct seen_id *grown = realloc(l->ids, cap * sizeof *grown);

		if (!grown)
			return err_set(err, SETTLE_EX_OSERR, "out of memory");
		l->ids = grown;
		l->ids_cap = cap;
	}
	snprintf(l->ids[l->nids].id, sizeof l->ids[l->nids].id, "%s", id);
	l->ids[l->nids].line = line;
	l->nids++;
	return 0;
}

/* Ids compare as the database's unique keys do (utf8mb4_unicode_ci:
 * case-insensitive for the ASCII ids validate_ref_id allows), so "Pod-1"
 * after "pod-1" would silently overwrite it; ties keep file order. */
static int cmp_ids(const void *a, const void *b)
{
	const struct seen_id *x = a, *y = b;
	int c = strcasecmp(x->id, y->id);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Refuses the file when an id occurs twice, naming both lines of the
 * duplicate that comes first in the file. */
static int check_duplicates(struct load *l, struct settle_err *err)
{
	const struct seen_id *first = NULL, *again = NULL;

	if (l->nids < 2)
		return 0;
	qsort(l->ids, l->nids, sizeof *l->ids, cmp_ids);
	for (size_t i = 1; i < l->nids; i++)
		if (!strcasecmp(l->ids[i - 1].id, l->ids[i].id) && (!again || l->ids[i].line < again->line)) {
			first = &l->ids[i - 1];
			again = &l->ids[i];
		}
	if (!again)
		return 0;
	return err_set(err, SETTLE_EX_DATAERR, "%s:%ld: duplicate %s \"%s\": already on line %ld", l->path, again->line,
		       l->id_column, again->id, first->line);
}

/* A pod's policy must be loaded (by --policies in this transaction, or
 * before): checked in the write pass, where the database is at hand. */
static int pod_policy_known(struct load *l, const char *name, long line, struct settle_err *err)
{
	int64_t n = 0;

	if (!name[0])
		return 0;
	if (db_query_one(l->db, "SELECT COUNT(*) FROM refund_policies WHERE name = ?", DB_PARAMS(DB_S(name)),
			 DB_COLS(DC_I(&n)), err) < 0)
		return -1;
	if (n == 0) {
		err_set(err, SETTLE_EX_DATAERR, "refund_policy \"%s\" is not a loaded policy (load it with --policies)",
			name);
		return row_error(l, line, err);
	}
	return 0;
}

/* One version of a named refund policy: policy,from,steps. A version once
 * loaded never changes (the same row again is a no-op); a new one starts
 * after the policy's latest and not before today (Korea time), so no
 * payment already made changes policy. */
static int policy_row(void *arg, const char *const *f, size_t n, long line, struct settle_err *err)
{
	struct load *l = arg;
	struct refund_policy p;
	char key[64], stored[POLICY_TEXT_MAX + 1] = "", latest[11] = "", today[11];
	int64_t now_us;
	int rc = header_or_text(l, f, n, line, policy_columns, 3, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (refund_policy_name_ok("policy", f[0], err) < 0)
		return row_error(l, line, err);
	if (!strcmp(f[0], "default")) {
		err_set(err, SETTLE_EX_DATAERR, "policy \"default\" is settle.conf's [refund] policy, not a file's");
		return row_error(l, line, err);
	}
	if (validate_date("from", f[1], err) < 0 || refund_policy_parse(f[2], &p, err) < 0)
		return row_error(l, line, err);
	snprintf(key, sizeof key, "%s@%s", f[0], f[1]);
	if (remember_id(l, key, line, err) < 0)
		return -1;
	l->rows++;
	if (!l->write)
		return 0;
	rc = db_query_one(l->db, "SELECT steps FROM refund_policies WHERE name = ? AND valid_from = ?",
			  DB_PARAMS(DB_S(f[0]), DB_S(f[1])), DB_COLS(DC_S(stored)), err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (strcmp(stored, f[2])) {
			err_set(err, SETTLE_EX_DATAERR,
				"policy %s version %s is already loaded with other steps; a version never changes: load a "
				"new one with a later from",
				f[0], f[1]);
			return row_error(l, line, err);
		}
		return 0;
	}
	if (db_query_one(l->db, "SELECT COALESCE(DATE_FORMAT(MAX(valid_from), '%Y-%m-%d'), '') FROM refund_policies "
			 "WHERE name = ?", DB_PARAMS(DB_S(f[0])), DB_COLS(DC_S(latest)), err) < 0)
		return -1;
	if (time_parse_utc(l->now, &now_us) < 0)
		return err_set(err, SETTLE_EX_SOFTWARE, "bad load time %s", l->now);
	kst_date(now_us, today);
	if (latest[0] && (strcmp(f[1], latest) <= 0 || strcmp(f[1], today) < 0)) {
		err_set(err, SETTLE_EX_DATAERR,
			"policy %s: a new version from %s must start after its latest (%s) and not before today (%s), "
			"or payments already made would change policy",
			f[0], f[1], latest, today);
		return row_error(l, line, err);
	}
	return db_exec(l->db, "INSERT INTO refund_policies (name, valid_from, steps, loaded_at) VALUES (?,?,?,?)",
		       DB_PARAMS(DB_S(f[0]), DB_S(f[1]), DB_S(f[2]), DB_S(l->now)), NULL, NULL, err);
}

static int pod_row(void *arg, const char *const *f, size_t n, long line, struct settle_err *err)
{
	struct load *l = arg;
	struct money fee;
	long long capacity;
	int rc;

	if (!l->header_seen)
		l->ncolumns = n == 10 ? 10 : 9;
	rc = header_or_text(l, f, n, line, l->ncolumns == 10 ? pod_policy_columns : pod_columns, l->ncolumns, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (l->ncolumns == 10 && f[9][0] && refund_policy_name_ok("refund_policy", f[9], err) < 0)
		return row_error(l, line, err);
	if (validate_ref_id("pod_id", f[0], err) < 0 || validate_ref_id("leader_id", f[1], err) < 0 ||
	    validate_text("title", f[2], 200, err) < 0)
		return row_error(l, line, err);
	if (remember_id(l, f[0], line, err) < 0)
		return -1;
	if (!currency_known(f[4])) {
		err_set(err, SETTLE_EX_DATAERR, "currency \"%.8s\" is not a known ISO 4217 code", f[4]);
		return row_error(l, line, err);
	}
	if (money_parse(&fee, f[3], f[4], err) < 0) {
		err_prefix(err, "fee");
		return row_error(l, line, err);
	}
	if (validate_int("capacity", f[5], 1, 10000, &capacity, err) < 0 ||
	    validate_enum("status", f[6], pod_statuses, err) < 0 || validate_date("starts_on", f[7], err) < 0 ||
	    validate_date("ends_on", f[8], err) < 0)
		return row_error(l, line, err);
	if (strcmp(f[8], f[7]) < 0) {
		err_set(err, SETTLE_EX_DATAERR, "ends_on %s is before starts_on %s", f[8], f[7]);
		return row_error(l, line, err);
	}
	l->rows++;
	if (!l->write)
		return 0;
	if (l->ncolumns == 10 && pod_policy_known(l, f[9], line, err) < 0)
		return -1;
	return db_exec(l->db,
		       "INSERT INTO pods (pod_id, leader_id, title, fee, currency, capacity, status, starts_on, "
		       "ends_on, completed_at, refreshed_at, refund_policy) "
		       "VALUES (?,?,?,?,?,?,?,?,?, IF(? = 'COMPLETED', ?, NULL), ?, ?) "
		       "ON DUPLICATE KEY UPDATE leader_id = VALUES(leader_id), title = VALUES(title), fee = VALUES(fee), "
		       "currency = VALUES(currency), capacity = VALUES(capacity), status = VALUES(status), "
		       "starts_on = VALUES(starts_on), ends_on = VALUES(ends_on), "
		       "completed_at = COALESCE(completed_at, VALUES(completed_at)), refreshed_at = VALUES(refreshed_at), "
		       "refund_policy = IF(?, VALUES(refund_policy), refund_policy)",
		       DB_PARAMS(DB_S(f[0]), DB_S(f[1]), DB_S(f[2]), DB_I(fee.minor), DB_S(f[4]), DB_I(capacity),
				 DB_S(f[6]), DB_S(f[7]), DB_S(f[8]), DB_S(f[6]), DB_S(l->now), DB_S(l->now),
				 l->ncolumns == 10 ? DB_SN(f[9]) : DB_NULL, DB_I(l->ncolumns == 10)),
		       NULL, NULL, err);
}

static int leader_row(void *arg, const char *const *f, size_t n, long line, struct settle_err *err)
{
	struct load *l = arg;
	unsigned char account_enc[64 + CRYPTO_OVERHEAD], rrn_enc[32 + CRYPTO_OVERHEAD];
	size_t account_len = 0, rrn_len = 0;
	const char *cols[LEADER_COLUMNS + 1], *rep;
	char phone[12] = "";
	size_t width;
	int individual, rc;

	/* The header decides how many of the optional columns the file has. */
	if (!l->header_seen)
		l->leader_width = n <= LEADER_REQUIRED_COLUMNS ? LEADER_REQUIRED_COLUMNS : n < LEADER_COLUMNS ? n : LEADER_COLUMNS;
	width = l->leader_width;
	memcpy(cols, leader_columns, width * sizeof *cols);
	cols[width] = NULL;
	rc = header_or_text(l, f, n, line, cols, width, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rep = width > 10 ? f[10] : "";
	if (validate_ref_id("leader_id", f[0], err) < 0 || validate_text("name", f[1], 100, err) < 0 ||
	    validate_enum("kind", f[2], leader_kinds, err) < 0)
		return row_error(l, line, err);
	if (remember_id(l, f[0], line, err) < 0)
		return -1;
	individual = !strcmp(f[2], "INDIVIDUAL");
	if (individual ? f[3][0] != '\0' : validate_digits("business_number", f[3], 10, 10, err) < 0) {
		if (individual)
			err_set(err, SETTLE_EX_DATAERR, "business_number must be empty for an INDIVIDUAL leader");
		return row_error(l, line, err);
	}
	if (validate_email("email", f[4], err) < 0 || validate_digits("bank_code", f[5], 3, 3, err) < 0 ||
	    validate_digits("account_number", f[6], 8, 20, err) < 0 || validate_text("holder_name", f[7], 100, err) < 0)
		return row_error(l, line, err);
	/* A resident number is needed to report withholding for individuals. */
	if (individual ? validate_digits("resident_number", f[8], 13, 13, err) < 0
		       : (f[8][0] && validate_digits("resident_number", f[8], 13, 13, err) < 0))
		return row_error(l, line, err);
	if (width > 9 && f[9][0] && validate_phone("phone", f[9], phone, sizeof phone, err) < 0)
		return row_error(l, line, err);
	/* A company registers with its representative; an individual is their own. */
	if (individual ? rep[0] != '\0' : (rep[0] && validate_text("representative_name", rep, 100, err) < 0)) {
		if (individual)
			err_set(err, SETTLE_EX_DATAERR, "representative_name must be empty for an INDIVIDUAL leader");
		return row_error(l, line, err);
	}
	l->rows++;
	if (!l->write)
		return 0;
	if (crypto_seal(l->key, "leaders.account_enc", f[6], strlen(f[6]), account_enc, &account_len, err) < 0 ||
	    (f[8][0] && crypto_seal(l->key, "leaders.rrn_enc", f[8], strlen(f[8]), rrn_enc, &rrn_len, err) < 0))
		return row_error(l, line, err);
	return db_exec(l->db,
		       "INSERT INTO leaders (leader_id, name, kind, business_number, email, phone, representative_name, "
		       "bank_code, account_enc, account_last4, holder_name, rrn_enc, key_id, created_at, updated_at) "
		       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
		       "ON DUPLICATE KEY UPDATE name = VALUES(name), kind = VALUES(kind), "
		       "business_number = VALUES(business_number), email = VALUES(email), "
		       /* a file without the optional columns leaves them as they were */
		       "phone = IF(? > 9, VALUES(phone), phone), "
		       "representative_name = IF(? > 10, VALUES(representative_name), representative_name), "
		       "bank_code = VALUES(bank_code), "
		       "account_enc = VALUES(account_enc), account_last4 = VALUES(account_last4), "
		       "holder_name = VALUES(holder_name), rrn_enc = VALUES(rrn_enc), key_id = VALUES(key_id), "
		       "updated_at = VALUES(updated_at), "
		       /* corrected data gets a refused seller registration another try */
		       "seller_reg = IF(seller_reg = 'REFUSED', 'NONE', seller_reg)",
		       DB_PARAMS(DB_S(f[0]), DB_S(f[1]), DB_S(f[2]), DB_SN(f[3]), DB_S(f[4]),
				 phone[0] ? DB_S(phone) : DB_NULL, DB_SN(rep),
				 DB_S(f[5]), DB_BLOB(account_enc, account_len), DB_S(f[6] + strlen(f[6]) - 4), DB_S(f[7]),
				 rrn_len ? DB_BLOB(rrn_enc, rrn_len) : DB_NULL,
				 /* the key id that sealed them (008_ops.sql) */
				 DB_I(l->key->id ? l->key->id : 1), DB_S(l->now), DB_S(l->now),
				 DB_I((int64_t)width), DB_I((int64_t)width)),
		       NULL, NULL, err);
}

struct pass {
	struct load *l;
	csv_row_fn fn;
};

/* Starts a pass over the file afresh: header, row count and ids. */
static void restart(struct load *l, int write)
{
	l->write = write;
	l->header_seen = 0;
	l->rows = 0;
	l->nids = 0;
}

static int write_pass(struct db *db, void *arg, struct settle_err *err)
{
	struct pass *p = arg;

	(void)db;
	restart(p->l, 1);
	if (csv_read_file(p->l->path, p->fn, p->l, err) < 0)
		return -1;
	/* The rows are written but not committed: a duplicate that appeared
	 * since the first pass rolls them all back. */
	return check_duplicates(p->l, err);
}

static int load(struct load *l, csv_row_fn fn, size_t *rows, struct settle_err *err)
{
	struct pass p = {l, fn};
	int rc = -1;

	*rows = 0;
	restart(l, 0);
	if (csv_read_file(l->path, fn, l, err) < 0 || check_duplicates(l, err) < 0)
		goto out;
	if (!l->header_seen) {
		err_set(err, SETTLE_EX_DATAERR, "%s: no header line (expected %s,…)", l->path, l->id_column);
		goto out;
	}
	if (l->rows == 0) {
		err_set(err, SETTLE_EX_DATAERR, "%s: no data rows", l->path);
		goto out;
	}
	if (l->check_only) {
		*rows = l->rows;
		rc = 0;
		goto out;
	}
	if (db_tx(l->db, write_pass, &p, err) < 0)
		goto out;
	*rows = l->rows;
	rc = 0;
out:
	free(l->ids);
	l->ids = NULL;
	l->ids_cap = l->nids = 0;
	return rc;
}

int fixtures_load_pods(struct db *db, const char *path, const char *now, size_t *rows, struct settle_err *err)
{
	struct load l = {.db = db, .path = path, .now = now, .id_column = "pod_id"};

	return load(&l, pod_row, rows, err);
}

int fixtures_load_leaders(struct db *db, const char *path, const struct data_key *key, const char *now,
			  size_t *rows, struct settle_err *err)
{
	struct load l = {.db = db, .path = path, .now = now, .key = key, .id_column = "leader_id"};

	return load(&l, leader_row, rows, err);
}

int fixtures_check_pods(const char *path, const char *now, size_t *rows, struct settle_err *err)
{
	struct load l = {.path = path, .now = now, .id_column = "pod_id", .check_only = 1};

	return load(&l, pod_row, rows, err);
}

int fixtures_check_leaders(const char *path, const struct data_key *key, const char *now, size_t *rows,
			   struct settle_err *err)
{
	struct load l = {.path = path, .now = now, .key = key, .id_column = "leader_id", .check_only = 1};

	return load(&l, leader_row, rows, err);
}

/* Policies first, so the pods may name them; each file all or nothing. */
int fixtures_load_pods_with(struct db *db, const char *path, const char *policies, const char *now, size_t *rows,
			    struct settle_err *err)
{
	struct load l = {.db = db, .path = policies, .now = now, .id_column = "policy"};
	size_t n;

	if (policies && load(&l, policy_row, &n, err) < 0)
		return -1;
	return fixtures_load_pods(db, path, now, rows, err);
}

int fixtures_check_pods_with(const char *path, const char *policies, const char *now, size_t *rows,
			     struct settle_err *err)
{
	struct load l = {.path = policies, .now = now, .id_column = "policy", .check_only = 1};
	size_t n;

	if (policies && load(&l, policy_row, &n, err) < 0)
		return -1;
	return fixtures_check_pods(path, now, rows, err);
}
