/*
 * settle-apid as systemd runs it (a passed socket, its own NOTIFY_SOCKET),
 * driven over loopback with libcurl: READY, WATCHDOG and a graceful stop;
 * every endpoint over the programs' use cases; every way a token is refused
 * (missing, expired, not yet valid, wrong audience or issuer, wrong role,
 * bad signature, alg "none", HS256 keyed with the RS256 public key); POSTs
 * idempotent by their Idempotency-Key; rate limiting with Retry-After; and
 * oversized, malformed or unexpected bodies refused with a stable code and
 * nothing changed.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>

#include "lib/apicall.h"
#include "lib/daemon_proc.h"
#include "lib/jwtmint.h"
#include "lib/payfix.h"

#define ISS "https://study.example/auth"
#define AUD "settle-api"

static struct payfix f;
static struct daemon_proc d;

static void start(const char *api_extra)
{
	char secret[160], pub[512], path[512];
	FILE *s;
	size_t n = strlen(f.t.extra_conf);

	snprintf(secret, sizeof secret, "%s/api-hs256", f.dir);
	s = fopen(secret, "w");
	cr_assert_not_null(s);
	fputs("demo-hs256-secret-not-for-production-0123456789", s);
	fclose(s);
	cr_assert_eq(chmod(secret, 0600), 0);
	test_repo_file("fixtures/api/jwt-test-rs256.pub", pub, sizeof pub);
	snprintf(f.t.extra_conf + n, sizeof f.t.extra_conf - n,
		 "\n[api]\nissuer = " ISS "\naudience = " AUD "\nhs256_key_file = %s\nhs256_kid = hs1\n"
		 "rs256_public_key = %s\nrs256_kid = rs1\nbody_max = 4096\nthreads = 2\n%s",
		 secret, pub, api_extra);
	testdb_write_config(&f.t);
	cr_assert_eq(daemon_start(&d, (const char *const[]){"settle-apid", NULL}, f.t.config_path, NULL, 400000), 0);
	if (daemon_wait_notify(&d, "READY=1", 15000) < 0) {
		char log[4096];

		daemon_log(&d, log, sizeof log);
		cr_assert_fail("no READY=1: %s", log);
	}
	(void)path;
}

static void setup(void)
{
	char path[512];
	struct run_result r;

	payfix_setup(&f, "[escrow]\nhold_days = 7\n");
	run_program(&f.t, (const char *[]){"settle-db", "load-leaders",
					   test_repo_file("fixtures/leaders.csv", path, sizeof path), NULL},
		    NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
}

static void teardown(void)
{
	int st = d.pid ? daemon_stop(&d, 10000) : 0;
	char log[8192];

	/* every daemon ends cleanly: exit 0, no sanitizer report, no leak */
	daemon_log(&d, log, sizeof log);
	payfix_teardown(&f);
	cr_assert_eq(st, 0, "settle-apid exit %d: %s", st, log);
	cr_assert(!strstr(log, "Sanitizer"), "%s", log);
}

TestSuite(cmd_settle_apid, .init = setup, .fini = teardown, .timeout = 120);

static char *tok(const char *role, const char *sub)
{
	struct mint m = {"HS256", "hs1", NULL, ISS, AUD, sub, role, (int64_t)time(NULL) + 300, (int64_t)time(NULL) - 5};

	if (!strcmp(role, "admin"))
		m.alg = "RS256", m.kid = "rs1";
	return mint_token(&m);
}

static long call(const char *method, const char *path, const char *token, const char *idem, const char *body,
		 struct api_resp *r)
{
	struct api_req q = {method, path, token, idem, NULL, body, 0};

	return api_call(d.base_url, &q, r);
}

static const char *jstr(const char *body, const char *key, char *out, size_t len)
{
	json_t *j = json_loads(body, 0, NULL), *v = json_object_get(j, key);

	snprintf(out, len, "%s", json_is_string(v) ? json_string_value(v) : "");
	json_decref(j);
	return out;
}

static void assert_error(const struct api_resp *r, long status, const char *code)
{
	char got[64];

	cr_assert_eq(r->status, status, "%ld (want %ld): %s", r->status, status, r->body);
	cr_assert_str_eq(jstr(r->body, "code", got, sizeof got), code, "%s", r->body);
	/* no internals: no SQL, no file names, no stack */
	cr_assert(!strstr(r->body, "SQL") && !strstr(r->body, "/tmp/") && !strstr(r->body, ".c:"), "%s", r->body);
}

