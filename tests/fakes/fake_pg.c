/* fake_pg.c — a scripted PG and the directory that opens it by name.
 * Each call takes the next scripted answer (a confirm, look-up or cancel
 * answer, or one for any call) and is recorded with its idempotency key
 * and amount; a call with no matching answer is counted as unexpected and
 * answered PG_IN_DOUBT, the one outcome that can never do harm. Calls may
 * come from sweep worker threads: the script and the log are locked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakes/fakes.h"

#define CPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

void fake_pg_init(struct fake_pg *pg, const char *name)
{
	memset(pg, 0, sizeof *pg);
	CPY(pg->name, name);
	pthread_mutex_init(&pg->lock, NULL);
}

void fake_pg_destroy(struct fake_pg *pg)
{
	pthread_mutex_destroy(&pg->lock);
}

void fake_pg_push(struct fake_pg *pg, enum fake_pg_call call, const struct pg_result *res)
{
	pthread_mutex_lock(&pg->lock);
	if (pg->n_script < FAKE_MAX_SCRIPT) {
		pg->script[pg->n_script].call = call;
		pg->script[pg->n_script].res = *res;
		pg->n_script++;
	}
	pthread_mutex_unlock(&pg->lock);
}

void fake_pg_push_ok(struct fake_pg *pg, enum fake_pg_call call, enum pg_status st, int64_t total, int64_t balance)
{
	struct pg_result r;

	memset(&r, 0, sizeof r);
	r.outcome = PG_OK;
	r.http_status = 200;
	r.payment.status = st;
	r.payment.total_amount = total;
	r.payment.balance_amount = balance;
	CPY(r.payment.currency, "KRW");
	CPY(r.payment.method, "CARD");
	fake_pg_push(pg, call, &r);
}

void fake_pg_push_refused(struct fake_pg *pg, enum fake_pg_call call, const char *code)
{
	struct pg_result r;

	memset(&r, 0, sizeof r);
	r.outcome = PG_REFUSED;
	r.http_status = 400;
	CPY(r.code, code);
	snprintf(r.message, sizeof r.message, "refused by the fake PG: %s", code);
	fake_pg_push(pg, call, &r);
}

void fake_pg_push_doubt(struct fake_pg *pg, enum fake_pg_call call)
{
	struct pg_result r;

	memset(&r, 0, sizeof r);
	r.outcome = PG_IN_DOUBT;
	CPY(r.code, "TIMEOUT");
	CPY(r.message, "the fake PG did not answer in time");
	fake_pg_push(pg, call, &r);
}

size_t fake_pg_pending(struct fake_pg *pg)
{
	size_t n;

	pthread_mutex_lock(&pg->lock);
	n = pg->n_script - pg->next_answer;
	pthread_mutex_unlock(&pg->lock);
	return n;
}

const struct fake_pg_request *fake_pg_request(struct fake_pg *pg, enum fake_pg_call call, size_t i)
{
	const struct fake_pg_request *found = NULL;

	pthread_mutex_lock(&pg->lock);
	for (size_t k = 0; k < pg->n_calls && !found; k++)
		if (call == FAKE_PG_ANY || pg->calls[k].call == call) {
			if (i == 0)
				found = &pg->calls[k];
			else
				i--;
		}
	pthread_mutex_unlock(&pg->lock);
	return found;
}

size_t fake_pg_count(struct fake_pg *pg, enum fake_pg_call call)
{
	size_t n = 0;

	pthread_mutex_lock(&pg->lock);
	for (size_t k = 0; k < pg->n_calls; k++)
		n += call == FAKE_PG_ANY || pg->calls[k].call == call;
	pthread_mutex_unlock(&pg->lock);
	return n;
}

/* Records the request and answers it from the script. */
static int answer(struct fake_pg *pg, const struct fake_pg_request *rq, struct pg_result *res)
{
	pthread_mutex_lock(&pg->lock);
	if (pg->n_calls < FAKE_MAX_CALLS)
		pg->calls[pg->n_calls++] = *rq;
	if (pg->next_answer < pg->n_script &&
	    (pg->script[pg->next_answer].call == FAKE_PG_ANY || pg->script[pg->next_answer].call == rq->call)) {
		*res = pg->script[pg->next_answer++].res;
	} else {
		pg->unexpected++;
		memset(res, 0, sizeof *res);
		res->outcome = PG_IN_DOUBT;
		CPY(res->code, "FAKE_UNSCRIPTED");
		CPY(res->message, "the fake PG had no answer scripted for this call");
	}
	pthread_mutex_unlock(&pg->lock);
	/* The PG echoes the payment it was asked about. */
	if (!res->payment.payment_key[0])
		CPY(res->payment.payment_key, rq->payment_key);
	if (!res->payment.order_id[0])
		CPY(res->payment.order_id, rq->order_id);
	return (int)res->outcome;
}

