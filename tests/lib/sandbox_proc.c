/*
 * sandbox_proc.c — fork/exec of settle-sandbox and small libcurl calls
 * for the tests.
 *
 * Rule: never leave a sandbox behind: a start that fails kills and reaps
 * the child before it returns.
 */
#include "lib/sandbox_proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#define MAX_EXTRA 16

int sandbox_start(struct sandbox_proc *sp, const char *bin_dir)
{
	return sandbox_start_args(sp, bin_dir, NULL);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static void reap(struct sandbox_proc *sp)
{
	kill(sp->pid, SIGKILL);
	waitpid(sp->pid, NULL, 0);
	sp->pid = 0;
}

int sandbox_start_args(struct sandbox_proc *sp, const char *bin_dir, const char *const extra[])
{
	char bin[1024], port_file[128];
	const char *argv[8 + MAX_EXTRA];
	int n = 0;
	unsigned port = 0;

	memset(sp, 0, sizeof *sp);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!bin_dir)
		bin_dir = getenv("SETTLE_BIN_DIR");
	if (!bin_dir || !*bin_dir)
		bin_dir = "build/check/bin";
	snprintf(bin, sizeof bin, "%s/settle-sandbox", bin_dir);
	snprintf(sp->dir, sizeof sp->dir, "/tmp/settle-sbx.XXXXXX");
	if (!mkdtemp(sp->dir)) {
		fprintf(stderr, "sandbox_start: mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	snprintf(port_file, sizeof port_file, "%s/port", sp->dir);
	argv[n++] = "settle-sandbox";
	argv[n++] = "--port";
	argv[n++] = "0";
	argv[n++] = "--port-file";
	argv[n++] = port_file;
	for (int i = 0; extra && extra[i] && i < MAX_EXTRA; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;

	fflush(NULL);
	sp->pid = fork();
	if (sp->pid < 0) {
		fprintf(stderr, "sandbox_start: fork: %s\n", strerror(errno));
		sp->pid = 0;
		rmdir(sp->dir);
		return -1;
	}
	if (sp->pid == 0) {
		/* A test that crashes or times out never runs its fini: the
		 * sandbox must then go with it, not linger on a port. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(127);
		execv(bin, (char *const *)argv);
		fprintf(stderr, "sandbox_start: exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	/* Up to 5 s for the port file; the sandbox writes it whole (rename). */
	for (int waited = 0; waited < 5000; waited += 10) {
		FILE *f = fopen(port_file, "r");
		int st;

		if (f) {
			int ok = fscanf(f, "%u", &port) == 1;

			fclose(f);
			if (ok && port)
				break;
		}
		if (waitpid(sp->pid, &st, WNOHANG) == sp->pid) {
			fprintf(stderr, "sandbox_start: %s exited early (status %d)\n", bin, st);
			sp->pid = 0;
			unlink(port_file);
			rmdir(sp->dir);
			return -1;
		}
		sleep_ms(10);
	}
	unlink(port_file);
	rmdir(sp->dir);
	if (!port) {
		fprintf(stderr, "sandbox_start: no port file after 5 s\n");
		reap(sp);
		return -1;
	}
	snprintf(sp->base_url, sizeof sp->base_url, "http://127.0.0.1:%u", port);
	return 0;
}

void sandbox_stop(struct sandbox_proc *sp)
{
	if (!sp->pid)
		return;
	kill(sp->pid, SIGTERM);
	/* ASan's exit work can take a moment; give it 10 s, then insist. */
	for (int waited = 0; waited < 10000; waited += 10) {
		if (waitpid(sp->pid, &sp->exit_status, WNOHANG) == sp->pid) {
			sp->pid = 0;
			return;
		}
		sleep_ms(10);
	}
	sp->exit_status = -1;
	reap(sp);
}

struct sink {
	char *buf;
	size_t len, cap;
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (s->cap) {
		size_t room = s->cap - 1 - s->len;
		size_t k = n < room ? n : room;

		memcpy(s->buf + s->len, p, k);
		s->len += k;
		s->buf[s->len] = '\0';
	}
	return n;
}

int sandbox_request(const struct sandbox_proc *sp, const char *method, const char *path,
		    const char *const headers[], const char *body, long timeout_ms,
		    char *resp, size_t resp_len, long *status)
{
	struct sink s = {resp, 0, resp ? resp_len : 0};
	struct curl_slist *hl = NULL, *t;
	char url[2048];
	CURL *c = curl_easy_init();
	CURLcode rc;

	if (resp && resp_len)
		resp[0] = '\0';
	if (status)
		*status = 0;
	if (!c)
		return CURLE_OUT_OF_MEMORY;
	snprintf(url, sizeof url, "%s%s", sp->base_url, path);
	for (int i = 0; headers && headers[i]; i++) {
		t = curl_slist_append(hl, headers[i]);
		if (!t) {
			curl_slist_free_all(hl);
			curl_easy_cleanup(c);
			return CURLE_OUT_OF_MEMORY;
		}
		hl = t;
	}
	if (body) {
		t = curl_slist_append(hl, "Content-Type: application/json");
		if (t)
			hl = t;
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms ? timeout_ms : 10000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK && status)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	return (int)rc;
}

long sandbox_post(const struct sandbox_proc *sp, const char *path, const char *json, char *resp, size_t resp_len)
{
	long st;

	if (sandbox_request(sp, "POST", path, NULL, json ? json : "{}", 0, resp, resp_len, &st))
		return -1;
	return st;
}

long sandbox_get(const struct sandbox_proc *sp, const char *path, char *resp, size_t resp_len)
{
	long st;

	if (sandbox_request(sp, "GET", path, NULL, NULL, 0, resp, resp_len, &st))
		return -1;
	return st;
}

int sandbox_checkout(const struct sandbox_proc *sp, const char *pg, const char *order_id, int64_t amount,
		     const char *method, char *key_out, size_t key_len)
{
	char body[512], resp[1024];
	json_t *o;
	const char *k;
	int rc = -1;

	snprintf(body, sizeof body, "{\"pg\":\"%s\",\"orderId\":\"%s\",\"amount\":%lld,\"method\":\"%s\",\"currency\":\"KRW\"}",
		 pg, order_id, (long long)amount, method ? method : "CARD");
	if (sandbox_post(sp, "/_sandbox/checkout", body, resp, sizeof resp) != 200)
		return -1;
	o = json_loads(resp, 0, NULL);
	k = json_string_value(json_object_get(o, "paymentKey"));
	if (k && strlen(k) < key_len) {
		strcpy(key_out, k);
		rc = 0;
	}
	json_decref(o);
	return rc;
}

int sandbox_fault(const struct sandbox_proc *sp, const char *json)
{
	char resp[512];

	return sandbox_post(sp, "/_sandbox/faults", json, resp, sizeof resp) == 200 ? 0 : -1;
}

int sandbox_put_pod(const struct sandbox_proc *sp, const char *json)
{
	char path[256], resp[1024];
	json_t *o = json_loads(json, 0, NULL);
	const char *id = json_string_value(json_object_get(o, "podId"));
	long st = 0;

	if (id && strlen(id) < 128) {
		snprintf(path, sizeof path, "/_sandbox/pods/%s", id);
		if (sandbox_request(sp, "PUT", path, NULL, json, 0, resp, sizeof resp, &st))
			st = -1;
	}
	json_decref(o);
	return st == 200 ? 0 : -1;
}

long sandbox_stat(const struct sandbox_proc *sp, const char *op, const char *order_id)
{
	char path[512], resp[2048];
	json_t *o, *v;
	long n = -1;

	if (order_id) {
		char *e = curl_easy_escape(NULL, order_id, 0);

		if (!e)
			return -1;
		snprintf(path, sizeof path, "/_sandbox/stats?orderId=%s", e);
		curl_free(e);
	} else {
		snprintf(path, sizeof path, "/_sandbox/stats");
	}
	if (sandbox_get(sp, path, resp, sizeof resp) != 200)
		return -1;
	o = json_loads(resp, 0, NULL);
	v = json_object_get(o, op);
	if (json_is_integer(v))
		n = (long)json_integer_value(v);
	json_decref(o);
	return n;
}