Test(cmd_settle_apid, ready_watchdog_health_metrics_graceful_stop)
{
	struct api_resp *r = malloc(sizeof *r);

	start("");
	cr_assert_eq(daemon_wait_notify(&d, "WATCHDOG=1", 5000), 0);
	cr_assert_eq(call("GET", "/healthz", NULL, NULL, NULL, r), 200, "%s", r->body);
	cr_assert_eq(call("GET", "/nope", NULL, NULL, NULL, r), 404);
	cr_assert_eq(call("DELETE", "/healthz", NULL, NULL, NULL, r), 405);
	cr_assert_eq(call("GET", "/metrics", NULL, NULL, NULL, r), 200);
	cr_assert(strstr(r->body, "settle_api_requests_total{route=\"healthz\",code=\"2xx\"} 1"), "%s", r->body);
	cr_assert(strstr(r->body, "# TYPE settle_api_rate_limited_total counter"), "%s", r->body);
	kill(d.pid, SIGTERM);
	cr_assert_eq(daemon_wait_notify(&d, "STOPPING=1", 5000), 0, "no STOPPING=1");
	cr_assert_eq(daemon_wait(&d, 10000), 0, "not a clean exit");
	free(r);
}

Test(cmd_settle_apid, order_confirm_read_refund)
{
	struct api_resp *r = malloc(sizeof *r), *again = malloc(sizeof *again);
	char *user = tok("user", "user-a"), *other = tok("user", "user-b"), *leader = tok("leader", "leader-kim"),
	     *admin = tok("admin", "ops-1");
	char order[80], pay_id[48], key[256], body[512], path[128], hv[32];

	start("");
	/* order: the amount is the pod's fee */
	cr_assert_eq(call("POST", "/api/v1/payments", user, "order-0001", "{\"podId\":\"pod-algo-101\",\"method\":\"CARD\",\"amount\":50000}", r), 201,
		     "%s", r->body);
	jstr(r->body, "orderId", order, sizeof order);
	jstr(r->body, "paymentId", pay_id, sizeof pay_id);
	cr_assert(order[0] && pay_id[0], "%s", r->body);
	cr_assert(strstr(r->body, "\"status\":\"PENDING\""), "%s", r->body);
	/* a repeat: the first answer's bytes, and no second order */
	cr_assert_eq(call("POST", "/api/v1/payments", user, "order-0001", "{\"podId\":\"pod-algo-101\",\"method\":\"CARD\",\"amount\":50000}", again), 201);
	cr_assert_str_eq(again->body, r->body);
	cr_assert_str_eq(api_header(again, "Idempotent-Replayed", hv, sizeof hv), "true");
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments"), 1);
	/* the same key for another request */
	cr_assert_eq(call("POST", "/api/v1/payments", user, "order-0001", "{\"podId\":\"pod-sql-201\"}", again), 422);
	assert_error(again, 422, "idempotency_key_reused");
	/* another user's key space is their own */
	cr_assert_eq(call("POST", "/api/v1/payments", other, "order-0001", "{\"podId\":\"pod-sql-201\"}", again), 201, "%s", again->body);
	/* a wrong amount is said, not charged */
	call("POST", "/api/v1/payments", other, "order-0002", "{\"podId\":\"pod-rust-301\",\"amount\":1}", again);
	assert_error(again, 422, "amount_mismatch");

	/* confirm after the PG's checkout: by the owner only */
	pf_checkout(&f, order, "CARD", key, sizeof key);
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s\",\"orderId\":\"%s\",\"amount\":50000}", key, order);
	call("POST", "/api/v1/payments/confirm", other, "confirm-0001", body, r);
	assert_error(r, 404, "not_found");
	call("POST", "/api/v1/payments/confirm", admin, "confirm-0001", body, r);
	assert_error(r, 403, "forbidden");
	cr_assert_eq(call("POST", "/api/v1/payments/confirm", user, "confirm-0001", body, r), 200, "%s", r->body);
	cr_assert(strstr(r->body, "\"status\":\"COMPLETED\"") && strstr(r->body, "\"escrow\""), "%s", r->body);
	pf_assert_captured(&f, order, "COMPLETED");
	/* a tampered amount is the use case's refusal */
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s\",\"orderId\":\"%s\",\"amount\":49999}", key, order);
	call("POST", "/api/v1/payments/confirm", user, "confirm-0002", body, r);
	cr_assert(r->status == 422, "%ld %s", r->status, r->body);
	/* … and recorded for settle-watch (issue 14), by the API as the actor */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM amount_refusals WHERE actor = 'settle-apid' AND asked_amount = 49999"),
		     1);

	/* read: the owner and an admin; another user is told it does not exist */
	snprintf(path, sizeof path, "/api/v1/payments/%s", pay_id);
	cr_assert_eq(call("GET", path, user, NULL, NULL, r), 200, "%s", r->body);
	cr_assert(strstr(r->body, "\"paidAt\":\"20") && !strstr(r->body, "secret"), "%s", r->body);
	cr_assert_eq(call("GET", path, admin, NULL, NULL, r), 200);
	call("GET", path, other, NULL, NULL, r);
	assert_error(r, 404, "not_found");
	call("GET", path, leader, NULL, NULL, r);
	assert_error(r, 403, "forbidden");
	call("GET", "/api/v1/payments/pay_doesnotexist", admin, NULL, NULL, r);
	assert_error(r, 404, "not_found");

	/* refund: the owner, part of it; a repeat refunds nothing more */
	snprintf(path, sizeof path, "/api/v1/payments/%s/refund", pay_id);
	call("POST", path, other, "refund-0001", "{\"reason\":\"changed mind\",\"refundAmount\":10000}", r);
	assert_error(r, 404, "not_found");
	cr_assert_eq(call("POST", path, user, "refund-0001", "{\"reason\":\"changed mind\",\"refundAmount\":10000}", r), 200,
		     "%s", r->body);
	cr_assert(strstr(r->body, "\"status\":\"COMPLETED\"") && strstr(r->body, "\"amount\":10000"), "%s", r->body);
	cr_assert_eq(call("POST", path, user, "refund-0001", "{\"reason\":\"changed mind\",\"refundAmount\":10000}", again), 200);
	cr_assert_str_eq(again->body, r->body);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM refunds"), 1);
	pf_ledger_ok(&f);
	free(user), free(other), free(leader), free(admin);
	free(r), free(again);
}

