/*
 * study.c — the Study Service, settle's own upstream for pods: read a
 * pod, record that a paid user joined it.
 *
 * Rule: joining is idempotent by paymentId — the first call decides, a
 * repeat returns the same answer and never counts the user twice.
 *
 * Design: Authorization must be "Bearer <non-empty>" (401 UNAUTHORIZED).
 * Errors are {"code","message"}: 404 POD_NOT_FOUND, 400 INVALID_REQUEST,
 * 409 POD_NOT_OPEN (status not OPEN), 409 POD_FULL (participants reached
 * capacity; the pod then reads FULL), 409 PAYMENT_ID_CONFLICT (the
 * paymentId already joined another pod or user).
 *
 * Completions: GET /v1/pods/completions?since=CURSOR&limit=N answers
 * {"completions":[{"podId","completedAt"}...],"nextCursor":"..."} in
 * completion order. The cursor is opaque to clients; here it is the number
 * of log entries already read, as decimal text ("" or absent = from the
 * start). limit is 1..1000 (default 100). A since that is not a cursor this
 * service handed out (not decimal, or past the end of the log) or a bad
 * limit is 400 INVALID_REQUEST. nextCursor is where the next call starts;
 * equal to since when nothing is new. Fault op: study (as study_get).
 * POST /_sandbox/pods/{podId}/complete appends to the log (control.c).
 */
#include "sandbox.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int valid_date(const char *s)
{
	return strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

static int valid_status(const char *s)
{
	static const char *const ok[] = {"OPEN", "FULL", "CLOSED", "COMPLETED", "CANCELLED"};

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(s, ok[i]))
			return 1;
	return 0;
}

json_t *study_pod_json(const struct pod *p)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:s?}",
			 "podId", p->pod_id, "leaderId", p->leader_id, "title", p->title,
			 "fee", (json_int_t)p->fee, "currency", p->currency, "status", p->status,
			 "capacity", (json_int_t)p->capacity, "participants", (json_int_t)p->participants,
			 "startsOn", p->starts_on, "endsOn", p->ends_on,
			 "completedAt", p->completed_at[0] ? p->completed_at : NULL);
}

static int why_set(char *why, size_t len, const char *msg)
{
	copy_str(why, len, msg);
	return -1;
}

/* Checks a filled pod; shared by the CSV and JSON paths. */
static int pod_check(const struct pod *p, char *why, size_t len)
{
	if (!p->pod_id[0] || !p->leader_id[0])
		return why_set(why, len, "podId and leaderId are required");
	if (p->fee < 0 || p->capacity <= 0 || p->participants < 0)
		return why_set(why, len, "fee >= 0, capacity > 0 and participants >= 0 are required");
	if (strlen(p->currency) != 3)
		return why_set(why, len, "currency must be a 3-letter code");
	if (!valid_status(p->status))
		return why_set(why, len, "status must be OPEN, FULL, CLOSED, COMPLETED or CANCELLED");
	if (!valid_date(p->starts_on) || !valid_date(p->ends_on))
		return why_set(why, len, "startsOn and endsOn must be YYYY-MM-DD");
	return 0;
}

