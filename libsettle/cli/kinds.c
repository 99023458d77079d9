/* kinds.c — the checks behind cli/kinds.h; each sets the kind's exit code. */
#include "cli/kinds.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/seal.h"
#include "domain/timefmt.h"
#include "domain/validate.h"

/* Runs the UTF-8 check and then the kind's own, and gives the refusal the
 * kind's exit code (validate.h's functions all say 65). */
static int refuse(const struct cli_kind *k, struct settle_err *err)
{
	err->code = k->code;
	return -1;
}

static int text(const struct cli_kind *k, const char *field, const char *v, size_t max, struct settle_err *err)
{
	return validate_utf8_text(field, v, max, err) < 0 ? refuse(k, err) : 0;
}

static int check_ref_id(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	if (text(k, field, v, 64, err) < 0 || validate_ref_id(field, v, err) < 0)
		return refuse(k, err);
	return 0;
}

static int check_order_id(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	if (text(k, field, v, 64, err) < 0 || validate_order_id(field, v, err) < 0)
		return refuse(k, err);
	return 0;
}

static int check_payment_key(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	if (text(k, field, v, 200, err) < 0 || validate_token(field, v, 1, 200, "_-", "[A-Za-z0-9_-]", err) < 0)
		return refuse(k, err);
	return 0;
}

static int check_amount(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	if (text(k, field, v, 24, err) < 0)
		return -1;
	for (const char *p = v; *p; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			return err_set(err, k->code, "%s \"%.24s\" is not an amount (digits, at most one '.')", field,
				       v);
	if (strchr(v, '.') != strrchr(v, '.'))
		return err_set(err, k->code, "%s \"%.24s\" is not an amount (digits, at most one '.')", field, v);
	return 0;
}

static int check_reason(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	return text(k, field, v, 100, err);
}

/* 'YYYY-MM-DD HH:MM:SS' in UTC, a real instant. */
static int check_utc_time(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	int64_t us;

	if (text(k, field, v, 32, err) < 0)
		return -1;
	if (strlen(v) != 19 || time_parse_utc(v, &us) < 0)
		return err_set(err, k->code, "%s: '%s' is not a UTC time YYYY-MM-DD HH:MM:SS", field, v);
	return 0;
}

static int check_method(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	static const char *const methods[] = {"CARD", "TRANSFER", "VIRTUAL_ACCOUNT", NULL};

	if (text(k, field, v, 32, err) < 0 || validate_enum(field, v, methods, err) < 0)
		return refuse(k, err);
	return 0;
}

static int check_pg_name(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	if (text(k, field, v, 32, err) < 0)
		return -1;
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return err_set(err, k->code, "%s \"%.32s\" is not a PG name ([a-z0-9_-])", field, v);
	return 0;
}

static int check_config_path(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	/* An empty --config once fell back to $SETTLE_CONFIG silently. */
	return text(k, field, v, PATH_MAX - 1, err);
}

static int check_input(const struct cli_kind *k, const char *field, const char *v, int want_dir,
		       struct settle_err *err)
{
	struct stat st;

	if (text(k, field, v, PATH_MAX - 1, err) < 0) {
		err->code = SETTLE_EX_USAGE;
		return -1;
	}
	if (stat(v, &st) < 0)
		return err_set(err, k->code, "%s %s: %s", field, v, strerror(errno));
	if (want_dir && !S_ISDIR(st.st_mode))
		return err_set(err, k->code, "%s %s is not a directory", field, v);
	if (!want_dir && S_ISDIR(st.st_mode))
		return err_set(err, k->code, "%s %s is a directory, not a file", field, v);
	if (!want_dir && !S_ISREG(st.st_mode))
		return err_set(err, k->code, "%s %s is not a regular file", field, v);
	if (access(v, want_dir ? R_OK | X_OK : R_OK) < 0)
		return err_set(err, k->code, "%s %s cannot be read: %s", field, v, strerror(errno));
	return 0;
}

static int check_input_file(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	return check_input(k, field, v, 0, err);
}

static int check_input_dir(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	return check_input(k, field, v, 1, err);
}

/* The form only; whether the ledger extends it is ledger-check's question. */
static int check_seal_digest(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	int64_t height;
	char hash[SEAL_HEX_LEN];

	if (text(k, field, v, SEAL_DIGEST_LEN, err) < 0)
		return -1;
	if (seal_digest_parse(v, &height, hash, err) < 0)
		return err_set(err, SETTLE_EX_USAGE, "%s: expected HEIGHT:HASH (64 lower-case hex digits), as ledger-seal "
			       "--digest prints", field);
	return 0;
}

const struct cli_kind cli_kind_ref_id = {"id", check_ref_id, SETTLE_EX_DATAERR};
const struct cli_kind cli_kind_order_id = {"order id", check_order_id, SETTLE_EX_DATAERR};
const struct cli_kind cli_kind_payment_key = {"payment key", check_payment_key, SETTLE_EX_DATAERR};
const struct cli_kind cli_kind_amount = {"amount", check_amount, SETTLE_EX_DATAERR};
const struct cli_kind cli_kind_reason = {"reason", check_reason, SETTLE_EX_DATAERR};
const struct cli_kind cli_kind_utc_time = {"UTC time", check_utc_time, SETTLE_EX_DATAERR};
const struct cli_kind cli_kind_method = {"method", check_method, SETTLE_EX_USAGE};
const struct cli_kind cli_kind_pg_name = {"pg", check_pg_name, SETTLE_EX_USAGE};
const struct cli_kind cli_kind_config_path = {"path", check_config_path, SETTLE_EX_USAGE};
const struct cli_kind cli_kind_input_file = {"file", check_input_file, SETTLE_EX_NOINPUT};
const struct cli_kind cli_kind_input_dir = {"directory", check_input_dir, SETTLE_EX_NOINPUT};
const struct cli_kind cli_kind_seal_digest = {"seal digest", check_seal_digest, SETTLE_EX_USAGE};
