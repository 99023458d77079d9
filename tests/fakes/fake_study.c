/* fake_study.c — the Study Service: pods a test sets up, and scripted
 * answers to participation confirms (done, definite refusal EX_DATAERR,
 * transient EX_UNAVAILABLE), every call recorded. */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

#define CPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

void fake_study_init(struct fake_study *st)
{
	memset(st, 0, sizeof *st);
	pthread_mutex_init(&st->lock, NULL);
}

void fake_study_destroy(struct fake_study *st)
{
	pthread_mutex_destroy(&st->lock);
}

struct study_pod *fake_study_pod(struct fake_study *st, const char *pod_id, int64_t fee, int capacity,
				 int participants, const char *status)
{
	struct study_pod *p = NULL;

	for (size_t i = 0; i < st->n_pods; i++)
		if (!strcmp(st->pods[i].pod_id, pod_id))
			p = &st->pods[i];
	if (!p) {
		if (st->n_pods >= FAKE_MAX_PODS)
			return NULL;
		p = &st->pods[st->n_pods++];
	}
	memset(p, 0, sizeof *p);
	CPY(p->pod_id, pod_id);
	snprintf(p->leader_id, sizeof p->leader_id, "leader-of-%.40s", pod_id);
	snprintf(p->title, sizeof p->title, "Study pod %.40s", pod_id);
	p->fee = fee;
	CPY(p->currency, "KRW");
	CPY(p->status, status ? status : "OPEN");
	p->capacity = capacity;
	p->participants = participants;
	CPY(p->starts_on, "2026-12-01");
	CPY(p->ends_on, "2026-12-31");
	return p;
}

void fake_study_push(struct fake_study *st, int code)
{
	pthread_mutex_lock(&st->lock);
	if (st->n_script < FAKE_MAX_SCRIPT)
		st->script[st->n_script++] = code;
	pthread_mutex_unlock(&st->lock);
}

static int get_pod(void *self, const char *pod_id, struct study_pod *out, struct settle_err *err)
{
	struct fake_study *st = self;

	if (st->get_pod_fails)
		return err_set(err, st->get_pod_fails, "fake Study Service: cannot be asked");
	for (size_t i = 0; i < st->n_pods; i++)
		if (!strcmp(st->pods[i].pod_id, pod_id)) {
			*out = st->pods[i];
			return 0;
		}
	return err_set(err, SETTLE_EX_NOINPUT, "pod %s does not exist", pod_id);
}

static int confirm_participation(void *self, const char *pod_id, const char *user_id, const char *payment_id,
				 struct settle_err *err)
{
	struct fake_study *st = self;
	int code = 0;

	pthread_mutex_lock(&st->lock);
	if (st->n_calls < FAKE_MAX_CALLS) {
		struct fake_study_call *c = &st->calls[st->n_calls++];

		CPY(c->pod_id, pod_id);
		CPY(c->user_id, user_id);
		CPY(c->payment_id, payment_id);
	}
	if (st->next_answer < st->n_script)
		code = st->script[st->next_answer++];
	pthread_mutex_unlock(&st->lock);
	if (code == SETTLE_EX_DATAERR)
		return err_set(err, code, "pod %s is full: the place of %s was refused", pod_id, user_id);
	if (code)
		return err_set(err, code, "fake Study Service unavailable (503)");
	return 0;
}

static void destroy(void *self)
{
	(void)self;
}

void fake_study_port(struct study_port *out, struct fake_study *st)
{
	*out = (struct study_port){
		.self = st, .get_pod = get_pod, .confirm_participation = confirm_participation, .destroy = destroy};
}