int study_pod_from_json(const json_t *o, const char *pod_id, struct pod *out, char *why, size_t why_len)
{
	const char *s;
	int64_t n;

	memset(out, 0, sizeof *out);
	if (copy_str(out->pod_id, sizeof out->pod_id, pod_id))
		return why_set(why, why_len, "podId is too long");
	if ((s = json_str_field(o, "podId")) && strcmp(s, pod_id))
		return why_set(why, why_len, "podId in the body differs from the URL");
#define STR(field, key, required)                                                   \
	do {                                                                        \
		s = json_str_field(o, key);                                         \
		if ((!s && (required)) || (s && copy_str(out->field, sizeof out->field, s))) \
			return why_set(why, why_len, key " is missing or too long"); \
	} while (0)
	STR(leader_id, "leaderId", 1);
	STR(title, "title", 1);
	STR(currency, "currency", 0);
	STR(status, "status", 0);
	STR(starts_on, "startsOn", 1);
	STR(ends_on, "endsOn", 1);
	STR(completed_at, "completedAt", 0);
#undef STR
	if (!out->currency[0])
		strcpy(out->currency, "KRW");
	if (!out->status[0])
		strcpy(out->status, "OPEN");
	if (json_int_field(o, "fee", &n) != 1)
		return why_set(why, why_len, "fee (integer) is required");
	out->fee = n;
	if (json_int_field(o, "capacity", &n) != 1)
		return why_set(why, why_len, "capacity (integer) is required");
	out->capacity = n;
	switch (json_int_field(o, "participants", &n)) {
	case 1: out->participants = n; break;
	case 0: out->participants = 0; break;
	default: return why_set(why, why_len, "participants must be an integer");
	}
	return pod_check(out, why, why_len);
}

/* ---- CSV: pod_id,leader_id,title,fee,currency,capacity,status,starts_on,ends_on ---- */

struct csv_ctx {
	struct state *st;
	char fields[9][256];
	int nfield;
	int row;
	int failed;
	char *why;
	size_t why_len;
};

static void csv_field(void *data, size_t len, void *arg)
{
	struct csv_ctx *c = arg;

	if (c->nfield < 9) {
		if (len >= sizeof c->fields[0])
			len = sizeof c->fields[0] - 1;
		if (len) /* libcsv may pass an empty field as (NULL, 0) */
			memcpy(c->fields[c->nfield], data, len);
		c->fields[c->nfield][len] = '\0';
	}
	c->nfield++;
}

static int parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

static void csv_row(int term, void *arg)
{
	struct csv_ctx *c = arg;
	struct pod *p;
	char why[200];

	(void)term;
	c->row++;
	if (c->failed || c->row == 1) /* the header line */
		goto next;
	if (c->nfield != 9) {
		snprintf(c->why, c->why_len, "row %d: %d fields, want 9", c->row, c->nfield);
		c->failed = 1;
		goto next;
	}
	p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(c->why, c->why_len, "out of memory");
		c->failed = 1;
		goto next;
	}
	copy_str(p->pod_id, sizeof p->pod_id, c->fields[0]);
	copy_str(p->leader_id, sizeof p->leader_id, c->fields[1]);
	copy_str(p->title, sizeof p->title, c->fields[2]);
	copy_str(p->currency, sizeof p->currency, c->fields[4]);
	copy_str(p->status, sizeof p->status, c->fields[6]);
	copy_str(p->starts_on, sizeof p->starts_on, c->fields[7]);
	copy_str(p->ends_on, sizeof p->ends_on, c->fields[8]);
	if (parse_i64(c->fields[3], &p->fee) || parse_i64(c->fields[5], &p->capacity)) {
		snprintf(c->why, c->why_len, "row %d: fee and capacity must be integers", c->row);
		c->failed = 1;
	} else if (pod_check(p, why, sizeof why)) {
		snprintf(c->why, c->why_len, "row %d: %s", c->row, why);
		c->failed = 1;
	} else if (smap_put(&c->st->pods, p->pod_id, p)) {
		snprintf(c->why, c->why_len, "out of memory");
		c->failed = 1;
	} else {
		p = NULL;
	}
	free(p);
next:
	c->nfield = 0;
}