/* [api] idempotency_keep_h: a key is remembered that long, then it is a
 * new request; a new claim deletes keys past their time (the table does
 * not grow for ever). */
Test(cmd_settle_apid, an_idempotency_key_past_its_time_is_new_again)
{
	struct api_resp *r = malloc(sizeof *r);
	char *user = tok("user", "user-a");

	start("idempotency_keep_h = 1\n");
	cr_assert_eq(call("POST", "/api/v1/payments", user, "order-0001", "{\"podId\":\"pod-algo-101\"}", r), 201, "%s",
		     r->body);
	cr_assert_eq(call("POST", "/api/v1/payments", user, "order-0002", "{\"podId\":\"pod-sql-201\"}", r), 201, "%s",
		     r->body);
	cr_assert_eq(call("POST", "/api/v1/payments", user, "order-0001", "{\"podId\":\"pod-sql-201\"}", r), 422);
	/* two hours later for both keys */
	cr_assert_eq(testdb_sql(&f.t, "UPDATE api_idempotency SET created_at = created_at - INTERVAL 2 HOUR"), 0u);
	cr_assert_eq(call("POST", "/api/v1/payments", user, "order-0001", "{\"podId\":\"pod-rust-301\"}", r), 201,
		     "a key past its time is still refused: %s", r->body);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments"), 3);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM api_idempotency"), 1, "the other expired key was not deleted");
	free(user), free(r);
}

