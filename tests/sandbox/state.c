/*
 * state.c — lookups and bookkeeping for struct state.
 *
 * Rule: callers hold st->mu for every function here except init/free.
 */
#include "state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void payment_free(void *v)
{
	struct payment *p = v;

	if (p)
		free(p->cancels);
	free(p);
}

int state_init(struct state *st)
{
	memset(st, 0, sizeof *st);
	if (pthread_mutex_init(&st->mu, NULL))
		return -1;
	if (smap_init(&st->by_key, payment_free) || smap_init(&st->by_order, NULL) ||
	    smap_init(&st->idem, free) || smap_init(&st->pods, free) ||
	    smap_init(&st->parts, free) || smap_init(&st->order_stats, free)) {
		state_free(st);
		return -1;
	}
	return 0;
}

void state_free(struct state *st)
{
	smap_free(&st->by_order);
	smap_free(&st->by_key);
	smap_free(&st->idem);
	smap_free(&st->pods);
	smap_free(&st->parts);
	smap_free(&st->order_stats);
	free(st->completions);
	pthread_mutex_destroy(&st->mu);
}

void state_reset(struct state *st)
{
	smap_clear(&st->by_order);
	smap_clear(&st->by_key);
	smap_clear(&st->idem);
	smap_clear(&st->parts);
	smap_clear(&st->order_stats);
	memset(&st->totals, 0, sizeof st->totals);
}

static void scoped(char *buf, size_t len, enum pg_kind pg, const char *id)
{
	snprintf(buf, len, "%c:%s", pg == PGK_TOSS ? 't' : 'n', id);
}

struct payment *state_payment_by_key(struct state *st, enum pg_kind pg, const char *key)
{
	char k[256];

	if (!key || strlen(key) > 200)
		return NULL;
	scoped(k, sizeof k, pg, key);
	return smap_get(&st->by_key, k);
}

struct payment *state_payment_by_order(struct state *st, enum pg_kind pg, const char *order_id)
{
	char k[256];

	if (!order_id || strlen(order_id) > 200)
		return NULL;
	scoped(k, sizeof k, pg, order_id);
	return smap_get(&st->by_order, k);
}

int state_add_payment(struct state *st, struct payment *p)
{
	char k1[256], k2[256];

	scoped(k1, sizeof k1, p->pg, p->key);
	scoped(k2, sizeof k2, p->pg, p->order_id);
	if (smap_put(&st->by_order, k2, p))
		return -1;
	if (smap_put(&st->by_key, k1, p)) {
		smap_put(&st->by_order, k2, NULL); /* by_order does not own; NULL = gone */
		return -1;
	}
	return 0;
}

int payment_add_cancel(struct payment *p, const struct cancel_rec *c)
{
	struct cancel_rec *v = realloc(p->cancels, (p->ncancels + 1) * sizeof *v);

	if (!v)
		return -1;
	p->cancels = v;
	p->cancels[p->ncancels++] = *c;
	return 0;
}

void state_count(struct state *st, enum sbx_op op, const char *order_id, int executed)
{
	struct op_counts *c;

	if ((unsigned)op >= OP_COUNT)
		return;
	if (executed)
		st->totals.executed[op]++;
	else
		st->totals.requests[op]++;
	if (!order_id || !*order_id)
		return;
	c = smap_get(&st->order_stats, order_id);
	if (!c) {
		c = calloc(1, sizeof *c);
		if (!c)
			return; /* counters are best effort; the totals are still right */
		if (smap_put(&st->order_stats, order_id, c)) {
			free(c);
			return;
		}
	}
	if (executed)
		c->executed[op]++;
	else
		c->requests[op]++;
}

const struct idem_entry *state_idem_get(struct state *st, const char *key)
{
	return smap_get(&st->idem, key);
}

void state_idem_put(struct state *st, const char *key, int status, const char *body, size_t len)
{
	struct idem_entry *e = malloc(sizeof *e + len + 1);

	if (!e)
		return; /* no cache entry: a repeat gets ALREADY_PROCESSED instead */
	e->status = status;
	e->len = len;
	if (len)
		memcpy(e->body, body, len);
	e->body[len] = '\0';
	if (smap_put(&st->idem, key, e))
		free(e);
}
