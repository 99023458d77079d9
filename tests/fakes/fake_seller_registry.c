/* fake_seller_registry.c — the seller registry port in memory: scripted
 * answers in order, every call recorded (see fakes.h). */
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static void answer(struct fake_seller_registry *g, enum fake_seller_call call, const char *ref, const char *key,
		   const char *seller_id, const char *account, struct seller_result *res)
{
	memset(res, 0, sizeof *res);
	if (g->arm) {
		*g->arm = g->arm_value;
		g->arm = NULL;
	}
	if (g->n_calls < FAKE_MAX_CALLS) {
		struct fake_seller_request *q = &g->calls[g->n_calls++];

		q->call = call;
		snprintf(q->ref, sizeof q->ref, "%s", ref ? ref : "");
		snprintf(q->key, sizeof q->key, "%s", key ? key : "");
		snprintf(q->seller_id, sizeof q->seller_id, "%s", seller_id ? seller_id : "");
		snprintf(q->account, sizeof q->account, "%s", account ? account : "");
	}
	if (g->next_answer < g->n_script &&
	    (g->script[g->next_answer].call == FAKE_SELLER_ANY || g->script[g->next_answer].call == call)) {
		*res = g->script[g->next_answer++].res;
		return;
	}
	g->unexpected++;
	res->outcome = SELLER_IN_DOUBT;
	snprintf(res->code, sizeof res->code, "UNSCRIPTED");
}

static void reg(void *self, const struct seller_application *a, struct seller_result *res)
{
	answer(self, FAKE_SELLER_REGISTER, a->ref_seller_id, a->idempotency_key, NULL, a->account, res);
}

static void find(void *self, const char *ref, struct seller_result *res)
{
	answer(self, FAKE_SELLER_FIND, ref, NULL, NULL, NULL, res);
}

static void status(void *self, const char *seller_id, struct seller_result *res)
{
	answer(self, FAKE_SELLER_STATUS, NULL, NULL, seller_id, NULL, res);
}

static void destroy(void *self)
{
	(void)self;
}

void fake_seller_registry_init(struct fake_seller_registry *g)
{
	memset(g, 0, sizeof *g);
	g->port = (struct seller_registry){.self = g,
					   .name = "fake",
					   .register_seller = reg,
					   .find = find,
					   .status = status,
					   .destroy = destroy};
}

void fake_seller_push(struct fake_seller_registry *g, enum fake_seller_call call, enum seller_outcome o,
		      enum seller_status st, const char *seller_id, const char *code)
{
	struct seller_result *r;

	if (g->n_script >= FAKE_MAX_SCRIPT)
		return;
	g->script[g->n_script].call = call;
	r = &g->script[g->n_script++].res;
	memset(r, 0, sizeof *r);
	r->outcome = o;
	r->status = st;
	snprintf(r->seller_id, sizeof r->seller_id, "%s", seller_id ? seller_id : "");
	snprintf(r->code, sizeof r->code, "%s", code ? code : "");
	snprintf(r->message, sizeof r->message, "scripted %s", code ? code : "answer");
}

size_t fake_seller_count(const struct fake_seller_registry *g, enum fake_seller_call call)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n_calls; i++)
		n += call == FAKE_SELLER_ANY || g->calls[i].call == call;
	return n;
}