int study_load_csv(struct state *st, const char *file, char *why, size_t why_len)
{
	struct csv_ctx c = {.st = st, .why = why, .why_len = why_len};
	struct csv_parser parser;
	char buf[8192];
	size_t n;
	FILE *f = fopen(file, "r");

	if (!f) {
		snprintf(why, why_len, "%s: %s", file, strerror(errno));
		return -1;
	}
	if (csv_init(&parser, CSV_APPEND_NULL) != 0) {
		fclose(f);
		return why_set(why, why_len, "csv_init failed");
	}
	pthread_mutex_lock(&st->mu);
	while (!c.failed && (n = fread(buf, 1, sizeof buf, f)) > 0)
		if (csv_parse(&parser, buf, n, csv_field, csv_row, &c) != n && !c.failed) {
			snprintf(why, why_len, "%s: %s", file, csv_strerror(csv_error(&parser)));
			c.failed = 1;
		}
	if (!c.failed)
		csv_fini(&parser, csv_field, csv_row, &c);
	pthread_mutex_unlock(&st->mu);
	csv_free(&parser);
	if (ferror(f) && !c.failed) {
		snprintf(why, why_len, "%s: read error", file);
		c.failed = 1;
	}
	fclose(f);
	return c.failed ? -1 : 0;
}

/* ---- HTTP ---- */

static int fault_gate(struct sbx_req *rq, struct sbx_resp *rs, enum sbx_op op, const char *pod_id)
{
	struct fault f;

	state_count(&rq->sb->st, op, pod_id, 0);
	if (!faults_take(&rq->sb->faults, op, NULL, pod_id, &f))
		return 0;
	if (f.kind == FAULT_HTTP500) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "sandbox: injected internal error");
		return 1;
	}
	if (f.kind == FAULT_REFUSE) {
		resp_error(rs, f.status ? f.status : 403, f.code[0] ? f.code : "FORBIDDEN", "%s",
			   f.message[0] ? f.message : "refused by the sandbox");
		return 1;
	}
	rs->fault = f.kind;
	rs->delay_ms = f.delay_ms;
	return 0;
}

static void do_get(struct sbx_req *rq, struct sbx_resp *rs, const char *pod_id)
{
	struct state *st = &rq->sb->st;
	struct pod *p;

	rq->op = "study_get";
	pthread_mutex_lock(&st->mu);
	if (fault_gate(rq, rs, OP_STUDY_GET, pod_id))
		goto out;
	state_count(st, OP_STUDY_GET, pod_id, 1);
	p = smap_get(&st->pods, pod_id);
	if (p)
		resp_json(rs, 200, study_pod_json(p));
	else
		resp_error(rs, 404, "POD_NOT_FOUND", "pod %s does not exist", pod_id);
out:
	pthread_mutex_unlock(&st->mu);
}

static json_t *part_json(const struct participation *x)
{
	return json_pack("{s:s, s:s, s:s, s:s}", "podId", x->pod_id, "userId", x->user_id,
			 "paymentId", x->payment_id, "status", "CONFIRMED");
}

static void do_join(struct sbx_req *rq, struct sbx_resp *rs, const char *pod_id)
{
	struct state *st = &rq->sb->st;
	json_t *body = body_object(rq);
	const char *user = json_str_field(body, "userId");
	const char *pay = json_str_field(body, "paymentId");
	struct participation *x;
	struct pod *p;

	rq->op = "study_confirm";
	pthread_mutex_lock(&st->mu);
	if (fault_gate(rq, rs, OP_STUDY_CONFIRM, pod_id))
		goto out;
	state_count(st, OP_STUDY_CONFIRM, pod_id, 1);
	p = smap_get(&st->pods, pod_id);
	if (!p) {
		resp_error(rs, 404, "POD_NOT_FOUND", "pod %s does not exist", pod_id);
		goto out;
	}
	if (!user || !*user || !pay || !*pay || strlen(user) >= sizeof x->user_id ||
	    strlen(pay) >= sizeof x->payment_id) {
		resp_error(rs, 400, "INVALID_REQUEST", "userId and paymentId are required (userId <= 71, paymentId <= 135 chars)");
		goto out;
	}
	x = smap_get(&st->parts, pay);
	if (x) {
		if (strcmp(x->pod_id, pod_id) || strcmp(x->user_id, user))
			resp_error(rs, 409, "PAYMENT_ID_CONFLICT", "paymentId %s already joined pod %s as user %s",
				   pay, x->pod_id, x->user_id);
		else
			resp_json(rs, 200, part_json(x));
		goto out;
	}
	if (strcmp(p->status, "OPEN") && strcmp(p->status, "FULL")) {
		resp_error(rs, 409, "POD_NOT_OPEN", "pod %s is %s", pod_id, p->status);
		goto out;
	}
	if (p->participants >= p->capacity) {
		resp_error(rs, 409, "POD_FULL", "pod %s is full (%lld of %lld)", pod_id,
			   (long long)p->participants, (long long)p->capacity);
		goto out;
	}
	x = calloc(1, sizeof *x);
	if (!x) {
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
		goto out;
	}
	copy_str(x->pod_id, sizeof x->pod_id, pod_id);
	copy_str(x->user_id, sizeof x->user_id, user);
	copy_str(x->payment_id, sizeof x->payment_id, pay);
	if (smap_put(&st->parts, pay, x)) {
		free(x);
		resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
		goto out;
	}
	if (++p->participants >= p->capacity && !strcmp(p->status, "OPEN"))
		strcpy(p->status, "FULL");
	resp_json(rs, 200, part_json(x));
out:
	pthread_mutex_unlock(&st->mu);
	json_decref(body);
}

