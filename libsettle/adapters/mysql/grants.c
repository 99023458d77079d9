/*
 * grants.c — the per-role privileges (one table, below) and the SQL that
 * applies them (see grants.h).
 */
#include "adapters/mysql/grants.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/config/config.h"
#include "adapters/mysql/db.h"

/* The roles: one per job or daemon (issue 11 §4). A new job adds a column
 * here, a cell to every row of table_grants, and a line to programs. */
enum role {
	R_ORDER,    /* pay-order, pay-capture (and its sweep) */
	R_REFUND,   /* pay-refund */
	R_DISPUTE,  /* escrow-dispute */
	R_RELEASE,  /* escrow-release */
	R_SETTLE,   /* settle-run */
	R_PAYOUT,   /* payout-send */
	R_INVOICE,  /* invoice-issue */
	R_POSTINGS, /* finance postings: settle-report remit, reconcile --post */
	R_REPORTS,  /* reports, read-only: settle-report, pay-show */
	R_CHECK,    /* ledger-check, read-only; ledger-seal, which adds only seal blocks */
	R_WEBHOOK,  /* pay-webhookd: a deposit finishes a payment (order's), a payout status moves a payout (payout's) */
	R_NOTIFY,   /* settle-notify, settle-watch: read business rows, write the outbox and alerts */
	R_API,      /* settle-apid: order, capture, refund, settle (what its use cases write), its idempotency rows */
	R_COUNT
};

static const char *const role_names[R_COUNT] = {
	"order", "refund", "dispute", "release", "settle", "payout", "invoice", "postings", "reports", "check", "webhook",
	"notify", "api",
};

static const struct {
	const char *program;
	enum role role;
} programs[] = {
	{"pay-order", R_ORDER},       {"pay-capture", R_ORDER},    {"pay-refund", R_REFUND},
	{"escrow-dispute", R_DISPUTE}, {"escrow-release", R_RELEASE}, {"settle-run", R_SETTLE},
	{"payout-send", R_PAYOUT},    {"invoice-issue", R_INVOICE}, {"settle-report", R_REPORTS},
	{"pay-show", R_REPORTS},      {"ledger-check", R_CHECK},    {"pay-webhookd", R_WEBHOOK},
	{"ledger-seal", R_CHECK},     {"settle-notify", R_NOTIFY},  {"settle-watch", R_NOTIFY},
	{"settle-apid", R_API},
};

/*
 * Who may do what, table by table. Letters: S select, I insert, U update,
 * D delete, u update of the run-record columns only (job_runs: status,
 * counts, message, finished_at; the job_runs triggers of 008_ops.sql keep
 * a login to its own rows). The ledger (journal_entries, postings) is
 * never U or D: corrections are new entries.
 *
 * A new migration's table is one more row. A table in the database that is
 * not here gets no grant, and `settle-db grants` says so.
 */
