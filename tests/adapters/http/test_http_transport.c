/*
 * test_http_transport.c — the wrapper's transport-error kinds against a
 * scripted loopback server: a time-out after sending is TIMEOUT (not
 * CONNECT), an over-long body is refused, a normal answer is kept whole.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http.h"
#include "adapters/loopback.h"

Test(adapters_http, answer_is_kept_whole)
{
	static const struct lb_reply script[] = {{0, 201, "{\"ok\":true}"}};
	struct http_response resp = {0};
	struct settle_err err = {0};
	struct lb_server lb;
	struct http_client *c;

	cr_assert_eq(lb_start(&lb, script, 1), 0);
	c = http_client_new(lb.base_url, 1000, 2000, &err);
	cr_assert_not_null(c, "%s", err.msg);
	cr_assert_eq(http_request(c, "POST", "/x", NULL, "{}", &resp), 0, "%s", resp.errmsg);
	cr_assert_eq(resp.status, 201);
	cr_assert_eq(resp.xerr, HTTP_XERR_NONE);
	cr_assert_str_eq(resp.body, "{\"ok\":true}");
	cr_assert_eq(resp.body_len, 11);
	http_response_free(&resp);
	http_client_free(c);
	lb_stop(&lb);
}

Test(adapters_http, time_out_after_sending_is_timeout_kind)
{
	static const struct lb_reply script[] = {{1, 0, NULL}};
	struct http_response resp = {0};
	struct settle_err err = {0};
	struct lb_server lb;
	struct http_client *c;

	cr_assert_eq(lb_start(&lb, script, 1), 0);
	c = http_client_new(lb.base_url, 1000, 300, &err);
	cr_assert_not_null(c, "%s", err.msg);
	cr_assert_eq(http_request(c, "POST", "/slow", NULL, "{}", &resp), -1);
	cr_assert_eq(resp.xerr, HTTP_XERR_TIMEOUT, "%d %s", resp.xerr, resp.errmsg);
	cr_assert_eq(resp.status, 0);
	http_response_free(&resp);
	http_client_free(c);
	lb_stop(&lb);
}

Test(adapters_http, body_over_one_mib_is_refused)
{
	size_t n = HTTP_BODY_MAX + 10;
	char *big = malloc(n + 1);
	struct lb_reply script[1] = {{0, 200, NULL}};
	struct http_response resp = {0};
	struct settle_err err = {0};
	struct lb_server lb;
	struct http_client *c;

	cr_assert_not_null(big);
	memset(big, 'a', n);
	big[n] = '\0';
	script[0].body = big;
	cr_assert_eq(lb_start(&lb, script, 1), 0);
	c = http_client_new(lb.base_url, 1000, 5000, &err);
	cr_assert_not_null(c, "%s", err.msg);
	cr_assert_eq(http_request(c, "GET", "/big", NULL, NULL, &resp), -1);
	cr_assert_eq(resp.xerr, HTTP_XERR_OTHER, "%d %s", resp.xerr, resp.errmsg);
	cr_assert(strstr(resp.errmsg, "1 MiB"), "%s", resp.errmsg);
	http_response_free(&resp);
	http_client_free(c);
	lb_stop(&lb);
	free(big);
}
