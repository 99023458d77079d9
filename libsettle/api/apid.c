/*
 * apid.c — settle-apid's request path (see apid.h):
 *
 *   /healthz, /metrics            no token
 *   everything else               bearer token → rate limit (per principal)
 *                                 → POST: Idempotency-Key claim or replay
 *                                 → route → access rule → use case
 *
 * Each libmicrohttpd thread has its own database connection and ports
 * (wire_api_conn), made on its first request and closed when the thread
 * ends (the pthread key's destructor).
 */
#include "api/apid.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/api/digest.h"
#include "adapters/api/jwt_verify.h"
#include "adapters/clock/clock.h"
#include "adapters/mysql/api_idempotency.h"
#include "adapters/mysql/db.h"
#include "api/routes.h"
#include "util/log.h"

static const char *const route_names[APID_ROUTES] = {
	"other", "healthz", "metrics", "payments_order", "payments_confirm", "payments_get", "payments_refund",
	"settlements_leader", "settlements_execute",
};

static void conn_destroy(void *p)
{
	if (p) {
		unwire_api_conn(p);
		free(p);
	}
}

int apid_init(struct apid *a, const struct cli *cli, struct settle_err *err)
{
	memset(a, 0, sizeof *a);
	a->cli = cli;
	a->clock = clock_system();
	if (wire_api_settings(cli->cfg, &a->set, err) < 0)
		return -1;
	a->rl = malloc(sizeof *a->rl);
	if (!a->rl) {
		jwtv_free(&a->set.jwt);
		return err_set(err, SETTLE_EX_OSERR, "out of memory");
	}
	rl_init(a->rl, a->set.rate_per_s, a->set.rate_burst);
	if (pthread_key_create(&a->conn_key, conn_destroy)) {
		rl_destroy(a->rl);
		free(a->rl);
		jwtv_free(&a->set.jwt);
		return err_set(err, SETTLE_EX_OSERR, "pthread_key_create failed");
	}
	return 0;
}

void apid_fini(struct apid *a)
{
	/* The pool threads have ended (their connections closed by the key's
	 * destructor); the main thread never made one. */
	conn_destroy(pthread_getspecific(a->conn_key));
	pthread_setspecific(a->conn_key, NULL);
	pthread_key_delete(a->conn_key);
	rl_destroy(a->rl);
	free(a->rl);
	jwtv_free(&a->set.jwt);
}

/* This thread's connection, made on first use; NULL (logged) when the
 * database cannot be reached: the request gets a 503 and the next one
 * tries again. */
static struct api_conn *thread_conn(struct apid *a)
{
	struct api_conn *c = pthread_getspecific(a->conn_key);
	struct settle_err err = {0};

	if (c)
		return c;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (wire_api_conn(a->cli, c, &err) < 0) {
		log_kv(LOG_ERROR, "api.db_connect_failed", "error", err.msg, NULL);
		unwire_api_conn(c);
		free(c);
		atomic_fetch_add(&a->conn_failures, 1);
		return NULL;
	}
	pthread_setspecific(a->conn_key, c);
	return c;
}

