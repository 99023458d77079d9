/*
 * test_http_url.c — the HTTP wrapper's one rule: verification always on,
 * plain http:// only to a loopback host; plus path escaping and the
 * transport-error kind for a refused connection.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http.h"

static void allowed(const char *url)
{
	struct settle_err err = {0};

	cr_assert_eq(http_base_url_check(url, &err), 0, "%s should be allowed: %s", url, err.msg);
}

static void refused(const char *url)
{
	struct settle_err err = {0};

	cr_assert_eq(http_base_url_check(url, &err), -1, "%s should be refused", url);
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	cr_assert_neq(err.msg[0], '\0');
}

Test(adapters_http, https_to_any_host_is_allowed)
{
	allowed("https://api.tosspayments.com");
	allowed("https://sandbox-api.nicepay.co.kr/");
	allowed("https://10.1.2.3:8443/study");
	allowed("HTTPS://api.nicepay.co.kr");
}

Test(adapters_http, plain_http_to_loopback_is_allowed)
{
	allowed("http://127.0.0.1:8080");
	allowed("http://127.0.0.1");
	allowed("http://127.5.6.7:9/");
	allowed("http://127.255.255.255");
	allowed("http://localhost:18080/");
	allowed("http://LocalHost");
	allowed("http://[::1]:9000");
	allowed("http://[::1]/base");
}

Test(adapters_http, plain_http_to_other_hosts_is_refused)
{
	struct settle_err err = {0};

	refused("http://api.tosspayments.com");
	refused("http://10.0.0.1:8080");
	refused("http://128.0.0.1");
	refused("http://0.0.0.0:80");
	refused("http://127.0.0.1.evil.example");
	refused("http://localhost.evil.example");
	refused("http://127.1");
	refused("http://0x7f.0.0.1");
	refused("http://[::2]");
	refused("http://[::ffff:127.0.0.1]");
	refused("http://[::1");
	cr_assert_eq(http_base_url_check("http://example.com", &err), -1);
	cr_assert(strstr(err.msg, "loopback"), "%s", err.msg);
}

Test(adapters_http, user_info_and_odd_urls_are_refused)
{
	refused("http://127.0.0.1@evil.example");
	refused("http://evil.example@127.0.0.1");
	refused("https://user:pass@api.tosspayments.com");
	refused("ftp://127.0.0.1");
	refused("file:///etc/passwd");
	refused("127.0.0.1:8080");
	refused("http://");
	refused("https:///v1");
	refused("http://:80");
	refused("");
	refused(NULL);
	refused("https://api.tosspayments.com?x=1");
	refused("https://api.tosspayments.com/ x");
	refused("https://api.tosspayments.com/\r\nHost: x");
}

Test(adapters_http, host_is_loopback)
{
	cr_assert(http_host_is_loopback("127.0.0.1", 9));
	cr_assert(http_host_is_loopback("localhost", 9));
	cr_assert(http_host_is_loopback("[::1]", 5));
	cr_assert_not(http_host_is_loopback("127.0.0.1x", 10));
	cr_assert_not(http_host_is_loopback("", 0));
	cr_assert_not(http_host_is_loopback("256.0.0.1", 9));
}

Test(adapters_http, client_creation_follows_the_rule)
{
	struct settle_err err = {0};
	struct http_client *c;

	cr_assert_null(http_client_new("http://api.tosspayments.com", 0, 0, &err));
	cr_assert_eq(err.code, SETTLE_EX_CONFIG);
	c = http_client_new("https://api.tosspayments.com/", 1000, 5000, &err);
	cr_assert_not_null(c, "%s", err.msg);
	http_client_free(c);
	c = http_client_new("http://127.0.0.1:1", 0, 0, &err);
	cr_assert_not_null(c, "%s", err.msg);
	http_client_free(c);
	http_client_free(NULL);
}

Test(adapters_http, path_escape)
{
	char *s = http_path_escape("a b/c?d#e%f");

	cr_assert_str_eq(s, "a%20b%2Fc%3Fd%23e%25f");
	free(s);
	s = http_path_escape("Order-01_x.y~z");
	cr_assert_str_eq(s, "Order-01_x.y~z");
	free(s);
	s = http_path_escape("주문");
	cr_assert_str_eq(s, "%EC%A3%BC%EB%AC%B8");
	free(s);
	s = http_path_escape("");
	cr_assert_str_eq(s, "");
	free(s);
}

/* Port 1 on loopback is closed: the request never leaves, so the kind
 * must be CONNECT (the only kind that proves nothing was sent). */
Test(adapters_http, refused_connection_is_connect_kind)
{
	struct settle_err err = {0};
	struct http_response resp = {0};
	const char *hdrs[] = {"X-Test: 1", NULL};
	struct http_client *c = http_client_new("http://127.0.0.1:1/", 500, 1000, &err);

	cr_assert_not_null(c, "%s", err.msg);
	cr_assert_eq(http_request(c, "POST", "/v1/x", hdrs, "{}", &resp), -1);
	cr_assert_eq(resp.xerr, HTTP_XERR_CONNECT, "%d %s", resp.xerr, resp.errmsg);
	cr_assert_eq(resp.status, 0);
	cr_assert_neq(resp.errmsg[0], '\0');
	cr_assert_eq(http_request(c, "GET", "/v1/y", NULL, NULL, &resp), -1);
	cr_assert_eq(resp.xerr, HTTP_XERR_CONNECT);
	http_response_free(&resp);
	http_client_free(c);
}

/* Every value that could change which endpoint is called stays inside its
 * one segment: separators, dot segments, percent signs, control bytes. */
Test(adapters_http, path_escape_keeps_every_value_in_one_segment)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{".", "%2E"},
		{"..", "%2E%2E"},
		{"...", "..."},          /* not a dot segment: an ordinary name */
		{"../cancel", "..%2Fcancel"},
		{"a/../../v2", "a%2F..%2F..%2Fv2"},
		{"%2E%2E", "%252E%252E"}, /* already-escaped input is escaped again */
		{"x?y=1#z", "x%3Fy%3D1%23z"},
		{"a\r\nHost: evil", "a%0D%0AHost%3A%20evil"},
		{"\\..\\", "%5C..%5C"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = http_path_escape(cases[i].in);

		cr_assert_not_null(s);
		cr_assert_str_eq(s, cases[i].out, "%s", cases[i].in);
		free(s);
	}
}

/* Header values: printable ASCII only, 1–max bytes. */
Test(adapters_http, header_value_rule)
{
	cr_assert(http_header_value_ok("confirm:order-0001", 300));
	cr_assert(http_header_value_ok("x", 1));
	cr_assert_not(http_header_value_ok("xy", 1));
	cr_assert_not(http_header_value_ok("", 300));
	cr_assert_not(http_header_value_ok(NULL, 300));
	cr_assert_not(http_header_value_ok("a\r\nX-Evil: 1", 300));
	cr_assert_not(http_header_value_ok("tab\there", 300));
	cr_assert_not(http_header_value_ok("del\x7f", 300));
	cr_assert_not(http_header_value_ok("키", 300));
}
