/*
 * test_study_parse.c — the Study Service adapter's pure half: reading a
 * pod and sorting answers into 0 / NOINPUT / TEMPFAIL / UNAVAILABLE /
 * DATAERR, from canned answers.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adapters/canned.h"
#include "adapters/study/study_http.h"

static const char pod_json[] =
	"{\"podId\":\"pod-42\",\"leaderId\":\"u-1\",\"title\":\"알고리즘 스터디\",\"fee\":30000,"
	"\"currency\":\"KRW\",\"status\":\"OPEN\",\"capacity\":8,\"participants\":3,"
	"\"startsOn\":\"2024-02-01\",\"endsOn\":\"2024-03-31\",\"completedAt\":null}";

Test(adapters_study, get_pod_ok)
{
	struct http_response r = canned(200, pod_json);
	struct settle_err err = {0};
	struct study_pod pod;

	cr_assert_eq(study_classify_pod(&r, "pod-42", &pod, &err), 0, "%s", err.msg);
	cr_assert_str_eq(pod.pod_id, "pod-42");
	cr_assert_str_eq(pod.leader_id, "u-1");
	cr_assert_str_eq(pod.title, "알고리즘 스터디");
	cr_assert_eq(pod.fee, 30000);
	cr_assert_str_eq(pod.currency, "KRW");
	cr_assert_str_eq(pod.status, "OPEN");
	cr_assert_eq(pod.capacity, 8);
	cr_assert_eq(pod.participants, 3);
	cr_assert_str_eq(pod.starts_on, "2024-02-01");
	cr_assert_str_eq(pod.ends_on, "2024-03-31");
	cr_assert_str_eq(pod.completed_at, "");
}

Test(adapters_study, completed_at_string)
{
	const char *body = "{\"podId\":\"p\",\"leaderId\":\"u\",\"title\":\"t\",\"fee\":0,\"currency\":\"KRW\","
			   "\"status\":\"COMPLETED\",\"capacity\":2,\"participants\":2,\"startsOn\":\"2024-01-01\","
			   "\"endsOn\":\"2024-01-31\",\"completedAt\":\"2024-02-01T00:00:00Z\"}";
	struct settle_err err = {0};
	struct study_pod pod;

	cr_assert_eq(study_parse_pod(body, strlen(body), &pod, &err), 0, "%s", err.msg);
	cr_assert_str_eq(pod.completed_at, "2024-02-01T00:00:00Z");
}

static void assert_dataerr(const char *from, const char *to, const char *field)
{
	char body[1024];
	const char *at = strstr(pod_json, from);
	struct settle_err err = {0};
	struct study_pod pod;
	struct http_response r;

	cr_assert_not_null(at, "%s", from);
	snprintf(body, sizeof body, "%.*s%s%s", (int)(at - pod_json), pod_json, to, at + strlen(from));
	r = canned(200, body);
	cr_assert_eq(study_classify_pod(&r, "pod-42", &pod, &err), -1, "%s", body);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR, "%d %s", err.code, err.msg);
	cr_assert(strstr(err.msg, field), "message '%s' should name %s", err.msg, field);
	cr_assert_str_eq(pod.pod_id, "");
}

Test(adapters_study, wrong_types_are_dataerr)
{
	assert_dataerr("\"fee\":30000", "\"fee\":\"30000\"", "fee");
	assert_dataerr("\"fee\":30000", "\"fee\":30000.5", "fee");
	assert_dataerr("\"fee\":30000", "\"fee\":-1", "fee");
	assert_dataerr("\"capacity\":8", "\"capacity\":\"8\"", "capacity");
	assert_dataerr("\"participants\":3", "\"participants\":null", "participants");
	assert_dataerr("\"completedAt\":null", "\"completedAt\":5", "completedAt");
	assert_dataerr("\"startsOn\":\"2024-02-01\"", "\"startsOn\":\"2024/02/01\"", "startsOn");
	/* shaped like a date but not one: the domain's calendar check applies */
	assert_dataerr("\"startsOn\":\"2024-02-01\"", "\"startsOn\":\"2023-02-29\"", "startsOn");
	assert_dataerr("\"endsOn\":\"2024-03-31\"", "\"endsOn\":20240331", "endsOn");
	assert_dataerr("\"currency\":\"KRW\"", "\"currency\":\"KRWX\"", "currency");
}