Test(cmd_settle_apid, every_token_refusal)
{
	struct api_resp *r = malloc(sizeof *r);
	int64_t now = time(NULL);
	char fp[8192];
	struct {
		struct mint m;
		int how; /* 0 signed, 1 alg none, 2 HS256 with the RS256 public key */
		const char *code;
	} cases[] = {
		{{"HS256", "hs1", NULL, ISS, AUD, "user-a", "user", now - 120, now - 600}, 0, "token_expired"},
		{{"HS256", "hs1", NULL, ISS, AUD, "user-a", "user", now + 600, now + 120}, 0, "token_not_yet_valid"},
		{{"HS256", "hs1", NULL, ISS, "other-api", "user-a", "user", now + 600, 0}, 0, "token_audience"},
		{{"HS256", "hs1", NULL, "https://evil.example", AUD, "user-a", "user", now + 600, 0}, 0, "token_issuer"},
		{{"RS256", "rs1", "fixtures/api/jwt-other-rs256.key", ISS, AUD, "user-a", "user", now + 600, 0}, 0,
		 "token_signature"},
		{{"HS256", "hs1", NULL, ISS, AUD, "user-a", "user", now + 600, 0}, 1, "token_algorithm"},
		{{"RS256", "rs1", NULL, ISS, AUD, "user-a", "admin", now + 600, 0}, 2, "token_algorithm"},
		{{"HS256", "nokey", NULL, ISS, AUD, "user-a", "user", now + 600, 0}, 0, "token_key"},
		{{"HS256", "hs1", NULL, ISS, AUD, "user-a", "superuser", now + 600, 0}, 0, "token_claims"},
	};
	char wa[64];

	start("");
	testdb_fingerprint(&f.t, fp, sizeof fp);
	call("POST", "/api/v1/payments", NULL, "k-000001", "{\"podId\":\"pod-algo-101\"}", r);
	assert_error(r, 401, "token_missing");
	cr_assert(api_header(r, "WWW-Authenticate", wa, sizeof wa)[0]);
	{
		struct api_req q = {"GET", "/api/v1/payments/pay_x", NULL, NULL, NULL, NULL, 0};

		q.token = "not.a.token";
		api_call(d.base_url, &q, r);
		cr_assert_eq(r->status, 401);
	}
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *t = cases[i].how == 1 ? mint_none(&cases[i].m) : cases[i].how == 2 ? mint_confused(&cases[i].m)
											  : mint_token(&cases[i].m);

		call("POST", "/api/v1/payments", t, "k-000002", "{\"podId\":\"pod-algo-101\"}", r);
		assert_error(r, 401, cases[i].code);
		free(t);
	}
	/* a valid token of the wrong role */
	{
		char *leader = tok("leader", "leader-kim"), *user = tok("user", "user-a");

		call("POST", "/api/v1/payments", leader, "k-000003", "{\"podId\":\"pod-algo-101\"}", r);
		assert_error(r, 403, "forbidden");
		call("POST", "/api/v1/settlements/execute", user, "k-000004", "{\"podIds\":[\"pod-algo-101\"]}", r);
		assert_error(r, 403, "forbidden");
		call("POST", "/api/v1/settlements/execute", leader, "k-000005", "{\"podIds\":[\"pod-algo-101\"]}", r);
		assert_error(r, 403, "forbidden");
		call("GET", "/api/v1/settlements/leader/leader-kim", user, NULL, NULL, r);
		assert_error(r, 403, "forbidden");
		call("GET", "/api/v1/settlements/leader/leader-lee", leader, NULL, NULL, r);
		assert_error(r, 403, "forbidden");
		free(leader), free(user);
	}
	/* refused requests leave no trace but their idempotency claims,
	 * which a refusal before the route never makes */
	testdb_assert_unchanged(&f.t, fp, "refused tokens");
	free(r);
}

