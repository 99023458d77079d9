/* report_kinds.c — the checks behind cli/report_kinds.h. */
#include "cli/report_kinds.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "domain/report_period.h"
#include "domain/validate.h"

static int with_code(const struct cli_kind *k, int rc, struct settle_err *err)
{
	if (rc < 0)
		err->code = k->code;
	return rc;
}

static int check_month(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	struct period p;

	if (validate_utf8_text(field, v, 16, err) < 0)
		return with_code(k, -1, err);
	return with_code(k, period_month(field, v, &p, err), err);
}

static int check_quarter(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	struct period p;

	if (validate_utf8_text(field, v, 16, err) < 0)
		return with_code(k, -1, err);
	return with_code(k, period_quarter(field, v, &p, err), err);
}

static int check_date(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	struct period p;

	if (validate_utf8_text(field, v, 16, err) < 0)
		return with_code(k, -1, err);
	return with_code(k, period_day(field, v, &p, err), err);
}

static int check_output(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	char copy[PATH_MAX];
	struct stat st;
	const char *dir;

	if (validate_utf8_text(field, v, PATH_MAX - 64, err) < 0) {
		err->code = SETTLE_EX_USAGE;
		return -1;
	}
	if (v[strlen(v) - 1] == '/' || (stat(v, &st) == 0 && S_ISDIR(st.st_mode)))
		return err_set(err, SETTLE_EX_DATAERR, "%s %s is a directory, not a file", field, v);
	snprintf(copy, sizeof copy, "%s", v);
	dir = dirname(copy);
	if (stat(dir, &st) < 0)
		return err_set(err, k->code, "%s %s: directory %s: %s", field, v, dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(err, k->code, "%s %s: %s is not a directory", field, v, dir);
	return 0;
}

static int check_word(const struct cli_kind *k, const char *field, const char *v, const char *const *words,
		      struct settle_err *err)
{
	if (validate_utf8_text(field, v, 32, err) < 0 || validate_enum(field, v, words, err) < 0)
		return with_code(k, -1, err);
	return 0;
}

static int check_format(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	static const char *const w[] = {"csv", "json", "html", NULL};

	return check_word(k, field, v, w, err);
}

static int check_lang(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	static const char *const w[] = {"en", "ko", NULL};

	return check_word(k, field, v, w, err);
}

static int check_remit_kind(const struct cli_kind *k, const char *field, const char *v, struct settle_err *err)
{
	static const char *const w[] = {"withholding", "vat", NULL};

	return check_word(k, field, v, w, err);
}

const struct cli_kind cli_kind_month = {"month", check_month, SETTLE_EX_DATAERR};
const struct cli_kind cli_kind_quarter = {"quarter", check_quarter, SETTLE_EX_DATAERR};
const struct cli_kind cli_kind_date = {"date", check_date, SETTLE_EX_DATAERR};
const struct cli_kind cli_kind_output_file = {"file", check_output, SETTLE_EX_NOINPUT};
const struct cli_kind cli_kind_report_format = {"format", check_format, SETTLE_EX_USAGE};
const struct cli_kind cli_kind_lang = {"lang", check_lang, SETTLE_EX_USAGE};
const struct cli_kind cli_kind_remit_kind = {"kind", check_remit_kind, SETTLE_EX_USAGE};