/* "YYYY-MM-DDTHH:MM:SSZ" with digits where digits go. */
static int valid_utc(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	if (strlen(s) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return 0;
	return 1;
}

/* Decimal text without sign or junk, <= max; -1 otherwise. */
static long long parse_count(const char *s, long long max)
{
	long long v = 0;

	if (!*s || strlen(s) > 12)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= max ? v : -1;
}

static void do_completions(struct sbx_req *rq, struct sbx_resp *rs)
{
	struct state *st = &rq->sb->st;
	const char *since = sbx_query(rq, "since"), *lim = sbx_query(rq, "limit");
	long long from = 0, limit = 100;
	json_t *arr, *o;
	char next[24];

	rq->op = "study_completions";
	pthread_mutex_lock(&st->mu);
	if (fault_gate(rq, rs, OP_STUDY_GET, ""))
		goto out;
	if (since && *since && ((from = parse_count(since, (long long)st->n_completions)) < 0)) {
		resp_error(rs, 400, "INVALID_REQUEST", "since is not a cursor this service handed out");
		goto out;
	}
	if (lim && (limit = parse_count(lim, 1000)) < 1) {
		resp_error(rs, 400, "INVALID_REQUEST", "limit must be an integer 1..1000");
		goto out;
	}
	state_count(st, OP_STUDY_GET, "", 1);
	arr = json_array();
	for (size_t i = (size_t)from; arr && i < st->n_completions && i < (size_t)(from + limit); i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "podId", st->completions[i].pod_id,
						     "completedAt", st->completions[i].completed_at));
	snprintf(next, sizeof next, "%zu", (size_t)from + (arr ? json_array_size(arr) : 0));
	o = arr ? json_pack("{s:o, s:s}", "completions", arr, "nextCursor", next) : NULL;
	resp_json(rs, 200, o);
out:
	pthread_mutex_unlock(&st->mu);
}

