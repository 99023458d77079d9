/* ops_queries.c — job runs and gauges for operations (see ops_queries.h). */
#include "adapters/mysql/ops_queries.h"

#include <string.h>

#include "adapters/mysql/db.h"

int ops_job_last_run(struct db *db, const char *job, struct job_last_run *out, struct settle_err *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	rc = db_query_one(db,
			  "SELECT status, DATE_FORMAT(started_at, '%Y-%m-%d %H:%i:%s'), "
			  "COALESCE(DATE_FORMAT(finished_at, '%Y-%m-%d %H:%i:%s'), ''), COALESCE(host, ''), "
			  "COALESCE(counts, ''), COALESCE(message, '') FROM job_runs WHERE job = ? "
			  "ORDER BY started_at DESC, id DESC LIMIT 1",
			  DB_PARAMS(DB_S(job)),
			  DB_COLS(DC_S(out->status), DC_S(out->started_at), DC_S(out->finished_at), DC_S(out->host),
				  DC_S(out->counts), DC_S(out->message)),
			  err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 0;
	if (db_query_one(db,
			 "SELECT COALESCE(DATE_FORMAT(MAX(finished_at), '%Y-%m-%d %H:%i:%s'), '') FROM job_runs "
			 "WHERE job = ? AND status = 'DONE'",
			 DB_PARAMS(DB_S(job)), DB_COLS(DC_S(out->last_success)), err) < 0 ||
	    db_query_one(db, "SELECT COUNT(*) FROM job_runs WHERE job = ?", DB_PARAMS(DB_S(job)),
			 DB_COLS(DC_I(&out->runs)), err) < 0)
		return -1;
	return 0;
}

int ops_escrow_held(struct db *db, const char *currency, int64_t *out, struct settle_err *err)
{
	*out = 0;
	return db_query_one(db,
			    "SELECT CAST(COALESCE(SUM(amount - refunded_amount - released_amount), 0) AS SIGNED) "
			    "FROM escrows WHERE status IN ('HOLDING', 'DISPUTED') AND currency = ?",
			    DB_PARAMS(DB_S(currency)), DB_COLS(DC_I(out)), err) < 0
		       ? -1
		       : 0;
}

int ops_payouts_in_doubt(struct db *db, int64_t *out, struct settle_err *err)
{
	*out = 0;
	return db_query_one(db, "SELECT COUNT(*) FROM payouts WHERE status = 'SENDING'", DB_NOPARAMS, DB_COLS(DC_I(out)),
			    err) < 0
		       ? -1
		       : 0;
}