Test(adapters_study, missing_fields_are_dataerr)
{
	assert_dataerr("\"title\":\"알고리즘 스터디\",", "", "title");
	assert_dataerr("\"leaderId\":\"u-1\",", "", "leaderId");
	assert_dataerr("\"status\":\"OPEN\",", "", "status");
}

Test(adapters_study, unparsable_or_wrong_pod_is_dataerr)
{
	struct settle_err err = {0};
	struct study_pod pod;
	struct http_response r = canned(200, "{\"podId\":");

	cr_assert_eq(study_classify_pod(&r, "pod-42", &pod, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	r = canned(200, pod_json);
	cr_assert_eq(study_classify_pod(&r, "pod-43", &pod, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert_str_eq(pod.pod_id, "");
}

Test(adapters_study, unknown_pod_is_noinput)
{
	struct settle_err err = {0};
	struct study_pod pod;
	struct http_response r = canned(404, "{\"error\":\"not found\"}");

	cr_assert_eq(study_classify_pod(&r, "pod-9", &pod, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_NOINPUT);
	cr_assert_str_eq(err.msg, "unknown pod pod-9");
}

Test(adapters_study, unreachable_or_5xx_is_tempfail)
{
	struct settle_err err = {0};
	struct study_pod pod;
	struct http_response r = canned(503, "busy");

	cr_assert_eq(study_classify_pod(&r, "pod-9", &pod, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	r = canned_xerr(HTTP_XERR_CONNECT, "Couldn't connect to server");
	cr_assert_eq(study_classify_pod(&r, "pod-9", &pod, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert(strstr(err.msg, "Couldn't connect"), "%s", err.msg);
	r = canned(401, "");
	cr_assert_eq(study_classify_pod(&r, "pod-9", &pod, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_UNAVAILABLE);
}

Test(adapters_study, confirm_participation_statuses)
{
	struct settle_err err = {0};
	struct http_response r = canned(201, "");

	cr_assert_eq(study_classify_confirm(&r, "pod-1", &err), 0);
	r = canned(200, "{}");
	cr_assert_eq(study_classify_confirm(&r, "pod-1", &err), 0);
	r = canned(404, "");
	cr_assert_eq(study_classify_confirm(&r, "pod-1", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_NOINPUT);
	r = canned(502, "");
	cr_assert_eq(study_classify_confirm(&r, "pod-1", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	/* 409 is a definite refusal (issue 7 §7): the payment gets refunded,
	 * so it must never be read as "try again". */
	r = canned(409, "");
	cr_assert_eq(study_classify_confirm(&r, "pod-1", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "CONFLICT"), "%s", err.msg);
	r = canned(409, "{\"code\":\"POD_FULL\",\"message\":\"pod pod-1 is full\"}");
	cr_assert_eq(study_classify_confirm(&r, "pod-1", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_DATAERR);
	cr_assert(strstr(err.msg, "POD_FULL"), "%s", err.msg);
	r = canned(409, "{\"code\":\"\\u001b[2J\"}");
	cr_assert_eq(study_classify_confirm(&r, "pod-1", &err), -1);
	cr_assert(strstr(err.msg, "CONFLICT") && !strchr(err.msg, 0x1b), "%s", err.msg);
	r = canned(403, "");
	cr_assert_eq(study_classify_confirm(&r, "pod-1", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_UNAVAILABLE);
	r = canned_xerr(HTTP_XERR_TIMEOUT, "timed out");
	cr_assert_eq(study_classify_confirm(&r, "pod-1", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
}

Test(adapters_study, adapter_unreachable_is_tempfail)
{
	struct study_http_config cfg = {"http://127.0.0.1:1", "tok-abc", 500, 1000};
	struct settle_err err = {0};
	struct study_pod pod;
	struct study_port *sp = study_http_new(&cfg, &err);

	cr_assert_not_null(sp, "%s", err.msg);
	cr_assert_eq(sp->get_pod(sp->self, "pod 1/2", &pod, &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	cr_assert_null(strstr(err.msg, "tok-abc"));
	cr_assert_eq(sp->confirm_participation(sp->self, "pod-1", "u-1", "pay-1", &err), -1);
	cr_assert_eq(err.code, SETTLE_EX_TEMPFAIL);
	sp->destroy(sp->self);
	cfg.token = "bad\ntoken";
	cr_assert_null(study_http_new(&cfg, &err));
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cfg.token = "t";
	cfg.base_url = "http://study.internal";
	cr_assert_null(study_http_new(&cfg, &err));
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
}