int apid_healthy(void *ctx)
{
	(void)ctx;
	/* The watchdog thread has no connection of its own; liveness of the
	 * serving loop is what the watchdog proves. /healthz checks the
	 * database on a serving thread. */
	return 1;
}

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void metrics(struct apid *a, struct httpd_response *resp)
{
	size_t cap = 16384, n = 0;
	char *b = malloc(cap);

	if (!b) {
		httpd_json_error(resp, 503, "unavailable", "out of memory");
		return;
	}
#define P(...) n += (size_t)snprintf(b + n, n < cap ? cap - n : 0, __VA_ARGS__)
	P("# HELP settle_api_requests_total Requests answered, by route and status class.\n"
	  "# TYPE settle_api_requests_total counter\n");
	for (int r = 0; r < APID_ROUTES; r++)
		for (int k = 0; k < APID_CLASSES; k++)
			P("settle_api_requests_total{route=\"%s\",code=\"%dxx\"} %lld\n", route_names[r], k + 1,
			  (long long)atomic_load(&a->requests[r][k]));
	P("# HELP settle_api_request_seconds_sum Time spent answering, by route.\n"
	  "# TYPE settle_api_request_seconds_sum counter\n");
	for (int r = 0; r < APID_ROUTES; r++) {
		long long us = atomic_load(&a->latency_us[r]);

		P("settle_api_request_seconds_sum{route=\"%s\"} %lld.%06lld\n", route_names[r], us / 1000000, us % 1000000);
	}
	P("# TYPE settle_api_auth_failures_total counter\nsettle_api_auth_failures_total %lld\n"
	  "# TYPE settle_api_rate_limited_total counter\nsettle_api_rate_limited_total %lld\n"
	  "# TYPE settle_api_idempotent_replays_total counter\nsettle_api_idempotent_replays_total %lld\n"
	  "# TYPE settle_api_db_connect_failures_total counter\nsettle_api_db_connect_failures_total %lld\n",
	  (long long)atomic_load(&a->auth_failures), (long long)atomic_load(&a->rate_limited),
	  (long long)atomic_load(&a->replays), (long long)atomic_load(&a->conn_failures));
#undef P
	if (n >= cap) {
		free(b);
		httpd_json_error(resp, 500, "internal", "metrics too large");
		return;
	}
	resp->status = 200;
	resp->body = b;
	resp->content_type = "text/plain; version=0.0.4";
}

static void healthz(struct apid *a, struct httpd_response *resp)
{
	struct api_conn *c = thread_conn(a);
	struct settle_err err = {0};

	if (!c || db_simple(c->cli.db, "DO 1", &err) < 0) {
		if (c)
			log_kv(LOG_ERROR, "api.health_failed", "error", err.msg, NULL);
		httpd_json_error(resp, 503, "unavailable", "the database cannot be reached");
		return;
	}
	resp->status = 200;
	resp->body = strdup("{\"status\":\"ok\"}");
}

/* "Authorization: Bearer <token>": 0 and *p, or -1 with resp a 401. */
static int authenticate(struct apid *a, const struct httpd_request *req, struct api_principal *p,
			struct httpd_response *resp)
{
	const char *h = httpd_header(req, "Authorization");
	const char *code = "token_missing";
	struct settle_err err = {0};

	if (h && !strncasecmp(h, "Bearer ", 7)) {
		h += 7;
		while (*h == ' ')
			h++;
		if (jwtv_verify(&a->set.jwt, h, a->clock->now_us(a->clock->self) / 1000000, p, &code, &err) == 0)
			return 0;
		log_kv(LOG_WARN, "api.auth_refused", "client", req->client, "code", code, NULL);
	}
	atomic_fetch_add(&a->auth_failures, 1);
	httpd_json_error(resp, 401, code,
			 !strcmp(code, "token_missing") ? "an Authorization: Bearer token is required" : err.msg);
	httpd_add_header(resp, "WWW-Authenticate", "Bearer realm=\"settle\"");
	return -1;
}

/* Idempotency-Key: 8–128 of [A-Za-z0-9_.:-] (a UUID fits). */
static int idem_key_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0;

	if (n < 8 || n > 128)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= '0' && k[i] <= '9') ||
		      k[i] == '-' || k[i] == '_' || k[i] == '.' || k[i] == ':'))
			return 0;
	return 1;
}

static void unavailable(struct httpd_response *resp)
{
	httpd_json_error(resp, 503, "unavailable", "the service is unavailable; try again");
	httpd_add_header(resp, "Retry-After", "5");
}

/* A POST under its Idempotency-Key: claims it, runs the route, keeps the
 * answer (unless it decided nothing: 5xx), or replays the first answer. */