static int confirm(void *self, const struct pg_confirm_req *req, struct pg_result *res)
{
	struct fake_pg_request rq;

	memset(&rq, 0, sizeof rq);
	rq.call = FAKE_PG_CONFIRM;
	CPY(rq.payment_key, req->payment_key);
	CPY(rq.order_id, req->order_id);
	CPY(rq.idempotency_key, req->idempotency_key);
	CPY(rq.currency, req->currency);
	rq.amount = req->amount;
	return answer(self, &rq, res);
}

static int get_by_order(void *self, const struct pg_lookup_req *req, struct pg_result *res)
{
	struct fake_pg_request rq;

	memset(&rq, 0, sizeof rq);
	rq.call = FAKE_PG_LOOKUP;
	CPY(rq.payment_key, req->payment_key);
	CPY(rq.order_id, req->order_id);
	CPY(rq.order_date, req->order_date);
	return answer(self, &rq, res);
}

static int get_by_key(void *self, const char *payment_key, struct pg_result *res)
{
	struct fake_pg_request rq;

	memset(&rq, 0, sizeof rq);
	rq.call = FAKE_PG_GET_BY_KEY;
	CPY(rq.payment_key, payment_key);
	return answer(self, &rq, res);
}

static int cancel(void *self, const struct pg_cancel_req *req, struct pg_result *res)
{
	struct fake_pg_request rq;

	memset(&rq, 0, sizeof rq);
	rq.call = FAKE_PG_CANCEL;
	CPY(rq.payment_key, req->payment_key);
	CPY(rq.order_id, req->order_id);
	CPY(rq.cancel_order_id, req->cancel_order_id);
	CPY(rq.idempotency_key, req->idempotency_key);
	CPY(rq.currency, req->currency);
	rq.amount = req->amount;
	return answer(self, &rq, res);
}

static void destroy(void *self)
{
	(void)self; /* the state belongs to the world; the client is freed by close */
}

/* ------------------------------------------------------------ the directory */

static size_t dir_count(void *self)
{
	return ((struct fake_pg_directory *)self)->n;
}

static const char *dir_name(void *self, size_t i)
{
	struct fake_pg_directory *d = self;

	return i < d->n ? d->pgs[i].name : NULL;
}

static int dir_find(void *self, const char *name)
{
	struct fake_pg_directory *d = self;

	for (size_t i = 0; name && i < d->n; i++)
		if (!strcmp(d->pgs[i].name, name))
			return (int)i;
	return -1;
}

static struct pg_port *dir_open(void *self, size_t i, struct settle_err *err)
{
	struct fake_pg_directory *d = self;
	struct pg_port *p;

	if (i >= d->n) {
		err_set(err, SETTLE_EX_CONFIG, "fake: no PG %zu", i);
		return NULL;
	}
	p = calloc(1, sizeof *p);
	if (!p) {
		err_set(err, SETTLE_EX_OSERR, "out of memory");
		return NULL;
	}
	*p = (struct pg_port){.self = &d->pgs[i], .name = d->pgs[i].name, .confirm = confirm,
			      .get_by_order = get_by_order, .get_by_key = get_by_key, .cancel = cancel,
			      .destroy = destroy};
	__atomic_add_fetch(&d->pgs[i].opens, 1, __ATOMIC_SEQ_CST);
	return p;
}

static void dir_close(void *self, struct pg_port *pg)
{
	(void)self;
	if (!pg)
		return;
	__atomic_add_fetch(&((struct fake_pg *)pg->self)->closes, 1, __ATOMIC_SEQ_CST);
	pg->destroy(pg->self);
	free(pg);
}

void fake_pg_directory_port(struct pg_directory *out, struct fake_pg_directory *d)
{
	*out = (struct pg_directory){
		.self = d, .count = dir_count, .name = dir_name, .find = dir_find, .open = dir_open, .close = dir_close};
}
