/*
 * sandbox.h — what the parts of settle-sandbox share: the server-wide
 * context, one request, one response, and small helpers (time, random
 * ids, SHA-256, JSON answers).
 *
 * Rule: handlers never touch libmicrohttpd. They read a struct sbx_req,
 * fill a struct sbx_resp, and sandbox.c does the wire work, including the
 * fault effects that happen after the operation (delay, malformed, drop).
 */
#ifndef SANDBOX_SANDBOX_H
#define SANDBOX_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "faults.h"
#include "state.h"

struct sbx_config {
	unsigned port;
	const char *port_file;
	const char *pods_file;
	const char *smtp_maildir, *smtp_port_file; /* the SMTP receiver (smtp.c) */
	/* smtp.c, optional: a certificate and key turn on STARTTLS and an
	 * implicit-TLS listener (its port in smtps_port_file); a user and a
	 * password file make AUTH required. */
	const char *smtp_tls_cert, *smtp_tls_key, *smtps_port_file;
	const char *smtp_user, *smtp_password_file;
	char nicepay_secret[256];
	char toss_prefix[64];
	int verbose;
};

struct delayer;

struct sandbox {
	struct sbx_config cfg;
	struct delayer *delayer; /* sandbox.c: resumes connections held by the delay fault */
	struct state st;
	struct faults faults;
};

struct sbx_req {
	struct sandbox *sb;
	void *conn;          /* struct MHD_Connection *, only for sbx_header() */
	const char *method;
	const char *path;    /* without a /toss or /nicepay prefix */
	const char *body;    /* NUL-terminated */
	size_t body_len;
	/* Filled by handlers, for the -v log line. */
	const char *op;
	char order_id[72];
};

struct sbx_resp {
	int status;
	char *body;          /* malloc'd; NULL = empty */
	size_t len;
	enum fault_kind fault; /* FAULT_DELAY/MALFORMED/DROP: sandbox.c applies it */
	int delay_ms;
};

const char *sbx_header(const struct sbx_req *rq, const char *name);
const char *sbx_query(const struct sbx_req *rq, const char *name);

void toss_handle(struct sbx_req *rq, struct sbx_resp *rs);
void nicepay_handle(struct sbx_req *rq, struct sbx_resp *rs);
void study_handle(struct sbx_req *rq, struct sbx_resp *rs);
void study_users_handle(struct sbx_req *rq, struct sbx_resp *rs);
/* The SMTP receiver (smtp.c): delivers into maildir, its port in port_file. */
int smtp_start(const struct sbx_config *cfg, char *why, size_t why_len);
void control_handle(struct sbx_req *rq, struct sbx_resp *rs);
/* POST /_sandbox/webhooks/send (webhooks_out.c): a webhook sent as the PG sends it. */
void webhooks_send(struct sbx_req *rq, struct sbx_resp *rs, json_t *body);
/* settlements.c: Toss GET /v1/settlements and /_sandbox/settlements/… */
void settlements_handle(struct sbx_req *rq, struct sbx_resp *rs);
void settlements_control(struct sbx_req *rq, struct sbx_resp *rs);
/* toss.c: the Toss auth check (0, or rs holds the error; user gets the key). */
int toss_auth(struct sbx_req *rq, struct sbx_resp *rs, char *user, size_t ulen);

/* ---- study.c: pods shared with control.c ---- */

/* Loads a pods CSV into st (caller holds no lock). 0, or -1 with why. */
int study_load_csv(struct state *st, const char *file, char *why, size_t why_len);
/* Fills a pod from its JSON form; pod_id comes from the URL. 0, or -1 with why. */
int study_pod_from_json(const json_t *o, const char *pod_id, struct pod *out, char *why, size_t why_len);
json_t *study_pod_json(const struct pod *p);
/* POST /_sandbox/pods/{podId}/complete {"completedAt"?}: the pod turns
 * COMPLETED and joins the completion log (control.c routes it here). */
void study_complete(struct sbx_req *rq, struct sbx_resp *rs, const json_t *body, const char *pod_id);

/* ---- util.c ---- */

/* Takes the reference to obj; a NULL obj (a failed json_pack) gives 500. */
void resp_json(struct sbx_resp *rs, int status, json_t *obj);
/* {"code":..., "message":...} — the Toss and Study error shape. */
void resp_error(struct sbx_resp *rs, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Copies bytes as they are (idempotent replays). */
void resp_bytes(struct sbx_resp *rs, int status, const char *body, size_t len);

/* ISO 8601 in Korea time, "2026-01-02T03:04:05+09:00", now + offset_sec. */
void time_kst(char *buf, size_t len, long offset_sec);
/* YYYYMMDD in Korea time, now. */
void date_kst(char *buf, size_t len);

void rand_hex(char *out, size_t nchars);    /* writes nchars + NUL */
void rand_digits(char *out, size_t nchars); /* writes nchars + NUL */
void sha256_hex(const char *s, char out[65]);

/* Parses a request body as a JSON object; NULL when it is not one. */
json_t *body_object(const struct sbx_req *rq);
/* 1 and *out when key holds an integer, 0 when absent or null, -1 otherwise. */
int json_int_field(const json_t *o, const char *key, int64_t *out);
/* The string at key, or NULL when absent or not a string. */
const char *json_str_field(const json_t *o, const char *key);

/* Splits "Basic base64(user:pass)". 0, or -1 when not that shape. */
int basic_auth(const char *header, char *user, size_t ulen, char *pass, size_t plen);

/* Copies src into a fixed buffer; -1 when it does not fit. */
int copy_str(char *dst, size_t len, const char *src);
/* A secret's first line, blanks trimmed: 0, or -1 unreadable or empty. */
int read_secret_file(const char *file, char *out, size_t len);

/* Ids as the real services accept them (pg-apis.md §T2, §T3, §T5; NicePay
 * N-api/status-transaction.md): lo–hi bytes of ASCII letters, digits and
 * `extra`. Anything else is refused as the PG refuses it, so a test can
 * never pass against the sandbox with an id the real API would turn away. */
int sbx_id_ok(const char *s, size_t lo, size_t hi, const char *extra);
#define TOSS_ORDER_ID_OK(s) sbx_id_ok((s), 6, 64, "_-")
#define TOSS_PAYMENT_KEY_OK(s) sbx_id_ok((s), 1, 200, "_-")
#define NICEPAY_TID_OK(s) sbx_id_ok((s), 30, 30, "")
#define NICEPAY_ORDER_ID_OK(s) sbx_id_ok((s), 1, 64, "_-")

#endif
