/* pay-show — payments by id, order, user or pod, with escrow, refunds and history. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/kinds.h"
#include "cli/output.h"
#include "cli/print_payment.h"
#include "wire/wire_payments.h"

struct args {
	const char *order, *user, *pod;
};

static struct args a;

static const struct cli_option options[] = {
	CLI_STRING("order", 0, "ORDER", &a.order, &cli_kind_order_id, "by order id"),
	CLI_STRING("user", 0, "USER", &a.user, &cli_kind_ref_id, "every payment of a user"),
	CLI_STRING("pod", 0, "POD", &a.pod, &cli_kind_ref_id, "every payment for a pod"),
	CLI_END,
};

static int check(const struct cli *cli, void *arg, struct settle_err *err)
{
	const struct args *x = arg;

	if (!!x->order + !!x->user + !!x->pod + cli->nargs != 1)
		return err_set(err, SETTLE_EX_USAGE, "give one of PAYMENT_ID, --order, --user or --pod");
	return 0;
}

static const struct cli_spec spec = {
	.name = "pay-show",
	.exit_codes = (const int[]){0, 64, 65, 69, 70, 78, -1},
	.usage = "PAYMENT_ID | --order ORDER | --user USER | --pod POD",
	.summary = "Show payments with their escrow, refunds and history (a table on a terminal, JSON otherwise).",
	.options = options,
	.wiring = &payments_wiring,
	.arg_name = "PAYMENT_ID",
	.arg_kind = &cli_kind_ref_id,
	.min_args = 0,
	.max_args = 1,
	.check = check,
};

/* JSON: one array of {payment, refunds, history}, built while the rows
 * stream and printed at the end. A table: printed as the rows come. */
struct show {
	const struct payment_queries *q;
	int n, json;
	json_t *all, *list; /* list: the refunds or history being filled */
	int failed;
	struct settle_err *err;
};

static int add(struct show *s, json_t *item)
{
	if (!item || json_array_append_new(s->list, item) < 0) {
		s->failed = 1;
		return err_set(s->err, SETTLE_EX_SOFTWARE, "out of memory building JSON");
	}
	return 0;
}

static int refund_row(void *arg, const struct refund_rec *r)
{
	struct show *s = arg;

	if (s->json)
		return add(s, refund_json(r));
	printf("    refund %s %lld %s %s %s%s%s\n", cli_esc(r->public_id), (long long)r->amount, cli_esc(r->currency),
	       cli_esc(refund_status_name(r->status)), cli_esc(r->reason), r->pg_code[0] ? " pg=" : "", cli_esc(r->pg_code));
	return 0;
}

static int event_row(void *arg, const struct payment_event_row *ev)
{
	struct show *s = arg;
	const char *at = ev->at, *from = ev->from, *to = ev->to, *actor = ev->actor, *code = ev->code, *msg = ev->message;

	if (s->json)
		return add(s, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "at", cli_json_str(at), "from",
					cli_json_text(from), "to", cli_json_str(to), "actor", cli_json_str(actor),
					"pgCode", cli_json_text(code), "message", cli_json_text(msg)));
	printf("    %s  %-19s -> %-19s %-12s %s %s\n", cli_esc(at), *from ? cli_esc(from) : "-", cli_esc(to),
	       cli_esc(actor), cli_esc(code), cli_esc(msg));
	return 0;
}

static int show_json(struct show *s, const struct payment_rec *p)
{
	json_t *refunds = json_array(), *history = json_array();
	json_t *item = json_pack("{s:o, s:O, s:O}", "payment", payment_json(p), "refunds", refunds, "history", history);

	json_decref(refunds);
	json_decref(history);
	s->list = s->all;
	if (add(s, item) < 0)
		return -1;
	s->list = refunds;
	if (s->q->refunds(s->q->self, p->id, refund_row, s, s->err) < 0 || s->failed)
		return -1;
	s->list = history;
	if (s->q->events(s->q->self, p->id, event_row, s, s->err) < 0 || s->failed)
		return -1;
	return 0;
}

static int show_one(struct show *s, const struct payment_rec *p)
{
	if (s->json)
		return show_json(s, p);
	if (s->n == 0)
		print_payment_header(stdout);
	print_payment_row(stdout, p);
	if (p->va_account[0])
		printf("    virtual account %s %s due %s\n", cli_esc(p->va_bank), cli_esc(p->va_account),
		       cli_esc(p->va_due));
	if (p->pg_code[0])
		printf("    pg %s %s\n", cli_esc(p->pg_code), cli_esc(p->pg_message));
	if (s->q->refunds(s->q->self, p->id, refund_row, s, s->err) < 0 ||
	    s->q->events(s->q->self, p->id, event_row, s, s->err) < 0)
		return -1;
	return 0;
}

static int each(void *arg, const struct payment_rec *p)
{
	struct show *s = arg;

	if (show_one(s, p) < 0) {
		s->failed = 1;
		return -1;
	}
	s->n++;
	return 0;
}

static int run_show(struct cli *cli, void *arg, struct settle_err *err)
{
	struct payments_wiring *w = cli->wired;
	struct args *x = arg;
	struct show s = {.q = w->ctx.r.queries, .json = cli->json || !cli->tty, .err = err};
	const char *by = x->order ? "order" : x->user ? "user" : x->pod ? "pod" : "public";
	enum payment_list_by list_by = x->order  ? LIST_BY_ORDER_ID
				       : x->user ? LIST_BY_USER
				       : x->pod	 ? LIST_BY_POD
						 : LIST_BY_PUBLIC_ID;
	const char *id = x->order ? x->order : x->user ? x->user : x->pod ? x->pod : cli->args[0];
	int rc = 0;

	s.all = json_array();
	if (!s.all)
		return err_set(err, SETTLE_EX_SOFTWARE, "out of memory");
	if (w->ctx.r.queries->payments(w->ctx.r.queries->self, list_by, id, each, &s, err) < 0 || s.failed)
		rc = -1;
	else if (s.json)
		rc = cli_json_print(json_incref(s.all), err);
	json_decref(s.all);
	if (rc == 0 && s.n == 0)
		rc = err_set(err, SETTLE_EX_DATAERR, "no payment found for %s %s", by, id);
	return rc;
}

int main(int argc, char **argv)
{
	return cli_run(&spec, argc, argv, run_show, &a);
}