static const struct table_grant {
	const char *table;
	const char *privs[R_COUNT];
} table_grants[] = {
	/*                         order   refund  dispute release settle  payout  invoice postings reports check   webhook notify api */
	{"pods",                  {"SIU",  "S",    "S",    "SU",   "S",    "S",    "S",    "S",    "S",    "S", "SIU", "S", "SIU"}},
	/* payout-send --register-sellers records a leader's Toss seller (010_sellers.sql) */
	{"leaders",               {"",     "",     "",     "",     "S",    "SU",   "S",    "S",    "S",    "S", "S", "S", "S"}},
	{"payments",              {"SIU",  "SU",   "SU",   "S",    "S",    "S",    "S",    "S",    "S",    "S", "SIU", "S", "SIU"}},
	{"payment_events",        {"SI",   "SI",   "SI",   "S",    "S",    "S",    "S",    "S",    "S",    "S", "SI", "S", "SI"}},
	{"refunds",               {"SIU",  "SIU",  "SIU",  "S",    "S",    "S",    "S",    "S",    "S",    "S", "SIU", "S", "SIU"}},
	{"escrows",               {"SIU",  "SU",   "SU",   "SU",   "SU",   "S",    "S",    "S",    "S",    "S", "SIU", "S", "SIU"}},
	{"disputes",              {"S",    "S",    "SIU",  "S",    "S",    "S",    "S",    "S",    "S",    "S", "S", "S", "S"}},
	{"dispute_events",        {"S",    "S",    "SI",   "S",    "S",    "S",    "S",    "S",    "S",    "S", "S", "S", "S"}},
	{"settlements",           {"SU",   "SU",   "SU",   "S",    "SIU",  "S",    "S",    "S",    "S",    "S", "SU", "S", "SIU"}},
	{"clawbacks",             {"SI",   "SI",   "SI",   "S",    "S",    "S",    "S",    "S",    "S",    "S", "SI", "S", "SI"}},
	{"payouts",               {"S",    "S",    "S",    "S",    "SIU",  "SIU",  "S",    "S",    "S",    "S", "SU", "S", "SIU"}},
	{"payout_items",          {"S",    "S",    "S",    "S",    "SIU",  "SIU",  "S",    "S",    "S",    "S", "SU", "S", "SIU"}},
	{"tax_invoices",          {"S",    "S",    "S",    "S",    "S",    "S",    "SIU",  "S",    "S",    "S", "S", "S", "S"}},
	{"webhook_events",        {"SIU",  "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S", "SIU", "S", "SIU"}},
	{"participation_confirms", {"SIU", "SIU",  "SIU",  "S",    "S",    "S",    "S",    "S",    "S",    "S", "SIU", "S", "SIU"}},
	{"pg_outcomes",           {"SID",  "SID",  "SID",  "S",    "S",    "S",    "S",    "S",    "S",    "S", "SID", "S", "SID"}},
	{"pg_probes",             {"SIU",  "SIU",  "SIU",  "S",    "S",    "S",    "S",    "S",    "S",    "S", "SIU", "S", "SIU"}},
	{"journal_entries",       {"SI",   "SI",   "SI",   "SI",   "SI",   "SI",   "S",    "SI",   "S",    "S", "SI", "S", "SI"}},
	{"postings",              {"SI",   "SI",   "SI",   "SI",   "SI",   "SI",   "S",    "SI",   "S",    "S", "SI", "S", "SI"}},
	{"job_runs",              {"SIu",  "SIu",  "SIu",  "SIu",  "SIu",  "SIu",  "SIu",  "SIu",  "SIu",  "SIu", "SIu", "SIu", "SIu"}},
	{"job_leases",            {"SIU",  "SIU",  "SIU",  "SIU",  "SIU",  "SIU",  "SIU",  "SIU",  "S",    "S", "SIU", "SIU", "SIU"}},
	{"job_cursors",           {"S",    "S",    "S",    "SIU",  "S",    "S",    "SIU",  "SIU",  "S",    "S", "S", "S", "S"}},
	/* 005_finance.sql: a remittance and a month's close, booked once. */
	{"remittances",           {"S",    "S",    "S",    "S",    "S",    "S",    "S",    "SI",   "S",    "S", "S", "S", "S"}},
	{"month_closes",          {"S",    "S",    "S",    "S",    "S",    "S",    "S",    "SI",   "S",    "S", "S", "S", "S"}},
	/* 006_invoices.sql: an invoice's lines and the items it took, written once. */
	{"tax_invoice_lines",     {"S",    "S",    "S",    "S",    "S",    "S",    "SI",   "S",    "S",    "S", "S", "S", "S"}},
	{"tax_invoice_items",     {"S",    "S",    "S",    "S",    "S",    "S",    "SI",   "S",    "S",    "S", "S", "S", "S"}},
	/* 007_reconcile.sql: a PG settlement record, booked once (reconcile --post). */
	{"pg_settlement_records", {"S",    "S",    "S",    "S",    "S",    "S",    "S",    "SI",   "S",    "S", "S", "S", "S"}},
	/* 009_refund_policy.sql: loaded by settle-db (the owner), read by all. */
	{"refund_policies",       {"S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S", "S", "S", "S"}},
	/* 014_seal.sql: the hash chain, written by ledger-seal (the check role,
	 * which may read everything and write nothing else). */
	{"seal_blocks",           {"",     "",     "",     "",     "",     "",     "",     "",     "S",    "SI", "", "", ""}},
	{"seal_block_entries",    {"",     "",     "",     "",     "",     "",     "",     "",     "S",    "SI", "", "", ""}},
	/* 013_notify.sql: the outbox, written with each change someone must hear
	 * about, sent and marked by settle-notify; alerts by settle-watch. */
	{"notifications",         {"SI",   "SI",   "SI",   "SI",   "SI",   "SI",   "SI",   "SI",   "S",    "S",    "SI", "SIU", "SI"}},
	{"notify_contacts",       {"",     "",     "",     "",     "",     "",     "",     "",     "",     "",     "",   "SIUD", ""}},
	{"alerts",                {"S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",  "SI", "S"}},
	/* 015_card_and_tamper.sql: a refused capture amount, written where the
	 * capture runs (pay-capture, settle-apid), counted by settle-watch. */
	{"amount_refusals",       {"SI",   "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",    "S",  "S",  "SI"}},
	/* 012_api.sql: settle-apid's Idempotency-Key answers. */
	{"api_idempotency",       {"", "", "", "", "", "", "", "", "", "", "", "", "SIUD"}},
	/* Written by settle-db migrate, as the schema owner, alone. */
	{"schema_migrations",     {"",     "",     "",     "",     "",     "",     "",     "",     "",     "", "", "", ""}},
};