Test(cmd_settle_apid, bad_bodies_change_nothing)
{
	struct api_resp *r = malloc(sizeof *r);
	char *user = tok("user", "user-a"), fp[8192], *big = malloc(6000);
	struct api_req q = {"POST", "/api/v1/payments", user, "k-100001", "text/plain", "{\"podId\":\"pod-algo-101\"}", 0};
	const char *malformed[] = {"", "{", "[]", "\"x\"", "{\"podId\":\"a\",\"podId\":\"b\"}", "{\"podId\":1}",
				   "{\"podId\":\"pod algo\"}", "{\"podId\":\"\"}", "{\"podId\":\"pod-\\u0000x\"}",
				   "{\"podId\":\"pod-algo-101\",\"method\":\"CASH\"}",
				   "{\"podId\":\"pod-algo-101\",\"amount\":-5}", "{\"podId\":\"pod-algo-101\",\"amount\":1.5}",
				   "{\"podId\":\"pod-algo-101\",\"userId\":\"someone-else\"}", NULL};
	/* jansson refuses \u0000 in a string: a malformed body */
	const char *codes[] = {"malformed_body", "malformed_body", "malformed_body", "malformed_body", "malformed_body",
			       "invalid_field", "invalid_field", "invalid_field", "malformed_body", "invalid_field",
			       "invalid_field", "invalid_field", "unknown_field"};
	char idem[32];

	start("");
	testdb_fingerprint(&f.t, fp, sizeof fp);
	api_call(d.base_url, &q, r);
	assert_error(r, 415, "unsupported_media_type");
	memset(big, ' ', 5999);
	big[5999] = 0;
	memcpy(big, "{\"podId\":\"pod-algo-101\"}", 24);
	cr_assert_eq(call("POST", "/api/v1/payments", user, "k-100002", big, r), 413, "%s", r->body);
	call("POST", "/api/v1/payments", user, NULL, "{\"podId\":\"pod-algo-101\"}", r);
	assert_error(r, 400, "idempotency_key_missing");
	call("POST", "/api/v1/payments", user, "short", "{\"podId\":\"pod-algo-101\"}", r);
	assert_error(r, 400, "idempotency_key_invalid");
	{
		char *admin = tok("admin", "ops");

		call("POST", "/api/v1/settlements/execute", admin, "k-100003", "{\"podIds\":[]}", r);
		assert_error(r, 400, "invalid_field");
		free(admin);
	}
	call("POST", "/api/v1/payments/pay_x/refund", user, "k-100004", "{\"refundAmount\":100}", r);
	assert_error(r, 400, "invalid_field");
	/* each refusal: its code, and (below) no payment */
	for (int i = 0; malformed[i]; i++) {
		snprintf(idem, sizeof idem, "bad-body-%04d", i);
		call("POST", "/api/v1/payments", user, idem, malformed[i], r);
		assert_error(r, 400, codes[i]);
	}
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM payments"), 0);
	/* a body refused before its route keeps no idempotency answer either,
	 * except the checks a route makes after its claim (fields): those
	 * answers are kept, so a repeat gets the same 400 */
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM api_idempotency WHERE status IS NULL"), 0);
	testdb_fingerprint(&f.t, fp, sizeof fp);
	call("POST", "/api/v1/payments", user, "bad-body-0000", malformed[0], r);
	assert_error(r, 400, "malformed_body");
	testdb_assert_unchanged(&f.t, fp, "a replayed refusal");
	free(big), free(user), free(r);
}

Test(cmd_settle_apid, rate_limited_with_retry_after)
{
	struct api_resp *r = malloc(sizeof *r);
	char *user = tok("user", "user-a"), *other = tok("user", "user-b"), ra[16];

	start("rate_per_s = 1\nrate_burst = 3\n");
	for (int i = 0; i < 3; i++)
		cr_assert_eq(call("GET", "/api/v1/payments/pay_x", user, NULL, NULL, r), 404, "%d: %s", i, r->body);
	call("GET", "/api/v1/payments/pay_x", user, NULL, NULL, r);
	assert_error(r, 429, "rate_limited");
	cr_assert(atoi(api_header(r, "Retry-After", ra, sizeof ra)) >= 1, "%s", r->headers);
	/* another principal is not held back */
	cr_assert_eq(call("GET", "/api/v1/payments/pay_x", other, NULL, NULL, r), 404);
	sleep(1);
	cr_assert_eq(call("GET", "/api/v1/payments/pay_x", user, NULL, NULL, r), 404);
	cr_assert_eq(call("GET", "/metrics", NULL, NULL, NULL, r), 200);
	cr_assert(strstr(r->body, "settle_api_rate_limited_total 1"), "%s", r->body);
	free(user), free(other), free(r);
}