static void idempotent(struct apid *a, struct api_conn *c, const struct api_principal *p, enum apid_route route,
		       const struct httpd_request *req, struct httpd_response *resp)
{
	const char *key = httpd_header(req, "Idempotency-Key");
	char client[96], hash[65], *body;
	enum idem_state st;
	int status = 0;
	struct settle_err err = {0};
	int64_t now = a->clock->now_us(a->clock->self);

	if (!key) {
		httpd_json_error(resp, 400, "idempotency_key_missing", "every POST needs an Idempotency-Key header");
		return;
	}
	if (!idem_key_ok(key)) {
		httpd_json_error(resp, 400, "idempotency_key_invalid",
				 "Idempotency-Key: 8 to 128 of letters, digits, '-', '_', '.', ':'");
		return;
	}
	snprintf(client, sizeof client, "%s:%s", p->role == API_ROLE_ADMIN ? "admin" : p->role == API_ROLE_LEADER ? "leader" : "user",
		 p->sub);
	api_request_digest(req->method, req->path, req->body, req->body_len, hash);
	body = malloc(IDEM_BODY_MAX + 1);
	if (!body) {
		unavailable(resp);
		return;
	}
	if (idem_begin(c->cli.db, client, key, hash, now, a->set.idempotency_keep_h * 3600, &st, &status, body, &err) < 0) {
		log_kv(LOG_ERROR, "api.idempotency_failed", "error", err.msg, NULL);
		free(body);
		unavailable(resp);
		return;
	}
	switch (st) {
	case IDEM_REPLAY:
		atomic_fetch_add(&a->replays, 1);
		resp->status = status;
		resp->body = body;
		httpd_add_header(resp, "Idempotent-Replayed", "true");
		return;
	case IDEM_RUNNING:
		free(body);
		httpd_json_error(resp, 409, "idempotency_in_progress", "a request with this Idempotency-Key is still running");
		httpd_add_header(resp, "Retry-After", "1");
		return;
	case IDEM_MISMATCH:
		free(body);
		httpd_json_error(resp, 422, "idempotency_key_reused",
				 "this Idempotency-Key was used for another request");
		return;
	case IDEM_NEW:
		break;
	}
	free(body);
	apid_route_run(c, p, route, req, resp);
	if (resp->status >= 500 || !resp->body || strlen(resp->body) > IDEM_BODY_MAX)
		err.code = idem_forget(c->cli.db, client, key, &err);
	else if (idem_finish(c->cli.db, client, key, resp->status, resp->body, a->clock->now_us(a->clock->self),
			     &err) < 0)
		/* The answer stands; a repeat will find the claim running and
		 * retry later, and then it runs again by the use case's keys. */
		log_kv(LOG_ERROR, "api.idempotency_finish_failed", "error", err.msg, NULL);
}

void apid_handle(void *ctx, const struct httpd_request *req, struct httpd_response *resp)
{
	struct apid *a = ctx;
	int64_t t0 = mono_us();
	struct api_principal p;
	enum apid_route route = apid_route_of(req->method, req->path);
	struct api_conn *c;
	int wait;

	if (route == APID_HEALTHZ)
		healthz(a, resp);
	else if (route == APID_METRICS)
		metrics(a, resp);
	else if (route == APID_NOT_FOUND)
		httpd_json_error(resp, 404, "not_found", "no such endpoint");
	else if (route == APID_BAD_METHOD)
		httpd_json_error(resp, 405, "method_not_allowed", "this endpoint does not take that method");
	else if (authenticate(a, req, &p, resp) == 0) {
		char who[96];

		snprintf(who, sizeof who, "%d:%s", (int)p.role, p.sub);
		if ((wait = rl_take(a->rl, who, a->clock->now_us(a->clock->self))) > 0) {
			char s[16];

			atomic_fetch_add(&a->rate_limited, 1);
			snprintf(s, sizeof s, "%d", wait);
			httpd_json_error(resp, 429, "rate_limited", "too many requests; see Retry-After");
			httpd_add_header(resp, "Retry-After", s);
		} else if (!apid_route_role_ok(&p, route))
			httpd_json_error(resp, 403, "forbidden", "the token's role may not do this");
		else if (!(c = thread_conn(a)))
			unavailable(resp);
		else {
			if (!strcmp(req->method, "POST"))
				idempotent(a, c, &p, route, req, resp);
			else
				apid_route_run(c, &p, route, req, resp);
			/* A 503 may be a lost database connection: this thread
			 * opens a new one on its next request. */
			if (resp->status == 503) {
				pthread_setspecific(a->conn_key, NULL);
				conn_destroy(c);
			}
		}
	}
	if (resp->status == 0)
		resp->status = 500;
	{
		int k = resp->status / 100 - 1;
		int r = route > 0 && route < APID_ROUTES ? (int)route : 0;

		atomic_fetch_add(&a->requests[r][k >= 0 && k < APID_CLASSES ? k : APID_CLASSES - 1], 1);
		atomic_fetch_add(&a->latency_us[r], mono_us() - t0);
	}
}