#define NTABLES (sizeof table_grants / sizeof table_grants[0])

size_t grants_role_count(void)
{
	return R_COUNT;
}

const char *grants_role_name(size_t i)
{
	return i < R_COUNT ? role_names[i] : NULL;
}

const char *grants_role_of(const char *program)
{
	for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
		if (!strcmp(programs[i].program, program))
			return role_names[programs[i].role];
	return NULL;
}

const char *grants_privileges(const char *role, const char *table)
{
	for (size_t r = 0; r < R_COUNT; r++)
		if (!strcmp(role_names[r], role))
			for (size_t t = 0; t < NTABLES; t++)
				if (!strcmp(table_grants[t].table, table))
					return table_grants[t].privs[r];
	return NULL;
}

/* Names that go into SQL text unquoted by the server's rules: a strict
 * charset, so no quote, backquote or backslash can reach the statement. */
static int name_ok(const char *s, size_t max, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && !strchr(extra, s[i]))
			return 0;
	return 1;
}

/* mysql_native_password's stored form: '*' and the upper-case hex of
 * SHA1(SHA1(password)). Only this goes into the SQL. */
static int native_hash(const char *password, char out[42], struct settle_err *err)
{
	unsigned char a[EVP_MAX_MD_SIZE], b[EVP_MAX_MD_SIZE];
	unsigned la = 0, lb = 0;

	if (EVP_Digest(password, strlen(password), a, &la, EVP_sha1(), NULL) != 1 ||
	    EVP_Digest(a, la, b, &lb, EVP_sha1(), NULL) != 1 || lb != 20)
		return err_set(err, SETTLE_EX_SOFTWARE, "grants: SHA-1 failed");
	out[0] = '*';
	for (unsigned i = 0; i < 20; i++)
		snprintf(out + 1 + 2 * i, 3, "%02X", b[i]);
	explicit_bzero(a, sizeof a);
	return 0;
}

static void privilege_list(const char *letters, char *out, size_t len)
{
	static const struct {
		char letter;
		const char *sql;
	} words[] = {{'S', "SELECT"}, {'I', "INSERT"}, {'U', "UPDATE"}, {'D', "DELETE"},
		     {'u', "UPDATE (status, counts, message, finished_at)"}};

	out[0] = '\0';
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
		if (strchr(letters, words[w].letter))
			snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? ", " : "", words[w].sql);
}

struct plan {
	struct db *db;
	bool dry_run;
	grants_fn fn;
	void *arg;
};

static int emit(struct plan *p, const char *sql, const char *shown, struct settle_err *err)
{
	if (p->fn && p->fn(p->arg, p->dry_run ? NULL : sql, shown ? shown : sql, err) < 0)
		return -1;
	if (p->dry_run || !sql)
		return 0;
	if (db_simple(p->db, sql, err) < 0)
		/* The message db_simple builds quotes the statement, which may
		 * hold a password hash: say which statement, as shown. */
		return err_set(err, err->code, "grants: %s: refused: error %u%s", shown ? shown : sql,
			       db_last_errno(p->db),
			       db_last_errno(p->db) == 1227 || db_last_errno(p->db) == 1044 ||
					       db_last_errno(p->db) == 1045
				       ? " (the [database] user needs CREATE USER and GRANT OPTION)"
				       : "");
	return 0;
}

static int table_exists(struct db *db, const char *table, bool *exists, struct settle_err *err)
{
	int64_t n = 0;

	if (db_query_one(db,
			 "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
			 "AND table_name = ? AND table_type = 'BASE TABLE'",
			 DB_PARAMS(DB_S(table)), DB_COLS(DC_I(&n)), err) < 0)
		return -1;
	*exists = n > 0;
	return 0;
}

/* Tables in the database that the grants table does not name: no role
 * gets them, which is right for a table nobody needs and a gap for a new
 * migration's table, so they are listed. */