Test(cmd_settle_apid, admin_executes_settlement_leader_reads_it)
{
	struct api_resp *r = malloc(sizeof *r), *again = malloc(sizeof *again);
	char *admin = tok("admin", "ops-1"), *kim = tok("leader", "leader-kim"), o[80];
	struct run_result rr;

	pf_paid(&f, "pod-algo-101", "user-a", NULL, o, sizeof o);
	pf_paid(&f, "pod-algo-101", "user-b", NULL, o, sizeof o);
	pf_paid(&f, "pod-sql-201", "user-a", NULL, o, sizeof o);
	cr_assert_eq(testdb_sql(&f.t, "UPDATE pods SET status = 'COMPLETED', completed_at = UTC_TIMESTAMP(6) - INTERVAL 10 DAY"), 0u);
	run_program(&f.t, (const char *[]){"escrow-release", NULL}, NULL, &rr);
	cr_assert_eq(rr.status, 0, "%s", rr.err);
	start("");
	cr_assert_eq(call("POST", "/api/v1/settlements/execute", admin, "exec-0001", "{\"podIds\":[\"pod-algo-101\"]}", r), 200,
		     "%s", r->body);
	cr_assert(strstr(r->body, "\"total\":100000") && strstr(r->body, "\"fee\":20000"), "%s", r->body);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 1, "only the pod asked for");
	cr_assert_eq(call("POST", "/api/v1/settlements/execute", admin, "exec-0001", "{\"podIds\":[\"pod-algo-101\"]}", again), 200);
	cr_assert_str_eq(again->body, r->body);
	/* a new key: the use case settles nothing twice */
	cr_assert_eq(call("POST", "/api/v1/settlements/execute", admin, "exec-0002", "{\"podIds\":[\"pod-algo-101\"]}", again), 200);
	cr_assert(strstr(again->body, "\"settlements\":[]"), "%s", again->body);
	cr_assert_eq(pf_count(&f, "SELECT COUNT(*) FROM settlements"), 1);
	cr_assert_eq(call("GET", "/api/v1/settlements/leader/leader-kim", kim, NULL, NULL, r), 200, "%s", r->body);
	cr_assert(strstr(r->body, "\"podTitle\":\"Algorithms, weekly problem solving\"") &&
		  strstr(r->body, "\"amount\":80000"), "%s", r->body);
	cr_assert_eq(call("GET", "/api/v1/settlements/leader/leader-lee", admin, NULL, NULL, r), 200);
	cr_assert(strstr(r->body, "\"settlements\":[]"), "%s", r->body);
	pf_ledger_ok(&f);
	free(admin), free(kim), free(r), free(again);
}

struct inflight {
	const char *token, *body;
	struct api_resp r;
};

static void *confirm_slowly(void *arg)
{
	struct inflight *x = arg;

	call("POST", "/api/v1/payments/confirm", x->token, "inflight-0001", x->body, &x->r);
	return NULL;
}

/* SIGTERM while a confirm waits on a slow PG: STOPPING=1 at once, the
 * confirm is answered (COMPLETED), then the daemon exits 0. */
Test(cmd_settle_apid, graceful_stop_finishes_the_request_in_flight)
{
	struct inflight *x = calloc(1, sizeof *x);
	char *user = tok("user", "user-a"), order[80], key[256], body[512];
	struct api_resp *r = malloc(sizeof *r);
	pthread_t th;

	start("");
	cr_assert_eq(call("POST", "/api/v1/payments", user, "order-inflight", "{\"podId\":\"pod-algo-101\"}", r), 201, "%s", r->body);
	jstr(r->body, "orderId", order, sizeof order);
	pf_checkout(&f, order, "CARD", key, sizeof key);
	pf_fault(&f, "{\"fault\":\"delay\",\"orderId\":\"%s\",\"op\":\"confirm\",\"delayMs\":1000}", order);
	snprintf(body, sizeof body, "{\"paymentKey\":\"%s\",\"orderId\":\"%s\",\"amount\":50000}", key, order);
	x->token = user;
	x->body = body;
	cr_assert_eq(pthread_create(&th, NULL, confirm_slowly, x), 0);
	nanosleep(&(struct timespec){0, 300 * 1000000L}, NULL);
	kill(d.pid, SIGTERM);
	cr_assert_eq(daemon_wait_notify(&d, "STOPPING=1", 2000), 0);
	pthread_join(th, NULL);
	cr_assert_eq(x->r.status, 200, "%ld %s", x->r.status, x->r.body);
	cr_assert(strstr(x->r.body, "\"status\":\"COMPLETED\""), "%s", x->r.body);
	cr_assert_eq(daemon_wait(&d, 10000), 0);
	pf_assert_captured(&f, order, "COMPLETED");
	free(user), free(x), free(r);
}

/* text with each NAME of pairs (NAME, VALUE, ..., NULL) replaced; its length. */
static int subst(char *out, size_t cap, const char *text, const char *const *pairs)
{
	size_t n = 0;

	while (*text && n + 1 < cap) {
		const char *const *p;

		for (p = pairs; *p; p += 2)
			if (!strncmp(text, p[0], strlen(p[0])))
				break;
		if (*p) {
			n += (size_t)snprintf(out + n, cap - n, "%s", p[1]);
			text += strlen(p[0]);
		} else {
			out[n++] = *text++;
		}
	}
	out[n < cap ? n : cap - 1] = 0;
	return (int)n;
}

