/* refund_terms_repo.c — pods' dates and policies, policy versions, and a
 * refund's basis over MariaDB/MySQL. */
#include <stdio.h>
#include <string.h>

#include "adapters/mysql/refund_terms_repo.h"
#include "adapters/mysql/uow.h"

static int pod(void *self, struct uow *tx, const char *pod_id, struct pod_terms *out, struct settle_err *err)
{
	memset(out, 0, sizeof *out);
	return db_query_one(uow_db(tx, self),
			    "SELECT DATE_FORMAT(starts_on, '%Y-%m-%d'), DATE_FORMAT(ends_on, '%Y-%m-%d'), "
			    "COALESCE(refund_policy, '') FROM pods WHERE pod_id = ?",
			    DB_PARAMS(DB_S(pod_id)), DB_COLS(DC_S(out->starts_on), DC_S(out->ends_on), DC_S(out->policy)),
			    err);
}

static int versions(void *self, struct uow *tx, const char *name, struct policy_versions *out, struct settle_err *err)
{
	struct db_cursor *c;
	char from[11], steps[POLICY_TEXT_MAX + 1];
	int rc;

	memset(out, 0, sizeof *out);
	if (db_query(uow_db(tx, self), &c,
		     "SELECT DATE_FORMAT(valid_from, '%Y-%m-%d'), steps FROM refund_policies WHERE name = ? "
		     "ORDER BY valid_from",
		     DB_PARAMS(DB_S(name)), DB_COLS(DC_S(from), DC_S(steps)), err) < 0)
		return -1;
	while ((rc = db_fetch(c, err)) == 1) {
		struct refund_policy p;

		/* Checked when loaded; checked again, as stored text may have been edited. */
		if (refund_policy_parse(steps, &p, err) < 0 || refund_policy_versions_add(out, from, &p, err) < 0) {
			err_prefix(err, "refund policy %s version %s in the database", name, from);
			rc = -1;
			break;
		}
	}
	db_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int record(void *self, struct uow *tx, int64_t refund_id, const struct refund_basis_rec *b,
		  struct settle_err *err)
{
	static const char *const names[] = {"MANUAL", "POLICY", "OVERRIDE"};

	return db_exec(uow_db(tx, self),
		       "UPDATE refunds SET basis = ?, policy_name = ?, policy_from = ?, policy_amount = ?, "
		       "override_reason = ? WHERE id = ?",
		       DB_PARAMS(DB_S(names[b->basis]), DB_SN(b->policy), DB_SN(b->policy_from),
				 b->policy ? DB_I(b->policy_amount) : DB_NULL, DB_SN(b->override_reason), DB_I(refund_id)),
		       NULL, NULL, err);
}

void mysql_refund_terms_repo(struct refund_terms_repo *out, struct db *db)
{
	*out = (struct refund_terms_repo){.self = db, .pod = pod, .versions = versions, .record = record};
}
