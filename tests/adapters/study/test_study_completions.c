/*
 * test_study_completions.c — the Study port's completions over HTTP
 * against the real sandbox: paging in completion order with an opaque
 * cursor, nothing new at the end, strict about a malformed answer, 5xx and
 * a dead service as EX_TEMPFAIL; plus the sandbox's own strictness.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/http/http.h"
#include "adapters/study/study_http.h"
#include "lib/sandbox_proc.h"
#include "lib/testdb.h"

static struct sandbox_proc sp;
static struct study_port *port;

static void setup(void)
{
	struct settle_err err = {0};
	struct study_http_config cfg = {NULL, "sandbox-study-token", 2000, 5000};
	char pods[512];

	cr_assert_eq(sandbox_start_args(&sp, NULL,
					(const char *const[]){"--pods", test_repo_file("fixtures/pods.csv", pods, sizeof pods),
							      NULL}),
		     0);
	cfg.base_url = sp.base_url;
	port = study_http_new(&cfg, &err);
	cr_assert_not_null(port, "%s", err.msg);
}

static void teardown(void)
{
	if (port)
		port->destroy(port->self);
	port = NULL;
	sandbox_stop(&sp);
}

TestSuite(adapters_study_completions, .init = setup, .fini = teardown, .timeout = 30);

static void complete(const char *pod, const char *at)
{
	char path[128], body[128], resp[1024];

	snprintf(path, sizeof path, "/_sandbox/pods/%s/complete", pod);
	if (at)
		snprintf(body, sizeof body, "{\"completedAt\":\"%s\"}", at);
	cr_assert_eq(sandbox_post(&sp, path, at ? body : "{}", resp, sizeof resp), 200, "%s", resp);
}

Test(adapters_study_completions, pages_in_order_with_cursor)
{
	struct study_completion items[2];
	char next[STUDY_CURSOR_MAX + 1], since[STUDY_CURSOR_MAX + 1] = "";
	struct settle_err err = {0};
	size_t n = 9;

	cr_assert_eq(port->completions(port->self, "", 2, items, 2, &n, next, sizeof next, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 0);
	cr_assert_str_eq(next, "0");

	complete("pod-sql-201", "2026-11-01T10:00:00Z");
	complete("pod-algo-101", NULL);
	complete("pod-rust-301", "2026-11-03T00:00:00Z");
	cr_assert_eq(port->completions(port->self, since, 2, items, 2, &n, next, sizeof next, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(items[0].pod_id, "pod-sql-201");
	cr_assert_str_eq(items[0].completed_at, "2026-11-01T10:00:00Z");
	cr_assert_str_eq(items[1].pod_id, "pod-algo-101");
	cr_assert_eq(strlen(items[1].completed_at), 20, "%s", items[1].completed_at);
	strcpy(since, next);
	cr_assert_eq(port->completions(port->self, since, 2, items, 2, &n, next, sizeof next, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(items[0].pod_id, "pod-rust-301");
	strcpy(since, next);
	cr_assert_eq(port->completions(port->self, since, 2, items, 2, &n, next, sizeof next, &err), 0, "%s", err.msg);
	cr_assert_eq(n, 0);
	cr_assert_str_eq(next, since);
}

Test(adapters_study_completions, malformed_is_dataerr)
{
	struct study_completion items[4];
	char next[STUDY_CURSOR_MAX + 1];
	struct settle_err err = {0};
	size_t n = 9;

	complete("pod-sql-201", NULL);
	cr_assert_eq(sandbox_fault(&sp, "{\"op\":\"study\",\"fault\":\"malformed\"}"), 0);
	cr_assert_eq(port->completions(port->self, "", 4, items, 4, &n, next, sizeof next, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR, "%d %s", err.code, err.msg);
	cr_assert_eq(n, 0);
	cr_assert_not_null(strstr(err.msg, "study service completions"), "%s", err.msg);
}

Test(adapters_study_completions, http500_is_tempfail)
{
	struct study_completion items[4];
	char next[STUDY_CURSOR_MAX + 1];
	struct settle_err err = {0};
	size_t n;

	cr_assert_eq(sandbox_fault(&sp, "{\"op\":\"study\",\"fault\":\"http500\"}"), 0);
	cr_assert_eq(port->completions(port->self, "", 4, items, 4, &n, next, sizeof next, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL, "%d %s", err.code, err.msg);
}

Test(adapters_study_completions, bad_cursor_refused)
{
	struct study_completion items[4];
	char next[STUDY_CURSOR_MAX + 1];
	struct settle_err err = {0};
	size_t n;

	/* a cursor the service never handed out: 400 → not asked again blindly */
	cr_assert_eq(port->completions(port->self, "7", 4, items, 4, &n, next, sizeof next, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_UNAVAILABLE, "%d %s", err.code, err.msg);
}