static int unknown_tables(struct plan *p, struct settle_err *err)
{
	struct db_cursor *c;
	char name[65] = "", line[160];
	int rc;

	if (db_query(p->db, &c,
		     "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
		     "AND table_type = 'BASE TABLE' ORDER BY table_name",
		     DB_NOPARAMS, DB_COLS(DC_S(name)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		size_t t = 0;

		while (t < NTABLES && strcmp(table_grants[t].table, name))
			t++;
		if (t == NTABLES && p->fn) {
			snprintf(line, sizeof line, "-- table %.64s is not in the grants table: no role may use it", name);
			if (p->fn(p->arg, NULL, line, err) < 0) {
				rc = -1;
				break;
			}
		}
	}
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

int grants_apply(struct db *db, const struct config *cfg, bool dry_run, grants_fn fn, void *arg,
		 struct settle_err *err)
{
	struct plan p = {db, dry_run, fn, arg};
	const char *prefix = config_get_or(cfg, "grants", "user_prefix", "settle_");
	const char *host = config_get_or(cfg, "grants", "host", "localhost");
	const char *dbname = db_name(db);
	char hashes[R_COUNT][42], sql[512], shown[512], privs[128], user[96];
	bool exists[NTABLES];
	int rc = -1;

	memset(hashes, 0, sizeof hashes);
	if (!name_ok(prefix, 20, ""))
		return err_set(err, SETTLE_EX_CONFIG, "%s: [grants] user_prefix must be 1-20 of [A-Za-z0-9_]",
			       config_path(cfg));
	if (!name_ok(host, 60, ".-%"))
		return err_set(err, SETTLE_EX_CONFIG, "%s: [grants] host must be 1-60 of [A-Za-z0-9_.%%-]",
			       config_path(cfg));
	if (!name_ok(dbname, 64, ""))
		return err_set(err, SETTLE_EX_CONFIG, "%s: [database] name must be 1-64 of [A-Za-z0-9_] for grants",
			       config_path(cfg));
	/* Every password first: a missing one stops the run before any
	 * statement, so nothing is half applied. */
	for (size_t r = 0; r < R_COUNT; r++) {
		char key[48], env[64], pw[256];
		int got;

		snprintf(key, sizeof key, "%s_password", role_names[r]);
		snprintf(env, sizeof env, "SETTLE_GRANTS_%s", key);
		for (char *c = env; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		got = config_secret(cfg, "grants", key, pw, sizeof pw, err);
		if (got == 0)
			err_set(err, SETTLE_EX_CONFIG,
				"%s: no password for role %s: set [grants] %s_file, the credential grants.%s or "
				"%s",
				config_path(cfg), role_names[r], key, key, env);
		if (got <= 0 || native_hash(pw, hashes[r], err) < 0) {
			explicit_bzero(pw, sizeof pw);
			goto out;
		}
		explicit_bzero(pw, sizeof pw);
	}
	for (size_t t = 0; t < NTABLES; t++) {
		if (table_exists(db, table_grants[t].table, &exists[t], err) < 0)
			goto out;
		if (!exists[t]) {
			snprintf(shown, sizeof shown, "-- table %s does not exist here (its migration is not applied): no grant",
				 table_grants[t].table);
			if (emit(&p, NULL, shown, err) < 0)
				goto out;
		}
	}
	if (unknown_tables(&p, err) < 0)
		goto out;
	for (size_t r = 0; r < R_COUNT; r++) {
		snprintf(user, sizeof user, "'%s%s'@'%s'", prefix, role_names[r], host);
		snprintf(sql, sizeof sql, "CREATE USER IF NOT EXISTS %s IDENTIFIED BY PASSWORD '%s'", user, hashes[r]);
		snprintf(shown, sizeof shown, "CREATE USER IF NOT EXISTS %s IDENTIFIED BY PASSWORD '<hash of [grants] %s_password>'",
			 user, role_names[r]);
		if (emit(&p, sql, shown, err) < 0)
			goto out;
		snprintf(sql, sizeof sql, "ALTER USER %s IDENTIFIED BY PASSWORD '%s'", user, hashes[r]);
		snprintf(shown, sizeof shown, "ALTER USER %s IDENTIFIED BY PASSWORD '<hash of [grants] %s_password>'", user,
			 role_names[r]);
		if (emit(&p, sql, shown, err) < 0)
			goto out;
		/* From nothing, so a privilege taken out of the table is taken
		 * from the login too. */
		snprintf(sql, sizeof sql, "REVOKE ALL PRIVILEGES, GRANT OPTION FROM %s", user);
		if (emit(&p, sql, NULL, err) < 0)
			goto out;
		for (size_t t = 0; t < NTABLES; t++) {
			const char *letters = table_grants[t].privs[r];

			if (!*letters || !exists[t])
				continue;
			privilege_list(letters, privs, sizeof privs);
			snprintf(sql, sizeof sql, "GRANT %s ON `%s`.`%s` TO %s", privs, dbname, table_grants[t].table, user);
			if (emit(&p, sql, NULL, err) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	explicit_bzero(hashes, sizeof hashes);
	explicit_bzero(sql, sizeof sql);
	return rc;
}
