/* pay-show — payments by id, order, user or pod, with escrow, refunds and history. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/print_payment.h"
#include "wire/wire_payments.h"
#include "domain/validate.h"

enum { OPT_ORDER = 1, OPT_USER, OPT_POD };

static const struct cli_option options[] = {
	{"order", 0, "ORDER", OPT_ORDER, "by order id"},
	{"user", 0, "USER", OPT_USER, "every payment of a user"},
	{"pod", 0, "POD", OPT_POD, "every payment for a pod"},
	{0},
};

static const struct cli_spec spec = {
	.name = "pay-show",
	.usage = "PAYMENT_ID | --order ORDER | --user USER | --pod POD",
	.summary = "Show payments with their escrow, refunds and history (a table on a terminal, JSON otherwise).",
	.options = options,
};

struct args {
	const char *by, *id;
	enum payment_list_by list_by;
	int count;
};

static int on_option(void *arg, int id, const char *v, struct settle_err *err)
{
	struct args *a = arg;

	(void)err;
	a->by = id == OPT_ORDER ? "order" : id == OPT_USER ? "user" : "pod";
	a->list_by = id == OPT_ORDER ? LIST_BY_ORDER_ID : id == OPT_USER ? LIST_BY_USER : LIST_BY_POD;
	a->id = v;
	a->count++;
	return 0;
}

struct show {
	struct cli *cli;
	const struct payment_queries *q;
	int n, json, inner;
};

static int refund_row(void *arg, const struct refund_rec *r)
{
	struct show *s = arg;

	if (s->json) {
		printf("%s", s->inner++ ? "," : "");
		print_refund_json(stdout, r);
	} else {
		printf("    refund %s %lld %s %s %s%s%s\n", r->public_id, (long long)r->amount, r->currency, refund_status_name(r->status),
		       r->reason, r->pg_code[0] ? " pg=" : "", r->pg_code);
	}
	return 0;
}

static int event_row(void *arg, const struct payment_event_row *ev)
{
	struct show *s = arg;
	const char *at = ev->at, *from = ev->from, *to = ev->to, *actor = ev->actor, *code = ev->code, *msg = ev->message;

	if (s->json) {
		printf("%s{\"at\":\"%s\",\"from\":", s->inner++ ? "," : "", at);
		if (*from)
			cli_json_string(stdout, from);
		else
			printf("null");
		printf(",\"to\":");
		cli_json_string(stdout, to);
		printf(",\"actor\":");
		cli_json_string(stdout, actor);
		printf(",\"pgCode\":");
		if (*code)
			cli_json_string(stdout, code);
		else
			printf("null");
		printf(",\"message\":");
		if (*msg)
			cli_json_string(stdout, msg);
		else
			printf("null");
		printf("}");
	} else {
		printf("    %s  %-19s -> %-19s %-12s %s %s\n", at, *from ? from : "-", to, actor, code, msg);
	}
	return 0;
}

static int show_one(struct show *s, const struct payment_rec *p, struct settle_err *err)
{
	if (s->json) {
		printf("%s{\"payment\":", s->n ? "," : "");
		print_payment_json(stdout, p);
		printf(",\"refunds\":[");
		s->inner = 0;
		if (s->q->refunds(s->q->self, p->id, refund_row, s, err) < 0)
			return -1;
		printf("],\"history\":[");
		s->inner = 0;
		if (s->q->events(s->q->self, p->id, event_row, s, err) < 0)
			return -1;
		printf("]}");
	} else {
		if (s->n == 0)
			print_payment_header(stdout);
		print_payment_row(stdout, p);
		if (p->va_account[0])
			printf("    virtual account %s %s due %s\n", p->va_bank, p->va_account, p->va_due);
		if (p->pg_code[0])
			printf("    pg %s %s\n", p->pg_code, p->pg_message);
		if (s->q->refunds(s->q->self, p->id, refund_row, s, err) < 0 ||
		    s->q->events(s->q->self, p->id, event_row, s, err) < 0)
			return -1;
	}
	s->n++;
	return 0;
}

struct collect {
	struct show *s;
	struct settle_err *err;
	int failed;
};

static int each(void *arg, const struct payment_rec *p)
{
	struct collect *c = arg;

	if (show_one(c->s, p, c->err) < 0) {
		c->failed = 1;
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli;
	struct settle_err err = {0};
	struct args a = {0};
	struct payments_wiring w = {0};
	struct show s = {0};
	struct collect col = {&s, &err, 0};
	int first = cli_parse(&cli, &spec, argc, argv, on_option, &a, &err);

	if (first == -2)
		return 0;
	if (first < 0)
		return cli_fail(&cli, &err);
	if (a.count + (argc - first) != 1) {
		err_set(&err, SETTLE_EX_USAGE, "give one of PAYMENT_ID, --order, --user or --pod");
		return cli_fail(&cli, &err);
	}
	if (!a.by) {
		a.by = "public";
		a.list_by = LIST_BY_PUBLIC_ID;
		a.id = argv[first];
	}
	if (validate_ref_id("id", a.id, &err) < 0)
		return cli_fail(&cli, &err);
	if (wire_payments(&cli, &w, &err) < 0)
		goto fail;
	s.cli = &cli;
	s.q = w.ctx.r.queries;
	s.json = cli.json || !cli.tty;
	if (s.json)
		printf("[");
	if (w.ctx.r.queries->payments(w.ctx.r.queries->self, a.list_by, a.id, each, &col, &err) < 0 || col.failed)
		goto fail;
	if (s.json)
		printf("]\n");
	if (s.n == 0) {
		err_set(&err, SETTLE_EX_DATAERR, "no payment found for %s %s", a.by, a.id);
		goto fail;
	}
	return payments_exit(&cli, &w, NULL);
fail:
	fflush(stdout);
	return payments_exit(&cli, &w, &err);
}