Test(adapters_study_completions, parse_strict)
{
	static const struct {
		const char *body;
		const char *what;
	} bad[] = {
		{"{\"completions\":{},\"nextCursor\":\"1\"}", "completions"},
		{"{\"completions\":[{\"podId\":\"p 1\",\"completedAt\":\"2026-01-01T00:00:00Z\"}],\"nextCursor\":\"1\"}", "podId"},
		{"{\"completions\":[{\"podId\":\"p1\",\"completedAt\":\"2026-02-30T00:00:00Z\"}],\"nextCursor\":\"1\"}", "completedAt"},
		{"{\"completions\":[{\"podId\":\"p1\",\"completedAt\":\"2026-01-01 00:00:00\"}],\"nextCursor\":\"1\"}", "completedAt"},
		{"{\"completions\":[{\"podId\":\"p1\",\"completedAt\":\"2026-01-01T25:00:00Z\"}],\"nextCursor\":\"1\"}", "completedAt"},
		{"{\"completions\":[{\"podId\":\"p1\"}],\"nextCursor\":\"1\"}", "completedAt"},
		{"{\"completions\":[]}", "nextCursor"},
		{"{\"completions\":[],\"nextCursor\":\"a\\nb\"}", "nextCursor"},
		{"[1]", ""},
	};
	struct study_completion items[2];
	char next[STUDY_CURSOR_MAX + 1];
	size_t n;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct http_response r = {.status = 200, .body = (char *)bad[i].body, .body_len = strlen(bad[i].body)};
		struct settle_err err = {0};

		cr_assert_eq(study_classify_completions(&r, items, 2, &n, next, sizeof next, &err), -1, "%s", bad[i].body);
		cr_assert_eq(err.code, SETTLE_EX_DATAERR, "%s: %s", bad[i].body, err.msg);
		cr_assert_not_null(strstr(err.msg, bad[i].what), "%s: %s", bad[i].body, err.msg);
		cr_assert_eq(n, 0);
	}
}

Test(adapters_study_completions, sandbox_strict)
{
	const char *auth[] = {SANDBOX_STUDY_AUTH, NULL};
	char resp[512];
	long status;

	cr_assert_eq(sandbox_request(&sp, "GET", "/v1/pods/completions?since=x", auth, NULL, 0, resp, sizeof resp, &status), 0);
	cr_assert_eq(status, 400, "%s", resp);
	cr_assert_eq(sandbox_request(&sp, "GET", "/v1/pods/completions?limit=0", auth, NULL, 0, resp, sizeof resp, &status), 0);
	cr_assert_eq(status, 400, "%s", resp);
	cr_assert_eq(sandbox_request(&sp, "GET", "/v1/pods/completions", NULL, NULL, 0, resp, sizeof resp, &status), 0);
	cr_assert_eq(status, 401, "%s", resp);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/pods/no-such-pod/complete", "{}", resp, sizeof resp), 404, "%s", resp);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/pods/pod-sql-201/complete", "{\"completedAt\":\"yesterday\"}", resp,
				  sizeof resp), 400, "%s", resp);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/pods/pod-sql-201/complete", "{}", resp, sizeof resp), 200, "%s", resp);
	cr_assert_eq(sandbox_post(&sp, "/_sandbox/pods/pod-sql-201/complete", "{}", resp, sizeof resp), 409, "%s", resp);
}