/* Refusals before serving: each a one-line error naming what is wrong, its
 * exit code, and nothing listening or written. */
Test(cmd_settle_apid, configuration_and_usage_refusals)
{
	struct run_result *r = malloc(sizeof *r);
	char base_conf[2048], fp[8192], secret[160], good[160], pub[512];
	FILE *s;
	int busy;
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t sl = sizeof sa;
	struct {
		const char *api; /* [api]; @GOOD@ a good secret file, @PUB@ the public key, @PORT@ a busy port, @SHORT@ a short secret */
		int status;
		const char *says;
	} cases[] = {
		{"audience = a\nhs256_key_file = @GOOD@\n", 78, "issuer and audience"},
		{"issuer = i\naudience = a\n", 78, "needs a key"},
		{"issuer = i\naudience = a\nrs256_public_key = /nonexistent.pem\n", 78, "rs256_public_key"},
		{"issuer = i\naudience = a\nrs256_public_key = @SHORT@\n", 78, "PEM"},
		{"issuer = i\naudience = a\nhs256_key_file = @SHORT@\n", 78, "shorter"},
		{"issuer = i\naudience = a\nhs256_key_file = @PUB@\n", 78, "0644"},
		{"issuer = i\naudience = a\nhs256_key_file = @GOOD@\nrate_per_s = 0\n", 78, "rate_per_s"},
		{"issuer = i\naudience = a\nhs256_key_file = @GOOD@\nlisten = 0.0.0.0:8081\n", 78, "loopback"},
		{"issuer = i\naudience = a\nhs256_key_file = @GOOD@\nlisten = 127.0.0.1:@PORT@\n", 69, "listen"},
		{"issuer = i\naudience = a\nhs256_key_file = @GOOD@\nbogus = 1\n", 78, "bogus"},
	};

	snprintf(base_conf, sizeof base_conf, "%s", f.t.extra_conf);
	snprintf(secret, sizeof secret, "%s/api-short", f.dir);
	s = fopen(secret, "w");
	cr_assert_not_null(s);
	fputs("too-short-for-hs256", s);
	fclose(s);
	cr_assert_eq(chmod(secret, 0600), 0);
	snprintf(good, sizeof good, "%s/api-good", f.dir);
	s = fopen(good, "w");
	cr_assert_not_null(s);
	fputs("demo-hs256-secret-not-for-production-0123456789", s);
	fclose(s);
	cr_assert_eq(chmod(good, 0600), 0);
	test_repo_file("fixtures/api/jwt-test-rs256.pub", pub, sizeof pub);
	/* a port that is taken */
	busy = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(busy, (struct sockaddr *)&sa, sizeof sa), 0);
	cr_assert_eq(listen(busy, 1), 0);
	cr_assert_eq(getsockname(busy, (struct sockaddr *)&sa, &sl), 0);
	testdb_fingerprint(&f.t, fp, sizeof fp);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char api[512], port[16];
		int n;

		snprintf(port, sizeof port, "%d", (int)ntohs(sa.sin_port));
		n = subst(api, sizeof api, cases[i].api, (const char *[]){"@GOOD@", good, "@PUB@", pub, "@PORT@", port,
									  "@SHORT@", secret, NULL});
		cr_assert_lt((size_t)n, sizeof api);
		snprintf(f.t.extra_conf, sizeof f.t.extra_conf, "%s\n[api]\n%s", base_conf, api);
		testdb_write_config(&f.t);
		run_program(&f.t, (const char *[]){"settle-apid", NULL}, NULL, r);
		cr_assert_eq(r->status, cases[i].status, "case %zu: %d %s", i, r->status, r->err);
		cr_assert(pf_one_error(r->err, "settle-apid") && strstr(r->err, cases[i].says), "case %zu: %s", i,
			  r->err);
	}
	close(busy);
	run_program(&f.t, (const char *[]){"settle-apid", "stray", NULL}, NULL, r);
	cr_assert_eq(r->status, 64, "%s", r->err);
	testdb_assert_unchanged(&f.t, fp, "settle-apid refusals");
	free(r);
}