void study_complete(struct sbx_req *rq, struct sbx_resp *rs, const json_t *body, const char *pod_id)
{
	struct state *st = &rq->sb->st;
	const char *at = body ? json_str_field(body, "completedAt") : NULL;
	char now[40];
	struct pod *p;

	if (at && !valid_utc(at)) {
		resp_error(rs, 400, "INVALID_REQUEST", "completedAt must be YYYY-MM-DDTHH:MM:SSZ");
		return;
	}
	if (!at) {
		time_t t = time(NULL);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
		at = now;
	}
	pthread_mutex_lock(&st->mu);
	p = smap_get(&st->pods, pod_id);
	if (!p) {
		resp_error(rs, 404, "POD_NOT_FOUND", "pod %s does not exist", pod_id);
		goto out;
	}
	if (!strcmp(p->status, "COMPLETED")) {
		resp_error(rs, 409, "ALREADY_COMPLETED", "pod %s completed at %s", pod_id, p->completed_at);
		goto out;
	}
	if (st->n_completions == st->cap_completions) {
		size_t cap = st->cap_completions ? 2 * st->cap_completions : 16;
		struct completion *v = realloc(st->completions, cap * sizeof *v);

		if (!v) {
			resp_error(rs, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
			goto out;
		}
		st->completions = v;
		st->cap_completions = cap;
	}
	copy_str(st->completions[st->n_completions].pod_id, sizeof st->completions[0].pod_id, pod_id);
	copy_str(st->completions[st->n_completions].completed_at, sizeof st->completions[0].completed_at, at);
	st->n_completions++;
	strcpy(p->status, "COMPLETED");
	copy_str(p->completed_at, sizeof p->completed_at, at);
	resp_json(rs, 200, study_pod_json(p));
out:
	pthread_mutex_unlock(&st->mu);
}

void study_handle(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *h = sbx_header(rq, "Authorization");
	const char *rest;
	char pod[72];
	size_t n;

	if (!h || strncasecmp(h, "Bearer ", 7) || !h[7 + strspn(h + 7, " ")]) {
		resp_error(rs, 401, "UNAUTHORIZED", "Authorization: Bearer <token> is required");
		return;
	}
	rest = rq->path + strlen("/v1/pods/");
	if (!strcmp(rest, "completions") && !strcmp(rq->method, "GET")) {
		do_completions(rq, rs);
		return;
	}
	n = strcspn(rest, "/");
	if (n == 0 || n >= sizeof pod)
		goto nf;
	memcpy(pod, rest, n);
	pod[n] = '\0';
	copy_str(rq->order_id, sizeof rq->order_id, pod);
	if (!rest[n] && !strcmp(rq->method, "GET")) {
		do_get(rq, rs, pod);
		return;
	}
	if (!strcmp(rest + n, "/participants") && !strcmp(rq->method, "POST")) {
		do_join(rq, rs, pod);
		return;
	}
nf:
	resp_error(rs, 404, "NOT_FOUND", "no such Study API: %s %s", rq->method, rq->path);
}

/*
 * GET /v1/users/{userId} — a user as settle-notify looks it up (issue 14):
 * {"userId", "email", "name", "lang"}. Deterministic, so tests and the
 * demo know the answer: a user whose id starts "noaddr" has no e-mail
 * (null), one starting "en" reads English, every other reads Korean and
 * is <id>@study.example; "bad-addr…" answers an address that is not one.
 */
void study_users_handle(struct sbx_req *rq, struct sbx_resp *rs)
{
	const char *h = sbx_header(rq, "Authorization");
	const char *id = rq->path + strlen("/v1/users/");
	char email[160];

	if (!h || strncasecmp(h, "Bearer ", 7) || !h[7 + strspn(h + 7, " ")]) {
		resp_error(rs, 401, "UNAUTHORIZED", "Authorization: Bearer <token> is required");
		return;
	}
	rq->op = "study_user";
	if (!*id || strlen(id) > 64 || strchr(id, '/') || strcmp(rq->method, "GET")) {
		resp_error(rs, 404, "NOT_FOUND", "no such Study API: %s %s", rq->method, rq->path);
		return;
	}
	if (!strncmp(id, "unknown", 7)) {
		resp_error(rs, 404, "USER_NOT_FOUND", "user %s does not exist", id);
		return;
	}
	if (!strncmp(id, "bad-addr", 8))
		snprintf(email, sizeof email, "%s at study.example", id);
	else
		snprintf(email, sizeof email, "%s@study.example", id);
	resp_json(rs, 200, json_pack("{s:s, s:o, s:s, s:s}", "userId", id, "email",
				     strncmp(id, "noaddr", 6) ? json_string(email) : json_null(), "name",
				     !strncmp(id, "en", 2) ? "Study Member" : "스터디 회원", "lang",
				     !strncmp(id, "en", 2) ? "en" : "ko"));
}
