/*
 * sandbox_proc.h — starting settle-sandbox from a test and talking to it
 * with libcurl.
 *
 * Rule: a test owns its sandbox: sandbox_start() forks it on a free
 * loopback port and sandbox_stop() ends it (SIGTERM + waitpid), so no two
 * tests share payments, faults or counters.
 */
#ifndef SETTLE_TESTS_SANDBOX_PROC_H
#define SETTLE_TESTS_SANDBOX_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Authorization headers the sandbox accepts (secret keys of its defaults). */
#define SANDBOX_TOSS_AUTH "Authorization: Basic dGVzdF9za19zYW5kYm94Og==" /* test_sk_sandbox: */
#define SANDBOX_NICEPAY_SECRET "sandbox-nicepay-secret"
#define SANDBOX_NICEPAY_AUTH "Authorization: Basic UzFfc2FuZGJveDpzYW5kYm94LW5pY2VwYXktc2VjcmV0"
#define SANDBOX_STUDY_AUTH "Authorization: Bearer sandbox-study-token"

struct sandbox_proc {
	pid_t pid;            /* 0 when not running */
	char base_url[64];    /* "http://127.0.0.1:PORT" */
	char dir[64];         /* private temp directory holding the port file */
	int exit_status;      /* after sandbox_stop: the wait status */
};

/* bin_dir NULL = $SETTLE_BIN_DIR, else "build/check/bin". 0, or -1 (reason on stderr). */
int sandbox_start(struct sandbox_proc *sp, const char *bin_dir);
/* Same, with extra arguments (NULL-terminated), e.g. {"--pods", file, NULL}. */
int sandbox_start_args(struct sandbox_proc *sp, const char *bin_dir, const char *const extra[]);
void sandbox_stop(struct sandbox_proc *sp);

/*
 * One request. headers: NULL-terminated list of "Name: value" lines, or
 * NULL. body: NULL for none. The answer is copied to resp (NUL-terminated,
 * cut to resp_len - 1). timeout_ms 0 = 10 s. Returns the CURLcode
 * (0 = an HTTP answer arrived; *status is its code).
 */
int sandbox_request(const struct sandbox_proc *sp, const char *method, const char *path,
		    const char *const headers[], const char *body, long timeout_ms,
		    char *resp, size_t resp_len, long *status);

/* Control API helpers: HTTP status, or -1 on a transport error. */
long sandbox_post(const struct sandbox_proc *sp, const char *path, const char *json, char *resp, size_t resp_len);
long sandbox_get(const struct sandbox_proc *sp, const char *path, char *resp, size_t resp_len);

/* The simulated payment window. method: "CARD", "TRANSFER", "VIRTUAL_ACCOUNT". 0 or -1. */
int sandbox_checkout(const struct sandbox_proc *sp, const char *pg, const char *order_id, int64_t amount,
		     const char *method, char *key_out, size_t key_len);
int sandbox_fault(const struct sandbox_proc *sp, const char *json);
/* json must hold "podId". 0 or -1. */
int sandbox_put_pod(const struct sandbox_proc *sp, const char *json);
/* GET /_sandbox/stats[?orderId=]: the count under op ("confirm",
 * "confirm_executed", ...); -1 on error. order_id NULL = totals. */
long sandbox_stat(const struct sandbox_proc *sp, const char *op, const char *order_id);

#endif
